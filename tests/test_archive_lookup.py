"""Finding a policy in the archive by the names an analyst uses, and listing them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.archive import Archive
from extractor.archive_index import list_policies, resolve
from extractor.cli import cli
from extractor.errors import ArchiveError
from tests.test_archive_integrity import rule_set


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    archive = Archive(tmp_path / "archive")
    archive.add(rule_set("2025D0023X", "2025-04-01", title="Lemtrada (Alemtuzumab)"))
    archive.add(rule_set("2025D0023Y", "2025-10-01", title="Lemtrada (Alemtuzumab)"))
    archive.add(rule_set("2026D0100A", "2026-01-01", title="Ocrevus (Ocrelizumab)"))
    return archive


@pytest.mark.parametrize("name", ["lemtrada-alemtuzumab", "lemtrada", "Lemtrada", "2025D0023Y",
                                  "2025d0023x", "2025D0023"])
def test_a_policy_is_found_by_slug_prefix_number_or_family(archive: Archive, name: str) -> None:
    assert resolve(archive, name) == "lemtrada-alemtuzumab"


def test_an_unknown_name_gets_a_suggestion(archive: Archive) -> None:
    with pytest.raises(ArchiveError, match="did you mean lemtrada-alemtuzumab"):
        resolve(archive, "lemtrda-alemtuzumab")


def test_a_name_of_two_policies_is_ambiguous(archive: Archive) -> None:
    with pytest.raises(ArchiveError, match="names 2 policies"):
        resolve(archive, "20")


def test_archive_list(archive: Archive) -> None:
    assert [(p.policy, p.latest, len(p.versions)) for p in list_policies(archive)] == [
        ("lemtrada-alemtuzumab", "2025D0023Y", 2), ("ocrevus-ocrelizumab", "2026D0100A", 1)]
    listed = CliRunner().invoke(cli, ["archive", "list", "--archive", str(archive.root)])
    assert listed.exit_code == 0
    assert listed.output.splitlines()[0] == (
        "lemtrada-alemtuzumab\t2025D0023Y\t2025D0023Y\t2025-10-01\t2\tLemtrada (Alemtuzumab)")


def test_archive_show_without_a_version_is_the_latest(archive: Archive) -> None:
    shown = CliRunner().invoke(cli, ["archive", "show", "2025D0023", "--archive",
                                     str(archive.root)])
    assert shown.exit_code == 0 and '"number": "2025D0023Y"' in shown.output


def test_archive_log_by_number(archive: Archive) -> None:
    logged = CliRunner().invoke(cli, ["archive", "log", "2025D0023X", "--archive",
                                      str(archive.root)])
    assert logged.exit_code == 0, logged.output
    assert [line.split("\t")[0] for line in logged.output.splitlines()] == [
        "2025D0023X", "2025D0023Y"]
