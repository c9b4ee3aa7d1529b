"""The PDFium reader gives the layout layer the same page objects pdfplumber does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from extractor.errors import UnreadableDocumentError
from extractor.layout.pdfium import open_pdfium
from tests.conftest import SAMPLE, corpus_file

Obj = dict[str, Any]
BOX = 0.05
EDGES = ("x0", "x1", "top", "bottom")
# Real policies: TJ kerning and character spacing, a medical policy with several subsets of one
# font on a page, and a policy with ligatures and line-end hyphens.
ADAKVEO = "uhc-comm-drug_adakveo-crizanlizumab-tmca_2025-06-01.pdf"
CORPUS = (
    "uhc-comm-drug_lemtrada-alemtuzumab_2025-10-01.pdf",
    "uhc-comm-medical_respiratory-pathogen-nuceleic-acid_2026-01-01.pdf",
    "uhc-comm-drug_ustekinumab_2026-01-01.pdf",
)


def char_key(c: Obj) -> tuple[Any, ...]:
    """Every key the layout layer reads, positions to the box tolerance."""
    color = tuple(round(float(v), 3) for v in c["non_stroking_color"])
    return (c["text"], c["fontname"], round(c["size"], 2), color, c["upright"])


# pdfminer reads a non-embedded ZapfDingbats through StandardEncoding ("n"); PDFium through the
# font's own encoding ("■"). The text of those glyphs differs until the reader maps them back.
DINGBATS = "ZapfDingbats"


def assert_same_pages(path: Path, dingbat_text: bool = False) -> None:
    with pdfplumber.open(path) as pdf, open_pdfium(path) as ours:
        assert len(ours) == len(pdf.pages)
        assert ours.page_heights == [float(p.height) for p in pdf.pages]
        for theirs, page in zip(pdf.pages, ours.iter_pages(), strict=True):
            assert (page.page_number, page.width, page.height) == (
                theirs.page_number, float(theirs.width), float(theirs.height))
            keep = [dingbat_text or c["fontname"] != DINGBATS for c in theirs.chars]
            assert_same_chars(
                [c for c, k in zip(theirs.chars, keep, strict=True) if k],
                [c for c, k in zip(page.chars, keep, strict=True) if k],
                page.page_number,
            )
            for kind in ("rects", "curves", "images"):
                assert_same_shapes(getattr(theirs, kind), getattr(page, kind), kind)
            theirs.close()


def assert_same_chars(theirs: list[Obj], ours: list[Obj], page: int) -> None:
    assert [c["text"] for c in ours] == [c["text"] for c in theirs], f"page {page}"
    for a, b in zip(theirs, ours, strict=True):
        assert char_key(b) == char_key(a), f"page {page}: {b['text']!r}"
        for edge in EDGES:
            assert b[edge] == pytest.approx(a[edge], abs=BOX), f"page {page}: {a['text']!r}"


def assert_same_shapes(theirs: list[Obj], ours: list[Obj], kind: str) -> None:
    """Each of pdfplumber's shapes has one twin here: edges within the tolerance, same fill."""
    left = list(ours)
    for obj in theirs:
        twin = next((o for o in left if _same_shape(obj, o)), None)
        assert twin is not None, f"{kind}: no twin for {[round(obj[e], 2) for e in EDGES]}"
        left.remove(twin)
    assert not left, f"{kind}: {len(left)} more than pdfplumber"


def _same_shape(a: Obj, b: Obj) -> bool:
    same_box = all(abs(a[e] - b[e]) <= BOX for e in EDGES)
    return same_box and bool(a.get("fill")) == bool(b.get("fill"))


@pytest.mark.parametrize("name", ["zentorimab-v1.pdf", "zentorimab-v2.pdf"])
def test_sample_pages_equal_pdfplumber(name: str) -> None:
    assert_same_pages(SAMPLE / name)


@pytest.mark.xfail(reason="ZapfDingbats glyphs: PDFium's Unicode, not pdfminer's", strict=True)
def test_sample_dingbats_text_equals_pdfplumber() -> None:
    assert_same_pages(SAMPLE / "zentorimab-v1.pdf", dingbat_text=True)


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS)
def test_real_policy_pages_equal_pdfplumber(name: str) -> None:
    assert_same_pages(corpus_file(name))


def test_subset_prefix_kept_as_pdfplumber_reports_it() -> None:
    path = corpus_file(CORPUS[1])
    with open_pdfium(path) as pdf:
        fonts = {c["fontname"] for c in next(pdf.iter_pages()).chars}
    assert {"BCDIEE+Georgia-Bold", "BCDJEE+Georgia-Bold"} <= fonts


def test_spaces_of_inkless_text_objects_are_restored() -> None:
    with open_pdfium(corpus_file(ADAKVEO)) as pdf:
        footer = [c for c in next(pdf.iter_pages()).chars if c["top"] > 730]
    assert footer[0]["text"] == " " and footer[0]["size"] == pytest.approx(4.02)


def test_unreadable_file_raises_a_short_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\nnot really a pdf")
    with pytest.raises(UnreadableDocumentError) as err:
        open_pdfium(path)
    assert "not a readable PDF" in err.value.message


def test_encrypted_file_needs_a_password(tmp_path: Path) -> None:
    from tests.pdf_factory import encrypted_pdf

    with pytest.raises(UnreadableDocumentError, match="password"):
        open_pdfium(encrypted_pdf(tmp_path / "locked.pdf"))


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_page_equals_pdfplumber(tmp_path: Path, rotation: int) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / f"rotated-{rotation}.pdf"
    canvas = Canvas(str(path), pagesize=(612, 792), invariant=1)
    canvas.setPageRotation(rotation)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 700, "Rotated pages keep pdfplumber's coordinates.")
    canvas.rect(72, 600, 4, 4, stroke=0, fill=1)
    canvas.save()
    assert_same_pages(path)


def test_string_continuing_after_character_spacing_sits_where_pdfminer_puts_it() -> None:
    # "[(…umab)]TJ 0 Tc [(-)25 (T)]TJ" with Tc -0.025: pdfminer drops the last Tc of a string
    with open_pdfium(corpus_file(ADAKVEO)) as pdf:
        title = [c for c in next(pdf.iter_pages()).chars if 120 < c["top"] < 130]
    hyphen = next(c for c in title if c["text"] == "-")
    assert hyphen["x0"] == pytest.approx(398.656, abs=0.01)
