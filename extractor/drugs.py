"""The drugs a Coverage Rationale names, and the entities of every criterion.

Brand and generic names are paired the way the document prints them — "rituximab (Riabni™,
Rituxan®, Ruxience®, & Truxima®)", "Lemtrada (alemtuzumab)" — and otherwise resolved with the
drug-named-entity-recognition lexicon.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from extractor.counted import singular_phrase
from extractor.drug_names import (
    PLURAL,
    UNKNOWN_GENERIC,
    brand_like,
    enzyme_name,
    fold_greek,
    is_clotting_factor,
    lexicon_generic,
)
from extractor.model import (
    CoverageStatement,
    Criterion,
    Drug,
    DrugRole,
    Entity,
    Issue,
    Provenance,
)
from extractor.nlp import annotate
from extractor.roles import lent_role, lists_products, mention_role, statement_role, strongest
from extractor.text import MARKS, TRADEMARKS, TRAILING
from extractor.vocabulary import (
    COMPANY_WORDS,
    ENDOGENOUS,
    ENGLISH_NOUN,
    FORMS,
    NOT_A_GENERIC,
    PACKAGING,
    SALTS,
)

PARENTHETICAL = re.compile(r"\(([^()]{2,160})\)")
BRACKETED = re.compile(r"\[(?P<generic>[^\[\]()]{2,120})(?:\((?P<alias>[^()]{2,60})\))?\s*\]")
# a name in a title's capitals: "Teplizumab-Mzwv", "Onasemnogene Abeparvovec-Xioi"
TITLE_WORD = r"[A-Z][a-z0-9]+(?:-[A-Z][a-z]+)*"
TITLE_CASED = re.compile(rf"{TITLE_WORD}(?: {TITLE_WORD}){{0,3}}")
# a brand printed alone in parentheses: a capitalized word, not an abbreviation ("FeNO", "IgG")
SINGLE_BRAND = re.compile(r"[A-Z][a-z]{3,}(?:[ -][A-Z0-9][\w-]*)?")
UNBRANDED = re.compile(r"^\s*unbranded\s+(?=[A-Z])")
NOT_A_LIST = re.compile(r"^\s*(e\.g\.|i\.e\.|see\b|including\b|such as\b|for example\b)", re.I)
COMBINATION = re.compile(r"\s*/\s*")
LIST_SPLIT = re.compile(r"\s*(?:,|;|&|/|\bor\b|\band\b)\s*")
GENERIC_WORD = re.compile(r"^[a-zα-ω0-9][\w\-]*$")
SYMBOL = re.compile(r"[\w\-]+")
BRAND_WORD = re.compile(r"^[A-Z][\w\-]*[®™]?$")
STOP = {"of", "to", "with", "and", "or", "the", "a", "an", "in", "on", "for", "by", "from", "as",
        "following", "trial", "history", "failure", "intolerance", "therapy", "treatment",
        "including", "use", "dose", "doses", "is", "are", "be", "not", "than", "both", "either",
        "at", "least", "one", "two", "three", "has", "have", "had", "been", "patient", "when",
        "if", "that", "which", "receiving", "received", "treated", "contraindication",
        "contraindicated"}
MAX_NAME_WORDS = 4
MAX_BRAND_WORDS = 3
# the four-letter suffix of a biosimilar's name: "natalizumab-sztn"
BIOSIMILAR = re.compile(r"-[a-z]{4}$")
# (after a generic's name: "k-phos" is a brand, not k with a suffix)
SUFFIX = re.compile(r"(?:(?<=[a-z]{4})|(?<=\(recombinant\)))-\s?([a-z]{4})$")
# the endings the USAN council gives biologics, gene and cell therapies: a lowercase name with
# one after a capitalized brand is that brand's generic ("Elevidys (delandistrogene
# moxparvovec-rokl)")
USAN_STEM = re.compile(r"[a-z]{3,}(?:mab|cept|vec|cel|gene|alfa|beta|kin|stim|tide|rsen|plase|"
                       r"fusp|nib|tug)$")
TRADEMARKED = re.compile(r"(?<![\w-])([A-Z][\w-]*\w(?: [A-Z0-9][\w-]*)?)\s?[®™]")
BRACKETS = re.compile(r"\(([^()]+)\)")
# the words of a HCPCS descriptor's parts that qualify a product, not name it
DESCRIPTOR_WORDS = {*PACKAGING, "biosimilar", "excludes", "per", "dose", "each", "form",
                    "ovine", "bovine", "porcine", "human", "recombinant", "preservative", "free",
                    "liposomal", "pegylated", "non-lyophilized", "purified", "fragmented", "mg",
                    "mcg", "units", "unit", "ml", "not", "otherwise", "specified", "e.g."}
# what a trademarked name in a drug policy names when it is no product: "NCCN Compendium®"
NOT_A_PRODUCT = {"compendium", "compendia", "guidelines", "guideline", "criteria", "database",
                 "registry", "program", "network", "system", "services", "health"}
# a companion diagnostic's name: "DetectCDx", "FoundationOne CDx"
DIAGNOSTIC = re.compile(r"C?Dx\b|\bDX\b")
ROUTED = re.compile(r"^(?:intravenous|subcutaneous|intramuscular|oral)\s+(?=\S)")
# "<generic> products Brand® (IV), Brand® Liquid (IV, SC), and Brand® (SC)"
ROUTE_ABBREVIATIONS = r"(?:IV|SC|SQ|IM)(?:,\s*(?:IV|SC|SQ|IM))*"
ROUTED_BRAND = re.compile(
    rf"([A-Z]\w*[®™](?:-[A-Z0-9]+|\s[A-Z][\w/]*)?)\s*\({ROUTE_ABBREVIATIONS}\)")
PRODUCTS = re.compile(r"\bproducts?:?\s+")
PRODUCT_LIST = re.compile(rf"(?:(?:and\s+)?{ROUTED_BRAND.pattern},?\s*)+")
# the abbreviation a document defines for a drug: "temozolomide (TMZ)", "methotrexate (MTX)"
ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]{1,5}")
# the qualifier USAN names of biologics carry: "fecal microbiota, live-jslm", "ADAMTS13,
# recombinant-krhn"; a name with one is a generic
QUALIFIER = re.compile(r",\s*(?:live|recombinant|human|plasma-derived)(?=-[a-z]{4}$|$)")
# where a biologic comes from, printed after its name: "antihemophilic factor (human)"
SOURCES = {"human", "recombinant", "plasma-derived", "porcine", "bovine", "equine"}
SOURCED = re.compile(rf"\[(?P<generic>[^\[\]()]{{2,80}}\((?:{'|'.join(SOURCES)})\)"
                     rf"(?:[^\[\]()]{{1,80}}\((?:{'|'.join(SOURCES)})\))?(?:-[a-z]{{4}})?"
                     r"(?:,\s*[^\[\]()]{2,60})?)\]")
# the nouns that end a biologic's name: "von Willebrand Factor", "Coagulant Complex"
NAME_NOUNS = {"factor", "complex", "concentrate", "protein", "inhibitor", "globulin"}
# an item of a product list that is a name and nothing else: "Brixadi", "GenVisc 850",
# "Kelmora XR" (each word after the first capitalized or a number)
LISTED_NAME = re.compile(r"[A-Z][A-Za-z]*[a-z]\w*(?:-\w+)*(?: (?:[A-Z][\w-]*|\d[\w-]*)){0,3}")
# the lead-in's word for what it lists, after the generic it names: "buprenorphine products"
LISTED_KIND = re.compile(r"\s(?:drug\s)?(?:products|agents|medications|drugs)\b")
# words that make a parenthesis a phrase, not a generic name: "(plus heparin and aspirin)"
NOT_IN_NAME = {"plus", "with", "without", "then", "or", "for", "of", "in", "to", "the"}


def printed_pairs(texts: Iterable[str], products: bool = False,
                  descriptors: Iterable[str] = ()) -> dict[str, str]:
    """Names the document pairs (lowercase, without marks) → the generic name they stand for.

    In a drug policy (products) a name printed with ® or ™ is a product even where no generic
    is printed beside it: named by the lexicon's generic, else UNKNOWN_GENERIC. descriptors are the
    document's HCPCS code descriptions, which pair brands with generics too.
    """
    pairs: dict[str, str] = {}
    texts = list(texts)
    for text in texts:
        for generic, names in _pairs_in(text, products):
            if generic in ENDOGENOUS:  # "gonadotropin-releasing hormone (GnRH)" is a hormone
                continue
            # a name of several words, in the singular where the document names one:
            # "alpha1-proteinase inhibitors (Aralast NP, ...)" → "alpha1-proteinase inhibitor"
            one = singular_phrase(generic) if " " in generic else generic
            for name in (generic, *names, one):
                pairs.setdefault(name.lower(), generic)
        for generic, abbreviation in _abbreviations_in(text):
            pairs.setdefault(abbreviation.lower(), generic)
    # what the text prints comes first
    for generic, brands in (p for d in descriptors for p in descriptor_pairs(d)):
        for name in (generic, *brands):
            pairs.setdefault(name.lower(), generic)
    for brand in (b for text in texts for b in _trademarked(text)) if products else ():
        if brand.lower() not in pairs:
            pairs[brand.lower()] = lexicon_generic(brand) or UNKNOWN_GENERIC
    return pairs


def title_pairs_text(title: str) -> str:
    """A policy's title as a text that pairs its names: the title capitalizes the generic of
    "Tzield® (Teplizumab-Mzwv)" as it does every word, the text prints it in lowercase."""
    return PARENTHETICAL.sub(lambda m: f"({m.group(1).lower()})" if TITLE_CASED.fullmatch(
        m.group(1)) else m.group(0), title)


def descriptor_pairs(description: str) -> Iterator[tuple[str, list[str]]]:
    """The generic and brands of a HCPCS drug code's descriptor, as CMS writes them: the
    generic after "Injection", then brands in parentheses or in the part after it —
    "Injection, infliximab-dyyb, biosimilar, (Inflectra), 10 mg", "Injection, denosumab
    (jubbonti/wyost), biosimilar, 1 mg", "Hyaluronan or derivative, hyalgan, supartz or
    visco-3, for intra-articular injection, per dose"."""
    parts = [p.strip() for p in re.split(r",\s*(?![^()]*\))", description)]
    parts = parts[parts[0].lower() in ("injection", "infusion"):]
    for i, part in enumerate(parts):
        generic = _descriptor_generic(part)
        if generic is None:
            continue
        # the names come before the dose
        named = list(itertools.takewhile(lambda p: not p[:1].isdigit(), parts[i:]))
        brands = [b for p in named for inside in BRACKETS.findall(p)
                  if _descriptor_brand(inside) for b in _listed(inside)]
        for following in named[1:]:
            if BRACKETS.search(following) or not _descriptor_brand(following):
                break
            brands += _listed(following)
        if brands:
            yield generic, brands
        return


def _descriptor_generic(part: str) -> str | None:
    name = _unpackaged(BRACKETS.sub("", part).strip()).lower()
    for candidate in (name, *name.split(" or ")):
        bare = BIOSIMILAR.sub("", candidate).strip()
        if lexicon_generic(bare) or lexicon_generic(_without_salt(bare)):
            return _without_form(candidate.strip())
    return None


def _descriptor_brand(part: str) -> bool:
    """A part of a descriptor that names products, not a dose, a form or a qualifier."""
    words = re.findall(r"[\w.-]+", part.lower())
    return bool(words) and not words[0][:1].isdigit() and not set(words) & DESCRIPTOR_WORDS \
        and all(len(n.split()) <= 2 for n in _listed(part))


def _listed(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"/|\bor\b|\band\b|,", text) if n.strip()]


def _trademarked(text: str) -> Iterator[str]:
    """Capitalized names printed with ® or ™, not a test or a device: "Euflexxa®", "Gelsyn-3™";
    not "AAV5 DetectCDx™", "Omnipod® (insulin pump)"."""
    for m in TRADEMARKED.finditer(text):
        words = m.group(1).split()
        # "von Willebrand Factor Alphanate®": a table's column printed the generic's noun
        name = " ".join(words[len(words) > 1 and not _name_word(words[0]):])
        rest = text[m.end():].lstrip()
        said = rest[1:rest.find(")")] if rest.startswith("(") and ")" in rest else rest
        after = {w.strip(",;:.").lower() for w in said.split()[:4 if said is not rest else 1]}
        if not name or name.lower() in STOP or DIAGNOSTIC.search(name) or after & NOT_A_GENERIC \
                or set(name.lower().split()) & NOT_A_PRODUCT:
            continue
        yield name


def _abbreviations_in(text: str) -> Iterator[tuple[str, str]]:
    """A drug the lexicon knows and the abbreviation printed after it: "Temozolomide (TMZ)".
    Only the abbreviation is paired: the name itself stays subject to the lexicon's tests
    ("serum erythropoietin (EPO) level" names an analyte)."""
    for m in PARENTHETICAL.finditer(text):
        if ABBREVIATION.fullmatch(m.group(1).strip()):
            generic = _generic_before(text[:m.start()])
            if generic and lexicon_generic(generic) and generic not in ENDOGENOUS:
                yield _without_form(generic), m.group(1).strip()


def _pairs_in(text: str, products: bool) -> Iterator[tuple[str, list[str]]]:
    """The generics a text prints with their brands. Outside a drug policy (products) a
    trademarked name is as often a device's, so the generic before it must look like a drug's:
    not "Prostatic urethral lift (Urolift®)"."""
    for m in PARENTHETICAL.finditer(text):
        # an unbranded biologic is named with the brand it is sold as without: "ustekinumab-aekn
        # (unbranded Selarsdi)"
        unbranded = UNBRANDED.match(m.group(1))
        inside, before = m.group(1)[unbranded.end() if unbranded else 0:], text[:m.start()]
        if NOT_A_LIST.match(inside):
            continue
        parts = [p.strip() for p in LIST_SPLIT.split(inside) if p and p.strip()]
        if _maker(inside):
            continue
        # brands the lexicon lacks are paired by the ones it knows ("Methotrexate (Rheumatrex,
        # Trexall)"), and one name of a brand's shape by the generic before it, where the lexicon
        # knows that generic ("nirsevimab-alip (Beyfortus)")
        single = products and len(parts) == 1 and SINGLE_BRAND.fullmatch(_clean(parts[0]))
        generic = _generic_before(before) if single else None
        alone = generic is not None and lexicon_generic(canonical(generic)[0]) is not None
        if parts and (unbranded or alone or any(_is_brand(p) for p in parts)) \
                and all(_is_brand(p) or brand_like(_clean(p)) for p in parts):
            generic = generic or _generic_before(before)
            if generic and (products or unbranded or _drug_like(generic)):
                yield _without_form(generic), [_clean(p) for p in parts]
        elif parts and _is_generic(inside, before):
            brand = _brand_before(before, trusted=True)
            if brand:
                yield _without_form(COMBINATION.sub(" and ", _unpackaged(_clean(inside)))
                                    .lower()), [brand]
    yield from _bracketed_pairs(text)
    yield from _product_list_pairs(text)


def _product_list_pairs(text: str) -> Iterator[tuple[str, list[str]]]:
    """Brands listed with their routes after the product they are: "the following preferred
    immune globulin products Bivigam® (IV), Cutaquig® (SC), Gammagard® Liquid (IV, SC)"."""
    for m in PRODUCTS.finditer(text):
        listed = PRODUCT_LIST.match(text, m.end())
        generic = _generic_before(text[:m.start()]) if listed else None
        if listed and generic and lexicon_generic(generic):
            yield _without_form(generic), [_clean(b) for b in ROUTED_BRAND.findall(listed[0])]


def _bracketed_pairs(text: str) -> Iterator[tuple[str, list[str]]]:
    """A generic in square brackets, with its own short name in parentheses: "Mircera®
    [methoxy polyethylene glycol-epoetin beta (MPG-epoetin beta)]"."""
    for m in SOURCED.finditer(text):
        # a biologic named for what it is and where it comes from, as its label prints it:
        # "Alphanate® [antihemophilic factor (human)]", "NovoSeven® RT [coagulation factor
        # VIIa (recombinant)]"
        generic, before = m.group("generic"), text[:m.start()]
        brand = _brand_before(before, trusted=True)
        words = re.findall(r"[^\s()/,-][^\s()/,]*", generic)
        if brand and TRADEMARKS.search(before[-len(brand) - 4:]) \
                and all(SYMBOL.fullmatch(w) for w in words):
            yield re.sub(r"\s+", " ", generic).lower(), [brand]
    for m in BRACKETED.finditer(text):
        generic, alias = m.group("generic").strip(), m.group("alias")
        before = text[:m.start()]
        if alias and alias.strip().lower() in SOURCES:
            continue
        # a name in brackets holds a drug the lexicon knows: not "Saphnelo® [package insert]"
        known = any(lexicon_generic(w) for w in re.split(r"[\s-]+", generic))
        if known and _is_generic(generic, before):
            brand = _brand_before(before, trusted=True)
            names = [n for n in (brand, alias and _clean(alias)) if n]
            if brand:
                yield _without_form(_clean(generic).lower()), names


def _maker(inside: str) -> bool:
    """A parenthesis that names a product's maker: "(SweetBio® Inc.)", "(Solsys™ Medical)"."""
    return any(w.strip(",.").lower() in COMPANY_WORDS for w in MARKS.sub("", inside).split())


def _is_brand(part: str) -> bool:
    """A brand is printed capitalized, with a ® or ™, or is a brand the lexicon knows."""
    name = _clean(part)
    if not name or not BRAND_WORD.match(name.split()[0]) or len(name.split()) > 3:
        return False
    if TRADEMARKS.search(part):
        return True
    return not name.isupper() and lexicon_generic(name) not in (None, name.lower())


def _is_generic(inside: str, before: str) -> bool:
    """A lowercase name the lexicon knows, or any lowercase name after a brand it knows, or a
    name with a biologic's stem or qualifier after a capitalized brand."""
    qualified = QUALIFIER.search(_clean(inside))
    # the drug without how it is supplied: "(fluocinolone acetonide intravitreal implant)",
    # "(repository corticotropin injection USP)", "(leuprolide mesylate)"
    name = _unpackaged(QUALIFIER.sub("", _clean(inside)))
    # a combination product's generics: "(budesonide/formoterol)"
    name = COMBINATION.sub(" and ", name)
    words = name.split()
    # a qualified biologic may start with a protein's symbol: "ADAMTS13, recombinant-krhn"
    if not name or len(words) > 5 or not all(
            GENERIC_WORD.match(w) or (qualified and SYMBOL.fullmatch(w)) for w in words):
        return False
    if any(w in NOT_IN_NAME for w in name.split()):
        return False
    cores = [BIOSIMILAR.sub("", n) for n in name.split(" and ")]
    # of "a and b" the lexicon must know the first; of a combination "a/b" each
    if all(_known(core) for core in (cores if "/" in inside else cores[:1])):
        return True
    last = BIOSIMILAR.sub("", name).split()[-1]
    if ENGLISH_NOUN.search(last) or last in NOT_A_GENERIC:  # "[see prescribing information]"
        return False
    stem = qualified is not None or bool(USAN_STEM.search(last))
    brand = _brand_before(before, trusted=stem)
    # an enzyme's "-ase" is a stem too, though English words end in it: only after a
    # trademarked brand ("Elelyso® (taliglucerase)")
    enzyme = enzyme_name(last) and brand is not None and TRADEMARKS.search(before)
    return brand is not None and bool(stem or enzyme or lexicon_generic(brand) is not None)


def _drug_like(name: str) -> bool:
    """A name the lexicon knows, or with a word that has a drug's or an enzyme's stem."""
    return _known(name) or any(USAN_STEM.search(w) or enzyme_name(w) for w in name.split())


def _known(name: str) -> bool:
    return any(lexicon_generic(n) is not None for n in (_without_form(name), _without_salt(name)))


def _unpackaged(name: str) -> str:
    """A name without the words of its form and route at either end."""
    words = name.split()
    while len(words) > 1 and words[-1].lower() in PACKAGING:
        words.pop()
    while len(words) > 1 and words[0].lower() in PACKAGING:
        words.pop(0)
    return " ".join(words)


def _without_salt(name: str) -> str:
    words = name.split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1].lower() in SALTS else name


def _generic_before(before: str) -> str | None:
    """The lowercase words just before "(": the generic name the brands belong to."""
    words: list[str] = []
    printed = before.split()
    for i in range(len(printed) - 1, -1, -1):
        # a generic starting a sentence is capitalized, and so are some before their salt; a
        # capital inside a word is a brand's ("CarePATCH (ExtremityCare®)")
        word = printed[i]
        if (i == 0 and (word[:1].islower() or word[1:] == word[1:].lower())) \
                or (words and words[0] in SALTS) \
                or lexicon_generic(word) == word.lower():
            word = word.lower()
        if not GENERIC_WORD.match(word) or word in STOP or len(words) == MAX_NAME_WORDS:
            break
        words.insert(0, word)
    for i in range(len(words)):
        if lexicon_generic(words[i]) is not None or lexicon_generic(" ".join(words[i:])):
            return " ".join(words[i:])
    # a name the lexicon does not know is no ordinary English noun: "guidelines in oncology"
    unknown = 0 < len(words) <= 2 and not ENGLISH_NOUN.search(words[-1]) \
        and words[-1] not in NOT_A_GENERIC \
        and not set(words) <= set(FORMS)  # "pellets (Testopel®)" names a form
    return " ".join(words) if unknown else None


def _brand_before(before: str, trusted: bool = False) -> str | None:
    """The capitalized words just before "(": the brand a generic is printed after.

    Trusted when the generic in the parenthesis is a known drug; otherwise the brand needs
    a ® or ™, or to be known to the lexicon.
    """
    words: list[str] = []
    for printed in reversed(before.split()):
        # a slash ends the name: "Xeljanz/Xeljanz XR"; marks inside it stay: "Koāte®-DVI"
        word = printed.rsplit("/", 1)[-1]
        if not BRAND_WORD.match(MARKS.sub("", word)) or len(words) == MAX_BRAND_WORDS:
            break
        words.insert(0, word)
        if word != printed:
            break
    # the words before a brand's last are its own if they have a brand's shape: "Purified
    # Cortrophin Gel", not "Proven Indications Xolair"; nor is a capitalized preposition:
    # "Treatment With Xolair"
    for i in range(len(words) - 2, -1, -1):
        if not _name_word(MARKS.sub("", words[i])):
            words = words[i + 1:]
            break
    if not words:
        return None
    if not trusted and not TRADEMARKS.search(" ".join(words)) \
            and lexicon_generic(words[0]) is None:
        return None
    return _clean(" ".join(words))


def _name_word(word: str) -> bool:
    """A word of a brand's name before its last: "Purified" of "Purified Cortrophin Gel"; not
    a preposition, a plural, an English noun or the noun of a generic's name."""
    lower = word.lower()
    return not (lower in STOP or lower in NAME_NOUNS or PLURAL.search(word)
                or ENGLISH_NOUN.search(lower))


def _without_form(name: str) -> str:
    """The drug, not its dosage form: "testosterone pellets" → testosterone."""
    return re.sub(rf"\s+({'|'.join(FORMS)})$", "", name)


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", MARKS.sub("", name)).strip(" .,;:")


@dataclass
class _Found:
    name: str
    suffix: str | None
    provenance: Provenance
    brands: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    roles: list[DrugRole] = field(default_factory=list)


@dataclass(frozen=True)
class _Owner:
    """A text the drugs are read from, and what its place in the document lends them."""

    id: str | None
    text: str
    provenance: Provenance
    lent: DrugRole | None = None
    statement: bool = False


def annotate_coverage(
    statements: list[CoverageStatement],
    section: Sequence[tuple[str, Provenance]] = (),
    other_texts: Iterable[str] = (),
    products: bool = False,
    descriptors: Iterable[str] = (),
) -> tuple[list[CoverageStatement], list[Drug]]:
    """Statements with entities on every criterion, and the drugs their section names.

    section is the Coverage Rationale as (paragraph or list item, provenance): drugs named
    outside any statement are listed too, without criteria. other_texts (the rest of the
    document) only lend their brand/generic pairs. products says the document is a drug
    policy, whose trademarked names are products; descriptors (HCPCS code descriptions)
    lend their brand/generic pairs. Every drug has the roles its mentions
    give it (see roles.py).
    """
    owned = [o for s in statements for o in _owners(s)]
    known = {_bare(o.text) for o in owned}
    loose = [_Owner(None, text, prov, None, statement_role(text)) for text, prov in section
             if _bare(text) not in known]
    every = owned + loose
    texts = [o.text for o in every]
    pairs = printed_pairs([*texts, *other_texts], products, descriptors)
    for name, generic in listed_products(statements) if products else ():
        if pairs.get(name.lower(), UNKNOWN_GENERIC) == UNKNOWN_GENERIC:
            pairs[name.lower()] = generic
    annotated = annotate(texts, pairs)
    entities = {o.id: found for o, found in zip(owned, annotated, strict=False) if o.id}
    drugs: dict[tuple[str, str | None], _Found] = {}
    aliases = {fold_greek(g).lower(): g for g in pairs.values()}
    for owner, found in zip(every, annotated, strict=True):
        for e in found:
            if e.label == "drug" and e.name:
                role = mention_role(owner.text, e.start, owner.lent, owner.statement)
                _add(drugs, aliases.get(e.name, e.name), e, owner, role)
    ordered = sorted(_merged(drugs), key=lambda f: (f.provenance.page, f.provenance.bbox[1]))
    return [_with_entities(s, entities) for s in statements], [
        Drug(name=f.name, suffix=f.suffix, role=strongest(f.roles)[0], roles=strongest(f.roles),
             brands=f.brands, criteria=f.criteria, provenance=f.provenance)
        for f in ordered]


def listed_products(statements: Iterable[CoverageStatement]) -> Iterator[tuple[str, str]]:
    """The names a list of the policy's own products prints as items of their own, each with
    its generic: the one its lead-in names ("the following buprenorphine products"), else the
    lexicon's, else UNKNOWN_GENERIC."""
    for statement in statements:
        if statement.kind != "products" or statement.criteria is None:
            continue
        kind = LISTED_KIND.search(statement.text)
        named = _generic_before(statement.text[:kind.start()]) if kind else None
        lead = named if named and lexicon_generic(named) else None
        for node in _walk(statement.criteria):
            name = _clean(node.text)
            if node.children or not LISTED_NAME.fullmatch(name) or not brand_like(name):
                continue
            yield name, lead or lexicon_generic(name) or UNKNOWN_GENERIC


def unknown_generics(statements: Iterable[CoverageStatement]) -> list[Issue]:
    """An issue for each brand a criterion names whose generic is unknown, at its first page."""
    issues: dict[str, Issue] = {}
    for statement in statements:
        for node in _walk(statement.criteria) if statement.criteria else ():
            for e in node.entities:
                if e.label == "drug" and e.name is None:
                    issues.setdefault(_clean(e.text).lower(), Issue(
                        kind="generic_unknown", page=node.provenance.page,
                        message=f"{_clean(e.text)}: a brand whose generic the document does not "
                        "print and the lexicon does not know"))
    return list(issues.values())


def _owners(statement: CoverageStatement) -> Iterator[_Owner]:
    """Every criterion of a statement with the role its place lends; the root is the statement.
    """
    if statement.criteria is None:
        yield _Owner(statement.id, statement.text, statement.provenance, None,
                     statement.kind == "products" or statement_role(statement.text))
        return
    # a products statement lists the policy's own products, however deep
    listed = statement.kind == "products"
    root = listed or statement_role(statement.criteria.text)
    stack: list[tuple[Criterion, DrugRole | None, bool]] = [(statement.criteria, None, root)]
    while stack:
        node, lent, subject = stack.pop()
        yield _Owner(node.id, node.text, node.provenance, lent, subject)
        passed = lent_role(node, lent)
        products = listed or (subject and lists_products(node))
        stack += [(c, passed, products) for c in reversed(node.children)]


def canonical(name: str) -> tuple[str, str | None]:
    """The lexicon's generic name and a biosimilar's suffix: "brolucizumab-dbll" →
    (brolucizumab, dbll); "cyclosporin a" → cyclosporine; salts fold into their drug; a
    route printed before the name is dropped."""
    name = re.sub(r"\s+", " ", name).strip(" ,;:.")
    suffix = SUFFIX.search(name) if " and " not in name else None
    base = name[:suffix.start()] if suffix else name
    # the route is no part of the drug: "subcutaneous immunoglobulin" is immunoglobulin
    bare = ROUTED.sub("", base)
    generic = lexicon_generic(base) or (bare != base and lexicon_generic(bare)) or base
    return generic, suffix.group(1) if suffix else None


def _add(found: dict[tuple[str, str | None], _Found], printed: str, e: Entity, owner: _Owner,
         role: DrugRole) -> None:
    name, suffix = canonical(printed)
    drug = found.setdefault((name, suffix), _Found(name, suffix, owner.provenance))
    surface = _clean(e.text)
    if surface.lower() not in (name, printed) and fold_greek(surface).lower() not in (
            fold_greek(name), fold_greek(printed)) and not surface.islower() \
            and not SUFFIX.search(surface) and not _abbreviation(surface) \
            and not _short_name(surface, name) and not _named_with(surface, name) \
            and surface not in drug.brands:
        drug.brands.append(surface)
    if owner.id is not None and owner.id not in drug.criteria:
        drug.criteria.append(owner.id)
    drug.roles.append(role)


def _abbreviation(name: str) -> bool:
    """An abbreviation the document defines, not a brand the lexicon knows ("QVAR")."""
    return ABBREVIATION.fullmatch(name) is not None and lexicon_generic(name) is None


def _named_with(surface: str, name: str) -> bool:
    """The generic's name with what it is made as is no brand: "von Willebrand Factor Complex",
    "Testosterone Cypionate"; nor is a coagulation factor ("Factor VIIa", which a HCPCS
    descriptor prints before the product's generic)."""
    return surface.lower().startswith(name + " ") or is_clotting_factor(surface.lower().split())


def _short_name(surface: str, name: str) -> bool:
    """A generic's short name is no brand: "MPG-epoetin beta" of "methoxy polyethylene
    glycol-epoetin beta" ends as the name does."""
    return "-" in name and surface.lower().endswith("-" + name.rsplit("-", 1)[-1])


def _merged(found: dict[tuple[str, str | None], _Found]) -> list[_Found]:
    """A drug named bare and with its one biosimilar suffix is one drug: the suffixed one."""
    suffixes: dict[str, list[str]] = {}
    for name, suffix in found:
        if suffix:
            suffixes.setdefault(name, []).append(suffix)
    for (name, suffix), bare in list(found.items()):
        if suffix is None and len(suffixes.get(name, [])) == 1:
            into = found[(name, suffixes[name][0])]
            into.brands += [b for b in bare.brands if b not in into.brands]
            into.criteria += [c for c in bare.criteria if c not in into.criteria]
            into.roles += bare.roles
            if (bare.provenance.page, bare.provenance.bbox[1]) < (
                    into.provenance.page, into.provenance.bbox[1]):
                into.provenance = bare.provenance
            del found[(name, suffix)]
    return list(found.values())


def _bare(text: str) -> str:
    """A criterion's text as its list item prints it, without the joining "; and"."""
    return TRAILING.sub("", text.strip()).strip()


def _walk(node: Criterion) -> Iterator[Criterion]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _with_entities(statement: CoverageStatement,
                   entities: dict[str, list[Entity]]) -> CoverageStatement:
    if statement.criteria is None:
        return statement
    return statement.model_copy(update={"criteria": _tree(statement.criteria, entities)})


def _tree(node: Criterion, entities: dict[str, list[Entity]]) -> Criterion:
    return node.model_copy(update={
        "entities": entities.get(node.id, []),
        "children": [_tree(c, entities) for c in node.children],
    })
