"""Measured values in criterion text: a comparator, a number or a range, and a unit.

"IgG < 500 mg/dL", "no higher than 5 mg/kg", "≥ 1% ≤ 2%", "between 2 and 17 years of age",
"a minimum of 50 exposure days", "< 50 x 10⁹/L". Read with regular expressions over the
text, so a unit is taken whole ("mg/dL", "cells/mm3") however the tokenizer splits it; units
are normalized to UCUM where UCUM has one, and the printed unit is kept beside. What the
value measures (a dose, an age, a lab value, ...) is decided in nlp.py from the words around.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from extractor.counted import counted, noun_after, singular_phrase
from extractor.model import Comparator

Kind = Literal["time", "amount", "concentration", "weight", "noun"]

WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20,
                "thirty": 30, "forty": 40, "sixty": 60, "ninety": 90, "single": 1, "zero": 0}
# The past a value is counted back over: "within the previous 12 months", "in the past year".
LOOK_BACK_PHRASES = ["within", *(f"{lead} the {past}" for lead in ("within", "in", "during", "over")
                                 for past in ("past", "last", "previous", "prior", "preceding"))]
# Phrasings of each comparator, as the corpus prints them; the longest is tried first.
COMPARATOR_PHRASES: dict[Comparator, list[str]] = {
    ">=": ["greater than or equal to", "more than or equal to", "equal to or greater than",
           "equal to or more than", "at least", "a minimum of", "minimum of", "no fewer than",
           "no less than", "not less than", "not fewer than", "no lower than", "no shorter than",
           "no sooner than", "not sooner than", "no earlier than", "not earlier than",
           "≥", ">=", "=>", "≧", "⩾"],
    ">": ["more than", "greater than", "higher than", "longer than", "older than", "above",
          "over", "exceeding", "exceeds", "exceeded", "in excess of", ">"],
    "<=": ["less than or equal to", "fewer than or equal to", "equal to or less than",
           "no more than", "not more than", "no greater than", "not greater than",
           "no higher than", "not higher than", "no longer than", "not longer than", "up to",
           "a maximum of", "maximum of", "max of", "a maximum dose of", "maximum dose of",
           "a maximum daily dose of", "maximum daily dose of", "a maximum dosage of",
           "maximum dose:", "maximum daily dose:", "max dose:", "maximum dosage:",
           "not to exceed", "not exceeding",
           "does not exceed", "do not exceed", "not exceed", "limited to", "no later than",
           "not later than", *LOOK_BACK_PHRASES,
           "≤", "<=", "=<", "≦", "⩽"],
    "<": ["less than", "fewer than", "lower than", "shorter than", "younger than", "under",
          "below", "<"],
    "=": ["="],
}
# Upper bounds that look back in time rather than cap a dose, a count or an authorization.
LOOK_BACK = set(LOOK_BACK_PHRASES)
POSTFIX: dict[str, Comparator] = {
    "or more": ">=", "or greater": ">=", "or higher": ">=", "or longer": ">=",
    "or older": ">=", "or above": ">=", "or over": ">=", "and older": ">=", "and above": ">=",
    "and over": ">=", "or less": "<=", "or fewer": "<=", "or lower": "<=", "or younger": "<=",
    "or below": "<=", "or under": "<=", "and younger": "<=", "and under": "<=",
    "and below": "<=",
}

STRENGTH = re.compile(r"mg\s?/\s?(?:(?P<ml>\d+(?:\.\d+)?)\s?)?ml")
# the body surface a clearance or an excretion is normalized to, and the day it is counted over
BSA = r"1\.73\s?m(?:\^?2|²)"
PER_DAY = r"(?:day|24\s?(?:hours?|hrs?|h))"
# a power of ten printed after a number: "× 10^14", "x 10¹⁴", "x 1014"
POWER_OF_TEN = r"[x×]\s?10\s?(?:\^|\*\*?)?\s?(?:\d{1,2}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})"
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# (printed unit pattern, UCUM, kind); the first that matches wins, so longer units come first
_UNITS: list[tuple[str, str, Kind]] = [
    (r"ml/min(?:ute)?/1\.73\s?m(?:\^?2|²)", "mL/min/{1.73_m2}", "concentration"),
    (r"ml/min(?:ute)?", "mL/min", "concentration"),
    # an amount excreted, normalized to body surface: "1 mmol/1.73 m2 per day"
    (rf"(?:mmol|[µμu]mol|mg|mcg|[µμ]g)\s?/\s?(?:{PER_DAY}\s?/\s?)?{BSA}"
     rf"(?:\s?(?:per|/)\s?{PER_DAY})?", "", "concentration"),
    (r"(?:[x×]\s?10\s?(?:\^|\*\*?)?\s?(?:9|⁹)|[x×]\s?109)\s?/\s?l", "10*9/L", "concentration"),
    # the superscript 9 lost in extraction: "181 x 10 /L"
    (r"[x×]\s?10\s+/\s?l", "10*9/L", "concentration"),
    (r"(?:[x×]\s?10\s?(?:\^|\*\*?)?\s?(?:3|³)|[x×]\s?103)\s?/\s?(?:µl|μl|ul|mcl|mm3|mm³)",
     "10*3/uL", "concentration"),
    (r"(?:cells|neutrophils|platelets|lymphocytes)?\s?(?:/|per)\s?(?:mm3|mm³|cu\.? ?mm|"
     r"cubic millimeters?)", "/mm3", "concentration"),
    (r"(?:cells|neutrophils|platelets|lymphocytes)?\s?(?:/|per)\s?(?:µl|μl|ul|mcl|"
     r"microliters?)", "/uL", "concentration"),
    # a multiple of the upper limit of normal: "greater than 3 times the upper limit of normal"
    (r"(?:times|x|×)\s?(?:the\s)?(?:upper limit of (?:the )?normal|uln)", "{ULN}",
     "concentration"),
    # a multiple of what is normal: "15 multiples of normal (MN)", "5 times normal", "1.25 MN"
    (r"(?:(?:times|x|×)\s?(?:the\s)?normal|multiples? of normal)(?:\s?\(mn\))?|mn\b", "{MN}",
     "concentration"),
    # a tumor's mutational burden: "≥ 10 mutations/megabase (mut/Mb)"
    (r"(?:mutations|mut)\s?(?:/|per)\s?(?:megabase|mb)\b", "{mutations}/{Mb}", "concentration"),
    # exhaled nitric oxide's parts per billion: "FeNO ≥ 25 ppb"
    (r"ppb\b|parts per billion", "[ppb]", "concentration"),
    (r"ppm\b|parts per million", "[ppm]", "concentration"),
    # a gene therapy's dose in vector genomes: "1.1 × 10^14 vg/kg", "x 1014 vector genomes
    # per kilogram" (the superscript lost in extraction)
    (rf"{POWER_OF_TEN}\s?(?:vg|vector genomes)\s?(?:/|per)\s?(?:kg|kilograms?)", "", "amount"),
    # a product's strength: "2.5mg/mL", "100mg/20mL"
    (r"mg\s?/\s?(?:\d+(?:\.\d+)?\s?)?ml", "", "amount"),
    # a ratio to creatinine: "UACR > 300 mg/g", "UPCR ≥ 1 g/g", "≥ 30 mg/mmol"
    (r"mg\s?/\s?g\b", "mg/g", "concentration"), (r"g\s?/\s?g\b", "g/g", "concentration"),
    (r"mg\s?/\s?mmol", "mg/mmol", "concentration"),
    (r"mg\s?/\s?dl", "mg/dL", "concentration"), (r"g\s?/\s?dl", "g/dL", "concentration"),
    (r"mcg\s?/\s?dl|µg\s?/\s?dl|μg\s?/\s?dl", "ug/dL", "concentration"),
    (r"ng\s?/\s?dl", "ng/dL", "concentration"), (r"mg\s?/\s?l", "mg/L", "concentration"),
    (r"g\s?/\s?l", "g/L", "concentration"), (r"ng\s?/\s?ml", "ng/mL", "concentration"),
    (r"pg\s?/\s?ml", "pg/mL", "concentration"),
    (r"mcg\s?/\s?ml|µg\s?/\s?ml|μg\s?/\s?ml", "ug/mL", "concentration"),
    (r"mcg\s?/\s?l|µg\s?/\s?l|μg\s?/\s?l", "ug/L", "concentration"),
    (r"mmol\s?/\s?l", "mmol/L", "concentration"),
    (r"µmol\s?/\s?l|μmol\s?/\s?l|umol\s?/\s?l", "umol/L", "concentration"),
    (r"nmol\s?/\s?l", "nmol/L", "concentration"), (r"pmol\s?/\s?l", "pmol/L", "concentration"),
    # the m is no option: "IU/mL" is a thousand times "mIU/mL"
    (r"(?:miu|munits|milliunits|mu)\s?/\s?ml", "m[iU]/mL", "concentration"),
    (r"(?:iu|international units)\s?/\s?ml", "[iU]/mL", "concentration"),
    (r"(?:iu|international units)\s?/\s?dl", "[iU]/dL", "concentration"),
    (r"(?:iu|international units)\s?/\s?l", "[iU]/L", "concentration"),
    (r"u\s?/\s?ml", "U/mL", "concentration"), (r"u\s?/\s?l", "U/L", "concentration"),
    (r"copies\s?(?:/|per)\s?ml", "{copies}/mL", "concentration"),
    (r"kg\s?/\s?m(?:\^?2|²)?", "kg/m2", "concentration"),
    (r"mm\s?hg", "mm[Hg]", "concentration"), (r"bethesda units?|bu\b", "{BU}", "concentration"),
    (r"meq\s?/\s?l", "meq/L", "concentration"), (r"kpa\b", "kPa", "concentration"),
    (r"(?:db|decibels?)\b", "dB", "concentration"),
    # a rate of the heart or of breathing: "100 beats per minute"
    (r"(?:(?:beats|breaths)\s?(?:/|per)\s?min(?:ute)?|bpm)\b", "/min", "concentration"),
    # a temperature before an angle: "38.3°C", "101 degrees Fahrenheit", "a 40° curve"
    (r"(?:°|degrees?\s)\s?(?:c\b|celsius)", "Cel", "concentration"),
    (r"(?:°|degrees?\s)\s?(?:f\b|fahrenheit)", "[degF]", "concentration"),
    (r"°|degrees?\b", "deg", "concentration"),
    (r"%|percentage points?|percent", "%", "concentration"),
    # areas and volumes before the lengths they are printed with: "≤ 1.0 cm²", "4 mm³"
    (r"(?:c|m)?m(?:\^?[23]|²|³)(?!\w)", "", "concentration"),
    (r"(?:c?m|meters?|metres?)\s?/\s?(?:s|sec|second)\b", "", "concentration"),
    (r"meters|metres|m\b", "m", "concentration"),
    (r"millimeters?|mm\b", "mm", "concentration"), (r"cubic centimeters?", "cm3", "concentration"),
    (r"centimeters?|cm\b", "cm", "concentration"),
    (r"milliseconds?|msecs?\b", "ms", "concentration"),
    (r"(?:seconds?|secs?\b)(?!-[a-z])", "s", "concentration"),  # not "second-degree"
    (r"(?:mg|milligrams?)\s?/\s?(?:kg|m\^?2|m²)(?:\s?/\s?(?:day|week|dose))?", "", "amount"),
    (r"(?:mcg|µg|μg|micrograms?)\s?/\s?(?:kg|m\^?2|m²)", "", "amount"),
    (r"(?:units?|iu|international units)\s?/\s?kg", "", "amount"),
    (r"(?:mg|mcg|µg|μg|units?|iu|ml|g)\s?(?:/|per)\s?(?:day|week|month|dose|eye|site)", "",
     "amount"),
    (r"million (?:international )?units|milligrams?|micrograms?|grams?|mg|mcg|µg|μg|gm|ng|"
     r"mbq|mci|meq|mmol|ml|international units|iu|units?\b|g\b", "", "amount"),
    (r"kilograms?|kg|pounds|lbs?\b", "", "weight"),
    (r"(?:consecutive |additional |continuous |full |calendar |more |further |prior |"
     r"previous |total |separate |weeks' )?(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|"
     r"hours?|hrs?|minutes?|mins?)\b", "", "time"),
]
UNITS = re.compile("|".join(f"({p})" for p, _, _ in _UNITS), re.I)
_UCUM_PARTS = [("million international units", "10*6.[iU]"), ("million units", "10*6.U"),
               ("milligram", "mg"), ("microgram", "ug"), ("mcg", "ug"), ("µg", "ug"),
               ("μg", "ug"), ("gram", "g"), ("gm", "g"), ("international units", "[iU]"),
               ("iu", "[iU]"), ("units", "U"), ("unit", "U"), ("kilogram", "kg"),
               ("pounds", "[lb_av]"), ("lbs", "[lb_av]"), ("lb", "[lb_av]"), ("ml", "mL"),
               ("day", "d"), ("week", "wk"), ("month", "mo"), ("meq", "meq"),
               ("mbq", "MBq"), ("mci", "mCi"), ("²", "2"), ("³", "3")]
TIME_UCUM = {"day": "d", "week": "wk", "wk": "wk", "month": "mo", "mo": "mo", "year": "a",
             "yr": "a", "hour": "h", "hr": "h", "minute": "min", "min": "min"}
NUMBER = (r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?![\d.]\d|\.\d)(?!(?:st|nd|rd|th)\b)|(?:"
          + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")\b")
_PHRASES = sorted(((p, c) for c, ps in COMPARATOR_PHRASES.items() for p in ps),
                  key=lambda pc: -len(pc[0]))
COMPARATOR = "|".join(re.escape(p) + (r"(?![a-z])" if p[-1].isalpha() else "")
                      for p, _ in _PHRASES)
_UNIT = rf"(?:\s*|-)(?:{UNITS.pattern})"
QUANTITY = re.compile(
    rf"(?:(?P<between>\bbetween\s+)|(?P<comp>(?<![\w-])(?:{COMPARATOR}))\s*"
    rf"(?:an?\s+|(?P<age>the age of\s+)|the\s+(?:first\s+)?)?)?"
    rf"(?:(?<![\w.,/-])|(?<=\bto)|(?<=\bthan))"  # "equal to15%" lost its space
    rf"(?:(?P<titer>1\s?:\s?)(?=\d))?(?P<num>(?:(?<=\s)[-−](?=\d))?{NUMBER})"
    rf"(?P<unit1>{_UNIT})?"
    rf"(?:(?P<sep>\s*(?:-|–|—|\bto\b|\band\b|\bor\b|\bthrough\b)\s*)(?P<num2>{NUMBER})"
    rf"(?P<unit2>{_UNIT})?)?", re.I)
# a grade's severity rises with its number
POSTFIX_WORSE: dict[str, Comparator] = {"or worse": ">=", "or better": "<="}
POSTFIX_RE = re.compile(r"^\s*,?\s*(?P<p>" + "|".join(POSTFIX) + r")\b", re.I)
# an age printed after the word: "at age 40", "between the ages 10 and 30"; "by", "before" and
# "until" an age are upper bounds: "by 18 years of age"
AGE_WORD = re.compile(r"\bage[sd]?\s+(?:of\s+)?$", re.I)
AGE_BOUND = re.compile(r"\b(by|before|until)\s+$", re.I)
# the comparator of each bound, also where it is said before the word: "not before age 25"
AGE_BOUNDS: dict[str, Comparator] = {"by": "<=", "before": "<", "until": "<", "after": ">",
                                     "not before": ">=", "not after": "<=", "under": "<",
                                     "over": ">", "prior to": "<"}
AGE_WORD_BOUND = re.compile(r"\b(not\s+before|not\s+after|before|by|until|after|under|over|"
                            r"prior\s+to)\s+(?:the\s+)?age[sd]?\s+(?:of\s+)?$", re.I)
AGE_TAIL = re.compile(r"^\s+(?:of age|old|of life)\b", re.I)
# a gestational age is printed in weeks and days: "born at < 32 weeks, 0 days' gestation"
WEEKS_DAYS = re.compile(r",?\s+(?P<d>[0-6])\s+days?(?:[’']s)?(?![\w’'])", re.I)
GESTATION = re.compile(r"[’']?s?\s+(?:of\s+)?gestation", re.I)
GESTATIONAL = re.compile(r"\bgestational\s+age\b[^,;.]{0,20}$", re.I)
# a number of things a lifetime may have is a cap: "one treatment per lifetime"
PER_LIFETIME = re.compile(r"\s+(?:per|in a|in the patient's|in the member's)\s+lifetime\b", re.I)
# a change of a score counted in points: "a 2-point improvement", "a 2-point or greater
# reduction" (not "an 11-point numeric scale", which names the scale)
POINTS_CHANGED = re.compile(r"\s*(?:\([^()]{0,30}\)\s*)?(?:or (?:greater|more)\s+)?"
                            r"(?:improvement|reduction|decrease|"
                            r"increase|change|drop|rise|worsening|decline)\b", re.I)
SCORE_CHANGED = re.compile(r"^[^,;.]*?\b(?:in|on)\s+(?:the\s+)?(?P<score>[^,;.]{1,60}?\b"
                           r"(?:score|scale|index))\b", re.I)
# a score whose value follows in points: "(HFMSE) score of at least 3 points"
SCORE_OF = re.compile(r"\b(?:score|scale|index)\s+(?:of|is|was|:)?\s*$", re.I)
# what a value printed before it measures: "> 1 optical density value" (not "level": "at more
# than one spinal level")
MEASURE_NOUNS = {"value", "score", "ratio", "index", "reading"}
# a timed test names its length: "6-Minute Walk Test", "2-hour post-prandial plasma glucose"
# the times of a schedule, counted from its start: "at 0, 2 and 6 weeks", "at weeks 0, 2, and 6"
SCHEDULE = re.compile(r"\b(?:at|on)\s+(?:weeks?\s+)?0\s*,(?:\s*\d+\s*,)*\s*(?:\d+\s*,?\s*)?"
                      r"(?:and|or|&)?\s*$", re.I)
GRADE_PLUS = re.compile(r"\s?\+(?!\s?[\d+]|\w)")
TIMED_TEST = re.compile(r"^\s*(?:walk|post-?prandial|(?:plasma |serum )?glucose|urine)\b", re.I)
# the words after a range that make it a scale's: "a 1-10 pain scale", "0-10 point scale"
SCALE_AFTER = re.compile(r"\s*(?:[a-z-]+\s+){0,2}scale\b", re.I)
# the period a look back spans: "over a 12-month period"
PERIOD_AFTER = re.compile(r"\s+(?:period|span|timeframe|time frame|window)\b", re.I)
# a rate of things an hour: "50 events per hour"
HOURLY = re.compile(r"\s*(?:per|an|/)\s*(?:hour|hr|h)\b", re.I)
# the period a time is counted in: "4 hours per day"
PER_PERIOD = re.compile(r"\s+(?:per|a|each)\s+(?:day|night|week|month)\b", re.I)
# a titer is printed as a dilution, "≥ 1:400", and read as its reciprocal; a ratio without a
# comparator is a titer only where one is named
TITER_NAMED = re.compile(r"\b(?:titer|titre|dilution)s?\b[^;.]{0,30}$", re.I)
# a class or grade printed in roman numerals with its bound: "NYHA class II or greater"
GRADED = re.compile(r"\b(?:class|grade|stage|tier)\s+(?P<n>I{1,3}|IV|V)\s+(?P<p>or (?:greater|"
                    r"higher|worse|more|above|less|lower|better|below))\b")
# a class on a named functional scale, printed alone: "NYHA class III HF" (not "class II-IV"),
# or classes named as alternatives, each a value: "NYHA class III or IV"
SCALE_NAME = r"\b(?:NYHA|Heart Association(?: \(NYHA\))?|functional)\s+[Cc]lass\s+"
CLASS_NUMERALS = r"(?:I{1,3}|IV)"  # the classes of a functional scale
SCALE_CLASS = re.compile(rf"{SCALE_NAME}(?P<n>{CLASS_NUMERALS})\b"
                         r"(?!\s*(?:[,/(-]|–|to\b|or\b|and\b|through\b))")
SCALE_CLASSES = re.compile(rf"{SCALE_NAME}(?P<list>(?:{CLASS_NUMERALS}\s*,\s*)*{CLASS_NUMERALS},?"
                           rf"\s+or\s+{CLASS_NUMERALS})\b(?!\s*(?:[/-]|–))")
CLASS_NUMERAL = re.compile(rf"\b{CLASS_NUMERALS}\b")
ROMAN = {"I": 1.0, "II": 2.0, "III": 3.0, "IV": 4.0, "V": 5.0}
# a rank on a growth chart: "less than the 10th percentile"
PERCENTILE = re.compile(r"(?P<num>\d+)(?:st|nd|rd|th)\s+percentile\b", re.I)
# a period counted from a start, with no number: "weekly for the first month" (the first year
# of life is an age)
FIRST_PERIOD = re.compile(r"\bfirst\s+(day|week|month|year)\b(?!\s+of\s+life)", re.I)
# the same with no number, counted back: "a hospitalization in the past year"
LAST_PERIOD = re.compile(rf"\b(?P<p>{'|'.join(p for p in LOOK_BACK_PHRASES if ' ' in p)})\s+"
                         r"(?P<u>day|week|month|year)\b", re.I)


@dataclass(frozen=True)
class Quantity:
    """A measured value as printed: where it is, its number(s), unit and comparator."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str | None  # UCUM, or the counted noun for a count
    unit_text: str | None  # as printed
    kind: Kind
    comparator: Comparator | None
    phrase: str | None  # the comparator's words as printed, lowercase
    of_age: bool = False  # followed by "of age" or "old"
    digits: bool = True  # printed in digits, not words ("two")
    graded: bool = False  # a class on a named scale: "NYHA class III"
    analyte: str | None = None  # what is measured, named after the value: "> 1 OD value"


COMPARATOR_BEFORE = re.compile(rf"(?<![\w-])(?P<comp>{COMPARATOR})\s*$", re.I)


def comparator_before(text: str) -> tuple[Comparator, int] | None:
    """The comparator printed just before a position, and where it starts: "no more than"."""
    m = COMPARATOR_BEFORE.search(text)
    if m is None:
        return None
    phrase = m.group("comp").lower()
    return next(c for p, c in _PHRASES if p == phrase), m.start()


def text_to_quantities(text: str) -> list[Quantity]:
    """Every number with a comparator or a unit, ranges joined, in printed order."""
    found: list[Quantity] = []
    at = 0
    while (m := QUANTITY.search(text, at)) is not None:
        q = _quantity(text, m)
        if q is not None:
            found.append(q)
        # a second number not joined to the first is read on its own: "12 weeks and 2 doses"
        at = max(m.end("num"), q.end if q is not None else 0)
    found += [Quantity(m.start(), m.end(), 1.0, None, TIME_UCUM[m.group(1).lower()],
                       m.group(1), "time", None, None) for m in FIRST_PERIOD.finditer(text)]
    found += [Quantity(m.start(), m.end(), 1.0, None, TIME_UCUM[m.group("u").lower()],
                       m.group("u"), "time", "<=", m.group("p").lower())
              for m in LAST_PERIOD.finditer(text)]
    found += [Quantity(m.start("n"), m.end(), ROMAN[m.group("n")], None, None, None, "noun",
                       POSTFIX_WORSE.get(m.group("p"), POSTFIX.get(m.group("p"))), m.group("p"))
              for m in GRADED.finditer(text)]
    found += [Quantity(m.start("n"), m.end(), ROMAN[m.group("n")], None, None, None, "noun",
                       None, None, graded=True) for m in SCALE_CLASS.finditer(text)]
    found += [Quantity(m.start("list") + n.start(), m.start("list") + n.end(), ROMAN[n.group()],
                       None, None, None, "noun", None, None, graded=True)
              for m in SCALE_CLASSES.finditer(text) for n in CLASS_NUMERAL.finditer(m["list"])]
    found += [_percentile(text, m) for m in PERCENTILE.finditer(text)]
    return list(_join_bounds(text, sorted(found, key=lambda q: q.start)))


def _quantity(text: str, m: re.Match[str]) -> Quantity | None:
    between = m.group("between") is not None
    extra = 0.0  # the days of "32 weeks, 3 days", in weeks
    num2, unit1, unit2 = m.group("num2"), m.group("unit1"), m.group("unit2")
    after_age = not m.group("comp") and not unit1 and AGE_WORD.search(text[:m.start()]) is not None
    sep = (m.group("sep") or "").strip().lower()
    if num2 and ((sep == "and" and not (between or after_age)) or (unit1 and not unit2)
                 or (unit1 and unit2 and _unit(unit1.strip(" -"))[1]
                     != _unit(unit2.strip(" -"))[1])
                 or (sep == "or" and (_unit((unit2 or "").strip(" -") or None)[0] != "time"
                                      or _number(m.group("num")) >= _number(num2)))):
        # "12 weeks and 2 doses" are two; "5 mg to 10" is not a range, nor is "6 months to 2
        # years" one value's; "grade 3 or 4" is no range, "4 or 5 years of age" is
        num2 = unit2 = None
    if m.group("titer"):
        if not (m.group("comp") or TITER_NAMED.search(text[:m.start()])):
            return None
        start = m.start("comp") if m.group("comp") else m.start("titer")
        phrase = (m.group("comp") or "").lower() or None
        post = None if phrase else POSTFIX_RE.match(text[m.end("num"):])
        return Quantity(start, m.end("num") + (post.end() if post else 0), _number(m.group("num")),
                        None, "{titer}", None, "concentration",
                        POSTFIX[post.group("p").lower()] if post else _comparator(phrase),
                        post.group("p").lower() if post else phrase)
    end = m.end("unit2") if unit2 else m.end("num2") if num2 else (
        m.end("unit1") if unit1 else m.end("num"))
    printed = (unit2 or unit1 or "").strip(" -") or None
    comp_text = (m.group("comp") or "").lower()
    start = m.start("comp") if comp_text else m.start("between") if between else m.start("num")
    comparator = _comparator(comp_text)
    kind, unit = _unit(printed)
    if comp_text == "over" and kind == "time" and PERIOD_AFTER.match(text, end) \
            and re.search(r"\ban?\s*$", text[:m.start("num")]):
        comparator, comp_text = "<=", "within"  # "over a 12-month period": the past it spans
    aged = (after_age or m.group("age") is not None) and printed is None
    if aged:
        kind, unit = "time", "a"
    post = POSTFIX_RE.match(text[end:]) if printed is None and not aged else None
    if post:  # "2 or more relapses"
        end += post.end()
    if num2 and SCALE_AFTER.match(text, end):  # "on a 1-10 pain scale" names the scale
        return None
    analyte = None
    graded_plus = GRADE_PLUS.match(text, end) if printed is None and not aged else None
    if graded_plus:  # a grade on a scale of pluses: "DAT ≤ 1 +", "proteinuria ≥ 2+"
        end = graded_plus.end()
    if printed is None and not aged and not graded_plus:
        noun = noun_after(text, end)
        hourly = HOURLY.match(text, noun[1]) if noun is not None else None
        if hourly:  # "RDI ≤ 50 events per hour": an index, not a count
            printed, unit, kind, end = text[end:hourly.end()].strip(" -"), "/h", \
                "concentration", hourly.end()
        elif noun is not None and comparator is not None and noun[0].split()[-1] in MEASURE_NOUNS:
            # a value of one measure, not a number of them: "at least 2 readings" is a count
            return replace(_bare(m, start, end, comparator, comp_text), analyte=noun[0])
        elif noun is not None and noun[0].lower() in ("point", "points") \
                and POINTS_CHANGED.match(text, noun[1]):
            # "at least a 2-point improvement in the MG-ADL score": a change of a score's value
            printed, unit, end = noun[0], None, noun[1]
            analyte = _score_changed(text[end:]) or "score"
        elif noun is not None and noun[0].lower() in ("point", "points") \
                and SCORE_OF.search(text[:start]):
            # "HFMSE score of at least 3 points": the score's value, in its own points
            printed, unit, end = noun[0], None, noun[1]
        elif noun is not None:
            printed, unit, end = noun[0], singular_phrase(noun[0]), noun[1]
    elif kind == "time" and printed:
        printed = printed.split()[-1]
        if TIMED_TEST.match(text[end:]) or SCHEDULE.search(text[:start]):
            return None
        days = WEEKS_DAYS.match(text, end) if unit == "wk" and not num2 else None
        if days and (GESTATION.match(text, days.end()) or GESTATIONAL.search(text[:start])):
            end, extra = days.end(), int(days.group("d")) / 7
    tail = AGE_TAIL.match(text[end:]) if kind == "time" else None
    end += tail.end() if tail else 0
    aged = aged or tail is not None or (kind == "time" and GESTATION.match(text, end) is not None)
    if post is None and comparator is None:
        post = POSTFIX_RE.match(text[end:])
        end += post.end() if post else 0
        rate = PER_PERIOD.match(text[end:]) if post is None and kind == "time" else None
        if rate:  # "4 hours per day or longer": the bound is the time's, the span stays
            post = POSTFIX_RE.match(text[end + rate.end():])
    if post and comparator is None:
        comparator = POSTFIX[re.sub(r"\s+", " ", post.group("p").lower())]
    elif comparator is not None and post is None:
        end += _restated(text, end, comparator)
    worded = AGE_WORD_BOUND.search(text[:start]) if comparator is None and (
        after_age or (kind == "time" and AGE_WORD.search(text[:start]))) else None
    if worded:  # "but not before age 25": the bound is said before the word, the span is the age
        comparator = AGE_BOUNDS[re.sub(r"\s+", " ", worded.group(1).lower())]
        comp_text = worded.group(1).lower()
    bound = AGE_BOUND.search(text[:start]) if aged and comparator is None else None
    if bound:
        comparator, comp_text = AGE_BOUNDS[bound.group(1).lower()], bound.group(1).lower()
        start = bound.start()
    value_max = _number(num2) if num2 else None
    if comparator is None and kind == "noun" and printed and PER_LIFETIME.match(text, end):
        comparator, comp_text = "<=", "per lifetime"
    if comparator is None and not aged and value_max is None and (printed is None or (
            kind == "noun" and not counted(text, start, end, printed, m.group("num"),
                                           _number(m.group("num"))))):
        return None  # "2 relapses": a plain number before a noun says too little
    # a range keeps only a bound printed after it: "2 to 3 years of age or older"
    return Quantity(start, end, round(_number(m.group("num")) + extra, 4), value_max, unit,
                    printed, kind,
                    None if value_max is not None and not post else comparator,
                    comp_text or (post.group("p").lower() if post else None), aged,
                    m.group("num").lstrip("-−")[0].isdigit() or m.group("num")[0] == ".",
                    analyte=analyte)


def _score_changed(after: str) -> str | None:
    """The score a change in points is of: "improvement (reduction in score) in the MG-ADL
    score" → "MG-ADL score"."""
    m = SCORE_CHANGED.search(re.sub(r"\([^()]*\)", "", after[:160]))
    return m.group("score") if m else None


def _bare(m: re.Match[str], start: int, end: int, comparator: Comparator | None,
          phrase: str) -> Quantity:
    return Quantity(start, end, _number(m.group("num")), None, None, None, "noun", comparator,
                    phrase or None)


def _percentile(text: str, m: re.Match[str]) -> Quantity:
    found = comparator_before(re.sub(r"\bthe\s+$", "", text[:m.start()]))
    comparator, start = found if found else (None, m.start())
    return Quantity(start, m.end(), float(m.group("num")), None, "{percentile}", "percentile",
                    "concentration", comparator, text[start:m.start()].strip().lower() or None)


def _restated(text: str, end: int, comparator: Comparator) -> int:
    """The length of a bound said again after the value: "at least 2 years of age and older"."""
    post = POSTFIX_RE.match(text[end:])
    again = POSTFIX[re.sub(r"\s+", " ", post.group("p").lower())] if post else None
    return post.end() if post and again and again[0] == comparator[0] else 0


def _comparator(phrase: str | None) -> Comparator | None:
    phrase = (phrase or "").lower()
    return next((c for p, c in _PHRASES if p == phrase), None)


def _number(text: str) -> float:
    word = text.lower()
    return float(WORD_NUMBERS[word]) if word in WORD_NUMBERS else float(
        word.replace(",", "").replace("−", "-"))


def _unit(text: str | None) -> tuple[Kind, str | None]:
    if text is None:
        return "noun", None
    for pattern, ucum, kind in _UNITS:
        if re.fullmatch(pattern, text, re.I):
            return kind, ucum or _ucum(text, kind)
    return "noun", None


def _ucum(text: str, kind: Kind) -> str:
    word = re.sub(r"\s+", " ", text.lower()).strip()
    strength = STRENGTH.fullmatch(word)
    if strength:  # "100mg/20mL" is 100 mg in 20 mL
        volume = strength.group("ml")
        return f"mg/({volume}.mL)" if volume else "mg/mL"
    if re.search(BSA, word):  # "mmol/24 hr/1.73 m2" and "mmol/1.73 m2 per day" are one unit
        per_day = re.search(PER_DAY, word)
        return _ucum(word.split("/")[0], kind) + "/{1.73_m2}" + ("/d" if per_day else "")
    power = re.match(r"[x×]\s?10\s?(?:\^|\*\*?)?\s?(\S+?)\s?(?:vg|vector genomes)", word)
    if power:  # "× 10^14 vg/kg": UCUM keeps the power in the unit, as in 10*9/L
        return f"10*{power.group(1).translate(SUPERSCRIPTS)}.{{vg}}/kg"
    if kind == "time":
        last = word.split()[-1].rstrip("s'")
        return TIME_UCUM.get(last, last)
    word = re.sub(r"\s*/\s*|\s+per\s+", "/", word).replace("²", "2").replace("³", "3") \
        .replace("^", "")
    for printed, ucum in _UCUM_PARTS:
        word = re.sub(rf"(?<![a-z\[]){re.escape(printed)}s?(?![a-z])", ucum, word)
    return word


def _join_bounds(text: str, found: list[Quantity]) -> Iterator[Quantity]:
    """A lower and an upper bound printed together are one range: "≥ 1% ≤ 2%"."""
    i = 0
    while i < len(found):
        q = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        between = text[q.end:nxt.start] if nxt is not None else ""
        # "≥ 1% ≤ 2%", "≥ 12 to < 24 months of age"; a bare first bound after "to": "age 0 to <
        # 12 months"
        lower = q.comparator in (">=", ">") or (q.comparator is None and q.unit_text is None
                                                 and re.fullmatch(r"\s*to\s*", between))
        if nxt is not None and lower and nxt.comparator in ("<=", "<") \
                and q.value_max is None and nxt.value_max is None \
                and (q.unit == nxt.unit or q.unit_text is None) \
                and re.fullmatch(r"[\s,]*(?:and|to)?\s*", between):
            yield replace(q, end=nxt.end, value_max=nxt.value, unit=nxt.unit,
                          unit_text=nxt.unit_text, kind=nxt.kind, comparator=None,
                          of_age=q.of_age or nxt.of_age)
            i += 2
            continue
        yield q
        i += 1
