"""policy-rules diff: the guard rails and the severity gate, on real versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.model import RuleSet
from extractor.rulefile import ruleset_to_json
from tests.conftest import corpus_file
from tests.test_cli import run
from tests.test_criteria import rules
from tests.test_diff import lemtrada, lemtrada_x


def saved(tmp_path: Path, name: str, ruleset: RuleSet) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(ruleset_to_json(ruleset), encoding="utf-8")
    return path


@pytest.fixture
def versions(tmp_path: Path) -> dict[str, Path]:
    briumvi = rules(corpus_file("uhc-comm-drug_briumvi_2026-01-01.pdf"))
    return {"x": saved(tmp_path, "x", lemtrada_x()), "y": saved(tmp_path, "y", lemtrada()),
            "briumvi": saved(tmp_path, "briumvi", briumvi)}


def test_diffing_two_different_policies_is_refused_in_one_line(
        versions: dict[str, Path]) -> None:
    result = run("diff", versions["briumvi"], versions["y"])
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: two different policies: 2026D0122F (Briumvi® (Ublituximab-Xiiy)) and "
        "2025D0023Y (Lemtrada® (Alemtuzumab)) (--force compares them anyway)"]


def test_diffing_backwards_in_time_is_refused_unless_forced(versions: dict[str, Path]) -> None:
    refused = run("diff", versions["y"], versions["x"])
    assert refused.returncode == 2 and "backwards in time" in refused.stderr
    forced = run("diff", versions["y"], versions["x"], "--force")
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.splitlines()[2].startswith("> **Warning: backwards in time")


def test_lemtrada_code_set_update_passes_fail_on_breaking(versions: dict[str, Path]) -> None:
    result = run("diff", versions["x"], versions["y"], "--fail-on", "breaking")
    assert result.returncode == 0, result.stderr
    assert "~~cytotoxicity~~ **cytolysis**" in result.stdout
    assert run("diff", versions["x"], versions["y"], "--fail-on", "minor").returncode == 1
