"""Hand-built hostile PDFs, on both engines: one clear error or a result, never a traceback,
a hang or gigabytes of memory."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import limits
from extractor.cli import cli
from extractor.engines import ENGINES, Engine
from extractor.errors import LimitError, PolicyRulesError
from extractor.layout.pdf_guard import inflated_size
from extractor.pipeline import extract
from tests import hostile_pdf
from tests.test_cli import run
from tests.test_limits import nested_list_html

MiB = 1 << 20


def extract_or_error(path: Path, engine: Engine) -> None:
    """A result or one of our errors, on one line; anything else fails the test."""
    try:
        extract(path, engine)
    except PolicyRulesError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_flate_bomb_is_refused_before_either_engine_inflates_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    monkeypatch.setattr(limits, "MAX_STREAM_BYTES", 4 * MiB)
    bomb = hostile_pdf.flate_bomb_pdf(tmp_path / "bomb.pdf", 16 * MiB)
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(LimitError, match="inflates to more than 4,194,304 bytes"):
        extract(bomb, engine)


def test_inflated_size_counts_in_bounded_chunks() -> None:
    packed = b"stream\n" + zlib.compress(b"x" * (3 * MiB)) + b"\nendstream"
    assert inflated_size(packed, 7, 10 * MiB) == 3 * MiB
    assert MiB < inflated_size(packed, 7, MiB) <= MiB + (1 << 16)
    assert inflated_size(b"stream\nnot zlib at all", 7, MiB) == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_document_past_the_page_limit_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    monkeypatch.setattr(limits, "MAX_PAGES", 5)
    long = hostile_pdf.text_pdf(tmp_path / "long.pdf", pages=6)
    with pytest.raises(LimitError, match="6 pages, more than the limit of 5"):
        extract(long, engine)
    extract_or_error(hostile_pdf.text_pdf(tmp_path / "short.pdf", pages=5), engine)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("build", [hostile_pdf.self_drawing_pdf, hostile_pdf.self_length_pdf,
                                   hostile_pdf.self_contents_pdf])
def test_a_pdf_that_refers_to_itself_ends(tmp_path: Path, engine: Engine, build: object) -> None:
    path = build(tmp_path / "self.pdf")  # type: ignore[operator]
    started = time.monotonic()
    extract_or_error(path, engine)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("engine", ENGINES)
def test_forms_nested_past_the_limit_are_refused(tmp_path: Path, engine: Engine) -> None:
    deep = hostile_pdf.nested_forms_pdf(tmp_path / "deep.pdf", limits.MAX_FORM_NESTING + 1)
    limit = limits.MAX_FORM_NESTING
    with pytest.raises(LimitError, match=f"page 1 nests forms more than {limit} deep"):
        extract(deep, engine)
    shallow = hostile_pdf.nested_forms_pdf(tmp_path / "shallow.pdf", limits.MAX_FORM_NESTING)
    with pytest.raises(PolicyRulesError) as raised:  # read, and then found to be no policy
        extract(shallow, engine)
    assert not isinstance(raised.value, LimitError)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["loop", "missing", "not-a-page", "count", "kids-not-array"])
def test_a_damaged_page_tree_is_one_error_or_a_result(
        tmp_path: Path, engine: Engine, kind: str) -> None:
    extract_or_error(hostile_pdf.damaged_tree_pdf(tmp_path / f"{kind}.pdf", kind), engine)


def test_a_damaged_document_does_not_stop_the_folder(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    hostile_pdf.self_length_pdf(source / "a-damaged.pdf")
    (source / "b-good.html").write_text(nested_list_html(2), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(source), "-o", str(out),
                                      "--engine", "pdfplumber", "-j", "1", "--no-cache"])
    assert result.exit_code == 3, result.output
    assert (out / "b-good.json").exists() and not (out / "a-damaged.json").exists()


def test_pdfminer_warnings_are_not_printed(tmp_path: Path) -> None:
    path = hostile_pdf.self_drawing_pdf(tmp_path / "self.pdf")  # pdfminer logs the cycle
    result = run("extract", path, "--engine", "pdfplumber")
    assert "circular" not in result.stderr and "Traceback" not in result.stderr
    assert result.returncode == 0 or len(result.stderr.splitlines()) == 1
