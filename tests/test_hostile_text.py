"""Markdown and HTML renditions built to hurt: each reads in bounded time or gives one error."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from extractor.errors import InputError, PolicyRulesError
from extractor.layout.text import text_to_document
from extractor.pipeline import extract


def read_within(path: Path, seconds: float) -> None:
    started = time.monotonic()
    with contextlib.suppress(PolicyRulesError):
        text_to_document(path, path.read_bytes())
    assert time.monotonic() - started < seconds


@pytest.mark.parametrize("suffix", [".md", ".html", ".txt"])
def test_empty_comments_do_not_backtrack(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"comments{suffix}"
    path.write_text("<!---->" * 32, encoding="utf-8")  # 224 bytes; minutes before
    read_within(path, 3)
    with pytest.raises(InputError, match="no text in this"):
        extract(path)


@pytest.mark.parametrize("unit", ["**a ", "*a ", "__a ", "_a ", "<!--", "`a ", "***a "])
def test_an_unclosed_inline_marker_is_read_in_linear_time(tmp_path: Path, unit: str) -> None:
    path = tmp_path / "markers.md"
    path.write_text(unit * 40_000, encoding="utf-8")  # quadratic: minutes; linear: a second
    read_within(path, 10)


@pytest.mark.parametrize("table", ["| a | b |\n|---|---|\n||\n", "| a | b |\n|---|---|\n|  |\n",
                                   "||\n|---|\n||\n"])
def test_an_empty_pipe_table_row_is_read(tmp_path: Path, table: str) -> None:
    path = tmp_path / "table.md"
    path.write_text(f"Some text\n\n{table}", encoding="utf-8")
    assert text_to_document(path, path.read_bytes()).lines


def test_an_html_file_of_comments_only_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "comments.html"
    path.write_text("<!-- nothing -->\n<!-- here -->", encoding="utf-8")
    with pytest.raises(InputError, match="no text in this HTML file"):
        extract(path)
