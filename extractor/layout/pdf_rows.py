"""PDF characters → rows of one printed line, and a row's characters → spans of words.

pdfplumber's character dicts (``Char``) stay in the ``pdf*`` modules of this package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from extractor.layout.lines import Bullet, Span

Char = dict[str, Any]

# A gap wider than this many font sizes separates two spans (table cells, columns).
SPAN_GAP = 1.2
# A gap wider than this many font sizes is a word break even without a space character.
WORD_GAP = 0.2
REFERENCE_MARK_CHARS = frozenset("0123456789,-–")
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
ITALIC_FONT = re.compile(r"italic|oblique", re.IGNORECASE)


@dataclass
class Row:
    """Characters that share a printed line, before they become a Line."""

    page: int
    chars: list[Char]
    top: float
    bottom: float
    bullet: Bullet | None = None
    marker_x0: float | None = None
    spans: list[Span] = field(default_factory=list)
    column_shift: float = 0.0
    column_end: float | None = None

    @property
    def x0(self) -> float:
        return float(min(c["x0"] for c in self.chars))

    @property
    def x1(self) -> float:
        return float(max(c["x1"] for c in self.chars))

    @property
    def text(self) -> str:
        return "  ".join(s.text for s in self.spans)


def chars_to_rows(chars: list[Char], page: int) -> list[Row]:
    """Group characters into rows by vertical overlap with the row's largest character."""
    rows: list[Row] = []
    ref: list[tuple[float, float, float]] = []  # (top, bottom, size) of each row's largest char
    for c in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            top, bottom, size = ref[i]
            overlap = min(bottom, c["bottom"]) - max(top, c["top"])
            if overlap >= 0.5 * min(bottom - top, c["bottom"] - c["top"]):
                rows[i].chars.append(c)
                if c["size"] > size:
                    ref[i] = (c["top"], c["bottom"], c["size"])
                break
        else:
            rows.append(Row(page, [c], c["top"], c["bottom"]))
            ref.append((c["top"], c["bottom"], c["size"]))
    for row, (top, bottom, size) in zip(rows, ref, strict=True):
        row.top, row.bottom = top, bottom
        row.chars = sorted((c for c in row.chars if not _reference_mark(c, bottom, size)),
                           key=lambda c: c["x0"])
    rows = [row for row in rows if row.chars]
    rows.sort(key=lambda r: r.top)
    return rows


def _reference_mark(c: Char, bottom: float, size: float) -> bool:
    """A raised, small digit or separator: a citation number ("(aHUS).1,12"), not text."""
    return (c["text"] in REFERENCE_MARK_CHARS and c["size"] <= 0.8 * size
            and bottom - c["bottom"] > 0.2 * size)


def chars_to_spans(chars: list[Char]) -> list[Span]:
    """Split a row's characters (sorted by x) into spans of words."""
    spans: list[Span] = []
    current: list[Char] = []
    text: list[str] = []
    last: Char | None = None
    for c in chars:
        if c["text"].isspace():
            if text and text[-1] != " ":
                text.append(" ")
            continue
        if last is not None:
            gap = c["x0"] - last["x1"]
            if gap > SPAN_GAP * max(c["size"], 1.0):
                spans.append(_span(current, text))
                current, text = [], []
            elif gap > WORD_GAP * c["size"] and text and text[-1] != " ":
                text.append(" ")
        current.append(c)
        text.append(c["text"])
        last = c
    if current:
        spans.append(_span(current, text))
    return spans


def _span(chars: list[Char], text: list[str]) -> Span:
    return Span(
        text="".join(text).strip(),
        x0=round(chars[0]["x0"], 1),
        x1=round(max(c["x1"] for c in chars), 1),
        bold=mostly(chars, BOLD_FONT),
        italic=mostly(chars, ITALIC_FONT),
    )


def mostly(chars: list[Char], style: re.Pattern[str]) -> bool:
    return sum(1 for c in chars if _styled(c["fontname"], style)) * 2 > len(chars)


@cache
def _styled(fontname: str, style: re.Pattern[str]) -> bool:
    return style.search(fontname) is not None


def text_x0(row: Row) -> float:
    """Where a row's first printed (not blank) character starts."""
    return float(min((c["x0"] for c in row.chars if not c["text"].isspace()), default=row.x0))
