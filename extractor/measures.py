"""What a measured value measures: a dose, a limit, a duration, an age, a weight, a lab value,
a count. Decided from the kind of its unit and the words printed just before it.

The rules, top to bottom:

- a concentration, a percent, a score or a test result (mg/dL, 10*9/L, %, kg/m2, meters) is a
  lab value, and so is an amount, a bare number or a bare range after the name of an analyte
  or a scale ("IgG", "factor IX activity", "platelet count", "EDSS score", "NYHA class");
- a time after "age" or before "of age", "old", "or older" is an age;
- an amount, a time or a count of things under a cap ("no more than", "up to", "not to
  exceed"; not "within", which looks back) is a limit, unless the things are the patient's
  findings ("up to 10 lesions" is a count);
- a percent printed beside a dosage form is a product's strength, a dose ("cream 0.1%");
- otherwise an amount is a dose, a time a duration, a body mass a weight, a thing a count.
"""

from __future__ import annotations

import re

from extractor.model import Entity, EntityLabel
from extractor.quantities import CLASS_NUMERALS, LOOK_BACK, Quantity
from extractor.vocabulary import DOSAGE_FORMS, PREPARATIONS

# an abbreviation in parentheses is part of a name: "Disease Activity Index (CDAI) score"
ABBREVIATION = r"\(([\w-]{2,12})\)"
# The end of the clause a value belongs to: what is before it is its subject.
CLAUSE_START = re.compile(rf".*(?:[;:\[]|(?!{ABBREVIATION})\(|,(?!\d)|\.\s|\bif\b|\bwhen\b|"
                          r"\bwith\b|\bhas\b|\bhave\b|\band\b|\bor\b|\bof\b(?= (?:a|an|the)\b))",
                          re.I | re.S)
LAB_WORDS = re.compile(
    r"\b(?:levels?|counts?|activity|concentrations?|titers?|titres?|serum|plasma|urine|"
    r"urinary|proteinuria|excretion|ig[gaem]|hemoglobin|haemoglobin|hgb|hb|hematocrit|hct|"
    r"platelets?|plt|anc|neutrophils?|lymphocytes?|wbc|egfr|gfr|crcl|creatinine|ldl(?:-c)?|"
    r"hdl(?:-c)?|cholesterol|triglycerides?|a1c|hba1c|glucose|bilirubin|albumin|ferritin|"
    r"saturation|tsat|fev1|fvc|dlco|ejection fraction|lvef|scores?|scale|index|edss|bmi|"
    r"pressure|uacr|upcr|inhibitors?|cd4|cd19|cd20|viral load|rna|dna|ratio|value|"
    r"t-?score|z-?score|pth|vitamin|testosterone|estradiol|psa|tsh|alt|ast|ck|cpk|lipase|"
    r"amylase|antibod(?:y|ies)|aptt|inr|fibrinogen|d-dimer|reticulocytes?|distance|walk|"
    r"meters|igf-1|gh|cortisol|acth|ige|eosinophils?|tryptase|potassium|sodium|calcium|"
    r"phosphorus|magnesium|uric acid|urate|iron|b12|folate|ammonia|lactate|class|grade|"
    r"status|ph)\b", re.I)
LAB_RIGHT_BEFORE = re.compile(rf"(?:{LAB_WORDS.pattern})\)?\s*(?:\([^()]*\)\s*)?"
                              r"(?:of|is|was|:)?\s*$", re.I)
# an analyte's abbreviation right before a bare range: "AHI 15-30"
ABBREVIATION_RIGHT_BEFORE = re.compile(r"\b[A-Z][A-Z0-9]{1,5}\s*$")
# a score placed on the scale named after it: "a 3 or more on a 1-10 pain scale"
ON_A_SCALE = re.compile(r"\s*on\s+(?:a|an|the)\b[^.;)]{0,30}\bscale\b", re.I)
AGE_BEFORE = re.compile(r"\b(?:age[sd]?|aged)\s*(?:is|of|:|at|between|from)?\s*$", re.I)
AGE_PHRASE = re.compile(r"older|younger", re.I)
# the bounds of an age printed apart, in units of their own: "from 6 months to less than 2
# years of age", "aged ≥ 3 months to < 18 years"
TIME_WORD = r"(?:years?|months?|weeks?|days?)"
AGE_TO = re.compile(rf"\s*(?:to|through|-|–)\s*(?:(?:less than|younger than|under|up to|<|≤)\s*)?"
                    rf"\d+(?:\.\d+)?\s*{TIME_WORD}\s+(?:of age|old)\b", re.I)
AGED_FROM = re.compile(rf"\b(?:age[sd]?|aged)\b[^,;.]{{0,30}}\b{TIME_WORD}\s+"
                       r"(?:to|through|-|–)\s*$", re.I)
EARLIER_CLASSES = re.compile(rf"(?:\b{CLASS_NUMERALS},?\s+(?:or\s+)?)+$")
# what a patient has, counted under a bound that describes the patient, not a cap on the care
# authorized: "up to 10 lesions", "less than 3 unformed stools"
FINDINGS = {"lesion", "metastasis", "tumor", "tumour", "nodule", "polyp", "adenoma", "stool",
            "relapse", "flare", "exacerbation", "seizure", "attack", "episode", "fracture",
            "symptom", "hospitalization", "infection"}
# a change of a value is said of the value: "trough level has increased by at least 10 points"
CHANGED_BY = re.compile(r"\s+(?:has|have|had)\s+(?:increased|decreased|risen|fallen|dropped|"
                        r"improved|declined)\s+by\s*$", re.I)
# a product's strength printed beside its dosage form: "ophthalmic solution 0.05%", "5% patch"
_FORM = "|".join(sorted({*DOSAGE_FORMS, *PREPARATIONS}, key=len, reverse=True))
FORM_BEFORE = re.compile(rf"\b(?:{_FORM})\s*$", re.I)
FORM_AFTER = re.compile(rf"^\s*(?:{_FORM})\b", re.I)
SYMBOLS = {"≥", ">=", "=>", "≧", "⩾", ">", "≤", "<=", "=<", "≦", "⩽", "<", "="}
LEAD_WORDS = re.compile(r"^(?:patient|patients|member|members|the|a|an|has|have|had|with|is|"
                        r"are|was|baseline|documented|pretreatment|pre-treatment|current|"
                        r"recent|most|confirmed|by|at|on|in|who)\s+", re.I)
TAIL_WORDS = re.compile(r"\s+(?:is|are|was|of|at|value|must be|should be|that is|of at)\s*$",
                        re.I)


def quantity_to_entity(text: str, q: Quantity) -> Entity | None:
    """The entity a measured value is, or None when it measures nothing a rule can use."""
    # the later classes of "class II, III or IV" are on the scale named before the first
    before = _clause(EARLIER_CLASSES.sub("", text[:q.start]) if q.graded else text[:q.start])
    label = _label(q, before, text[q.end:], text[q.start:q.end])
    if label is None:
        return None
    unit = q.unit
    if label == "age" and unit is None:
        unit = "a"
    comparator = q.comparator
    if label == "age" and comparator is None and re.search(r"\bfrom\s*$", before):
        comparator = ">="  # "from 6 months to less than 2 years of age"
    return Entity(label=label, text=text[q.start:q.end], start=q.start, end=q.end,
                  value=q.value, value_max=q.value_max, unit=unit, unit_text=q.unit_text,
                  comparator=comparator,
                  name=(q.analyte or _analyte(before)) if label == "lab" else None)


def _label(q: Quantity, before: str, after: str = "", printed: str = "") -> EntityLabel | None:
    if q.analyte is not None:
        return "lab"
    capped = q.comparator == "<=" and q.phrase not in LOOK_BACK and q.phrase not in SYMBOLS
    lab_named = LAB_WORDS.search(before) is not None
    if q.kind == "concentration":
        # a test's condition, an adjective's number: "titer ≥ 64 at 4°C", "360-degree"
        if q.unit in ("Cel", "[degF]", "deg") and q.comparator is None and (
                re.search(r"\bat\s*$", before) or re.search(r"\d-[a-z]", printed)):
            return None
        if q.unit == "%" and q.comparator is None and (FORM_BEFORE.search(before)
                                                       or FORM_AFTER.match(after)):
            return "dose"
        if q.unit == "s" and q.comparator is None:
            # "forced expiratory volume in 1 second" names a test; "lasting seven seconds"
            return None if re.search(r"\bin\s*$", before) else "duration"
        return "lab"
    if q.kind == "time":
        if q.of_age or AGE_BEFORE.search(before) or AGE_PHRASE.search(q.phrase or "") \
                or AGE_TO.match(after) or AGED_FROM.search(before):
            return "age"
        return "limit" if capped else "duration"
    if q.kind == "amount":
        if lab_named and q.phrase is not None:
            return "lab"
        return "limit" if capped or (q.comparator in ("<", "<=") and q.phrase not in LOOK_BACK
                                     ) else "dose"
    if q.kind == "weight":
        return "weight"
    if q.unit is None:  # a bare number: an age, a score, or a lead-in ("at least two of")
        if AGE_BEFORE.search(before):
            return "age"
        # "BMI ≥ 40", "EDSS score of 5.5 or less"; a bare range right after its analyte:
        # "BMI of 35 to 39.9", "AHI 15-30" (not "Bristol Stool Scale type 6-7")
        # (a range in words too: "ECOG performance status zero to two")
        ranged = q.value_max is not None and (
            (lab_named and LAB_RIGHT_BEFORE.search(before) is not None)
            or ABBREVIATION_RIGHT_BEFORE.search(before) is not None)
        if q.graded or (q.phrase in SYMBOLS and before.strip()) or ranged or (
                q.comparator and ON_A_SCALE.match(after)) or (
                lab_named and q.digits and q.phrase is not None):
            return "lab"
        return None
    return "limit" if capped and not _finding(q.unit) else "count"


def _finding(unit: str | None) -> bool:
    """Whether the things counted are the patient's (lesions, relapses), not services."""
    return unit is not None and unit.split()[-1].split("/")[-1] in FINDINGS


def _clause(before: str) -> str:
    before = CHANGED_BY.sub("", before)
    near = re.sub(r"^\S*\s", "", before[-80:]) if len(before) > 80 else before  # whole words
    m = CLAUSE_START.match(near)
    return near[m.end():] if m else near


def _analyte(before: str) -> str | None:
    name = before
    for _ in range(4):
        name = LEAD_WORDS.sub("", TAIL_WORDS.sub("", name.strip(" ,:-[]")))
    # an abbreviation in parentheses stays with its name: "ejection fraction (LVEF)"
    name = name.strip(" ,:-[]")
    return (name if name.count("(") == name.count(")") else name.strip(" ()")) or None
