"""policy-rules ci on a temporary repository whose head commit changes one policy."""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest

from tests.conftest import SAMPLE
from tests.test_cli import run


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
