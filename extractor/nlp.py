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

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, filter_spans

from extractor.model import Comparator, Entity, EntityLabel
from extractor.reference import LexiconEntry, find_drugs, reference

WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                "eighteen": 18, "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90,
                "single": 1}
TIME_UNITS = ["day", "days", "week", "weeks", "month", "months", "year", "years", "hour",
              "hours", "minute", "minutes", "wk", "wks", "mo", "mos", "yr", "yrs"]
DOSE_UNITS = ["mg", "mcg", "µg", "μg", "g", "gm", "gram", "grams", "ml", "l", "unit", "units",
              "iu", "meq", "mmol", "mg/kg", "mcg/kg", "mg/m2", "mg/m²", "units/kg", "iu/kg",
              "ng", "mbq", "mci", "million"]
DOSE_PER = ["kg", "m2", "m²", "day", "dose", "week", "hour", "ml", "eye", "site"]
ROUTES = ["intravenously", "intravenous", "iv", "subcutaneously", "subcutaneous", "sc", "sq",
          "subq", "orally", "oral", "intramuscularly", "intramuscular", "im", "intravitreally",
          "intravitreal", "intrathecally", "intrathecal", "topically", "topical",
          "intradermally", "intradermal", "intranasally", "intranasal", "intra-articular",
          "intralesional", "intralesionally", "inhaled", "infusion", "injection"]
FREQUENCY_WORDS = ["daily", "weekly", "monthly", "annually", "yearly", "nightly", "biweekly",
                   "bimonthly", "quarterly", "hourly"]
TIMES = ["once", "twice", "thrice"]
AT_LEAST = [["at", "least"], ["a", "minimum", "of"], ["minimum", "of"], ["no", "fewer", "than"],
            ["no", "less", "than"], ["not", "less", "than"], ["≥"], [">="]]
MORE_THAN = [["more", "than"], ["greater", "than"], ["over"], [">"]]
AT_MOST = [["no", "more", "than"], ["not", "more", "than"], ["up", "to"], ["a", "maximum", "of"],
           ["maximum", "of"], ["max", "of"], ["not", "to", "exceed"], ["not", "exceed"],
           ["not", "exceeding"], ["limited", "to"], ["no", "greater", "than"], ["≤"], ["<="],
           ["within"], ["within", "the", "past"], ["within", "the", "last"],
           ["within", "the", "previous"], ["in", "the", "past"], ["in", "the", "last"]]
LESS_THAN = [["less", "than"], ["fewer", "than"], ["under"], ["<"]]
COMPARATORS: list[tuple[list[str], Comparator]] = (
    [(w, ">=") for w in AT_LEAST] + [(w, ">") for w in MORE_THAN]
    + [(w, "<=") for w in AT_MOST] + [(w, "<") for w in LESS_THAN])
LIMIT_WORDS = [w for w, c in COMPARATORS if c == "<=" and w[0] not in ("within", "in")]
COUNT_WORDS = [w for w, c in COMPARATORS if c in (">=", ">", "<")]
NOT_COUNTED = ["of", "the", "a", "an", "and", "or", "to", "in", "on", "for", "with", "*",
               *TIME_UNITS, *DOSE_UNITS, "percent", "%"]
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
               "products", "agents", "lowering", "modulator", "modulators"}
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
}

NUM: dict[str, Any] = {"LIKE_NUM": True}
OPT_RANGE: list[dict[str, Any]] = [
    {"ORTH": {"IN": ["-", "–", "to"]}, "OP": "?"}, {"LIKE_NUM": True, "OP": "?"}]


def _words(words: list[str], op: str | None = None) -> list[dict[str, Any]]:
    return [{"LOWER": w} | ({"OP": op} if op else {}) for w in words]


def _in(words: list[str], op: str | None = None) -> dict[str, Any]:
    return {"LOWER": {"IN": words}} | ({"OP": op} if op else {})


def _unit_tail() -> list[dict[str, Any]]:
    return [_in(DOSE_UNITS), {"ORTH": "/", "OP": "?"}, _in(DOSE_PER, "?")]


def _patterns() -> list[dict[str, Any]]:
    """The EntityRuler's token patterns; where two match, the longer mention wins."""
    p: list[tuple[str, list[dict[str, Any]]]] = []
    number = [NUM, *OPT_RANGE]
    # "no more than 12 months" is a limit, not a duration or a dose
    for comp in [[], *[w for w, _ in COMPARATORS if w not in LIMIT_WORDS]]:
        lead = _words(comp)
        p.append(("DURATION", [*lead, *number, {"ORTH": "-", "OP": "?"},
                               _in(["consecutive", "additional", "continuous", "more",
                                    "further", "full", "calendar", "weeks'"], "?"),
                               _in(TIME_UNITS)]))
        p.append(("DOSE", [*lead, *number, *_unit_tail()]))
        p.append(("AGE", [*lead, *number, _in(["year", "years", "month", "months"]),
                          {"LOWER": {"IN": ["of", "old"]}}, {"LOWER": "age", "OP": "?"}]))
        p.append(("AGE", [*lead, *number, _in(["year", "years", "month", "months"]),
                          {"LOWER": "of"}, {"LOWER": "age"},
                          _in(["or", "and"]), _in(["older", "younger", "above", "over", "greater",
                                                   "less", "under"])]))
        p.append(("AGE", [*lead, *number, _in(["year", "years"]), {"LOWER": "old", "OP": "?"},
                          _in(["or", "and"]), _in(["older", "younger", "above", "over"])]))
        p.append(("AGE", [_in(["age", "aged", "ages"]), *lead, *number,
                          _in(["year", "years", "months"], "?")]))
    for comp in LIMIT_WORDS:
        p.append(("LIMIT", [*_words(comp), *number,
                            _in(["additional", "total", "consecutive"], "?"),
                            {"IS_ALPHA": True, "LOWER": {"NOT_IN": NOT_COUNTED[:5]}},
                            {"ORTH": "/", "OP": "?"}, _in(DOSE_PER, "?")]))
    for comp in COUNT_WORDS:
        p.append(("COUNT", [*_words(comp), NUM,
                            {"IS_ALPHA": True, "LOWER": {"NOT_IN": NOT_COUNTED}}]))
    p.append(("COUNT", [NUM, _in(["or"]), _in(["more", "greater", "fewer", "less"]),
                        {"IS_ALPHA": True, "LOWER": {"NOT_IN": NOT_COUNTED}, "OP": "?"},
                        {"IS_ALPHA": True, "LOWER": {"NOT_IN": NOT_COUNTED}, "OP": "?"}]))
    p.append(("ROUTE", [_in(ROUTES)]))
    p.append(("ROUTE", [_words(["by"])[0], _in(ROUTES[:20]), _in(["infusion", "injection"])]))
    p.append(("FREQUENCY", [_in(["one", "two", "three", "four"]), _in(["time", "times"]),
                            _in(["a", "per", "every", "each"], "?"),
                            _in(["day", "week", "month", "year", "daily", "weekly", "monthly",
                                 "yearly", "annually"], "?")]))
    p.append(("FREQUENCY", [_in(TIMES), _in(["a", "per", "every", "each"], "?"),
                            _in(["day", "week", "month", "year", "daily", "weekly", "monthly",
                                 "yearly", "annually"], "?")]))
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
    nlp = spacy.blank("en")
    tokenizer: Tokenizer = nlp.tokenizer
    defaults: Any = nlp.Defaults
    tokenizer.prefix_search = compile_prefix_regex(
        [*defaults.prefixes, r"≥", r"≤", r"<", r">", r"~"]).search
    units = "|".join(re.escape(u) for u in sorted(DOSE_UNITS, key=len, reverse=True))
    tokenizer.infix_finditer = compile_infix_regex(
        [*defaults.infixes, rf"(?<=\d)(?=(?:{units})\b)", r"(?<=[a-z])/(?=[a-z0-9])"]).finditer
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False})
    ruler.add_patterns(_patterns())  # type: ignore[attr-defined]
    regimens = Matcher(nlp.vocab)
    regimens.add("REGIMEN", _regimen_patterns(), greedy="LONGEST")
    return Annotator(nlp, regimens)


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
        surface = " ".join(tokens[start:end])
        if len(surface) < 3 or surface.lower() in NOT_DRUGS or not is_drug(entry):
            continue
        if surface.isupper() and len(surface) <= 5:
            continue
        if _after(lower, end) in NOT_A_DRUG_AFTER or (start and lower[start - 1] in LAB_BEFORE):
            continue
        name = generic_name(entry)
        generic = entry.is_brand is False or _same(surface, name)
        if surface[0].islower() and not generic and end - start == 1 and len(surface) < 9:
            continue  # a brand printed as an ordinary word ("luminal")
        yield start, end, surface.lower() if generic or surface[0].islower() else name


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
    return re.sub(rf"\s+({'|'.join(FORMS)})$", "", name)


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
        matcher.add(name, [nlp.make_doc(name)])
    return matcher


def _entities(ann: Annotator, doc: Doc, printed_matcher: PhraseMatcher,
              printed: dict[str, str]) -> list[Entity]:
    drugs = _drug_spans(doc, printed_matcher, printed)
    doc.ents = tuple(drugs)
    for _, proc in ann.nlp.pipeline:
        doc = proc(doc)
    doc.ents = tuple(_no_stray_codes(doc))
    found = [_entity(span) for span in doc.ents]
    regimens = filter_spans([Span(doc, s, e, label="REGIMEN") for _, s, e in ann.regimens(doc)])
    found += [Entity(label="regimen", text=r.text, start=r.start_char, end=r.end_char)
              for r in regimens]
    _authorization_limits(doc.text, found)
    return sorted(found, key=lambda e: (e.start, -e.end, e.label))


def _drug_spans(doc: Doc, matcher: PhraseMatcher, printed: dict[str, str]) -> list[Span]:
    spans = [Span(doc, s, e, label="DRUG", kb_id=printed[doc.vocab.strings[m]])
             for m, s, e in matcher(doc)]
    tokens = [t.text for t in doc]
    for start, end, name in lexicon_drugs(tokens):
        whole, matched = _whole_name(doc, start, end), doc[start:end].text.lower()
        if whole.text.lower() != matched and name == matched:
            name = whole.text.lower()  # as printed: "natalizumab-sztn", "6-mercaptopurine"
        spans.append(Span(doc, whole.start, whole.end, label="DRUG", kb_id=name))
    return filter_spans(spans)


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
        if span.label_ != "CODE" or HCPCS.fullmatch(text) or CPT.fullmatch(text) \
                or _icd10_valid(text):
            yield span


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
    values = _numbers(span)
    value = values[0] if values else (1.0 if label == "frequency" and "once" in text else None)
    return Entity(**base, value=value, value_max=values[1] if len(values) > 1 else None,
                  unit=_unit(span, label), comparator=_comparator(span, label))


def _code_system(code: str) -> str:
    if HCPCS.fullmatch(code):
        return "HCPCS"
    return "CPT" if CPT.fullmatch(code) else "ICD-10-CM"


def _numbers(span: Span) -> list[float]:
    values: list[float] = []
    for token in span:
        word = token.lower_
        if word in WORD_NUMBERS:
            values.append(float(WORD_NUMBERS[word]))
        elif token.like_num:
            try:
                values.append(float(word.replace(",", "")))
            except ValueError:
                continue
        elif word == "twice":
            values.append(2.0)
    return values


def _unit(span: Span, label: str) -> str | None:
    words = [t.lower_ for t in span]
    if label in ("duration", "age", "frequency"):
        unit = next((w for w in reversed(words) if w in TIME_UNITS), None)
        if unit is None and label == "age":
            return "year"
        return _singular(_TIME_ABBREV.get(unit, unit)) if unit else _frequency_unit(words)
    if label == "dose":
        start = next(i for i, w in enumerate(words) if w in DOSE_UNITS)
        return "".join(words[start:]).replace("μg", "mcg").replace("µg", "mcg")
    if label in ("limit", "count"):
        tail = [t for t in span if t.is_alpha or t.text == "/"]
        nouns = [t.lower_ for t in tail if t.lower_ not in _COMPARATOR_WORDS]
        return _singular("".join(nouns[-3:]) if "/" in nouns else (nouns[-1] if nouns else ""))\
            or None
    return None


_TIME_ABBREV = {"wk": "week", "wks": "week", "mo": "month", "mos": "month", "yr": "year",
                "yrs": "year"}
_COMPARATOR_WORDS = {w for words, _ in COMPARATORS for w in words} | {"more", "greater", "or"}



def _frequency_unit(words: list[str]) -> str | None:
    for word in words:
        for stem, unit in (("dai", "day"), ("week", "week"), ("month", "month"),
                           ("year", "year"), ("annual", "year"), ("night", "day"),
                           ("hour", "hour")):
            if word.startswith(stem):
                return unit
    return None


def _singular(word: str) -> str:
    if word in ("mg", "mcg", "iu") or not word.endswith("s") or word.endswith(("ss", "us")):
        return word
    return word[:-3] + "y" if word.endswith("ies") else word[:-1]


def _comparator(span: Span, label: str) -> Comparator | None:
    text = " ".join(t.lower_ for t in span)
    if label == "age":
        if re.search(r"\b(or|and) (older|above|over|greater)\b", text):
            return ">="
        if re.search(r"\b(or|and) (younger|less|under)\b", text):
            return "<="
    for words, comp in sorted(COMPARATORS, key=lambda c: -len(c[0])):
        if re.match(rf"(age[sd]? )?{re.escape(' '.join(words))}(?=\s|$)", text):
            return comp
    if label == "count" and re.search(r"\bor (more|greater)\b", text):
        return ">="
    if label == "count" and re.search(r"\bor (fewer|less)\b", text):
        return "<="
    return "=" if label in ("age", "count", "limit") else None


def _authorization_limits(text: str, found: list[Entity]) -> None:
    """"Authorization is for 12 months": the period an approval lasts is a limit."""
    if not re.search(r"\bauthori[sz]", text, re.I):
        return
    for i, e in enumerate(found):
        before = text[:e.start].rstrip().lower()
        if e.label == "duration" and e.comparator is None and before.endswith(" for"):
            found[i] = e.model_copy(update={"label": "limit", "comparator": "<="})
