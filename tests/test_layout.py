"""The layout layer on real PDFs: one regression test per quirk, named after it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from extractor.layout import Document
from extractor.layout.pdf import pdf_to_document
from tests.conftest import SAMPLE, corpus_file

LEMTRADA = "uhc-comm-drug_lemtrada-alemtuzumab_2025-10-01.pdf"


@cache
def read(path: Path) -> Document:
    return pdf_to_document(path)


def lemtrada() -> Document:
    return read(corpus_file(LEMTRADA))


def find(doc: Document, start: str):  # type: ignore[no-untyped-def]
    return next(line for line in doc.lines if line.text.startswith(start))


def test_courier_o_bullet_printed_below_the_baseline_stays_on_its_line() -> None:
    line = find(lemtrada(), "Treatment-naïve to alemtuzumab")
    assert (line.bullet, line.indent, line.level) == ("o", 72.0, 2)
    assert not any(x.text == "o" for x in lemtrada().lines)


def test_image_bullets_wingdings_glyphs_and_dash_images() -> None:
    doc = lemtrada()
    assert find(doc, "Diagnosis of relapsing forms").bullet == "image"
    assert find(doc, "Patient has not been previously treated").bullet == "glyph"
    assert find(doc, "rituximab (Riabni").bullet == "dash"
    assert [find(doc, t).level for t in ("Diagnosis of", "Patient has not", "rituximab (")] == [
        1, 3, 4]


def test_word_printed_with_a_space_inside_is_joined() -> None:
    assert "history of intolerance to at least" in find(lemtrada(), "Patient has history").text


def test_page_footer_is_furniture_not_body() -> None:
    doc = lemtrada()
    assert not any("Page 2 of 5" in x.text or "Proprietary" in x.text for x in doc.lines)
    assert sum("Proprietary Information" in x.text for x in doc.furniture) == doc.pages


def test_page_one_sidebar_is_split_from_the_effective_date_line() -> None:
    doc = lemtrada()
    assert find(doc, "Effective Date").text == "Effective Date: October 1, 2025"
    assert [x.text for x in doc.sidebar] == [
        "Instructions for Use", "Community Plan Policy", "Lemtrada® (Alemtuzumab)"]


def test_sidebar_running_below_the_table_of_contents() -> None:
    doc = read(corpus_file("uhc-comm-medical_chromosome-microarray-testing_2026-01-01.pdf"))
    toc = [x for x in doc.lines if x.page == 1 and "...." in x.text]
    assert toc and all(x.bbox[2] < 320 for x in toc)
    assert doc.sidebar[-1].text == "Genetic Testing"


def test_grey_glyph_behind_the_logo_is_not_the_title() -> None:
    from extractor.pipeline import extract

    path = corpus_file("uhc-comm-drug_intravitreal-corticosteroid-implants_2025-11-01.pdf")
    assert extract(path).policy.title == "Intracanalicular and Intravitreal Corticosteroid Implants"


def test_sample_has_every_bullet_kind_and_nesting_level() -> None:
    doc = read(SAMPLE / "zentorimab-v2.pdf")
    kinds = {x.bullet for x in doc.lines if x.bullet}
    assert {"image", "o", "glyph", "dash"} <= kinds
    coverage = [x for x in doc.lines if x.bullet and x.indent < 120]
    assert max(x.level for x in coverage) == 4


def test_sample_list_continues_over_the_page_break() -> None:
    doc = read(SAMPLE / "zentorimab-v1.pdf")
    page_two = next(x for x in doc.lines if x.page == 2)
    assert page_two.bullet is not None and page_two.level >= 2


def test_raised_citation_numbers_are_not_text() -> None:
    doc = read(corpus_file("uhc-comm-drug_complement-inhibitors_2026-01-01.pdf"))
    first = find(doc, "Bkemv, Epysqli, Soliris, and Ultomiris are proven for the treatment of atyp")
    wrapped = doc.lines[doc.lines.index(first) + 1]
    assert wrapped.text == "(aHUS)."
