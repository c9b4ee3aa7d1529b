"""Fuzzing the three readers of outside input (PDF, Markdown / HTML, rule file): each input
gives a valid result or one of our errors on one line, never another exception, and quickly.

Derandomized and bounded, so that the suite's run is the same every time and stays short.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.engines import Engine
from extractor.errors import PolicyRulesError
from extractor.model import RuleSet
from extractor.pipeline import extract
from extractor.rulefile import json_to_ruleset, ruleset_to_json
from tests import hostile_pdf
from tests.test_archive_integrity import rule_set
from tests.test_limits import nested_list_html

FUZZ = settings(max_examples=100, deadline=20_000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SEED_PDF = hostile_pdf.raw_pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
    hostile_pdf.FONT, hostile_pdf.stream(hostile_pdf.TEXT), hostile_pdf.page()])
MARKUP = ["<!--", "-->", "**", "*", "_", "`", "[", "](", ")", "|", "---", "<ul>", "<li>",
          "</ul>", "<table>", "<td>", "# ", "- ", "  ", "\n", "Policy Number: 2099D0001A",
          "Coverage Rationale", "all of the following:", "<html>", "<?xml", "$", "\\", "\x00"]


def read(data: bytes, name: str, engine: Engine = "pdfium") -> RuleSet | None:
    """extract() on these bytes; our own error is a valid outcome, any other fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return extract(path, engine)
        except PolicyRulesError as exc:
            assert "\n" not in str(exc) and 2 <= exc.exit_code <= 9
            return None


def mutate(data: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    for at, insert in edits:
        at %= len(data) + 1
        data = data[:at] + insert + data[at + len(insert):]
    return data


EDITS = st.lists(st.tuples(st.integers(min_value=0), st.binary(max_size=12)), max_size=6)


@FUZZ
@given(edits=EDITS, engine=st.sampled_from(["pdfium", "pdfplumber"]))
def test_a_mutated_pdf_is_read_or_refused(edits: list[tuple[int, bytes]], engine: Engine) -> None:
    read(mutate(SEED_PDF, edits), "fuzz.pdf", engine)


@FUZZ
@given(parts=st.lists(st.sampled_from(MARKUP) | st.text(max_size=8), max_size=60),
       suffix=st.sampled_from([".md", ".html"]))
def test_generated_markdown_and_html_are_read_or_refused(parts: list[str], suffix: str) -> None:
    read("".join(parts).encode("utf-8", "surrogatepass"), f"fuzz{suffix}")


@FUZZ
@given(edits=EDITS)
def test_a_mutated_rendition_is_read_or_refused(edits: list[tuple[int, bytes]]) -> None:
    read(mutate(nested_list_html(4).encode(), edits), "fuzz.html")


@FUZZ
@given(edits=EDITS)
def test_a_mutated_rule_file_is_read_or_refused(edits: list[tuple[int, bytes]]) -> None:
    text = mutate(ruleset_to_json(rule_set()).encode(), edits)
    try:
        rules = json_to_ruleset(text, "fuzz.json")
    except PolicyRulesError as exc:
        assert "\n" not in str(exc) and exc.exit_code == 2
    else:
        assert json_to_ruleset(ruleset_to_json(rules)) == rules
