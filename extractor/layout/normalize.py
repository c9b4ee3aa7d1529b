"""Format-independent clean-up of a document's lines: indentation levels, split words."""

from __future__ import annotations

import re
from collections import Counter

from extractor.layout.lines import Line, Span

LEVEL_TOLERANCE = 4.0
_PAIR = re.compile(r"\b([a-z]+) ([a-z]+)\b")
_WORD = re.compile(r"[a-z]+")


def assign_levels(lines: list[Line]) -> list[Line]:
    """Number indentation levels by the text positions of bulleted lines (0 = margin)."""
    stops = _cluster(sorted(line.indent for line in lines if line.bullet))
    return [line.model_copy(update={"level": _level(line.indent, stops)}) for line in lines]


def _cluster(xs: list[float]) -> list[float]:
    stops: list[float] = []
    for x in xs:
        if not stops or x - stops[-1] > LEVEL_TOLERANCE:
            stops.append(x)
    return stops


def _level(x: float, stops: list[float]) -> int:
    return sum(1 for s in stops if s <= x + LEVEL_TOLERANCE / 2)


def repair_split_words(lines: list[Line]) -> list[Line]:
    """Join words the PDF prints split ("i ntolerance") when the joined word occurs elsewhere.

    The document itself is the lexicon: a pair is joined only when the joined form appears in
    the document as a word and at least one piece does not.
    """
    vocab = Counter(w for line in lines for w in _WORD.findall(line.text.lower()))

    def join(match: re.Match[str]) -> str:
        a, b = match.group(1), match.group(2)
        if vocab[a + b] and (not vocab[a] or not vocab[b]) and _is_split(a, b, vocab):
            return a + b
        return match.group(0)

    return [_rewrite(line, lambda t: _PAIR.sub(join, t)) for line in lines]


def _is_split(a: str, b: str, vocab: Counter[str]) -> bool:
    # Single letters other than "a" never stand alone in lower case; longer pieces must be unknown.
    if len(a) == 1:
        return a != "a"
    return vocab[a] == 0 or vocab[b] == 0


def _rewrite(line: Line, fix: object) -> Line:
    assert callable(fix)
    text = fix(line.text)
    if text == line.text:
        return line
    spans = tuple(Span(text=fix(s.text), x0=s.x0, x1=s.x1, bold=s.bold) for s in line.spans)
    return line.model_copy(update={"text": text, "spans": spans})
