"""Both PDF engines give the same rule file: PDFium by default, pdfplumber as the reference.

The whole corpus is compared by ``benchmarks/engine_parity.py``; here a sample of its kinds of
layout (drug and medical policies, Oxford and Medicare Advantage templates, two-column lists,
superscripts, tables across pages, sidebars) and the shipped samples.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.layout.pdf import pdf_to_document
from extractor.pipeline import extract
from extractor.rulefile import ruleset_to_json
from tests.conftest import SAMPLE, corpus_file

CORPUS_SAMPLE = [
    "uhc-comm-drug_briumvi_2026-01-01.pdf",
    "uhc-comm-drug_immune-globulin-ivig-scig_2026-01-01.pdf",
    "uhc-comm-medical_skin-soft-tissue-substitutes_2026-02-01.pdf",
    "uhc-comm-medical_chromosome-microarray-testing_2026-01-01.pdf",
]


def same_rules(path: Path) -> None:
    pdfium, pdfplumber = (ruleset_to_json(extract(path, engine)) for engine in
                          ("pdfium", "pdfplumber"))
    assert pdfium == pdfplumber


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
