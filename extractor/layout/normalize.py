"""Format-independent clean-up of a document's lines: indentation levels, split words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from extractor.layout.lines import Line

LEVEL_TOLERANCE = 4.0
# Text starting this far right of the deepest bullet position is not indented list text.
OFF_LIST = 60.0
# Two lower-case words; the first not part of a possessive or contraction ("Harada's disease").
_PAIR = re.compile(r"(?<![\w'’\-])(?=([a-z]+) ([a-z]+)\b)")
_WORD = re.compile(r"[a-z]+")


def assign_levels(lines: list[Line]) -> list[Line]:
    """Number indentation levels by the text positions of bulleted lines (0 = margin)."""
    stops = _cluster(sorted(_indent(line) for line in lines if line.bullet))
    return [line.model_copy(update={"level": _level(_indent(line), stops)}) for line in lines]


def _indent(line: Line) -> float:
    return line.indent - line.column_shift


def _cluster(xs: list[float]) -> list[float]:
    stops: list[float] = []
    for x in xs:
        if not stops or x - stops[-1] > LEVEL_TOLERANCE:
            stops.append(x)
    return stops


def _level(x: float, stops: list[float]) -> int:
    if stops and x > stops[-1] + OFF_LIST:
        return 0  # right-aligned or centred text, not a list indentation
    return sum(1 for s in stops if s <= x + LEVEL_TOLERANCE / 2)


def repair_split_words(lines: list[Line]) -> list[Line]:
    """Join words the PDF prints split ("i ntolerance").

    The document itself is the lexicon. A pair is joined when the joined form occurs elsewhere
    as a word and a piece does not, or when the first piece is a lone lower-case letter (never a
    word on its own except "a") and the rest never occurs by itself.
    """
    text = " ".join(line.text for line in lines)
    vocab = Counter(_WORD.findall(text.lower()))
    pairs = Counter(m.groups() for m in _PAIR.finditer(text))

    def is_split(a: str, b: str) -> bool:
        alone_a, alone_b = vocab[a] - pairs[a, b], vocab[b] - pairs[a, b]
        if len(a) == 1:
            return a != "a" and alone_b == 0
        return vocab[a + b] > 0 and (alone_a == 0 or alone_b == 0)

    def fix(line_text: str) -> str:
        # left to right: a join changes the pairs after it, so the order must not vary
        for a, b in dict.fromkeys(m.groups() for m in _PAIR.finditer(line_text)):
            if is_split(a, b):
                line_text = re.sub(rf"(?<![\w'’\-]){a} {b}\b", a + b, line_text)
        return line_text

    return [_rewrite(line, fix) for line in lines]


def _rewrite(line: Line, fix: Callable[[str], str]) -> Line:
    text = fix(line.text)
    if text == line.text:
        return line
    spans = tuple(s.model_copy(update={"text": fix(s.text)}) for s in line.spans)
    return line.model_copy(update={"text": text, "spans": spans})
