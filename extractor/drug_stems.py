"""Drugs the lexicon does not know, recognized by the stems their names are built from.

A lexicon lags the market and has gaps (it has no "testosterone" or "progesterone", nor the
newest gene therapies). Generic names are coined from stems (USAN: -mab, -sterone, -olol,
-vastatin; a gene therapy's "-gene" and "-vec"), and no ordinary English word of seven letters
or more ends in one, so a lowercase word that does is taken as a drug, and so is the two-word
name of a gene or cell therapy ("zopapogene imadenovec"). Not where it names what a lab
measures ("testosterone level"): the caller says where that is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.spacy_rules import Doc, Span

# endings of generic names no ordinary English word of seven letters or more has
STEM = re.compile(
    r"[a-z]{3,}(?:mab|sterone|olone|asone|onide|pril|sartan|olol|dipine|vastatin|azole|mycin|"
    r"cillin|cycline|floxacin|tinib|parin|dronate|lukast|triptan|gepant|setron|prazole|"
    r"gliptin|gliflozin|platin|rubicin|taxel|calcitol|calciferol|nersen|siran|vec|leucel|"
    r"temcel)")
# a gene therapy: "onasemnogene abeparvovec", "idecabtagene vicleucel"
GENE = re.compile(r"[a-z]{4,}gene")
THERAPY = re.compile(r"[a-z]{4,}(?:vec|cel)")


def stem_drug_spans(doc: Doc, known: list[Span],
                    measured: Callable[[int, int], bool]) -> list[Span]:
    """Spans of stem-built names outside the known drugs; measured(start, end) says a name
    there is a lab analyte."""
    taken = {i for span in known for i in range(span.start, span.end)}
    found: list[Span] = []
    for token in doc:
        i = token.i
        if i in taken or not token.text.islower() or measured(i, i + 1):
            continue
        if GENE.fullmatch(token.text) and i + 1 < len(doc) and THERAPY.fullmatch(doc[i + 1].text):
            found.append(_named(doc, i, i + 2))
        elif STEM.fullmatch(token.text) and not (i and GENE.fullmatch(doc[i - 1].text)):
            found.append(_named(doc, i, i + 1))
    return found


def _named(doc: Doc, start: int, end: int) -> Span:
    """The name with a biosimilar-style suffix printed after it: "imadenovec-drba"."""
    if end + 1 < len(doc) and doc[end].text == "-" and re.fullmatch(r"[a-z]{4}", doc[end + 1].text):
        end += 2
    span = doc[start:end]
    return Span(doc, start, end, label="DRUG", kb_id=span.text.lower())
