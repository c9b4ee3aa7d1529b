"""policy-rules ci on a temporary repository whose head commit changes one policy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import git
import pytest
import yaml

from extractor.ci import COMMENT_MARKER, NO_POLICY
from tests import hostile_pdf
from tests.conftest import ROOT, SAMPLE, SEEDS, corpus_file
from tests.test_cli import run
from tests.test_diff import LEMTRADA_Y


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    repository = git.Repo.init(root)
    actor = git.Actor("test", "test@localhost")
    (root / "policies").mkdir()
    shutil.copy(SAMPLE / "zentorimab-v1.pdf", root / "policies" / "zentoria.pdf")
    (root / "notes.txt").write_text("first\n", encoding="utf-8")
    repository.index.add(["policies/zentoria.pdf", "notes.txt"])
    repository.index.commit("v1", author=actor, committer=actor)
    shutil.copy(SAMPLE / "zentorimab-v2.pdf", root / "policies" / "zentoria.pdf")
    repository.index.add(["policies/zentoria.pdf"])
    repository.index.commit("v2", author=actor, committer=actor)
    (root / "notes.txt").write_text("second\n", encoding="utf-8")
    repository.index.add(["notes.txt"])
    repository.index.commit("notes only", author=actor, committer=actor)
    return root


@pytest.mark.parametrize(("level", "code"), [("breaking", 1), ("material", 1), ("minor", 1)])
def test_one_comment_and_the_exit_code_for_each_level(repo: Path, level: str, code: int) -> None:
    result = run("ci", "--repo", repo, "--base", "HEAD~2", "--head", "HEAD~1", "--fail-on", level)
    assert result.returncode == code, result.stderr
    assert result.stdout.count("## Policy changes in this pull request (1 policies)") == 1
    assert result.stderr.startswith(f"failing (--fail-on {level}): policies/zentoria.pdf: ")
    assert "`policies/zentoria.pdf`" in result.stdout
    assert "| Coverage criteria | 1 | 2 |  |  |" in result.stdout


def test_a_range_without_policies_passes(repo: Path) -> None:
    result = run("ci", "--repo", repo, "--base", "HEAD~1", "--head", "HEAD",
                 "--fail-on", "minor")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "No policy document or rule file changed.\n"


def test_an_unknown_commit_is_one_error_line(repo: Path) -> None:
    result = run("ci", "--repo", repo, "--base", "nope")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "cannot read commits nope..HEAD" in result.stderr


def test_a_new_version_under_a_new_file_name_is_diffed_against_the_file_it_replaces(
        tmp_path: Path) -> None:
    repository = git.Repo.init(tmp_path)
    actor = git.Actor("test", "test@localhost")
    shutil.copy(SAMPLE / "zentorimab-v1.pdf", tmp_path / "zentoria-2026D9901A.pdf")
    repository.index.add(["zentoria-2026D9901A.pdf"])
    repository.index.commit("v1", author=actor, committer=actor)
    repository.index.remove(["zentoria-2026D9901A.pdf"], working_tree=True)
    shutil.copy(SAMPLE / "zentorimab-v2.pdf", tmp_path / "zentoria-2026D9901B.pdf")
    repository.index.add(["zentoria-2026D9901B.pdf"])
    repository.index.commit("v2", author=actor, committer=actor)
    result = run("ci", "--repo", tmp_path, "--base", "HEAD~1", "--fail-on", "breaking")
    assert result.returncode == 1, result.stderr
    assert "| Coverage criteria | 1 | 2 |  |  |" in result.stdout
    assert "New policy" not in result.stdout


def seed() -> Path:
    path = SEEDS / "lemtrada-2025D0023X.md"
    if not path.exists():
        pytest.skip(f"seed rendition not available ({path})")
    return path


def commit(repository: git.Repo, message: str, files: dict[str, Path]) -> None:
    root = Path(repository.working_tree_dir or ".")
    for name, source in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, root / name)
    repository.index.add(list(files))
    actor = git.Actor("test", "test@localhost")
    repository.index.commit(message, author=actor, committer=actor)


def test_a_new_version_saved_beside_the_old_file_is_diffed_against_it(tmp_path: Path) -> None:
    repository = git.Repo.init(tmp_path)
    commit(repository, "v1", {"policies/zentoria-2026D9901A.pdf": SAMPLE / "zentorimab-v1.pdf",
                              "policies/other.md": seed()})
    commit(repository, "v2", {"policies/zentoria-2026D9901B.pdf": SAMPLE / "zentorimab-v2.pdf"})
    result = run("ci", "--repo", tmp_path, "--base", "HEAD~1", "--fail-on", "breaking")
    assert "New policy" not in result.stdout
    assert "| Coverage criteria | 1 | 2 |  |  |" in result.stdout
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "failing (--fail-on breaking): policies/zentoria-2026D9901B.pdf: 1 breaking change(s): "
        "threshold changed in coverage criteria (Zentoria (zentorimab) is proven and medically "
        "necessary for the treatment of re…) (1 breaking, 3 material, 5 minor, 1 cosmetic)"]


def test_lemtrada_code_set_update_beside_the_old_version_passes_fail_on_breaking(
        tmp_path: Path) -> None:
    repository = git.Repo.init(tmp_path)
    commit(repository, "X", {"lemtrada-2025D0023X.md": seed()})
    commit(repository, "Y", {"lemtrada-2025D0023Y.pdf": corpus_file(LEMTRADA_Y)})
    result = run("ci", "--repo", tmp_path, "--base", "HEAD~1", "--fail-on", "breaking")
    assert result.returncode == 0, result.stderr
    assert "split (code-set update)" in result.stdout and "New policy" not in result.stdout


def test_the_comment_carries_the_marker_the_workflow_edits_it_by(repo: Path) -> None:
    result = run("ci", "--repo", repo, "--base", "HEAD~2", "--head", "HEAD~1")
    assert result.stdout.startswith("<!-- policy-rules ci -->\n")


WORKFLOW = ROOT / ".github" / "workflows" / "policy-changes.yml"


def post_step(tmp_path: Path, comment: str, existing: str) -> list[str]:
    """Run the workflow's posting step with a stand-in gh that logs its calls."""
    step = next(s for s in yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"][
        "comment"]["steps"] if s.get("name") == "Post or update the one comment")
    script = re.sub(r"\$\{\{[^}]*\}\}", "X", step["run"])
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text(f'#!/bin/sh\necho "$*" >> {tmp_path}/calls\n'
                  f'case "$*" in *--paginate*) printf "{existing}" ;; esac\n', encoding="utf-8")
    gh.chmod(0o755)
    (tmp_path / "comment.md").write_text(comment, encoding="utf-8")
    env = {**os.environ, "PATH": f"{gh.parent}:{os.environ['PATH']}", "COMMENTS": "c"}
    subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, check=True)
    calls = tmp_path / "calls"
    return calls.read_text(encoding="utf-8").splitlines()[1:] if calls.exists() else []


@pytest.mark.parametrize(("comment", "existing", "expected"), [
    (f"{COMMENT_MARKER}\n## Policy changes\n", "", ["api --method POST c -F body=@comment.md"]),
    (f"{COMMENT_MARKER}\n## Policy changes\n", "42",
     ["api --method PATCH repos/X/issues/comments/42 -F body=@comment.md"]),
    (NO_POLICY, "", []),
    (NO_POLICY, "42", ["api --method PATCH repos/X/issues/comments/42 -F body=@none.md"]),
])
def test_the_workflow_keeps_one_comment_and_posts_nothing_when_no_policy_changed(
        tmp_path: Path, comment: str, existing: str, expected: list[str]) -> None:
    assert post_step(tmp_path, comment, existing) == expected


def test_the_archive_holds_the_prior_version_a_range_does_not(tmp_path: Path) -> None:
    from extractor.archive import Archive
    from extractor.pipeline import extract

    Archive(tmp_path / "archive").add(extract(SAMPLE / "zentorimab-v1.pdf"))
    repository = git.Repo.init(tmp_path / "repo")
    commit(repository, "notes", {"notes.txt": SAMPLE / "zentorimab-v1.txt"})
    commit(repository, "v2", {"zentoria.pdf": SAMPLE / "zentorimab-v2.pdf"})
    without = run("ci", "--repo", tmp_path / "repo", "--base", "HEAD~1")
    assert "New policy" in without.stdout
    with_archive = run("ci", "--repo", tmp_path / "repo", "--base", "HEAD~1",
                       "--archive", tmp_path / "archive", "--fail-on", "breaking")
    assert with_archive.returncode == 1
    assert "| Coverage criteria | 1 | 2 |  |  |" in with_archive.stdout


def test_an_unreadable_file_is_reported_and_the_others_are_still_compared(
        tmp_path: Path) -> None:
    repository = git.Repo.init(tmp_path)
    actor = git.Actor("test", "test@localhost")
    (tmp_path / "policies").mkdir()
    (tmp_path / "rules_out").mkdir()
    shutil.copy(SAMPLE / "zentorimab-v1.pdf", tmp_path / "policies" / "zentoria.pdf")
    repository.index.add(["policies/zentoria.pdf"])
    base = repository.index.commit("v1", author=actor, committer=actor).hexsha
    shutil.copy(SAMPLE / "zentorimab-v2.pdf", tmp_path / "policies" / "zentoria.pdf")
    (tmp_path / "rules_out" / "bad.json").write_text('{"policy": ', encoding="utf-8")
    hostile_pdf.self_length_pdf(tmp_path / "policies" / "damaged.pdf")
    repository.index.add(["policies/zentoria.pdf", "rules_out/bad.json", "policies/damaged.pdf"])
    repository.index.commit("v2 and two broken files", author=actor, committer=actor)
    result = run("ci", "--base", base, "--repo", tmp_path, "--engine", "pdfplumber", "-j", "1")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 3  # the worst: a damaged document
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and errors[0].startswith("error: policies/damaged.pdf: ")
    assert errors[1].startswith("error: rules_out/bad.json: not a rule file")
    assert "#### `policies/zentoria.pdf`" in result.stdout and "breaking" in result.stdout
    assert "Files that could not be read" in result.stdout
