"""The git archive of rule files: history order, no-op re-ingest, safe paths, locking, kills."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path

import git
import pytest

from extractor.archive import MARKER, RULES_DIR, Archive, slug
from extractor.diff import diff
from extractor.errors import ArchiveError
from extractor.model import RuleSet
from extractor.pipeline import extract
from tests.conftest import SAMPLE, SEEDS, corpus_file
from tests.test_cli import run

V1, V2 = SAMPLE / "zentorimab-v1.pdf", SAMPLE / "zentorimab-v2.pdf"
POLICY = "zentoria-zentorimab-for-multiple-sclerosis-and-rheumatoid-arthritis"


@cache
def rules(path: Path) -> RuleSet:
    return extract(path)


def test_versions_in_date_order_whatever_the_order_of_ingest(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    assert archive.add(rules(V2))[1] and archive.add(rules(V1))[1]
    assert [v.version for v in archive.versions(POLICY)] == ["2026D9901A", "2026D9901B"]
    latest = tmp_path / RULES_DIR / "unitedhealthcare" / "commercial" / f"{POLICY}.json"
    assert '"number": "2026D9901B"' in latest.read_text(encoding="utf-8")
    repo = git.Repo(tmp_path)
    assert sorted(t.name for t in repo.tags) == [f"{POLICY}/2026D9901A", f"{POLICY}/2026D9901B"]
    head = repo.head.commit
    assert head.message.startswith(f"{POLICY} 2026D9901A, effective 2026-01-01")
    assert archive.add(rules(V1)) == (archive.versions(POLICY)[0], False)
    assert repo.head.commit == head and not repo.is_dirty(untracked_files=True)


def test_lemtrada_pair_in_either_order_gives_the_same_history_and_diff(tmp_path: Path) -> None:
    seed = SEEDS / "lemtrada-2025D0023X.md"
    if not seed.exists():
        pytest.skip(f"seed rendition not available ({seed})")
    pdf = corpus_file("uhc-comm-drug_lemtrada-alemtuzumab_2025-10-01.pdf")
    histories = []
    for order in ((seed, pdf), (pdf, seed)):
        archive = Archive(tmp_path / order[0].suffix[1:])
        for path in order:
            archive.add(rules(path))
        versions = archive.versions("lemtrada-alemtuzumab")
        old, new = (archive.show("lemtrada-alemtuzumab", v.version) for v in versions)
        files = archive.repo.git.ls_files().splitlines()
        histories.append(([v.version for v in versions], diff(old, new), files))
    assert histories[0] == histories[1]
    versions, _, files = histories[0]
    assert versions == ["2025D0023X", "2025D0023Y"]
    folder = "rules_out/unitedhealthcare/commercial/lemtrada-alemtuzumab"
    assert files == [MARKER, f"{folder}.json", f"{folder}/2025D0023X.json",
                     f"{folder}/2025D0023Y.json"]


def test_document_text_cannot_steer_a_path_or_tag_out_of_the_archive(tmp_path: Path) -> None:
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("Lemtrada® (Alemtuzumab)") == "lemtrada-alemtuzumab"
    assert slug("Ünïcödé / Title..") == "unicode-title"
    assert slug("..", "fallback") == "fallback"
    evil = rules(V1).model_copy(deep=True)
    evil = evil.model_copy(update={"policy": evil.policy.model_copy(update={
        "title": "../../../outside", "payer": "/etc", "number": "../v1"})})
    version, _ = Archive(tmp_path / "a").add(evil)
    stored = (tmp_path / "a" / version.path).resolve()
    assert stored.is_relative_to((tmp_path / "a" / RULES_DIR).resolve())
    assert version.version == "v1"


def test_a_changed_document_needs_a_new_version(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.add(rules(V1))
    changed = rules(V2).model_copy(update={"policy": rules(V1).policy})
    with pytest.raises(ArchiveError, match="archived already with other rules"):
        archive.add(changed)


def test_a_second_run_is_told_the_archive_is_busy(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.add(rules(V1))
    (tmp_path / ".git" / "policy-rules.lock").write_text(str(os.getpid()), encoding="utf-8")
    with pytest.raises(ArchiveError, match="busy"):
        archive.add(rules(V2))


KILLED_INGEST = textwrap.dedent("""
    import os, sys
    import git
    from extractor.archive import Archive
    from extractor.pipeline import extract
    git.IndexFile.commit = lambda *a, **k: os._exit(9)  # killed between write and commit
    Archive(__import__("pathlib").Path(sys.argv[1])).add(extract(sys.argv[2]))
""")


def test_an_ingest_killed_mid_write_leaves_the_archive_as_it_was(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.add(rules(V1))
    head = git.Repo(tmp_path).head.commit
    killed = subprocess.run([sys.executable, "-c", KILLED_INGEST, str(tmp_path), str(V2)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert killed.returncode == 9, killed.stderr
    assert git.Repo(tmp_path).head.commit == head
    assert [v.version for v in Archive(tmp_path).versions(POLICY)] in (
        ["2026D9901A"], ["2026D9901A", "2026D9901B"])  # the half-written file may be visible
    Archive(tmp_path).add(rules(V2))  # the next run cleans up, takes the stale lock and works
    repo = git.Repo(tmp_path)
    assert [v.version for v in Archive(tmp_path).versions(POLICY)] == ["2026D9901A", "2026D9901B"]
    assert not repo.is_dirty(untracked_files=True)
    repo.git.fsck()


def test_two_ingests_at_once(tmp_path: Path) -> None:
    procs = [subprocess.Popen(
        [sys.executable, "-m", "extractor", "archive", "add", str(p), "--archive", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in (V1, V2)]
    results = [(p.wait(timeout=180), p.communicate()[1]) for p in procs]
    for code, err in results:
        assert code == 0 or (code == 7 and "busy" in err and len(err.splitlines()) == 1), err
    done = sum(1 for code, _ in results if code == 0)
    repo = git.Repo(tmp_path)
    repo.git.fsck()
    # one commit per version, after the archive's own first commit
    assert len(list(repo.iter_commits())) == done + 1 and not repo.is_dirty(untracked_files=True)


def test_archive_commands(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    added = run("archive", "add", V1, V2, "--archive", archive)
    assert added.returncode == 0, added.stderr
    assert "2 new version(s) archived" in added.stderr
    log = run("archive", "log", POLICY, "--archive", archive).stdout.splitlines()
    assert log[0] == "2026D9901A\t2026-01-01\tfirst version"
    assert log[1].startswith("2026D9901B\t2026-04-01\t") and "breaking" in log[1]
    shown = run("archive", "show", f"{POLICY}@2026D9901A", "--archive", archive)
    assert '"number": "2026D9901A"' in shown.stdout
    missing = run("archive", "show", f"{POLICY}@nope", "--archive", archive)
    assert missing.returncode == 7 and "no version 'nope'" in missing.stderr


def test_diff_against_the_prior_archived_version(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    assert run("archive", "add", V1, "--archive", archive).returncode == 0
    alone = run("diff", V2, "--archive", archive, "--format", "json")
    assert alone.returncode == 0, alone.stderr
    assert json.loads(alone.stdout)["old"] == "2026D9901A (2026-01-01)"
    assert run("archive", "add", V2, "--archive", archive).returncode == 0
    ranged = run("diff", POLICY, "--from", "2026D9901A", "--to", "2026D9901B",
                 "--archive", archive, "--format", "json")
    assert json.loads(ranged.stdout) == json.loads(alone.stdout)
    first = run("diff", V1, "--archive", archive)
    assert first.returncode == 7 and "no earlier version" in first.stderr


def test_the_prior_version_is_the_one_the_revision_history_archived(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    v1 = rules(V1)
    decoy = v1.model_copy(update={"policy": v1.policy.model_copy(update={
        "number": "2026D9901Z", "effective_date": "2026-03-01"})})
    archive.add(v1)
    archive.add(decoy)
    assert rules(V2).revision_history[0].archived_versions == ["2026D9901A"]
    assert archive.prior(rules(V2)).policy.number == "2026D9901A"
