"""policy-rules check and export on the shipped sample: exit codes, output, and the README's
worked example, which must be what the tool prints."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from tests.conftest import ROOT, SAMPLE
from tests.test_cli import assert_error, run

V2 = str(SAMPLE / "zentorimab-v2.pdf")
RA = "30834f9c46b5"


def case(name: str) -> str:
    return str(SAMPLE / "cases" / f"{name}.json")


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(("name", "code"), [("ra-met", 0), ("ra-not-met", 1),
                                            ("ra-unanswered", 3)])
def test_exit_code_follows_the_statement_the_case_is_about(name: str, code: int) -> None:
    assert check(V2, case(name), "--statement", RA)[0] == code


def test_json_verdicts() -> None:
    code, output = check(V2, case("ra-unanswered"), "--format", "json")
    verdict = json.loads(output)
    assert code == 3  # no proven statement met, the MS ones undecided
    assert verdict["policy"]["number"] == "2026D9901B"
    ra = next(s for s in verdict["statements"] if s["id"] == RA)
    assert ra == {"id": RA, "kind": "proven", "result": "unknown", "deciding": [],
                  "unanswered": ["416775253089"]}


def test_a_case_from_stdin() -> None:
    text = Path(case("ra-met")).read_text("utf-8")
    result = CliRunner().invoke(cli, ["check", V2, "-"], input=text)
    assert result.exit_code == 0, result.output
    assert "Overall: met" in result.output


def test_a_bad_case_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "case.json"
    bad.write_text('{"answers": {"1a266279209a": "yes"}}', encoding="utf-8")
    assert_error(run("check", V2, bad), 2, bad, "not a case")


def test_export_json_logic_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rules.json"
    result = CliRunner().invoke(cli, ["export", V2, "--to", "json-logic", "-o", str(out)])
    assert (result.exit_code, result.output) == (0, "")
    exported = json.loads(out.read_text("utf-8"))
    assert [s["id"] for s in exported["statements"]] == [
        "74f0df4744ae", "7b79fb50efc4", RA, "9ff363676974"]


def test_export_fhir_questionnaire() -> None:
    from fhir.resources.R4B.questionnaire import Questionnaire

    result = CliRunner().invoke(cli, ["export", V2, "--to", "fhir-questionnaire"])
    assert result.exit_code == 0, result.output
    assert Questionnaire.model_validate_json(result.output).title.startswith("Zentoria")


def help_example(command: str) -> list[str]:
    """The first command of the help's Example, its corpus/ paths made absolute."""
    help_text = CliRunner().invoke(cli, [command, "--help"]).output
    example = help_text.split("Example:")[1].split("Options:")[0].replace("\\\n", " ")
    args = shlex.split(example.strip().splitlines()[0])[1:]
    return [str(ROOT / a) if a.startswith("corpus/") else a for a in args]


def test_the_check_example_in_help_runs() -> None:
    result = CliRunner().invoke(cli, help_example("check"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["result"] == "met"


# --- the README shows real output --------------------------------------------------------------

README_EXAMPLE = re.compile(r"```console\n\$ (policy-rules check [^\n]*)\n(.*?)```", re.DOTALL)


def readme_examples() -> list[tuple[str, str]]:
    return README_EXAMPLE.findall((ROOT / "README.md").read_text("utf-8"))


def test_the_readme_has_the_three_sample_cases() -> None:
    commands = " ".join(command for command, _ in readme_examples())
    assert all(case_name in commands for case_name in ("ra-met", "ra-not-met", "ra-unanswered"))


@pytest.mark.parametrize(("command", "shown"), readme_examples())
def test_readme_output_is_what_check_prints(command: str, shown: str) -> None:
    args = [str(ROOT / a) if a.startswith("corpus/") else a for a in shlex.split(command)[2:]]
    printed, _, status = shown.rpartition("$ echo $?\n")
    code, output = check(*args)
    assert (output, code) == (printed, int(status))


def test_a_rule_file_checks_as_its_document(tmp_path: Path) -> None:
    from extractor.cache import Reader, RuleCache
    from extractor.rulefile import ruleset_to_json

    saved = tmp_path / "rules.json"
    saved.write_text(ruleset_to_json(Reader(cache=RuleCache()).rules(Path(V2))), "utf-8")
    assert check(str(saved), case("ra-not-met")) == check(V2, case("ra-not-met"))


def test_the_export_example_in_help_runs(tmp_path: Path) -> None:
    from fhir.resources.R4B.questionnaire import Questionnaire

    with CliRunner().isolated_filesystem(temp_dir=tmp_path):
        result = CliRunner().invoke(cli, help_example("export"))
        assert (result.exit_code, result.output) == (0, "")
        written = Path("q.json").read_text("utf-8")
    assert Questionnaire.model_validate_json(written).id == "2026D9901B"


def test_text_names_the_fact_that_would_decide_a_criterion() -> None:
    result = CliRunner().invoke(cli, ["check", V2, "-", "--statement", RA], input="{}")
    assert result.exit_code == 3
    assert "Six or more swollen joints [cd092c6f6583] (or fact count_swollen_joint)" in (
        result.output)
