"""Where output goes: never over an input, through links and devices rather than over them,
with the mode a replaced file had, and a closed stdout or unwritable path as one error."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.errors import OutputError
from tests.test_cli import ENV
from tests.test_limits import nested_list_html


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.html"
    path.write_text(nested_list_html(2), encoding="utf-8")
    return path


def extract(*args: str | Path) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(cli, ["extract", *map(str, args)])
    return result.exit_code, result.output, result.exception


@pytest.mark.parametrize("spelling", ["same", "dotted", "link"])
def test_output_equal_to_the_input_is_refused(policy: Path, spelling: str) -> None:
    before = policy.read_bytes()
    output = {"same": policy, "dotted": policy.parent / "." / policy.name,
              "link": policy.parent / "link.html"}[spelling]
    if spelling == "link":
        output.symlink_to(policy)
    code, out, _ = extract(policy, "-o", output)
    assert code == 2 and "is an input" in out
    assert policy.read_bytes() == before


def test_a_symlinked_output_is_written_through(policy: Path, tmp_path: Path) -> None:
    real, link = tmp_path / "real.json", tmp_path / "out.json"
    real.write_text("old\n", encoding="utf-8")
    link.symlink_to(real)
    assert extract(policy, "-o", link)[0] == 0
    assert link.is_symlink() and '"number": "2026D0001A"' in real.read_text(encoding="utf-8")


def test_a_fifo_output_is_streamed_to_not_replaced(policy: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code = extract(policy, "-o", fifo)[0]
    reader.join(timeout=30)
    assert code == 0 and stat.S_ISFIFO(fifo.stat().st_mode) and b"2026D0001A" in got[0]


def test_dev_null_stays_a_device(policy: Path) -> None:
    assert extract(policy, "-o", "/dev/null")[0] == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_the_mode_of_a_replaced_output_is_kept(policy: Path, tmp_path: Path) -> None:
    out = tmp_path / "private.json"
    out.write_text("{}\n", encoding="utf-8")
    out.chmod(0o600)
    assert extract(policy, "-o", out)[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "2026D0001A" in out.read_text()


def test_an_unwritable_output_is_one_error_naming_it(policy: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "out.json"
    _, _, exc = extract(policy, "-o", out)
    assert isinstance(exc, OutputError) and exc.path == str(out) and exc.exit_code == 2


def test_two_documents_with_one_rule_file_name_are_refused_up_front(
        policy: Path, tmp_path: Path) -> None:
    (tmp_path / "policy.md").write_text("Policy Number: 1\n", encoding="utf-8")
    code, out, _ = extract(tmp_path, "-o", tmp_path)
    assert code == 2 and "would both be written to" in out
    assert not list(tmp_path.glob("*.json"))


def test_a_closed_stdout_is_an_error(policy: Path) -> None:
    done = subprocess.run(f'"{sys.executable}" -m extractor extract "{policy}" >&-', shell=True,
                          capture_output=False, stderr=subprocess.PIPE, text=True, env=ENV,
                          timeout=120, check=False)
    assert done.returncode == 2 and done.stderr == (
        "error: standard output is closed; nothing was written\n")
