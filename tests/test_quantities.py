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
    # a titer is its reciprocal dilution
    ("Antibody titer ≥ 1:400", "lab", "≥ 1:400", 400, None, "{titer}", ">="),
    ("anti-AAV9 antibody titer above 1:50", "lab", "above 1:50", 50, None, "{titer}", ">"),
    ("or until 6 years of age, whichever is first", "age", "until 6 years of age", 6, None, "a",
     "<"),
    ("Patient is aged 4 or 5 years of age", "age", "4 or 5 years of age", 4, 5, "a", None),
    ("while the patient is 2 to 3 years of age or older", "age", "2 to 3 years of age or older",
     2, 3, "a", ">="),
    ("assessed within the 2 weeks prior to administration", "duration", "within the 2 weeks", 2,
     None, "wk", "<="),
    ("monitored weekly for the first month following", "duration", "first month", 1, None, "mo",
     None),
    ("T-score of -2.5 or lower", "lab", "-2.5 or lower", -2.5, None, None, "<="),
    ("BMI of 35 to 39.9 with a comorbidity", "lab", "35 to 39.9", 35, 39.9, None, None),
    ("Symptomatic NYHA class II or greater", "lab", "II or greater", 2, None, None, ">="),
    ("Weight for length less than the 10th percentile", "lab", "less than the 10th percentile",
     10, None, "{percentile}", "<"),
    ("Ring sideroblasts greater than or equal to15%", "lab", "greater than or equal to15%", 15,
     None, "%", ">="),
    ("Headaches last 4 hours per day or longer", "duration", "4 hours", 4, None, "h", ">="),
    ("Peak aortic jet velocity ≥ 4.0 m/s", "lab", "≥ 4.0 m/s", 4, None, "m/s", ">="),
    ("Patient has had 2 or more vasoocclusive crises", "count",
     "2 or more vasoocclusive crises", 2, None, "vasoocclusive crisis", ">="),
    # a look-back window, with or without its number
    ("2 bursts each in the previous 12 months", "duration", "in the previous 12 months", 12,
     None, "mo", "<="),
    ("relapses during the prior 24 months", "duration", "during the prior 24 months", 24, None,
     "mo", "<="),
    ("a HF hospitalization in the past year", "duration", "in the past year", 1, None, "a", "<="),
    ("no hemorrhage within the previous year", "duration", "within the previous year", 1, None,
     "a", "<="),
    # an index counted per hour, a class on a named scale, a length in seconds
    ("an AHI ≥ 10 and RDI ≤ 50 events per hour", "lab", "≤ 50 events per hour", 50, None,
     "/h", "<="),
    ("adult patients with NYHA class III HF", "lab", "III", 3, None, None, None),
    ("ultrasound energy, lasting seven seconds each", "duration", "seven seconds", 7, None, "s",
     None),
    # a range whose first bound is bare, or whose last says "of age"
    ("Age 0 to < 12 months: Prophylaxis may be considered", "age", "0 to < 12 months", 0, 12,
     "mo", None),
    ("infants who are ≥ 12 to < 24 months of age", "age", "≥ 12 to < 24 months of age", 12, 24,
     "mo", None),
    ("oxygen for at least the first 28 days after birth", "duration",
     "at least the first 28 days", 28, None, "d", ">="),
    # a bound said before the word "age"; a score on the scale named after it
    ("whichever comes first, but not before age 25.", "age", "25", 25, None, "a", ">="),
    ("the pain remains at a 3 or more on a 1-10 pain scale)", "lab", "3 or more", 3, None, None,
     ">="),
    ("Currently receiving at least one standard of care treatment", "count",
     "at least one standard of care treatment", 1, None, "standard of care treatment", ">="),
]


@pytest.mark.parametrize("text", [
    "randomized 1:1 to placebo", "Grade 3 or 4 toxicity", "in the first year of life",
    "New York Heart Association class II-IV", "Clinical Classification of class II, III, or IV",
    "forced expiratory volume in 1 second", "in the past, patients were treated",
    "pain rated on a 0-10 point scale",
    "(i.e., Bristol Stool Scale type 6-7) stools/day"])
def test_ratios_alternatives_and_categories_are_not_values(text: str) -> None:
    assert [e for e in annotate([text])[0] if e.label != "drug"] == []


def test_a_number_not_joined_to_the_one_before_is_read_on_its_own() -> None:
    [found] = annotate(["screening starting at age 25 or 8 years after treatment"])
    assert [(e.label, e.text) for e in found] == [("age", "25"), ("duration", "8 years")]


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
