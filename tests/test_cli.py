"""The command line as users run it: a real process, checked for exit code and exact stderr.

Errors become exit codes in ``extractor.cli.main``, outside the click command, so these tests run
``python -m extractor`` in a subprocess rather than click's CliRunner. Every input is generated
in tmp_path by ``pdf_factory``. Exit codes are the documented ones: 2 bad input, 3 unreadable
document, 4 no text layer, 5 not a policy.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from extractor.cli import cli
from tests import pdf_factory

# An 80-column stderr that is not a terminal, whatever the machine running the tests: a long
# error line must still come out as one line, and no progress bar may be drawn.
ENV = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"} | {"COLUMNS": "80"}
LONG_NAME = "a-policy-whose-file-name-is-longer-than-one-line-of-an-80-column-terminal.pdf"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", *map(str, args)],
        capture_output=True, text=True, env=ENV, timeout=120, check=False,
    )


def assert_error(
    result: subprocess.CompletedProcess[str], code: int, path: Path, reason: str
) -> None:
    """Exactly one line on stderr naming the file and the reason, nothing on stdout."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(rf"error: {re.escape(str(path))}: .*{reason}.*", lines[0]), lines[0]
    assert result.returncode == code, result.stderr
    assert result.stdout == ""


def rules(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# --- bad input: one line, one exit code -------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / LONG_NAME
    assert_error(run("extract", path), 2, path, "no such file")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert_error(run("extract", path), 2, path, "empty")


def test_text_file_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("Minutes of the meeting.\nNothing to report.\n", encoding="utf-8")
    assert_error(run("extract", path), 2, path, "not a PDF")


def test_folder_without_output_is_a_usage_error(tmp_path: Path) -> None:
    pdf_factory.policy_pdf(tmp_path / "policy.pdf")
    result = run("extract", tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {tmp_path}: is a folder; extracting a folder needs -o OUTDIR"]


@pytest.mark.parametrize(
    ("build", "code", "reason"),
    [
        pytest.param(pdf_factory.truncated_pdf, 3, "not a readable PDF", id="truncated"),
        pytest.param(pdf_factory.corrupt_pdf, 3, "not a readable PDF", id="corrupt"),
        pytest.param(pdf_factory.encrypted_pdf, 3, "encrypted", id="encrypted"),
        pytest.param(pdf_factory.image_only_pdf, 4, "no text layer", id="image-only"),
        pytest.param(pdf_factory.prose_pdf, 5, "not a policy", id="not-a-policy"),
    ],
)
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_bad_pdf(tmp_path: Path, build: Callable[[Path], Path], code: int, reason: str,
                 engine: str) -> None:
    path = build(tmp_path / LONG_NAME)
    assert_error(run("extract", path, "--engine", engine), code, path, reason)


# --- good input -------------------------------------------------------------------------------


def test_extract_to_stdout(tmp_path: Path) -> None:
    result = run("extract", pdf_factory.policy_pdf(tmp_path / "policy.pdf"))
    assert (result.returncode, result.stderr) == (0, "")
    ruleset = rules(result.stdout)
    assert ruleset["policy"]["number"] == "2099D0001A"
    assert ruleset["policy"]["effective_date"] == "2099-01-01"
    assert [(c["system"], c["code"], c["description"]) for c in ruleset["codes"]] == [
        ("HCPCS", "J9999", "Injection, testumab, 1 mg")
    ]
    [revision] = ruleset["revision_history"]
    assert revision["date"] == "2099-01-01"
    assert revision["changes"] == [
        {"section": "Coverage Rationale", "subsection": None, "items": [pdf_factory.REVISION_ITEM]}
    ]


def test_output_file_gets_what_stdout_gets(tmp_path: Path) -> None:
    policy = pdf_factory.policy_pdf(tmp_path / "policy.pdf")
    out = tmp_path / "rules.json"
    result = run("extract", policy, "-o", out)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == run("extract", policy).stdout


def test_output_file_is_kept_when_extraction_fails(tmp_path: Path) -> None:
    prose = pdf_factory.prose_pdf(tmp_path / "prose.pdf")
    out = tmp_path / "rules.json"
    out.write_text("previous rules\n", encoding="utf-8")
    assert_error(run("extract", prose, "-o", out), 5, prose, "not a policy")
    assert out.read_text(encoding="utf-8") == "previous rules\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prose.pdf", "rules.json"]


# --- folder mode ------------------------------------------------------------------------------


def test_folder_writes_good_files_and_names_every_failure(tmp_path: Path) -> None:
    src, out = tmp_path / "policies", tmp_path / "rules"
    (src / "sub").mkdir(parents=True)
    pdf_factory.policy_pdf(src / "a.pdf")
    pdf_factory.policy_pdf(src / "sub" / "b.pdf", number="2099D0002A")
    prose = pdf_factory.prose_pdf(src / "c.pdf")
    text = src / "d.pdf"
    text.write_text("not a pdf\n", encoding="utf-8")
    out.mkdir()
    (out / "c.json").write_text("previous rules\n", encoding="utf-8")

    result = run("extract", src, "-o", out)

    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 5  # the highest code among the failures
    assert result.stdout == ""
    summary, *errors = result.stderr.splitlines()
    assert summary == "2 of 4 documents extracted"
    assert len(errors) == 2, result.stderr
    assert re.fullmatch(rf"error: {re.escape(str(prose))}: .*not a policy.*", errors[0])
    assert re.fullmatch(rf"error: {re.escape(str(text))}: .*not a PDF.*", errors[1])
    assert rules((out / "a.json").read_text("utf-8"))["policy"]["number"] == "2099D0001A"
    assert rules((out / "sub" / "b.json").read_text("utf-8"))["policy"]["number"] == "2099D0002A"
    assert (out / "c.json").read_text(encoding="utf-8") == "previous rules\n"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "a.json", "c.json", "sub", "sub/b.json"
    ]


# --- documentation ----------------------------------------------------------------------------


def commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The argv prefix of every command, subcommands of nested groups included."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


@pytest.mark.parametrize("command", [" ".join(c) for c in commands(cli)])
def test_every_command_has_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output


@pytest.mark.parametrize("command", [" ".join(c) for c in commands(cli)])
def test_the_files_a_help_example_names_exist(command: str) -> None:
    example = CliRunner().invoke(cli, [*command.split(), "--help"]).output.split("Example:")[1]
    named = [word for word in example.split() if word.startswith("corpus/")]
    root = Path(__file__).resolve().parent.parent
    assert all((root / word).exists() for word in named), named


# --- regressions ------------------------------------------------------------------------------


def test_bullet_glyph_without_unicode_is_not_a_traceback(tmp_path: Path) -> None:
    # reportlab sets U+2022 in Helvetica as code 127, which pdfminer cannot map to Unicode.
    policy = pdf_factory.policy_pdf(tmp_path / "policy.pdf", bullet="\u2022")
    result = run("extract", policy)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0


# --- options ----------------------------------------------------------------------------------


def test_strict_fails_on_recorded_issues() -> None:
    from tests.conftest import SAMPLE

    sample = SAMPLE / "zentorimab-v1.pdf"  # lists G35, split by the FY2026 code set
    assert run("extract", sample).returncode == 0
    result = run("extract", "--strict", sample)
    assert_error(result, 6, sample, "issue")


def test_yaml_format_has_the_same_content(tmp_path: Path) -> None:
    import yaml

    policy = pdf_factory.policy_pdf(tmp_path / "policy.pdf")
    json_run, yaml_run = run("extract", policy), run("extract", "--format", "yaml", policy)
    assert (json_run.returncode, yaml_run.returncode) == (0, 0), json_run.stderr + yaml_run.stderr
    assert yaml.safe_load(yaml_run.stdout) == rules(json_run.stdout)


def test_schema_command_prints_the_committed_schema() -> None:
    from tests.conftest import ROOT

    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert result.output == (ROOT / "rules_out" / "schema.json").read_text(encoding="utf-8")


def test_the_process_ends_after_its_exit_handlers_and_with_its_output(tmp_path: Path) -> None:
    marker = tmp_path / "handler-ran"
    script = ("import atexit, sys\n"
              "from extractor.cli.common import leave\n"
              f"atexit.register(lambda: open({str(marker)!r}, 'w').close())\n"
              "import threading, time\n"
              "threading.Thread(target=lambda: (time.sleep(0.5), print('late', end=''))).start()\n"
              "sys.stdout.write('x' * 100000)\n"
              "sys.stderr.write('last words')\n"
              "leave(3)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False)
    assert (done.returncode, len(done.stdout), done.stderr) == (3, 100004, "last words")
    assert done.stdout.endswith("late")  # a thread still at work finishes first
    assert marker.exists()


def test_a_closed_stdout_pipe_is_not_a_traceback() -> None:
    reader, writer = os.pipe()
    os.close(reader)
    done = subprocess.run([sys.executable, "-m", "extractor", "schema"], stdout=writer,
                          stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    os.close(writer)
    assert "Traceback" not in done.stderr
