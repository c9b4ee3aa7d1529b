"""Both PDF engines give the same rule file: PDFium by default, pdfplumber as the reference.

The whole corpus is compared by ``benchmarks/engine_parity.py``; here a sample of its kinds of
layout (drug and medical policies, Oxford and Medicare Advantage templates, two-column lists,
superscripts, tables across pages, sidebars) and the shipped samples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest

from extractor.layout.pdf import pdf_to_document
from extractor.pipeline import extract
from extractor.rulefile import ruleset_to_json
from tests.conftest import SAMPLE, corpus_file

CORPUS_SAMPLE = [
    "uhc-comm-drug_briumvi_2026-01-01.pdf",
    "uhc-comm-drug_immune-globulin-ivig-scig_2026-01-01.pdf",
    "uhc-comm-medical_breast-imaging-screening-diagnosing-cancer_2026-02-01.pdf",
    "uhc-comm-medical_chromosome-microarray-testing_2026-01-01.pdf",
]


# pdfminer accumulates a line's glyph advances and drifts from where PDFium (and the page)
# places the last glyph by up to ~0.6 pt; boxes may differ by that much, nothing else may.
BOX_TOLERANCE = 1.0


def same_rules(path: Path) -> None:
    pdfium, pdfplumber = (json.loads(ruleset_to_json(extract(path, engine))) for engine in
                          ("pdfium", "pdfplumber"))
    assert differences(pdfium, pdfplumber) == []


def differences(a: Any, b: Any, at: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return [d for k in a for d in differences(a[k], b[k], f"{at}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        if at.endswith(".bbox"):
            return [] if all(abs(x - y) <= BOX_TOLERANCE for x, y in zip(a, b, strict=True)) \
                else [f"{at}: {a} | {b}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{at}[{i}]")]
    return [] if a == b else [f"{at}: {str(a)[:200]} | {str(b)[:200]}"]


def test_box_differences_within_the_tolerance_are_no_difference() -> None:
    rule = {"text": "a", "provenance": {"page": 1, "bbox": [36.0, 10.0, 300.0, 20.0]}}
    moved = {"text": "a", "provenance": {"page": 1, "bbox": [36.0, 10.0, 300.6, 20.0]}}
    worse = {"text": "a", "provenance": {"page": 1, "bbox": [36.0, 10.0, 303.0, 20.0]}}
    assert differences(rule, moved) == []
    assert differences(rule, worse) != []
    assert differences(rule, {**moved, "text": "b"}) != []


@pytest.mark.parametrize("name", ["zentorimab-v1.pdf", "zentorimab-v2.pdf"])
def test_sample_rule_files_equal_under_both_engines(name: str) -> None:
    same_rules(SAMPLE / name)


@pytest.mark.parametrize("name", CORPUS_SAMPLE)
def test_real_policy_rule_files_equal_under_both_engines(name: str) -> None:
    same_rules(corpus_file(name))


def test_the_default_engine_is_pdfium(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractor.layout.pdf_plumber as plumber

    def refuse(path: Path) -> None:
        raise AssertionError("pdfplumber opened the file")

    monkeypatch.setattr(plumber, "open_pdfplumber", refuse)
    assert pdf_to_document(SAMPLE / "zentorimab-v1.pdf").pages > 0


def test_the_command_line_offers_the_layout_engines_with_the_default() -> None:
    from extractor.cli import cli
    from extractor.engines import DEFAULT_ENGINE, ENGINES

    extract = cli.commands["extract"]
    [option] = [p for p in extract.params if p.name == "engine"]
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == ENGINES
    assert option.default == DEFAULT_ENGINE == "pdfium"
