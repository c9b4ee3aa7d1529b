"""Clinical entities in criterion text: drugs, doses, regimens, durations, limits, ages, codes.

A blank spaCy English pipeline with rule components only, built once per process: an
EntityRuler with token patterns for the measurable mentions, a drug component backed by the
drug-named-entity-recognition lexicon plus a PhraseMatcher for the brand/generic pairs the
document itself prints, and a Matcher that joins a dose with its route, frequency and
duration into a regimen. Numbers, units and comparators are then read from each mention.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from extractor.drug_stems import stem_drug_spans
from extractor.measures import quantity_to_entity
from extractor.model import Entity, EntityLabel
from extractor.quantities import WORD_NUMBERS, comparator_before, text_to_quantities
from extractor.reference import LexiconEntry, find_drugs, reference
from extractor.spacy_rules import (
    Doc,
    Language,
    Matcher,
    PhraseMatcher,
    Span,
    Tokenizer,
    filter_spans,
    spacy,
)

TIME_UNITS = ["day", "days", "week", "weeks", "month", "months", "year", "years", "hour",
              "hours", "minute", "minutes", "wk", "wks", "mo", "mos", "yr", "yrs"]
DOSE_UNITS = ["mg", "mcg", "µg", "μg", "g", "gm", "gram", "grams", "ml", "l", "unit", "units",
              "iu", "meq", "mmol", "mg/kg", "mcg/kg", "mg/m2", "mg/m²", "units/kg", "iu/kg",
              "ng", "mbq", "mci", "million"]
ROUTES = ["intravenously", "intravenous", "iv", "subcutaneously", "subcutaneous", "sc", "sq",
          "subq", "orally", "oral", "intramuscularly", "intramuscular", "im", "intravitreally",
          "intravitreal", "intrathecally", "intrathecal", "topically", "topical",
          "intradermally", "intradermal", "intranasally", "intranasal", "intra-articular",
          "intralesional", "intralesionally", "inhaled", "infusion", "injection"]
ROUTE_ADJECTIVES = [r for r in ROUTES if not r.endswith("ly") and r not in (
    "infusion", "injection", "inhaled")]
FORMS_GIVEN = ["infusion", "infusions", "injection", "injections"]
# "intra-articular" is three tokens: intra, -, articular
INTRA = ["articular", "arterial", "vitreal", "lesional", "dermal", "muscular", "venous",
         "thecal", "nasal", "ocular", "vesical", "cavernosal", "tympanic", "tumoral"]
FREQUENCY_WORDS = ["daily", "weekly", "monthly", "annually", "yearly", "nightly", "biweekly",
                   "bimonthly", "quarterly", "hourly"]
TIMES = ["once", "twice", "thrice"]
ICD10 = re.compile(r"[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?")
HCPCS = re.compile(r"[A-V]\d{4}")
CPT = re.compile(r"\d{4}[0-9FTU]")
# classes of biologic that are dispensed as products in their own right
PRODUCT_CLASSES = {"immunoglobulins", "immunoglobulins, intravenous"}
SALTS = {"acetate", "carbonate", "hydrochloride", "hcl", "cypionate", "enanthate", "undecanoate",
         "pamoate", "mesylate", "diaspartate", "sodium", "potassium", "sulfate", "phosphate",
         "citrate", "tartrate", "maleate", "succinate", "fumarate", "propionate", "furoate",
         "dipropionate", "mofetil", "pegol", "besylate", "bromide", "chloride", "acetonide",
         "hyclate", "lactate", "embonate", "valerate", "palmitate", "decanoate", "dimeglumine"}
CLASS_AFTER = {"analog", "analogs", "analogue", "analogues", "agonist", "agonists", "antagonist",
               "antagonists", "inhibitor", "inhibitors", "blocker", "blockers", "preparations",
               "products", "agents", "lowering", "modulator", "modulators", "reuptake"}
# Substances the body makes and lab analytes: the lexicon knows them, a policy measures them.
ENDOGENOUS = {"alkaline phosphatase", "serotonin", "norepinephrine", "dopamine", "histamine",
              "triiodothyronine", "thyroxine", "angiopoietin-1", "uric acid", "adiponectin",
              "osteopontin", "mevalonic acid", "glutamic acid", "lactoferrin", "acetylcholine",
              "zinc protoporphyrin", "estrogen", "estrogens", "luteinizing hormone", "cortisol",
              "gonadotropin-releasing hormone", "gonadotropin releasing hormone", "glucose",
              "deoxyadenosine triphosphate", "carbon monoxide", "carbon dioxide", "creatinine",
              "bilirubin", "ferritin", "hemoglobin", "cholesterol", "triglycerides",
              "interleukin-6", "tumor necrosis factor", "cocaine", "medical cannabis",
              "aldosterone", "dehydroepiandrosterone"}
# A name joined to one of these is an adjective: "insulin-treated", "factor X-directed".
PARTICIPLES = re.compile(r"-(?:treated|directed|releasing|associated|induced|related|naive|"
                         r"naïve|dependent|resistant|refractory|based|containing|mediated|"
                         r"experienced|exposed|free|like|specific|positive|negative)$", re.I)
NAME_PREFIXES = re.compile(r"^(?:pre|post|anti|non)-", re.I)
FORMS = ["intramuscular", "subcutaneous", "intravenous", "oral", "injection", "topical",
         "implant", "pellets", "extended-release", "repository"]
LAB_AFTER = {"level", "levels", "concentration", "concentrations", "deficiency", "activity",
             "test", "testing", "antibody", "antibodies", "receptor", "receptors", "count",
             "value", "values", "ratio", "gene", "mutation", "variant", "assay", "titer", "titers",
             "index"}
LAB_BEFORE = {"serum", "plasma", "urine", "urinary", "blood", "fecal", "stool", "anti",
              "endogenous", "circulating"}
NOT_A_DRUG_AFTER = LAB_AFTER | CLASS_AFTER
NOT_DRUGS = {*DOSE_UNITS, *TIME_UNITS, *ROUTES}
GREEK = {"α": "alfa", "β": "beta", "γ": "gamma", "δ": "delta", "ω": "omega", "κ": "kappa"}
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
        p.append(("ROUTE", [*route, _in(FORMS_GIVEN)]))
        p.append(("ROUTE", [*route, *abbreviated, _in(FORMS_GIVEN, "?")]))
    p.append(("ROUTE", [_in(["intra"]), {"ORTH": "-"}, _in(INTRA)]))
    for number in (_in(list(WORD_NUMBERS)), {"IS_DIGIT": True}):  # "two times", "8 times"
        p.append(("FREQUENCY", [number, _in(["time", "times"]),
                                _in(["a", "per", "every", "each"], "?"), periods]))
    p.append(("FREQUENCY", [_in(TIMES), _in(["a", "per", "every", "each"], "?"), periods]))
    p.append(("FREQUENCY", [_in(TIMES, "?"), _in(["every", "each", "per", "q"]),
                            _in(["other"], "?"), {"LIKE_NUM": True, "OP": "?"}, *OPT_RANGE,
                            _in(TIME_UNITS)]))
    p.append(("FREQUENCY", [_in(FREQUENCY_WORDS)]))
    p.append(("FREQUENCY", [_in(TIMES)]))
    p.append(("FREQUENCY", [{"LOWER": {"REGEX": r"^q\d+(h|d|w|wk|wks|m|mo)$"}}]))
    code = rf"^(?:{HCPCS.pattern}|{ICD10.pattern}|\d{{4}}[FTU])$"
    p.append(("CODE", [{"TEXT": {"REGEX": code}}]))
    return [{"label": label, "pattern": pattern} for label, pattern in p]


REGIMEN_PARTS = ["ROUTE", "FREQUENCY", "DURATION", "LIMIT"]
REGIMEN_GLUE = ["for", "then", "and", ",", "over", "via", "as", "an", "a", "by", "given"]


def _regimen_patterns() -> list[list[dict[str, Any]]]:
    """A dose followed by one to four of its route, frequency and duration."""
    dose = [{"ENT_TYPE": "DOSE", "OP": "+"}]
    part = [{"LOWER": {"IN": REGIMEN_GLUE}, "OP": "*"},
            {"ENT_TYPE": {"IN": REGIMEN_PARTS}, "OP": "+"}]
    return [dose + part * n for n in range(1, 5)]


@dataclass(frozen=True)
class Annotator:
    """The spaCy pipeline and matchers, built once."""

    nlp: Language
    regimens: Matcher


@functools.cache
def annotator() -> Annotator:
    """Build the pipeline on first use; every later call reuses it."""
    nlp = _policy_english()()
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False})
    ruler.add_patterns(_patterns())  # type: ignore[attr-defined]
    nlp.add_pipe("quantities")
    regimens = Matcher(nlp.vocab)
    regimens.add("REGIMEN", _regimen_patterns(), greedy="LONGEST")
    return Annotator(nlp, regimens)


def _policy_english() -> type[Language]:
    """English whose tokenizer also splits comparators off numbers and units off doses.

    Set as language defaults, so the tokenizer (and its 4,000 special cases) is built once.
    """
    english: Any = spacy.util.get_lang_class("en")
    units = "|".join(re.escape(u) for u in sorted(DOSE_UNITS, key=len, reverse=True))

    class Defaults(english.Defaults):  # type: ignore[misc]
        prefixes = (*english.Defaults.prefixes, r"≥", r"≤", r"<", r">", r"~")
        infixes = (*english.Defaults.infixes, rf"(?<=\d)(?=(?:{units})\b)",
                   r"(?<=[a-z])/(?=[a-zA-Z0-9])")

    class PolicyEnglish(english):  # type: ignore[misc]
        lang = "en"

    PolicyEnglish.Defaults = Defaults
    return PolicyEnglish


def lexicon_drugs(tokens: list[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, generic name) for every drug the lexicon knows in the tokens.

    A name printed in lowercase is a generic and named as printed ("vitamin D" stays vitamin d);
    a capitalized one is resolved to the lexicon's generic (Rituxan → rituximab). Drug classes
    ("immunosuppressants", "NSAIDs"), bare abbreviations, brand names printed as ordinary
    lowercase words and substances measured as lab values ("serum uric acid level") are not.
    """
    normal = [fold_greek(t) for t in tokens]
    lower = [t.lower() for t in tokens]
    for entry, start, end in find_drugs(normal):
        if end - start == 2 and not is_drug(entry) and normal[start + 1].lower() in SALTS:
            entry, end = _first_word(normal, start) or (entry, end)
        surface = " ".join(tokens[start:end])
        # a salt alone is no drug: "undecanoate" split from its testosterone
        if len(surface) < 3 or surface.lower() in NOT_DRUGS | SALTS or not is_drug(entry):
            continue
        if surface.isupper() and len(surface) <= 5:
            continue
        if _after(lower, end) in NOT_A_DRUG_AFTER or (start and lower[start - 1] in LAB_BEFORE):
            continue
        name = generic_name(entry)
        if name in ENDOGENOUS:
            continue
        generic = entry.is_brand is False or _same(surface, name)
        if surface[0].islower() and not generic and end - start == 1 and len(surface) < 9:
            continue  # a brand printed as an ordinary word ("luminal")
        yield start, end, surface.lower() if generic or surface[0].islower() else name


def _first_word(tokens: list[str], start: int) -> tuple[LexiconEntry, int] | None:
    """The drug a two-word name starts with when the pair is filed as no drug: the lexicon
    has "norethindrone acetate" without an identifier, "norethindrone" with one."""
    entry = reference().drugs([tokens[start].lower()]).get(tokens[start].lower())
    return (entry, start + 1) if entry is not None and is_drug(entry) else None


def _after(lower: list[str], end: int) -> str:
    """The word after a name, past a parenthetical: "deoxyadenosine triphosphate (dATP) levels"."""
    if end < len(lower) and lower[end] == "(" and ")" in lower[end:end + 6]:
        end = lower.index(")", end) + 1
    if end < len(lower) and lower[end] == "-":
        end += 1
    return lower[end] if end < len(lower) else ""


def _same(a: str, b: str) -> bool:
    return re.sub(r"[\W_]+", "", fold_greek(a).lower()) == re.sub(r"[\W_]+", "", b.lower())


def lexicon_generic(name: str) -> str | None:
    """The lexicon's generic name for a drug name or brand, or None when it is unknown."""
    tokens = [t.text for t in annotator().nlp.make_doc(name)]
    found = [d for d in find_drugs([fold_greek(t) for t in tokens])
             if d[1] == 0 and d[2] == len(tokens) and is_drug(d[0])]
    return generic_name(found[0][0]) if found else None


def is_drug(entry: LexiconEntry) -> bool:
    """A product or substance, not a class of drugs, an enzyme, a receptor or a lab analyte."""
    if entry.identified:
        return True
    # otherwise only a peptide or hormone the MeSH tree files as such (insulin, epoetin alfa)
    name, trees = entry.name, entry.mesh_tree
    if name.lower() in PRODUCT_CLASSES:
        return True
    if "," in name or name.lower().endswith("s") or any(t.startswith("D27") for t in trees):
        return False
    return any(t.startswith(("D12.644", "D06")) for t in trees)


def generic_name(entry: LexiconEntry) -> str:
    """The lexicon's name without qualifiers: "alemtuzumab (multiple sclerosis)" → alemtuzumab."""
    name = entry.name.lower()
    name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip(" ,")
    return re.sub(rf"\s+({'|'.join(FORMS)})$", "", name).strip(" ,")


def fold_greek(text: str) -> str:
    """Greek letters as their names, the way drug names are spelled in the lexicon."""
    for letter, word in GREEK.items():
        text = re.sub(rf"{letter}[\s-]?", word + "-", text) if letter in text else text
    return unicodedata.normalize("NFKC", text)


def annotate(texts: Iterable[str], printed: dict[str, str] | None = None) -> list[list[Entity]]:
    """The entities of each text; printed maps names the document pairs (lowercase) to generics."""
    ann = annotator()
    matcher = _printed_matcher(ann.nlp, printed or {})
    tokenizer: Tokenizer = ann.nlp.tokenizer
    return [_entities(ann, doc, matcher, printed or {}) for doc in tokenizer.pipe(texts)]


def _printed_matcher(nlp: Language, printed: dict[str, str]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for name in printed:
        matcher.add(name, [nlp.make_doc(n) for n in _marked(name)])
    return matcher


def _marked(name: str) -> list[str]:
    """A name as printed with and without its mark after the first word: "Eylea® HD"."""
    first, _, rest = name.partition(" ")
    return [name] + ([f"{first}{mark} {rest}" for mark in ("®", "™")] if rest else [])


def _entities(ann: Annotator, doc: Doc, printed_matcher: PhraseMatcher,
              printed: dict[str, str]) -> list[Entity]:
    drugs = _drug_spans(doc, printed_matcher, printed)
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
    for q in text_to_quantities(doc.text):
        entity = quantity_to_entity(doc.text, q)
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


def _drug_spans(doc: Doc, matcher: PhraseMatcher, printed: dict[str, str]) -> list[Span]:
    tokens = [t.text for t in doc]
    lower = [t.lower() for t in tokens]
    # a name the document pairs is still no drug where it names a lab value: "EPO level"
    spans = [Span(doc, s, e, label="DRUG", kb_id=printed[doc.vocab.strings[m]])
             for m, s, e in matcher(doc) if not _names_a_lab_value(lower, s, e)]
    for start, end, name in lexicon_drugs(tokens):
        whole, matched = _whole_name(doc, start, end), doc[start:end].text.lower()
        if PARTICIPLES.search(whole.text) or NAME_PREFIXES.match(whole.text):
            continue
        if whole.start and doc[whole.start - 1].lower_ in ("subcutaneous", "intravenous") \
                and re.search(r"immun\w*\s*globulin", whole.text, re.I):
            whole = doc[whole.start - 1:whole.end]  # a product: "subcutaneous immunoglobulin"
        if whole.text.lower() != matched and name == matched:
            name = whole.text.lower()  # as printed: "natalizumab-sztn", "6-mercaptopurine"
        spans.append(Span(doc, whole.start, whole.end, label="DRUG", kb_id=name))
    spans = filter_spans(spans)
    return filter_spans(spans + stem_drug_spans(
        doc, spans, lambda s, e: lower[s] in ENDOGENOUS or _names_a_lab_value(lower, s, e)
        or _measured_of(lower, s)))


def _names_a_lab_value(lower: list[str], start: int, end: int) -> bool:
    """"serum erythropoietin (EPO) level": a word of a lab value before or after the name, past
    the parentheses it is printed in."""
    if start and lower[start - 1] == "(" and end < len(lower) and lower[end] == ")":
        start, end = start - 1, end + 1
    return _after(lower, end) in LAB_AFTER or (start > 0 and lower[start - 1] in LAB_BEFORE)


def _measured_of(lower: list[str], start: int) -> bool:
    """"levels of testosterone": the thing a lab value measures, named after "of"."""
    return start > 1 and lower[start - 1] == "of" and lower[start - 2] in LAB_AFTER


def _whole_name(doc: Doc, start: int, end: int) -> Span:
    """A lexicon match grown to the printed name: hyphenated prefixes and suffixes, salts."""
    while start > 0 and not doc[start - 1].whitespace_ and _name_part(doc[start - 1].text):
        start -= 1
    while end < len(doc) and not doc[end - 1].whitespace_ and _name_part(doc[end].text):
        end += 1
    if end < len(doc) and doc[end].lower_ in SALTS and doc[start].text[0].islower():
        end += 1
    if doc[start].text == "-":
        start += 1
    if doc[end - 1].text == "-":
        end -= 1
    return doc[start:end]


def _name_part(text: str) -> bool:
    return text == "-" or text.isalnum()


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


ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "class", "stage", "grade", "type", "bethesda", "/",
         "-", "–"}
# what "oral" or "intravenous" names when it is no route: "oral cavity"
NOT_ROUTED = {"cavity", "mucosa", "mucositis", "ulcers", "surgery", "surgeon", "hygiene",
              "appliance", "appliances", "health", "lesions", "contraceptives", "contraceptive"}
# "injection" and "infusion" are a route after a drug or a route word, else a procedure
ROUTE_LEAD = {"by", "via", "as", "for", "extended-release", "release", ")", "®", "™"}
MEASURED = {"COUNT", "LAB", "DURATION", "LIMIT", "DOSE"}


def _not_a_route(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1] if span.start else None
    after = doc[span.end] if span.end < len(doc) else None
    text = span.text
    if text == "IV":  # a roman numeral in "class II, III, or IV"
        near = {t.lower_ for t in [*doc[max(0, span.start - 3):span.start],
                                   *doc[span.end:span.end + 1]]}
        return bool(near & ROMAN)
    if after is not None and after.lower_ in NOT_ROUTED:
        return True
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


def _compared(text: str, entity: Entity) -> Entity:
    """A rate under a cap keeps it: "no more than 4 times per month" is at most 4 /mo. (An
    interval does not: "at least once every 6 months" bounds the rate, not the 6 months.)"""
    rate = entity.unit is not None and entity.unit.startswith("/")
    found = comparator_before(text[:entity.start]) if rate else None
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
                      r"(\d+))?\s*(day|week|month|year|hour|minute)|^q(\d+)(wk|mo|h|d|w|m)\b")


def _frequency(text: str) -> dict[str, Any]:
    """An interval ("every 4 weeks": 4 wk) or a rate ("twice weekly": 2 /wk)."""
    m = INTERVAL.search(text)
    if m and m.group(5):
        return {"value": float(m.group(5)), "unit": PERIODS[m.group(6)]}
    if m:
        value = 2.0 if m.group(1) else float(m.group(2) or 1)
        return {"value": value, "value_max": float(m.group(3)) if m.group(3) else None,
                "unit": PERIODS[m.group(4)]}
    times = re.search(r"\b(once|twice|thrice|\w+)\s+times?\b|\b(once|twice|thrice)\b", text)
    word = (times.group(1) or times.group(2)) if times else None
    value = {"once": 1.0, "twice": 2.0, "thrice": 3.0}.get(word or "") or float(
        word if word and word.isdigit() else WORD_NUMBERS.get(word or "", 1))
    if text in ("biweekly", "bimonthly"):
        return {"value": 2.0, "unit": PERIODS[text[2:-2]]}
    if text == "quarterly":
        return {"value": 3.0, "unit": "mo"}
    period = next((u for stem, u in PERIODS.items() if len(stem) > 2 and stem in text), None)
    return {"value": value, "unit": "/" + period if period else None}


def _authorization_limits(text: str, found: list[Entity]) -> None:
    """"Authorization is for 12 months", "... 3 maintenance doses (12 months)": the period an
    approval lasts is a limit."""
    if not re.search(r"\b(?:re)?authori[sz]ation\b[^.;]*\b(?:is|be|will|for)\b", text, re.I):
        return
    for i, e in enumerate(found):
        if e.label == "duration" and e.comparator is None:
            found[i] = e.model_copy(update={"label": "limit", "comparator": "<="})
