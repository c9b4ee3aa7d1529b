"""Hostile rule files and foreign repositories: nothing written outside the archive, nobody's
work reset, no version lost to a kill or a refused tag, and readers that create nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from extractor import archive as archive_module
from extractor.archive import JOURNAL, MARKER, RULES_DIR, Archive, version_name_of
from extractor.cli import cli
from extractor.errors import ArchiveError
from extractor.model import Policy, RuleSet, Source
from extractor.rulefile import ruleset_to_json

GOOD_SHA = "ab" * 32


def rule_set(number: str | None = "2026D0001A", date: str | None = "2026-01-01",
             sha256: str = GOOD_SHA, title: str = "Hostile Policy") -> RuleSet:
    return RuleSet(policy=Policy(number=number, title=title, effective_date=date,
                                 payer="UnitedHealthcare", line_of_business="Commercial"),
                   source=Source(file="hostile.pdf", sha256=sha256, pages=1, format="pdf"),
                   sections=[])


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if ".git" not in p.parts}


@pytest.mark.parametrize("sha256", ["/" + "_" * 63, "../../../../", "..", "/"])
def test_null_number_and_date_with_a_path_for_a_hash_stays_inside_rules_out(
        tmp_path: Path, sha256: str) -> None:
    root = tmp_path / "deep" / "archive"
    version, added = Archive(root).add(rule_set(None, None, sha256))
    assert added
    written = files_under(tmp_path) - {root, tmp_path / "deep"}
    assert written and all(p.resolve().is_relative_to(root.resolve()) for p in written)
    assert (root / version.path).resolve().is_relative_to((root / RULES_DIR).resolve())
    assert version.version and not version.version.startswith(".")


@pytest.mark.parametrize("number", ["2025D0023Y.lock", "a/../../x", "..", "x..y", "@{-1}",
                                    "v1.lock.lock", "-", ".hidden", "a b~c^d:e?f*g[h\\i"])
def test_a_number_git_would_refuse_as_a_tag_is_archived_and_tagged(
        tmp_path: Path, number: str) -> None:
    version, added = Archive(tmp_path / "a").add(rule_set(number))
    repo = git.Repo(tmp_path / "a")
    assert added and f"{version.policy}/{version.version}" in [t.name for t in repo.tags]
    assert not repo.is_dirty(untracked_files=True)
    repo.git.fsck()


def test_version_names_are_valid_tags() -> None:
    for text in ["2025D0023Y.lock", "a/../../x", "x..y", "ENT 020.25", "é", "..lock"]:
        name = version_name_of(text)
        if name:
            subprocess.run(["git", "check-ref-format", f"refs/tags/p/{name}"], check=True)


def test_a_tag_git_refuses_leaves_no_half_done_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive(tmp_path)
    head = archive.repo.head.commit
    monkeypatch.setattr(archive_module, "version_name", lambda rules: "x.lock")
    with pytest.raises(ArchiveError, match="not a valid tag name"):
        archive.add(rule_set())
    assert archive.repo.head.commit == head and not (tmp_path / RULES_DIR).exists()
    assert not (tmp_path / ".git" / JOURNAL).exists()


def test_a_run_killed_between_commit_and_tag_is_tagged_by_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive(tmp_path)

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(archive.repo, "create_tag", killed)
    with pytest.raises(KeyboardInterrupt):
        archive.add(rule_set())
    version, added = Archive(tmp_path).add(rule_set())
    repo = git.Repo(tmp_path)
    assert not added and [t.name for t in repo.tags] == [f"{version.policy}/{version.version}"]
    assert not repo.is_dirty(untracked_files=True)


def test_a_repository_that_is_not_an_archive_is_refused_untouched(tmp_path: Path) -> None:
    repo = git.Repo.init(tmp_path)
    (tmp_path / "thesis.txt").write_text("committed\n", encoding="utf-8")
    repo.index.add(["thesis.txt"])
    repo.index.commit("my work")
    (tmp_path / "thesis.txt").write_text("unsaved edit\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("untracked\n", encoding="utf-8")
    head = repo.head.commit
    with pytest.raises(ArchiveError, match="not a policy-rules archive"):
        Archive(tmp_path).add(rule_set())
    assert (tmp_path / "thesis.txt").read_text(encoding="utf-8") == "unsaved edit\n"
    assert (tmp_path / "notes.txt").exists() and repo.head.commit == head
    assert not (tmp_path / RULES_DIR).exists() and not (tmp_path / MARKER).exists()


def test_a_folder_with_files_that_is_not_a_repository_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(ArchiveError, match="not a policy-rules archive"):
        Archive(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_a_hand_edit_in_the_archive_is_refused_and_kept(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    version, _ = archive.add(rule_set())
    edited = tmp_path / version.path
    hand_edit = edited.read_text(encoding="utf-8") + "hand edit\n"
    edited.write_text(hand_edit, encoding="utf-8")
    head = archive.repo.head.commit
    with pytest.raises(ArchiveError, match="uncommitted changes"):
        archive.add(rule_set("2026D0001B", "2026-02-01"))
    assert edited.read_text(encoding="utf-8") == hand_edit
    assert archive.repo.head.commit == head


def test_an_archive_command_on_a_foreign_repository_is_one_line(tmp_path: Path) -> None:
    git.Repo.init(tmp_path / "repo")
    (tmp_path / "repo" / "work.txt").write_text("x\n", encoding="utf-8")
    rules = tmp_path / "r.json"
    rules.write_text(ruleset_to_json(rule_set()), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "extractor", "archive", "add", str(rules),
                           "--archive", str(tmp_path / "repo")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 7 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "not a policy-rules archive" in done.stderr
    assert sorted(p.name for p in (tmp_path / "repo").iterdir()) == [".git", "work.txt"]


KILLED_FIRST_INGEST = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    import git
    from extractor.archive import Archive
    from extractor.rulefile import json_to_ruleset
    git.IndexFile.commit = lambda *a, **k: os._exit(9)  # killed between write and commit
    rules = json_to_ruleset(Path(sys.argv[2]).read_text(encoding="utf-8"))
    Archive(Path(sys.argv[1])).add(rules)
""")


def test_a_first_ingest_killed_before_its_commit_is_archived_by_the_next_run(
        tmp_path: Path) -> None:
    rules = tmp_path / "r.json"
    rules.write_text(ruleset_to_json(rule_set()), encoding="utf-8")
    root = tmp_path / "new-archive"
    killed = subprocess.run([sys.executable, "-c", KILLED_FIRST_INGEST, str(root), str(rules)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert killed.returncode == 9, killed.stderr
    version, added = Archive(root).add(rule_set())
    repo = git.Repo(root)
    assert added and version.path in repo.git.ls_files().splitlines()
    assert not repo.is_dirty(untracked_files=True) and not (root / ".git" / JOURNAL).exists()
    repo.git.fsck()


@pytest.mark.parametrize("args", [["archive", "log", "some-policy"],
                                  ["archive", "show", "some-policy@v1"]])
def test_read_only_archive_commands_create_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, ArchiveError) and "no archive here" in str(
        result.exception)
    assert list(tmp_path.iterdir()) == []


def test_diff_of_new_alone_creates_no_archive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "new.json").write_text(ruleset_to_json(rule_set()), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["diff", "new.json"])
    assert isinstance(result.exception, ArchiveError)
    assert [p.name for p in tmp_path.iterdir()] == ["new.json"]


def test_a_legacy_archive_of_rule_files_only_is_still_accepted(tmp_path: Path) -> None:
    repo = git.Repo.init(tmp_path)
    old = tmp_path / RULES_DIR / "p.json"
    old.parent.mkdir()
    old.write_text("{}\n", encoding="utf-8")
    repo.index.add([f"{RULES_DIR}/p.json"])
    repo.index.commit("old archive")
    assert Archive(tmp_path).add(rule_set())[1]
    assert os.path.exists(tmp_path / RULES_DIR)


def test_archive_add_of_a_folder_files_the_good_ones_and_names_the_bad(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a-bad.json").write_text('{"policy": ', encoding="utf-8")
    (source / "b-damaged.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (source / "c-good.json").write_text(ruleset_to_json(rule_set()), encoding="utf-8")
    root = tmp_path / "archive"
    done = subprocess.run([sys.executable, "-m", "extractor", "archive", "add", str(source),
                           "--archive", str(root), "-j", "1", "--no-cache"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2 and "a-bad.json" in errors[0] and "b-damaged.pdf" in errors[1]
    policy, version, path = done.stdout.strip().split("\t")
    assert (policy, version) == ("hostile-policy", "2026D0001A") and (root / path).exists()
