"""Super- and subscripts on real PDF pages: exponents kept as Unicode, citation marks dropped."""

from __future__ import annotations

from extractor.layout.pdf_scripts import read_scripts
from tests.conftest import corpus_file
from tests.test_layout import find, read


def line(name: str, start: str) -> str:
    return str(find(read(corpus_file(name)), start).text)


def test_raised_nine_after_ten_is_an_exponent() -> None:
    text = line("uhc-comm-drug_gamifant-emapalumab-lzsg_2026-01-01.pdf", "Platelet count ≤ 181")
    assert text == "Platelet count ≤ 181 x 10⁹/L"


def test_raised_zero_and_plus_after_beta_are_alleles() -> None:
    text = line("uhc-comm-drug_adakveo-crizanlizumab-tmca_2025-06-01.pdf", "hemoglobin C disease")
    assert "sickle beta⁰ thalassemia, and sickle beta⁺ thalassemia; and" in text


def test_raised_two_and_three_after_a_unit_of_length_are_powers() -> None:
    wound = line("uhc-comm-medical_negative-pressure-wound-therapy_2026-01-01.pdf",
                 "ulcers were larger (average size")
    assert "(average size range 6.6-27.9 cm²), as compared with controls (≤ 3 cm²)." in wound
    cells = line("uhc-comm-drug_white-blood-cell-colony-stimulating-factors_2025-10-01.pdf",
                 "of severe neutropenia defined")
    assert "neutrophil count < 500/mm³." in cells


def test_citation_mark_printed_low_enough_to_touch_the_line_above_is_dropped() -> None:
    name = "uhc-comm-drug_gene-therapies-hemophilia_2026-01-01.pdf"
    assert "anti-AAV5 neutralizing antibodies" in line(name, "Patient has had pre-existing")
    assert "Antibody Test made available" in line(name, "validated AAV5 Neutralizing")


def char(text: str, x0: float, size: float, bottom: float) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + size / 2, "size": size, "bottom": bottom,
            "top": bottom - size}


def test_lowered_small_digit_is_a_subscript() -> None:
    chars = [char("C", 0, 10, 100), char("O", 5, 10, 100), char("2", 10, 6.5, 102)]
    assert "".join(c["text"] for c in read_scripts(chars)) == "CO₂"


def test_citation_marks_wrapped_to_a_line_of_their_own_are_dropped() -> None:
    doc = read(corpus_file("uhc-comm-drug_erythropoiesis-stimulating-agents_2025-04-01.pdf"))
    unproven = find(doc, "ESAs are unproven to treat anemia of CKD in patients on dialysis")
    assert unproven.text.endswith("greater than or equal to 33%.")
    assert doc.lines[doc.lines.index(unproven) + 1].text == "Patients Not Receiving Dialysis"


def test_superscript_on_a_row_whose_bullet_hangs_below_the_baseline() -> None:
    doc = read(corpus_file("uhc-comm-drug_oxlumo_2025-10-01.pdf"))
    kidney = [x.text for x in doc.lines if x.text.startswith("Patient has relatively preserved")]
    assert len(kidney) == 4
    assert all(t.endswith("(e.g., eGFR ≥ 30 mL/min/1.73 m²); and") for t in kidney)
    assert not any(x.text == "2" for x in doc.lines)


def test_short_line_with_more_citation_marks_than_letters_drops_the_marks() -> None:
    wbc = "uhc-comm-drug_white-blood-cell-colony-stimulating-factors_2025-10-01.pdf"
    doc = read(corpus_file(wbc))
    assert [x.text for x in doc.lines if x.page == 4 and x.text.startswith("met:")] == [
        "met:", "met:"]


def test_raised_two_after_meters_is_a_square() -> None:
    text = line("uhc-comm-drug_maximum-dosage-policy_2026-01-01.pdf", "kg) and body surface")
    assert "body surface area (2.71 meters²) in the U.S." in text


def test_wide_registered_mark_reaching_into_the_next_character_stays_on_its_line() -> None:
    name = "uhc-comm-medical_fda-companion-diagnostic-testing_2026-01-01.pdf"
    assert line(name, "National Comprehensive Cancer Network® (NCCN") == (
        "National Comprehensive Cancer Network® (NCCN®)")


def test_raised_ordinal_between_two_rows_stays_after_its_number() -> None:
    doc = read(corpus_file("uhc-comm-medical_preventive-care-services_2026-01-01.pdf"))
    hearing = [x.text for x in doc.lines if x.page == 31]
    assert "Hearing Tests: Recommended at 92588, 92650, 92651, V5008" in hearing
    assert any(t.endswith("Ages 91 days to 21 years (ends on 22nd") for t in hearing)
