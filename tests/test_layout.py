"""The layout layer on real PDFs: one regression test per quirk, named after it."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from extractor.layout import Document
from extractor.layout.pdf import pdf_to_document
from extractor.model import Criterion
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


def column_items(name: str, lead: str, count: int) -> list[str]:
    """The texts of the `count` items after the paragraph starting with `lead`."""
    from extractor.items import lines_to_items

    doc = read(corpus_file(name))
    start = doc.lines.index(find(doc, lead))
    items = lines_to_items(list(doc.lines[start:start + 3 * count]))
    return [item.text for item in items[1:count + 1]]


def test_two_column_list_is_read_column_by_column() -> None:
    items = column_items("uhc-comm-drug_infliximab-remicade-inflectra_2026-02-01.pdf",
                         "Infliximab is unproven and not medically necessary", 9)
    assert items == [
        "Hidradenitis suppurativa", "Juvenile idiopathic arthritis (juvenile rheumatoid arthritis)",
        "Myelodysplastic syndromes", "Reiter’s syndrome", "Sjögren’s syndrome", "Still’s disease",
        "Undifferentiated spondyloarthropathy", "Wegener’s granulomatosis",
        "Infliximab is unproven for the treatment of the above conditions because statistically "
        "robust randomized controlled trials are needed to address the issue of whether infliximab "
        "has sufficient superiority in clinical efficacy compared to other available treatments to "
        "justify the inherent clinical risk in the use of a monoclonal antibody anti-tumor "
        "necrosis factor agent.",
    ]


def test_two_column_list_items_keep_their_wrapped_lines_and_level() -> None:
    doc = read(corpus_file("uhc-comm-drug_immune-globulin-ivig-scig_2026-01-01.pdf"))
    items = column_items("uhc-comm-drug_immune-globulin-ivig-scig_2026-01-01.pdf",
                         "Diagnoses Addressed in This Policy", 36)
    assert items[4] == "Chronic lymphocytic leukemia (CLL), prevention of infection in B-cell CLL"
    assert items[17:19] == ["Measles (rubeola) post-exposure prophylaxis",
                            "Multifocal motor neuropathy (MMN)"]
    assert items[24] == ("Parvovirus B19 infection, treatment, immunocompromised host (solid "
                         "organ transplant recipient or HIV-related)")
    assert items[-1] == "Unproven uses"
    assert {find(doc, t).level for t in ("Acute disseminated", "Multifocal motor")} == {1}


def test_two_column_list_over_a_page_break_starts_with_a_single_row() -> None:
    items = column_items("uhc-comm-drug_botulinum-toxins-a-and-b_2026-01-01_379747bb.pdf",
                         "Botox, Daxxify, Dysport, Myobloc, and Xeomin are unproven", 4)
    assert items == ["Acquired nystagmus", "Anismus (pelvic floor dyssynergia)",
                     "Benign prostatic hyperplasia", "Brachial plexus palsy"]


def test_footer_line_of_another_line_of_business_does_not_cut_the_list() -> None:
    doc = read(corpus_file("uhc-comm-drug_ophthalmologic-vegf-inhibitors_2025-10-01.pdf"))
    lead = find(doc, "For continuation of therapy, both of the following:")
    after = doc.lines[doc.lines.index(lead) + 1]
    assert (after.page, after.text) == (
        2, "Documentation of positive clinical response to anti-VEGF therapy; and")
    assert not any("Individual Exchange" in x.text for x in doc.lines)
    assert [x.text for x in doc.furniture if x.page == 1][1] == (
        "UnitedHealthcare Individual Exchange Medical Benefit Drug Policy Effective 10/01/2025")


def test_words_joined_by_a_slash_at_a_line_end_stay_joined() -> None:
    from extractor.items import lines_to_items

    doc = read(corpus_file("uhc-comm-medical_genetic-testing-hereditary-cancer_2026-01-01.pdf"))
    start = doc.lines.index(find(doc, "Second-degree relatives include"))
    item = lines_to_items(list(doc.lines[start:start + 2]))[0]
    assert item.text.endswith("grandchildren, and nieces/nephews affected on the same side of "
                              "the family.")


def test_and_or_broken_after_the_slash_is_not_a_stand_alone_or() -> None:
    from extractor.items import lines_to_items
    from extractor.text import TRAILING
    from tests.lines import line

    lines = [line("Place ground crews at undue risk; and/", bullet="image", x0=54.0, top=100.0),
             line("or", x0=54.0, top=111.5),
             line("Not align with at least one of the following:", bullet="image", x0=54.0,
                  top=123.0)]
    items = lines_to_items(lines)
    assert [(i.text, i.connector) for i in items[:2]] == [
        ("Place ground crews at undue risk; and/or", None),
        ("Not align with at least one of the following:", None)]
    assert TRAILING.sub("", items[0].text) == "Place ground crews at undue risk"


def walk(node: Criterion) -> Iterator[Criterion]:
    yield node
    for child in node.children:
        yield from walk(child)


def test_box_drawing_dash_bullet_keeps_its_level_and_its_children(tmp_path: Path) -> None:
    import pytest

    from extractor.pipeline import extract
    from tests import pdf_factory

    if not pdf_factory.BOX_DRAWING_FONT.exists():
        pytest.skip(f"no font with box-drawing glyphs ({pdf_factory.BOX_DRAWING_FONT})")
    path = pdf_factory.nested_list_pdf(tmp_path / "nested.pdf")
    doc = read(path)
    lines = [find(doc, text) for _, text in pdf_factory.NESTED_CRITERIA]
    assert tuple(x.level for x in lines) == pdf_factory.NESTED_LEVELS
    assert [x.bullet for x in lines[4:6]] == ["dash", "dash"]
    assert not any("─" in x.text for x in doc.lines)
    nodes = [c for s in extract(path).coverage if s.criteria for c in walk(s.criteria)]
    one_of = next(c for c in nodes if c.text.startswith("One of the following"))
    assert one_of.op == "any"
    assert [c.text[:10] for c in one_of.children] == ["Cutaneous ", "Untreated "]


def test_two_column_list_with_glyph_bullets_and_a_wrapped_right_item() -> None:
    items = column_items("uhc-comm-drug_maximum-dosage-policy_2026-01-01.pdf", "Drug Products", 100)
    assert items[:2] == ["abatacept (Orencia®)", "abobotulinumtoxinA (Dysport®)"]
    assert items[50:52] == ["pegcetacoplan (Syfovre™)", "pegfilgrastim (Neulasta®)"]
    assert "ustekinumab-aekn (Selarsdi™)ustekinumab-stba (Steqeyma®)" in items
    assert items[-1] == "zoledronic acid (zoledronic acid, Reclast®)"


def test_line_repeated_on_one_page_at_its_bottom_is_not_a_running_footer() -> None:
    doc = read(corpus_file("uhc-comm-drug_provider-administered-preferred-products_2025-07-01.pdf"))
    page_one = [x.text for x in doc.lines if x.page == 1]
    assert page_one[-2:] == ["Treprostinil 20mg/20mL Solution for Injection (00703-",
                             "0666) (Teva Pharmaceuticals USA)"]
    assert "3425) (Sandoz Inc. a Novartis Company)" in page_one
    assert len([x for x in doc.furniture if x.page == 1]) == 3


def test_tiny_blank_left_of_a_courier_o_does_not_hide_the_bullet() -> None:
    doc = read(corpus_file("uhc-comm-drug_uplizna_2025-09-01.pdf"))
    lines = [x for x in doc.lines if x.text.startswith("Uplizna is initiated") and x.page < 3]
    assert [(x.text[:20], x.bullet, x.level) for x in lines] == [
        ("Uplizna is initiated", "o", 2)] * 2


def test_two_column_list_below_a_sidebar_with_bullets_of_another_kind() -> None:
    name = "uhc-comm-drug_ophthalmologic-vegf-inhibitors_2025-10-01.pdf"
    doc = read(corpus_file(name))
    toc = [x for x in doc.lines if x.page == 1 and "....." in x.text]
    assert toc and all(x.column_end is None for x in toc)
    assert find(doc, "See Benefit Considerations").level == 0
    assert column_items(name, "(Ang-2) inhibitors:", 9) == [
        "Avastin® (bevacizumab)", "Beovu® (brolucizumab-dbll)", "Byooviz™ (ranibizumab-nuna)",
        "Cimerli™ (ranibizumab-eqrn)", "Eylea® (aflibercept)", "Eylea® HD (aflibercept)",
        "Lucentis® (ranibizumab)", "Pavblu™ (aflibercept-ayyh)", "Vabysmo™ (faricimab-svoa)"]


def test_three_column_list_is_read_column_by_column() -> None:
    doc = read(corpus_file("uhc-comm-medical_carrier-testing-for-genetic-diseases_2026-01-01.pdf"))
    start = doc.lines.index(find(doc, "Tay Sachs disease"))
    assert [x.text for x in doc.lines[start:start + 15:6]] == [
        "Tay Sachs disease", "Fanconi anemia", "Glycogen storage disease 1A"]
    assert {x.level for x in doc.lines[start:start + 15]} == {1}


def test_table_with_bulleted_cells_beside_other_cells_is_read_by_its_rows() -> None:
    doc = read(corpus_file(
        "uhc-comm-medical_chemotherapy-observation-inpatient-hospitalization_2026-01-01.pdf"))
    assert find(doc, "Cytarabine (“high-dose Ara-c”)").text == (
        "Cytarabine (“high-dose Ara-c”) 2g/m² Monitor for CNS toxicity with")


def test_narrow_column_items_join_their_wrapped_lines() -> None:
    name = "uhc-comm-medical_skin-soft-tissue-substitutes_2026-02-01.pdf"
    items = column_items(name, "The following skin and soft tissue substitutes are unproven", 3)
    assert items[:2] == ["Abiomend Membrane and Abiomend Hydromembrane",
                         "Abiomend Xplus Membrane and Abiomend Xplus Hydromembrane"]


def test_dash_before_nothing_but_punctuation_is_not_a_bullet() -> None:
    doc = read(corpus_file("uhc-comm-medical_skin-soft-tissue-substitutes_2026-02-01.pdf"))
    # the glyph is U+2011 to PDFium and "-" to pdfminer: a hyphen either way
    dashes = [x for x in doc.lines if x.text.replace("\u2011", "-") == "- -"]
    assert [x.bullet for x in dashes] == [None]
    assert find(doc, "Pedal pulses palpable").level == 2


def test_sidebar_bullet_read_on_its_row_beside_a_blank_stays_with_the_sidebar() -> None:
    doc = read(corpus_file("uhc-comm-medical_chromosome-microarray-testing_2026-01-01.pdf"))
    bulleted = [x.text for x in doc.sidebar if x.bullet]
    assert bulleted[-3:] == ["Whole Exome and Whole Genome Sequencing",
                             "Chromosome Microarray Testing (Non-Oncology",
                             "Molecular Pathology/Molecular Diagnostics/"]
