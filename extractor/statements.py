"""What a paragraph of a Coverage Rationale is: a coverage statement of some kind, or a block
that is not a criterion (a note, a reference, a disclaimer, an explanation, a definition).

Statements are recognized by what they say of coverage, in the words policies use for it —
"is proven", "are considered reconstructive and medically necessary", "is considered cosmetic
and not medically necessary", "may be indicated for", "are typically excluded from coverage",
"must have been tried", "should be discontinued when" — each needing its verb: "the list of
proven indications" says nothing of coverage.
"""

from __future__ import annotations

import re
from typing import Literal

from extractor.items import Item
from extractor.model import NoteKind, StatementKind

# A verb and the words that may stand between it and what it says: "are considered
# reconstructive and", "is not", "may also be".
COPULA = re.compile(
    r"\b(is|are|be|been|being|remains?|considered|deemed)\s+"
    r"((not|also|only|both|considered|deemed|generally|typically|therefore|thus|still|"
    r"reconstructive|cosmetic|and|or),?\s+)*$", re.I)
NEGATION = re.compile(r"\bnot\b", re.I)
UNPROVEN = re.compile(
    r"\bunproven\b|\bnot (proven|medically necessary|covered)\b|\binvestigational\b|"
    r"\bexperimental\b|\bcosmetic\b|\bnot reasonable and necessary\b", re.I)
# "reasonable and necessary" is how Medicare says medically necessary
PROVEN = re.compile(
    r"\bproven\b|\bmedically necessary\b|\breconstructive\b|\breasonable and necessary\b", re.I)
OTHER = re.compile(
    r"\b(is|are|may be|will be) (covered|approved)\b|\b(will|does)( not)? cover\b|"
    r"\bwill be provided\b|\bis contingent on\b|"
    r"\b(is|are) to be approved\b|\brequires? (prior )?(authorization|notification)\b|"
    r"\b(is|are|may be) (also )?indicated\b|"
    r"\b(is|are|be) (typically |generally |otherwise )?excluded\b|"
    r"\bmust (have been|be) (tried|used|attempted|completed)\b|"
    r"\b(should|must|will) be (discontinued|stopped)\b|"
    r"\b(is|are|will be) subject to (\w+ ){0,3}(exclusion|review|authorization)\b|"
    r"\b(is|are|should be|may be) (obtained|covered|provided|billed) (under|through) the "
    r"(\w+ )?(pharmacy|medical) benefit\b|"
    r"\b(is|are|will be) considered (non-)?preferred\b|"
    r"\b(prior authorization|notification) is required\b|\bbenefits? (is|are) available\b|"
    r"\b(have|has) an? (specific )?exclusion\b|"
    r"\breviews? (will be|is|are) (conducted|required)\b|"
    r"\bwill be reviewed on a case[- ]by[- ]case basis\b", re.I)
# "This policy refers to the following products:" names what the policy applies to.
PRODUCTS = re.compile(
    r"\b(policy|guideline) (refers|applies|pertains) (only )?to the following\b|"
    r"\b(policy|guideline) addresses (only )?the following\b|"
    r"^the following (products|drugs|medications|agents) are (addressed|included|"
    r"subject)\b", re.I)

# Between two sentences: a full stop (not of "e.g.", "U.S.", "vs.") before a capital letter.
SENTENCE_END = re.compile(
    r"(?<=\.)(?<!\b[A-Za-z]\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bal\.)\s+(?=[A-Z])")
# A note printed in a list ("Note: ...", "*Screening can begin ...") explains it.
FOOTNOTE = re.compile(r"^[*†‡]+\s*[A-Z]")
NOTE_LABEL = re.compile(r"^\(?notes?\b\s*:\s*", re.I)
NOTE = re.compile(NOTE_LABEL.pattern + "|" + FOOTNOTE.pattern, re.I)
REFERENCE = re.compile(
    r"^((also|additionally),? )?(see|refer to|click here|for (more|additional|further) information|"
    r"for medical necessity clinical coverage criteria)\b", re.I)
# A paragraph that sends the reader elsewhere: "For coverage guidelines, refer to ...",
# "Medicare does not have an NCD for X. LCDs/LCAs do not exist."
POINTER = re.compile(
    r"^for [^.]{0,160}\b(refer to|see)\b|"
    r"^medicare (does not have|has) (an? )?(national coverage determination|ncd)\b", re.I)
# A sub-heading printed without bold: "Preferred Product Criteria (For Medicare reviews, refer
# to the CMS section.)"
PLAIN_HEADING = re.compile(r"^([A-Z][\w/-]*\s){1,6}\(([Ff]or|[Ss]ee|[Rr]efer)\b[^()]*\)\W*$")
# What the policy document says of itself: whom it applies to, what it expresses.
# Whom or what the policy is for: "This policy refers to Leqembi for intravenous infusion."
SCOPE = re.compile(
    r"^(this|the) (\w+ ){0,4}policy (only )?(applies|addresses|is intended|provides)\b"
    r"(?!( only)?( to)? the following)|"
    r"^(this|the) (\w+ ){0,4}policy (only )?refers (only )?to (?!the following)|"
    r"\bthis policy\b[^.]{0,80}\bis applicable\b", re.I)
DISCLAIMER = re.compile(
    SCOPE.pattern + "|"
    r"^(this|the|these) (\w+ ){0,4}(policy|policies|guidelines?)\b[^.]*\b(does|do|is|are) not\b|"
    r"^(\w+ ){0,4}polic(y|ies) (express|describe|are used)\b|"
    r"\bbenefit plan (language|documents?) (may vary|governs?)\b|"
    r"\b(has|have) been added to the [\w\s-]{0,40}\bprogram\b", re.I)
# Why something is unproven, or what the text below is for: not a criterion.
EXPLANATION = re.compile(
    r"\b(above|these|this) \w+( \w+)? because\b|^(this is )?because\b|^additional information\b|"
    r"\b(outlined|described|listed) (below|above) are used\b|"
    r"^the (information|criteria|requirements|table) (below|above) "
    r"(indicates?|describes?|pertains?|shows?|appl(y|ies))\b|"
    r"\b(clinical evidence|published evidence|studies) (is|are|has|have) (insufficient|"
    r"limited|lacking)\b|\bthere (is|are) (no|limited|insufficient) (clinical )?(data|evidence)\b|"
    r"\bprescribing information\b[^.]*\bstates?\b|"
    r"\b(has|have) not been (described|established|demonstrated|shown|determined)\b|"
    r"\bet al\.? \(\d{4}\)|\b(conducted|performed|published) an? [\w\s-]{0,40}\b(study|trial|"
    r"review|analysis|assessment)\b", re.I)
# A citation: "Jett S, Thompson MR, Awasthi S, et al. Stratification of ...", "(Accessed ...)"
CITATION = re.compile(
    r"^[A-Z][\w'-]+ [A-Z]{1,3}(, [A-Z][\w'-]+ [A-Z]{1,3})*(,? et al)?\. |"
    r"\(accessed [a-z]+ \d{1,2}, ?\d{4}\)\.?$", re.I)
DEFINITION = re.compile(
    r"^for the purposes? of (this policy|the coverage rationale)\b|\b(is|are) defined as\b|"
    r"^definitions?\b|"
    r"\b(will be|is|are) used to refer to\b|\bthe terms? [\w\s“”\"'-]{1,60} (will be|is) used\b",
    re.I)
# A sentence giving the evidence for a statement explains it; it does not continue it.
EVIDENCE = re.compile(r"\b(evidence|studies|trials|data|literature)\b", re.I)
# Left over once statements are read: advice, evidence, a short title printed without bold.
ADVICE = re.compile(r"\b(is|are) (strongly )?recommended\b", re.I)
# Left over in a Coverage Rationale that prints its evidence and references (the omnibus
# policies): a reference names where a text is found (a journal's year;volume(issue):pages, an
# address, "Accessed May 3, 2025", authors "da Cruz L, Dorn JD, ...", "Hayes, Inc.", a
# "National Institute ... (NICE)." author); evidence cites its source ("Bhardwaj et al. (2020)",
# "(NICE, 2025)"), reports what a study or a guideline found, or describes a technology.
SOURCE = re.compile(
    r"\b\d{4}\s*(\w{3,4}\.?\s*\d{0,2}\s*)?;\s*\d+\s*(\([\w\s-]+\))?\s*:\s*[eE]?\d|"
    r"[Hh]ttps?://|\bwww\.|\b\w+\.(com|org|gov|net)\b|"
    r"\bAvailable (at|from)\b|\[Internet\]|\.\s(19|20)\d\d\.$|"
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December) (\d{1,2}, )?(19|20)\d\d\.|\b[A-Z][a-z]+, [A-Z]{2}( \d{5}(-\d{4})?)?\.|"
    r"\b[Aa]ccessed:?\s+(on\s+)?[A-Z][a-z]+\.?\s+(\d{1,2},?\s*)?\d{4}\b|"
    r"^(?:[a-z]{1,3}\s){0,2}[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?,? [A-Z]{1,4}(?: \w{1,3})?[,.;]"
    r"(?: [A-Z][\w'’-]+)?|"
    r"^[A-Z][\w&'’.,/ -]{2,90}?\([A-Z][\w&-]{1,12}\)\.\s|"
    r"^(Hayes|ECRI|ClinicalTrials\.gov|Health Quality Ontario)\b|"
    r"\bet al\.?\s*[;,.]\s*[A-Z]")
# A sentence that reports evidence: who found or recommends what, what a technology is.
EVIDENCE_OF = re.compile(
    r"\bet al\.?,?\s*\(?(19|20)\d\d|\([A-Z][\w&.\s-]{1,60},? (19|20)\d\d[a-z]?\)|"
    r"^(in|according to)\b[^.]{0,160}\b(study|studies|trial|review|guidelines?|statement|"
    r"manufacturer|report|recommendations?|analysis|parameter)\b|"
    r"\b(guidelines?|studies|study|trial|report|website|statement|review)s? (\w+ ){0,3}"
    r"(recommends?|states?|says?|reports?|suggests?|notes?|makes?|addresses|"
    r"(do|does|did) not (\w+ )?(mention|address|recommend|specify))\b|"
    r"\b(published|conducted|studied|evaluated|assessed|announced|reported|approved)\b[^.]{0,80}\b"
    r"(study|trial|results|review|analysis|guidelines?|statement|indication|document)\b|"
    r"\b(trial|study) (is )?(currently )?(being conducted|underway|recruiting)|"
    r"\b(case reports|systematic reviews?|meta-analys[ie]s|RCTs)\b|\b(and colleagues|et al\.?) "
    r"(\w+ )?(studied|reported|evaluated|assessed|compared|published)\b|\bmakes? no mention\b|"
    r"^[A-Z][^.]{0,120}\((19|20)\d\d[a-z]?\) (\w+ ){0,8}(guidelines?|recommend)|"
    r"\breceived [^.]{0,60}\bapproval\b|\b(has|have) been proposed (as|for)\b|"
    r"^[A-Z]([^.;:]|\bInc\.){0,90}\b(is (a|an|the) |are ((a|an|the) )?)([\w,]+[ -]){0,5}(technique|"
    r"procedure|devices?|systems?|tools?|orthosis|sensors?|"
    r"method|therapy|tool|technology|test|area|form|sacs?|signals?|models?)\b|"
    r"^[A-Z][^.;:]{0,90}\b(refers? to|also (referred to|known) as|uses an?|deliver|stimulate)\b",
    re.I)
# An organization named with its abbreviation, on a line of its own: a sub-heading.
ORGANIZATION = re.compile(
    r"^[A-Z][\w&'’-]*(\s([A-Z][\w&'’-]*|of|for|and|the)){1,8}\s\([A-Z]{2,8}\)$")
TITLE = re.compile(r"^([A-Z][\w/-]*\s){0,5}[A-Z][\w/-]*$")


def statement_kind(text: str) -> StatementKind | None:
    """What a sentence says of coverage, or None when it is not a coverage statement."""
    if PRODUCTS.search(text):
        return "products"
    proven = _said(PROVEN, text)
    if _said(UNPROVEN, text) or any(NEGATION.search(verb) for verb in proven):
        return "unproven"  # "is not considered reconstructive and medically necessary"
    if proven:
        return "proven"
    return "other" if OTHER.search(text) else None


def _said(rx: re.Pattern[str], text: str) -> list[str]:
    """The verbs (with their modifiers) that say rx of the subject: ["are considered "]."""
    return [verb.group(0) for m in rx.finditer(text)
            if (verb := COPULA.search(text[:m.start()])) is not None]


def aside_kind(text: str) -> Literal["note", "reference"] | None:
    """A note or a pointer elsewhere printed in a list: not one of its criteria."""
    if NOTE.match(text):
        return "note"
    return "reference" if REFERENCE.match(text) else None


def scope_then_statement(text: str) -> bool:
    """A paragraph that says whom the policy is for, then states a rule of coverage."""
    first, *rest = [p for p in SENTENCE_END.split(text.strip()) if p.strip()]
    first = NOTE_LABEL.sub("", first)  # "Note: This policy applies to ... . X is covered ..."
    return bool(SCOPE.search(first)) and any(statement_kind(p) is not None for p in rest)


def note_kind(text: str) -> NoteKind | None:
    """The kind of a paragraph that is printed in a Coverage Rationale but is no criterion.

    A footnote that says something is proven or unproven ("*Rituxan Hycela is unproven for
    ...") is a statement, not a note.
    """
    text = text.strip()
    if FOOTNOTE.match(text) and statement_kind(text) in ("proven", "unproven"):
        return None
    for kind, rx in NOT_CRITERIA:
        if rx.search(text):
            return kind
    return None


NOT_CRITERIA: tuple[tuple[NoteKind, re.Pattern[str]], ...] = (
    ("note", NOTE), ("reference", REFERENCE), ("reference", POINTER), ("reference", CITATION),
    ("heading", PLAIN_HEADING), ("disclaimer", DISCLAIMER),
    ("explanation", EXPLANATION), ("definition", DEFINITION))


def sentences(item: Item) -> list[Item]:
    """The statement sentences of a paragraph; the last one carries the list below it.

    A sentence that says nothing of coverage belongs to the statement before it ("Coverage
    will be provided contingent on ... . Members must change therapy to ..."); one before the
    first statement ("Tysabri is the preferred product.") is left out.
    """
    parts = [p.strip() for p in SENTENCE_END.split(item.text) if p.strip()]
    if len(parts) < 2:
        return [item]
    kept: list[str] = []
    for part in parts:
        if statement_kind(part) is not None:
            kept.append(part)
        elif kept and not EVIDENCE.search(part) and note_kind(part) is None:
            kept[-1] = f"{kept[-1]} {part}"
    return [Item(item.lines, p) for p in kept or [item.text]]


def leftover_kind(text: str, bulleted: bool = False) -> NoteKind | None:
    """The kind of a paragraph no statement took: a note kind, or one of the looser signs.

    A short title is a heading only when it has no bullet: a bulleted one is a list item.
    """
    text = text.strip()
    if (kind := note_kind(text)) is not None:
        return kind
    if SOURCE.search(text) and not statement_kind(text):
        return "reference"
    if EVIDENCE.search(text) or EVIDENCE_OF.search(text):
        return "explanation"
    if ADVICE.search(text):
        return "note"
    if any(REFERENCE.match(p) for p in SENTENCE_END.split(text)[1:]):
        return "reference"  # "There may be other conditions ... . Refer to the ... section"
    if ORGANIZATION.match(text) and not bulleted:
        return "heading"
    return "heading" if TITLE.match(text) and not bulleted else None
