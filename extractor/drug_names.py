"""Drug names in tokens: the drug-named-entity-recognition lexicon, the brand/generic pairs the
document prints, and names built from USAN stems, grown to the printed name and kept apart from
the substances a lab measures or the body makes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from extractor.drug_stems import stem_drug_spans
from extractor.reference import LexiconEntry, find_drugs, reference
from extractor.spacy_rules import STOP_WORDS, Doc, Language, PhraseMatcher, Span, filter_spans
from extractor.vocabulary import (
    ENDOGENOUS,
    ENGLISH_NOUN,
    FORMS,
    GREEK,
    LAB_AFTER,
    LAB_BEFORE,
    NAME_PREFIXES,
    NOT_A_DRUG_AFTER,
    NOT_BRANDS,
    NOT_DRUGS,
    PARTICIPLES,
    PRODUCT_CLASSES,
    SALTS,
)

# the name given a drug whose generic neither the document nor the lexicon gives: its entity
# has no name, and it is no entry of the policy's drugs
UNKNOWN_GENERIC = ""
# what a brand's name is followed by to name one of its formulations
FORMULATIONS = {"LAR", "LA", "XR", "ER", "SR", "XL", "CR", "DR", "ODT", "HD", "Depot", "Pen",
                "Liquid", "FX", "Kit"}
# an immunoglobulin's class names an antibody, no product: "Immunoglobulin G4-related disease"
ISOTYPE = re.compile(r"[gaemd][1-4]?")
# the coagulation factors given as products (factor V is named for its Leiden variant)
ROMAN_NUMERAL = re.compile(r"[IVX]+a?")
CLOTTING_FACTOR = re.compile(r"(?:ii|vii|viia|viii|ix|x|xa|xi|xiii)")
# where a product of von Willebrand factor comes from: "(recombinant)", "(human)"
VWF_SOURCES = ("recombinant", "human", "plasma-derived")
# an enzyme named after its substrate: "ALA dehydratase", "thiopurine methyltransferase"
ENZYME = re.compile(r"[a-z]{3,}ase")
NOT_ENZYMES = {"disease", "diseases", "increase", "decrease", "release", "phase", "purchase",
               "database", "showcase", "staircase", "erase", "lease"}


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
        elif end - start == 2 and not is_drug(entry) and normal[start].lower() in SALTS:
            # a salt named first: "sodium phenylbutyrate", filed without an identifier
            entry = _word_drug(normal[start + 1]) or entry
        surface = " ".join(tokens[start:end]).replace(" - ", "-")
        # a salt alone is no drug: "undecanoate" split from its testosterone
        if len(surface) < 3 or surface.lower() in NOT_DRUGS | SALTS or not is_drug(entry):
            continue
        if surface.isupper() and len(surface) <= 5:
            continue
        if is_clotting_factor(lower[start:end]):  # named as printed, not as one INN of it
            continue
        if _after(lower, end) in NOT_A_DRUG_AFTER or _names_a_lab_value(lower, start, end) \
                or _tested(lower, start) \
                or ("globulin" in lower[end - 1] and ISOTYPE.fullmatch(_after(lower, end))):
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
    entry = _word_drug(tokens[start])
    return (entry, start + 1) if entry is not None else None


def _word_drug(word: str) -> LexiconEntry | None:
    entry = reference().drugs([word.lower()]).get(word.lower())
    return entry if entry is not None and is_drug(entry) else None


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
    from extractor.nlp import annotator  # the tokenizer of the pipeline that calls this

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


def printed_matcher(nlp: Language, printed: dict[str, str]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for name in printed:
        matcher.add(name, [nlp.make_doc(n) for n in _marked(name)])
    return matcher


def _marked(name: str) -> list[str]:
    """A name as printed with and without its mark after the first word."""
    m = re.match(r"([^\s-]+)([\s-])(.+)", name)  # "Eylea® HD", "Gamunex®-C"
    if m is None:
        return [name]
    first, joint, rest = m.groups()
    return [name] + [f"{first}{mark}{joint}{rest}" for mark in ("®", "™")]


def drug_spans(doc: Doc, matcher: PhraseMatcher, printed: dict[str, str]) -> list[Span]:
    tokens = [t.text for t in doc]
    lower = [t.lower() for t in tokens]
    # a name the document pairs is still no drug where it names a lab value: "EPO level"
    spans = []
    for m, s, e in matcher(doc):
        key = doc.vocab.strings[m]
        # a brand printed as an ordinary lowercase word is that word: "complete", not Complete®
        if not _names_a_lab_value(lower, s, e) and not (tokens[s][0].islower()
                                                         and printed[key] != key):
            spans.append(Span(doc, s, e, label="DRUG", kb_id=printed[key]))
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
    spans = filter_spans(spans + _clotting_factors(doc, lower))
    spans = filter_spans(spans + stem_drug_spans(
        doc, spans, lambda s, e: lower[s] in ENDOGENOUS or _names_a_lab_value(lower, s, e)
        or _measured_of(lower, s)))
    # a factor's number alone names no product: "factor IX/VIII inhibitors"
    spans = [_with_formulation(doc, span) for span in filter_spans(spans)
             if not ROMAN_NUMERAL.fullmatch(span.text)]
    return filter_spans(spans + coordinated_brands(doc, spans))


def coordinated_brands(doc: Doc, drugs: list[Span]) -> list[Span]:
    """Capitalized names listed with a drug, joined to it by a comma, "or", "and" or "&": the
    lexicon's gaps among brands ("(e.g., PhosLo, Fosrenol, Renvela, Renagel, etc.)", "(e.g.,
    calcitriol, Hectorol, Zemplar)", "Bkemv and Eqpysqli", "Gel-One, GenVisc 850"). The
    generic each stands for is unknown (UNKNOWN_GENERIC), unless the document pairs it."""
    words = _words(doc)
    at = {t: w for w, (s, e) in enumerate(words) for t in range(s, e)}
    taken = {at[t] for span in drugs for t in range(span.start, span.end)}
    found: list[Span] = []
    queue = [(at[span.start], at[span.end - 1] + 1) for span in drugs]
    while queue:
        first, last = queue.pop()
        for name in (_listed_after(doc, words, last, taken),
                     _listed_before(doc, words, first, taken)):
            if name is not None:
                taken |= set(range(*name))
                found.append(Span(doc, words[name[0]][0], words[name[1] - 1][1], label="DRUG",
                                  kb_id=UNKNOWN_GENERIC))
                queue.append(name)
    return found


def _words(doc: Doc) -> list[tuple[int, int]]:
    """The printed words as token ranges: "Gel-One" and "Visco-3" are one word each."""
    words: list[tuple[int, int]] = []
    for token in doc:
        joined = words and not doc[token.i - 1].whitespace_ and (
            token.text == "-" or (doc[token.i - 1].text == "-" and token.text.isalnum()))
        if joined:
            words[-1] = (words[-1][0], token.i + 1)
        else:
            words.append((token.i, token.i + 1))
    return words


LIST_JOINTS = {",", "or", "and", "&", "and/or"}
# what ends a listed name: the next joint, the end of the list or of the text
NAME_ENDS = {",", "or", "and", "&", ")", "]", ";", ".", ":", "etc", "etc."}
# what a list goes on from before a name (a capital after a full stop starts a sentence)
LIST_STARTS = {",", "or", "and", "&", "(", "[", "e.g.", "i.e.", ":"}
MAX_LISTED_WORDS = 2
BRAND_TOKEN = re.compile(r"[A-Z][A-Za-z]*[a-z][A-Za-z]*(?:-[A-Za-z0-9]+)*|[A-Z0-9]{1,3}")


def _listed_after(doc: Doc, words: list[tuple[int, int]], end: int,
                  taken: set[int]) -> tuple[int, int] | None:
    def text(w: int) -> str:
        return _word(doc, words, w)

    i = end
    while i < len(words) and text(i).lower() in LIST_JOINTS:
        i += 1
    if i == end or i - end > 2:
        return None
    last = i
    while last < len(words) and last - i < MAX_LISTED_WORDS and _brand_word(text(last)) \
            and last not in taken:
        last += 1
    if last == i or (last < len(words) and text(last).lower() not in NAME_ENDS):
        return None
    return (i, last) if brand_like(" ".join(text(w) for w in range(i, last))) else None


def _listed_before(doc: Doc, words: list[tuple[int, int]], start: int,
                   taken: set[int]) -> tuple[int, int] | None:
    def text(w: int) -> str:
        return _word(doc, words, w)

    i = start
    while i > 0 and text(i - 1).lower() in LIST_JOINTS:
        i -= 1
    if i == start or start - i > 2 or text(i) != ",":  # "X, Drug" or "X, and Drug"
        return None
    first = i
    while first > 0 and i - first < MAX_LISTED_WORDS and _brand_word(text(first - 1)) \
            and first - 1 not in taken:
        first -= 1
    if first == i or first == 0 or text(first - 1).lower() not in LIST_STARTS:
        return None
    return (first, i) if brand_like(" ".join(text(w) for w in range(first, i))) else None


def _word(doc: Doc, words: list[tuple[int, int]], w: int) -> str:
    return doc[words[w][0]:words[w][1]].text


def _brand_word(text: str) -> bool:
    return BRAND_TOKEN.fullmatch(text) is not None


# an English plural's ending ("Corticosteroids", "Biologics"), not a brand's ("Hymovis")
PLURAL = re.compile(r"[^aiusAIUS]s$")


def brand_like(name: str) -> bool:
    """A name that starts with a capitalized word of a brand's shape: not an abbreviation, a
    plural or an English word's ending."""
    first = name.split()[0]
    # a word the lexicon files, as a drug or a class, is no unknown brand: "Ribavirin and
    # Interferon Therapy" is a heading's capitals
    if reference().drugs([first.lower()]):
        return False
    return re.fullmatch(r"[A-Z][a-z]\w*(?:-\w+)*", first) is not None \
        and not PLURAL.search(first) and first.lower() not in NOT_BRANDS | STOP_WORDS \
        and not ENGLISH_NOUN.search(first.lower())


def _with_formulation(doc: Doc, span: Span) -> Span:
    """A brand with the formulation printed after it is that product: "Sandostatin LAR Depot",
    "Xeljanz XR", "Eylea HD", "Gammagard Liquid"; so is a brand with a second name the lexicon
    does not know, a co-formulation's: "Vyvgart Hytrulo", "Ocrevus Zunovo"."""
    end = span.end
    if not span.text[:1].isupper():
        return span
    if end < len(doc) and doc[end].text not in FORMULATIONS and _second_name(doc, end):
        end += 1
    while end < len(doc) and doc[end].text in FORMULATIONS:
        end += 1
        # "Lupron Depot-Ped"
        while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
            end += 2
    return span if end == span.end else Span(doc, span.start, end, label=span.label,
                                             kb_id=span.kb_id)


def _second_name(doc: Doc, i: int) -> bool:
    """A capitalized word of a brand's shape right after a brand, not a possessive's."""
    after = doc[i + 1].text if i + 1 < len(doc) else ""
    return doc[i - 1].whitespace_ == " " and doc[i].text.isalpha() and brand_like(doc[i].text) \
        and after not in ("'s", "’s", "-")


def _clotting_factors(doc: Doc, lower: list[str]) -> list[Span]:
    """A coagulation factor given as a product: "a factor IX agent", "factor VIIa"; not the
    factor a lab measures ("factor IX activity"), its inhibitors or a deficiency of it."""
    found = []
    for i in range(len(lower) - 1):
        if not is_clotting_factor(lower[i:i + 2]):
            continue
        before, end = lower[max(0, i - 2):i], i + 2
        while end + 1 < len(lower) and lower[end] == "/" and CLOTTING_FACTOR.fullmatch(
                lower[end + 1]):  # "factor IX/VIII inhibitors"
            end += 2
        if _names_a_lab_value(lower, i, end) or _after(lower, end) in NOT_A_DRUG_AFTER \
                or before[-1:] in (["-"], ["anti"]) or {"inhibitor", "inhibitors"} & set(before):
            continue
        found.append(Span(doc, i, i + 2, label="DRUG", kb_id=f"factor {lower[i + 1]}"))
    return found + _willebrand_products(doc, lower) + _antisera(doc, lower)


def _antisera(doc: Doc, lower: list[str]) -> list[Span]:
    """A globulin named for the cells it is raised against is a product: "anti-thymocyte
    globulin", "antithymocyte globulin (equine)"; not "sex hormone-binding globulin"."""
    found = []
    for i, word in enumerate(lower):
        if word != "globulin" or i == 0:
            continue
        if i >= 3 and lower[i - 3:i - 1] == ["anti", "-"]:
            start = i - 3
        elif lower[i - 1].startswith("anti") and len(lower[i - 1]) > 6:
            start = i - 1
        else:
            continue
        name = re.sub(r"^anti-?", "anti-", Span(doc, start, i + 1).text.lower())  # one name
        found.append(Span(doc, start, i + 1, label="DRUG", kb_id=name))
    return found


def is_clotting_factor(words: Sequence[str]) -> bool:
    """Whether the lowercase words name a coagulation factor: "factor viii", "factor viia"
    (which the lexicon files under one of its products, beroctocog alfa)."""
    return len(words) == 2 and words[0] == "factor" and CLOTTING_FACTOR.fullmatch(words[1]) \
        is not None


def _willebrand_products(doc: Doc, lower: list[str]) -> list[Span]:
    """von Willebrand factor given as a product: "von Willebrand Factor Complex", "von
    Willebrand factor (recombinant)"; not the factor a lab measures or a disease names."""
    found = []
    for i in range(len(lower) - 3):
        if lower[i:i + 3] != ["von", "willebrand", "factor"]:
            continue
        if lower[i + 3] == "complex":
            found.append(Span(doc, i, i + 4, label="DRUG", kb_id="von willebrand factor"))
        elif lower[i + 3:i + 6] in (["(", source, ")"] for source in VWF_SOURCES):
            found.append(Span(doc, i, i + 3, label="DRUG", kb_id="von willebrand factor"))
    return found


def _names_a_lab_value(lower: list[str], start: int, end: int) -> bool:
    """"serum erythropoietin (EPO) level": a word of a lab value before or after the name, past
    the parentheses it is printed in; "ALA dehydratase": the substrate of an enzyme."""
    if start and lower[start - 1] == "(" and end < len(lower) and lower[end] == ")":
        start, end = start - 1, end + 1
    return _lab_word(_after(lower, end)) or (start > 0 and lower[start - 1] in LAB_BEFORE) \
        or _valued(lower, end)


# a bound on a concentration right after a name: "growth hormone (GH) ≥ 1 µg/L"
CONCENTRATION_AFTER = re.compile(
    r"(?:≥|≤|>|<|>=|<=|=)\s*\d[\d.,]*\s*(?:[mµμunp]?g|[mµμunp]?mol|m?iu|u)\s*/\s*(?:d?l|ml)\b")


def _valued(lower: list[str], end: int) -> bool:
    """Whether a bound on a concentration follows a name, past its abbreviation."""
    if end < len(lower) and lower[end] == "(" and ")" in lower[end:end + 6]:
        end = lower.index(")", end) + 1
    return CONCENTRATION_AFTER.match(" ".join(lower[end:end + 8])) is not None


def _tested(lower: list[str], start: int) -> bool:
    """A name given as an example of what a test measures: "Hormone testing (e.g., beta-human
    chorionic gonadotropin, ...)"."""
    depth = 0
    for i in range(start - 1, max(start - 40, 0) - 1, -1):
        if lower[i] in (")", "]"):
            depth += 1
        elif lower[i] in ("(", "["):
            if depth == 0:
                return i > 0 and lower[i - 1] in LAB_AFTER and lower[i + 1:i + 2] == ["e.g."]
            depth -= 1
    return False


def _lab_word(word: str) -> bool:
    return word in LAB_AFTER or enzyme_name(word)


def enzyme_name(word: str) -> bool:
    """A word with an enzyme's "-ase", not an English word that ends so: "dehydratase"."""
    return ENZYME.fullmatch(word) is not None and word not in NOT_ENZYMES


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
