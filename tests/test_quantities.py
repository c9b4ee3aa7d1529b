"""Measured values as the corpus prints them: every comparator phrasing, ranges, whole units."""

from __future__ import annotations

import itertools

import pytest

from extractor.nlp import annotate

CASES = [
    ("Dose is no higher than 5 mg/kg", "limit", "no higher than 5 mg/kg", 5, None, "mg/kg", "<="),
    ("Zidovudine at less than or equal to 4200 mg/week", "limit",
     "less than or equal to 4200 mg/week", 4200, None, "mg/wk", "<="),
    ("Treatment no longer than 45 days", "limit", "no longer than 45 days", 45, None, "d", "<="),
    ("Patient has had a minimum of 50 exposure days", "count", "a minimum of 50 exposure days",
     50, None, "exposure day", ">="),
    ("Factor IX activity ≥ 1% ≤ 2%", "lab", "≥ 1% ≤ 2%", 1, 2, "%", None),
    ("IgG < 500 mg/dL", "lab", "< 500 mg/dL", 500, None, "mg/dL", "<"),
    ("Platelet count < 50 x 10⁹/L", "lab", "< 50 x 10⁹/L", 50, None, "10*9/L", "<"),
    ("Platelet count < 100 x 109/L", "lab", "< 100 x 109/L", 100, None, "10*9/L", "<"),
    ("Absence of F-waves in at least 1 motor nerve", "count", "at least 1 motor nerve", 1, None,
     "motor nerve", ">="),
    ("Failure of at least one conventional therapy", "count", "at least one conventional therapy",
     1, None, "conventional therapy", ">="),
    ("Chronic ANC ≤ 500 neutrophils/mcL", "lab", "≤ 500 neutrophils/mcL", 500, None, "/uL", "<="),
    ("Patient age ≤ 13 years", "age", "≤ 13 years", 13, None, "a", "<="),
    ("Body weight > 30 kg", "weight", "> 30 kg", 30, None, "kg", ">"),
    ("Patient is 18 years of age or older", "age", "18 years of age or older", 18, None, "a",
     ">="),
    ("In adolescents between 12 and 17 years of age", "age", "between 12 and 17 years of age",
     12, 17, "a", None),
    ("Patient is under the age of 18", "age", "under the age of 18", 18, None, "a", "<"),
    ("Duration of 4 weeks or more", "duration", "4 weeks or more", 4, None, "wk", ">="),
    ("Dose not to exceed 10 mg", "limit", "not to exceed 10 mg", 10, None, "mg", "<="),
    ("BMI greater than or equal to 40 kg/m2", "lab", "greater than or equal to 40 kg/m2", 40,
     None, "kg/m2", ">="),
    ("eGFR ≥ 30 mL/min/1.73 m2", "lab", "≥ 30 mL/min/1.73 m2", 30, None, "mL/min/{1.73_m2}",
     ">="),
    ("Radiation therapy of up to 10 fractions", "limit", "up to 10 fractions", 10, None,
     "fraction", "<="),
]


@pytest.mark.parametrize(("text", "label", "span", "value", "value_max", "unit", "comparator"),
                         CASES)
def test_measured_values_keep_comparator_range_and_unit(
        text: str, label: str, span: str, value: float, value_max: float | None, unit: str,
        comparator: str | None) -> None:
    found = [e for e in annotate([text])[0] if e.text == span]
    assert [(e.label, e.value, e.value_max, e.unit, e.comparator) for e in found] == [
        (label, value, value_max, unit, comparator)]


def test_named_tests_and_codes_are_not_durations_or_codes() -> None:
    labels = {e.text: e.label for e in annotate(["6-Minute Walk Test ≥ 150 meters; "
                                                 "Parvovirus B19 infection"])[0]}
    assert labels == {"≥ 150 meters": "lab"}


def test_frequencies_are_intervals_or_rates() -> None:
    found = {e.text: (e.value, e.unit) for e in annotate(["10 mg/kg every 4 weeks, then "
                                                          "twice weekly"])[0]
             if e.label == "frequency"}
    assert found == {"every 4 weeks": (4.0, "wk"), "twice weekly": (2.0, "/wk")}


def test_values_whose_tokens_overlap_keep_the_longer_one() -> None:
    """Omnibus codes: "Forty-two studies published between 1988 and 2021" gave two values over
    the same tokens, and spaCy refused the overlapping entities (the document was not read)."""
    [found] = annotate(["Forty-two studies published between 1988 and 2021 reported outcomes"])
    spans = sorted((e.start, e.end) for e in found if e.label != "regimen")
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(("text", "unit"), [
    ("Aortic valve area of ≤ 1.0 cm²", "cm2"), ("Lesion of 4 mm³ or more", "mm3"),
    ("250 mcg/m²/day", "ug/m2"), ("BMI ≥ 40 kg/m²", "kg/m2")])
def test_superscript_areas_and_volumes_are_ucum_units(text: str, unit: str) -> None:
    [found] = annotate([text])
    assert [e.unit for e in found if e.label != "regimen"] == [unit]
