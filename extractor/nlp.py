"""Clinical entities in criterion text: drugs, doses, regimens, durations, limits, ages, codes.

A blank spaCy English pipeline with rule components only, built once per process: the drug
names first (drug_names.py: the drug-named-entity-recognition lexicon, the brand/generic pairs
the document itself prints, USAN stems), an EntityRuler with token patterns for the measurable
mentions, and a Matcher that joins a dose with its route, frequency and duration into a
regimen. Numbers, units and comparators are then read from each mention (quantities.py,
measures.py); the word lists are in vocabulary.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from extractor.drug_names import drug_spans, printed_matcher
from extractor.measures import quantity_to_entity
from extractor.model import Entity, EntityLabel
from extractor.quantities import WORD_NUMBERS, comparator_before, text_to_quantities
from extractor.reference import reference
from extractor.spacy_rules import (
    Doc,
    Language,
    Matcher,
    PhraseMatcher,
    Span,
    SpecialCasesOnDemand,
    Tokenizer,
    filter_spans,
    spacy,
)
from extractor.vocabulary import (
    CPT,
    DEVICE_FORMS,
    DOSAGE_FORMS,
    DOSE_UNITS,
    FORMS_GIVEN,
    FREQUENCY_WORDS,
    HCPCS,
    ICD10,
    INTRA,
    ORGAN_ROUTES,
    PREPARATIONS,
    ROUTE_ADJECTIVES,
    ROUTE_ADVERBS,
    ROUTE_USE,
    ROUTES,
    TIME_UNITS,
    TIMES,
)

LABELS: dict[str, EntityLabel] = {
    "DRUG": "drug", "DOSE": "dose", "ROUTE": "route", "FREQUENCY": "frequency",
    "DURATION": "duration", "LIMIT": "limit", "COUNT": "count", "AGE": "age", "CODE": "code",
    "WEIGHT": "weight", "LAB": "lab",
}

OPT_RANGE: list[dict[str, Any]] = [
    {"ORTH": {"IN": ["-", "–", "to"]}, "OP": "?"}, {"LIKE_NUM": True, "OP": "?"}]


def _in(words: list[str], op: str | None = None) -> dict[str, Any]:
    return {"LOWER": {"IN": words}} | ({"OP": op} if op else {})


def _patterns() -> list[dict[str, Any]]:
    """The EntityRuler's token patterns; measured values are read by the quantities component."""
    p: list[tuple[str, list[dict[str, Any]]]] = []
    periods = _in(["day", "week", "month", "year", "daily", "weekly", "monthly", "yearly",
                   "annually"], "?")
    p.append(("ROUTE", [_in(ROUTES)]))
    # a route and its form are one route: "intravenous infusion", "intravitreal injection",
    # "intravenous (IV) infusion", "intra-articular injection"
    abbreviated = [{"ORTH": "("}, _in(ROUTE_ADJECTIVES), {"ORTH": ")"}]
    for route in ([_in(ROUTE_ADJECTIVES)], [_in(["intra"]), {"ORTH": "-"}, _in(INTRA)]):
        p.append(("ROUTE", [*route, _in(FORMS_GIVEN + DOSAGE_FORMS)]))
        p.append(("ROUTE", [*route, *abbreviated, _in(FORMS_GIVEN, "?")]))
    p.append(("ROUTE", [_in(ROUTE_ADVERBS), *abbreviated]))  # "intramuscularly (IM)"
    p.append(("ROUTE", [_in(["intra"]), {"ORTH": "-"}, _in(INTRA)]))
    # a part of the body with a medicine's form or use: "nasal spray", "for ophthalmic use"
    p.append(("ROUTE", [_in(ORGAN_ROUTES), _in([f for f in DOSAGE_FORMS
                                                 if f not in DEVICE_FORMS])]))
    p.append(("ROUTE", [_in(ORGAN_ROUTES)]))
    p.append(("ROUTE", [_in(["by"]), _in(["mouth"])]))
    # a dosage form named for its route: "Solution for Injection", "Powder for Infusion"
    p.append(("ROUTE", [_in(PREPARATIONS), _in(["for"]), _in(FORMS_GIVEN)]))
    for number in (_in(list(WORD_NUMBERS)), {"IS_DIGIT": True}):  # "two times", "8 times"
        p.append(("FREQUENCY", [number, _in(["time", "times"]),
                                _in(["a", "per", "every", "each"], "?"), periods]))
    p.append(("FREQUENCY", [_in(TIMES), _in(["a", "per", "every", "each"], "?"), periods]))
    p.append(("FREQUENCY", [_in(TIMES, "?"), _in(["every", "each", "per", "q"]),
                            _in(["other"], "?"), {"LIKE_NUM": True, "OP": "?"}, *OPT_RANGE,
                            _in(TIME_UNITS)]))
    # an interval named as such: "at 2-week intervals"
    p.append(("FREQUENCY", [{"LIKE_NUM": True}, {"ORTH": "-", "OP": "?"}, _in(TIME_UNITS),
                            _in(["interval", "intervals"])]))
    p.append(("FREQUENCY", [_in(FREQUENCY_WORDS)]))
    p.append(("FREQUENCY", [_in(TIMES)]))
    q_interval = r"q\d+(h|d|w|wk|wks|m|mo)"
    p.append(("FREQUENCY", [{"LOWER": {"REGEX": rf"^{q_interval}$"}}]))
    # "Q4W" has a code's shape
    code = rf"^(?!(?i:{q_interval})$)(?:{HCPCS.pattern}|{ICD10.pattern}|\d{{4}}[FTU])$"
    p.append(("CODE", [{"TEXT": {"REGEX": code}}]))
    return [{"label": label, "pattern": pattern} for label, pattern in p]


REGIMEN_PARTS = ["ROUTE", "FREQUENCY", "DURATION", "LIMIT"]
REGIMEN_GLUE = ["for", "then", "and", ",", "over", "via", "as", "an", "a", "by", "given"]


def _regimen_patterns() -> list[list[dict[str, Any]]]:
    """A dose followed by one to four of its route, frequency and duration; a dose and a route
    alone ("2.5mg/mL Solution for Injection") say no more than the two of them."""
    dose = [{"ENT_TYPE": "DOSE", "OP": "+"}]
    glue = {"LOWER": {"IN": REGIMEN_GLUE}, "OP": "*"}

    def entity(labels: list[str]) -> list[dict[str, Any]]:  # one whole entity
        return [glue, {"ENT_TYPE": {"IN": labels}, "ENT_IOB": "B"},
                {"ENT_TYPE": {"IN": labels}, "ENT_IOB": "I", "OP": "*"}]

    part, timed = entity(REGIMEN_PARTS), entity([p for p in REGIMEN_PARTS if p != "ROUTE"])
    return [dose + timed, *(dose + part * n for n in range(2, 5))]


@dataclass(frozen=True)
class Annotator:
    """The spaCy pipeline and matchers, built once."""

    nlp: Language
    regimens: Matcher


@functools.cache
def annotator() -> Annotator:
    """Build the pipeline on first use; every later call reuses it."""
    nlp = _policy_english()()
    nlp.tokenizer = SpecialCasesOnDemand(
        nlp.tokenizer, spacy.util.get_lang_class("en").Defaults.tokenizer_exceptions)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False})
    ruler.add_patterns(_patterns())  # type: ignore[attr-defined]
    nlp.add_pipe("quantities")
    regimens = Matcher(nlp.vocab)
    regimens.add("REGIMEN", _regimen_patterns(), greedy="LONGEST")
    return Annotator(nlp, regimens)


def _policy_english() -> type[Language]:
    """English whose tokenizer also splits comparators off numbers, units off doses, and a
    slash off the names it joins: "(plasma-derived)/von Willebrand Factor Complex".

    Set as language defaults, so the tokenizer is built once; its special cases are given on
    demand (SpecialCasesOnDemand).
    """
    english: Any = spacy.util.get_lang_class("en")
    units = "|".join(re.escape(u) for u in sorted(DOSE_UNITS, key=len, reverse=True))

    class Defaults(english.Defaults):  # type: ignore[misc]
        prefixes = (*english.Defaults.prefixes, r"≥", r"≤", r"<", r">", r"~")
        infixes = (*english.Defaults.infixes, rf"(?<=\d)(?=(?:{units})\b)",
                   r"(?<=[a-z])/(?=[a-zA-Z0-9])", r"(?<=[a-z])\)(?=/)", r"(?<=\))/(?=[a-zA-Z])")
        tokenizer_exceptions: ClassVar[dict[str, Any]] = {}  # given on demand

    class PolicyEnglish(english):  # type: ignore[misc]
        lang = "en"

    PolicyEnglish.Defaults = Defaults
    return PolicyEnglish


def annotate(texts: Iterable[str], printed: dict[str, str] | None = None) -> list[list[Entity]]:
    """The entities of each text; printed maps names the document pairs (lowercase) to generics."""
    ann = annotator()
    matcher = printed_matcher(ann.nlp, printed or {})
    tokenizer: Tokenizer = ann.nlp.tokenizer
    return [_entities(ann, doc, matcher, printed or {}) for doc in tokenizer.pipe(texts)]


def _entities(ann: Annotator, doc: Doc, matcher: PhraseMatcher,
              printed: dict[str, str]) -> list[Entity]:
    drugs = drug_spans(doc, matcher, printed)
    doc.ents = tuple(drugs)
    for _, proc in ann.nlp.pipeline:
        doc = proc(doc)
    doc.ents = tuple(_no_stray_codes(doc))
    measured: dict[tuple[int, int], Entity] = doc.user_data.get(MEASURES, {})
    found = [measured.get((span.start, span.end)) or _entity(span) for span in doc.ents]
    regimens = filter_spans([Span(doc, s, e, label="REGIMEN") for _, s, e in ann.regimens(doc)])
    found += [Entity(label="regimen", text=r.text, start=r.start_char, end=r.end_char)
              for r in regimens]
    _authorization_limits(doc.text, found)
    return sorted(found, key=lambda e: (e.start, -e.end, e.label))


MEASURES = "measures"


@Language.component("quantities")
def quantities_component(doc: Doc) -> Doc:
    """Measured values as entities: a value wins over a frequency or route it overlaps, never
    over a drug or a code; the entity itself keeps the exact characters of the value."""
    measured: dict[tuple[int, int], Entity] = {}
    spans: list[Span] = []
    text = doc.text  # joined from the tokens at every call
    for q in text_to_quantities(text):
        entity = quantity_to_entity(text, q)
        span = doc.char_span(q.start, q.end, label=entity.label.upper(),
                             alignment_mode="expand") if entity else None
        if entity is None or span is None:
            continue
        spans.append(span)
        measured.setdefault((span.start, span.end), entity)
    # two values whose tokens overlap ("between 1988 and 2021"): the longer is the value
    spans = filter_spans(spans)
    # a frequency holds its interval: "every 4 weeks" is no duration
    spans = [s for s in spans if not any(e.label_ == "FREQUENCY" and e.start <= s.start < e.end
                                         for e in doc.ents)]
    kept = [e for e in doc.ents if e.label_ in ("DRUG", "CODE")
            or not any(s.start < e.end and e.start < s.end for s in spans)]
    spans = [s for s in spans if not any(s.start < e.end and e.start < s.end for e in kept)]
    doc.ents = tuple(sorted([*kept, *spans], key=lambda s: s.start))
    doc.user_data[MEASURES] = {k: v for k, v in measured.items()
                               if any((s.start, s.end) == k for s in spans)}
    return doc


def _no_stray_codes(doc: Doc) -> Iterator[Span]:
    """A code-shaped word counts as a code when the code sets know it."""
    for span in doc.ents:
        text = span.text
        if span.label_ == "FREQUENCY" and _not_a_frequency(doc, span):
            continue
        if span.label_ == "ROUTE" and _not_a_route(doc, span):
            continue
        if span.label_ == "DRUG" and _measured(doc, span):
            continue
        if span.label_ != "CODE" or HCPCS.fullmatch(text) or CPT.fullmatch(text) \
                or (_icd10_valid(text) and not _named(doc, span.start)):
            yield span


ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "class", "stage", "grade", "type", "bethesda"}
# what "oral" or "intravenous" names when it is no route: "oral cavity", "epidural lysis of
# adhesions"
NOT_ROUTED = {"cavity", "mucosa", "mucositis", "ulcers", "surgery", "surgeon", "hygiene",
              "appliance", "appliances", "health", "lesions", "contraceptives", "contraceptive",
              "pressure", "lens", "lenses", "hemorrhage", "hematoma", "tumor", "tumors",
              "space", "inflammation", "disease", "pain", "fusion", "abscess", "lysis",
              "adhesions", "adhesiolysis", "neurolysis", "anesthesia", "analgesia", "fibrosis"}
# "injection" and "infusion" are a route after a drug or a route word, else a procedure
ROUTE_LEAD = {"by", "via", "as", "for", "extended-release", "release", ")", "®", "™"}
MEASURED = {"COUNT", "LAB", "DURATION", "LIMIT", "DOSE"}


def _not_a_route(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1] if span.start else None
    after = doc[span.end] if span.end < len(doc) else None
    text = span.text
    if text == "IV":  # a roman numeral in "class II, III, or IV", "class II-IV", "III/IV"
        near = {t.lower_ for t in [*doc[max(0, span.start - 3):span.start],
                                   *doc[span.end:span.end + 1]]}
        return bool(near & ROMAN)
    if after is not None and after.lower_ in NOT_ROUTED:
        return True
    if span.end - span.start == 1 and span[0].lower_ in ORGAN_ROUTES:
        return after is None or after.lower_ not in ROUTE_USE
    if text.lower() == "injectable":  # "injectable testosterone", not "self-injectable drugs"
        return after is None or after.ent_type_ != "DRUG" or (before is not None
                                                             and before.text in ("-", "self"))
    if span.end - span.start == 1 and span[0].lower_ in ("injection", "infusion"):
        return before is None or not (before.ent_type_ in ("DRUG", "ROUTE")
                                      or before.lower_ in ROUTE_LEAD or before.lower_ in ROUTES)
    return False


def _measured(doc: Doc, span: Span) -> bool:
    """A name its lab value follows is the analyte: "factor VIII greater than 0.6 Bethesda
    units", "normal factor VIII (< 0.01 IU/mL)"."""
    after = span.end + (span.end < len(doc) and doc[span.end].text in ("(", ":"))
    return after < len(doc) and doc[after].ent_type_ == "LAB" and doc[after].ent_iob_ == "B"


def _not_a_frequency(doc: Doc, span: Span) -> bool:
    """"activities of daily living"; "15 headache days per month" is a count, not a dosing."""
    if doc[span.end:span.end + 1].text.lower() == "living":
        return True
    before = doc[span.start - 1] if span.start else None
    return span[0].lower_ == "per" and before is not None and before.ent_type_ in MEASURED


def _named(doc: Doc, start: int) -> bool:
    previous = doc[start - 1] if start else None
    return previous is not None and previous.is_alpha and previous.text[0].isupper() \
        and previous.lower_ not in CODE_LEAD_INS


# a capitalized word before a code-shaped name makes it a name: "Parvovirus B19", "Factor V"
CODE_LEAD_INS = {"icd-10", "icd-10-cm", "code", "codes", "diagnosis", "diagnoses", "and", "or",
                 "see", "to", "with", "of"}


def _icd10_valid(code: str) -> bool:
    return reference().icd10(code) is not None


def _entity(span: Span) -> Entity:
    label = LABELS[span.label_]
    text = span.text
    base: dict[str, Any] = {"label": label, "text": text, "start": span.start_char,
                            "end": span.end_char}
    if label == "drug":
        return Entity(**base, name=span.kb_id_ or None)
    if label == "code":
        return Entity(**base, name=_code_system(text))
    if label == "frequency":
        return _compared(span.doc.text, Entity(**base, **_frequency(text.lower())))
    return Entity(**base)


# how often an interval may come, said as a bound on the interval: "no more frequently than"
INTERVAL_BOUND = re.compile(r"\bnot?\s+(more|less)\s+(?:frequent(?:ly)?|often)\s+than\s*$",
                            re.I)


def _compared(text: str, entity: Entity) -> Entity:
    """A rate under a cap keeps it: "no more than 4 times per month" is at most 4 /mo. (An
    interval does not: "at least once every 6 months" bounds the rate, not the 6 months; but
    "no more frequently than every 12 weeks" bounds the interval: at least 12 weeks.)"""
    rate = entity.unit is not None and entity.unit.startswith("/")
    found = comparator_before(text[:entity.start]) if rate else None
    spaced = INTERVAL_BOUND.search(text[:entity.start]) if not rate else None
    if spaced:  # "no more frequently than every 12 weeks": 12 weeks apart at least
        found = (">=" if spaced.group(1).lower() == "more" else "<=", spaced.start())
    if found is None:
        return entity
    comparator, start = found
    return entity.model_copy(update={"comparator": comparator, "start": start,
                                     "text": text[start:entity.end]})


def _code_system(code: str) -> str:
    if HCPCS.fullmatch(code):
        return "HCPCS"
    return "CPT" if CPT.fullmatch(code) else "ICD-10-CM"


PERIODS = {"day": "d", "dai": "d", "night": "d", "week": "wk", "month": "mo", "year": "a",
           "annual": "a", "hour": "h", "quarter": "mo", "minute": "min", "w": "wk",
           "d": "d", "h": "h", "m": "mo", "wk": "wk", "mo": "mo"}
INTERVAL = re.compile(r"\b(?:every|each|q)\s*(other\s+)?(\d+(?:\.\d+)?)?(?:\s*(?:-|–|to)\s*"
                      r"(\d+))?\s*(day|week|month|year|hour|minute)|^q(\d+)(wk|mo|h|d|w|m)\b|"
                      r"^(\d+(?:\.\d+)?)\s*-?\s*(day|week|month|year|hour|minute)s?\s+interval")

# a rate over a number of periods: "per 12 months"
PER_PERIODS = re.compile(r"\bper\s+(\d+(?:\.\d+)?)\s*(day|week|month|year|hour|minute)")


def _frequency(text: str) -> dict[str, Any]:
    """An interval ("every 4 weeks": 4 wk) or a rate ("twice weekly": 2 /wk)."""
    m = INTERVAL.search(text)
    if m and m.group(5):
        return {"value": float(m.group(5)), "unit": PERIODS[m.group(6)]}
    if m and m.group(7):
        return {"value": float(m.group(7)), "unit": PERIODS[m.group(8)]}
    if m:
        value = 2.0 if m.group(1) else float(m.group(2) or 1)
        return {"value": value, "value_max": float(m.group(3)) if m.group(3) else None,
                "unit": PERIODS[m.group(4)]}
    times = re.search(r"\b(once|twice|thrice|\w+)\s+times?\b|\b(once|twice|thrice)\b", text)
    word = (times.group(1) or times.group(2)) if times else None
    value = {"once": 1.0, "twice": 2.0, "thrice": 3.0}.get(word or "") or float(
        word if word and word.isdigit() else WORD_NUMBERS.get(word or "", 1))
    per = PER_PERIODS.search(text)
    if per:  # "per 12 months" is every 12 months; "twice per 12 months" two in 12 months
        n, unit = float(per.group(1)), PERIODS[per.group(2)]
        return {"value": n, "unit": unit} if value == 1 else {
            "value": value, "unit": f"/({per.group(1)}.{unit})"}
    if text in ("biweekly", "bimonthly"):
        return {"value": 2.0, "unit": PERIODS[text[2:-2]]}
    if text == "quarterly":
        return {"value": 3.0, "unit": "mo"}
    period = next((u for stem, u in PERIODS.items() if len(stem) > 2 and stem in text), None)
    return {"value": value, "unit": "/" + period if period else None}


# an approval and how long it lasts: "Authorization will be for", "approved for", "Approval
# length:" (not the FDA's)
APPROVAL = re.compile(r"\b(?:(?:re)?authori[sz]ation\b[^.;]*\b(?:is|be|will|for)\b|"
                      r"(?<!FDA )(?<!FDA-)(?:re)?approv(?:ed|e|al)\s+(?:for|length|duration|"
                      r"period)\b)", re.I)


def _authorization_limits(text: str, found: list[Entity]) -> None:
    """"Authorization is for 12 months", "... 3 maintenance doses (12 months)": the period an
    approval lasts is a limit, and so is the number of things it is for ("will be issued for 3
    induction doses")."""
    if not APPROVAL.search(text):
        return
    for i, e in enumerate(found):
        if e.comparator is None and (e.label == "duration" or (
                e.label == "count" and re.search(r"\bfor\s+$", text[:e.start]))):
            found[i] = e.model_copy(update={"label": "limit", "comparator": "<="})
