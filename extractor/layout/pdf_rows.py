"""PDF characters → rows of one printed line, and a row's characters → spans of words.

pdfplumber's character dicts (``Char``) stay in the ``pdf*`` modules of this package.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter

from extractor.layout.lines import Bullet, Span
from extractor.layout.pdf_scripts import SCRIPT_SIZE, Char, read_scripts

# A gap wider than this many font sizes separates two spans (table cells, columns).
SPAN_GAP = 1.2
# A gap wider than this many font sizes is a word break even without a space character.
WORD_GAP = 0.2
# A small character prints over a row's character that covers more than this share of its
# width (a wide "®" box may reach into the next character; a footnote mark landing in a word
# of the line above lies on a letter).
OVERPRINT = 0.5
# Hyphen (U+2010) and non-breaking hyphen (U+2011) print as "-": the engines map one glyph to
# any of the three, so lines carry the ASCII hyphen.
HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
ITALIC_FONT = re.compile(r"italic|oblique", re.IGNORECASE)


def points(value: float) -> float:
    """A coordinate to a tenth of a point, first cut to a thousandth so that the engines' float
    noise (PDFium's single precision: 399.0500195 against pdfminer's 399.0499999) rounds alike."""
    return round(round(value, 3), 1)


@dataclass
class Row:
    """Characters that share a printed line, before they become a Line."""

    page: int
    chars: list[Char]
    top: float
    bottom: float
    bullet: Bullet | None = None
    marker_x0: float | None = None
    size: float = 0.0  # of its largest character, whose top and bottom are the row's
    spans: list[Span] = field(default_factory=list)
    column_shift: float = 0.0
    column_end: float | None = None

    @property
    def x0(self) -> float:
        return float(min(map(itemgetter("x0"), self.chars)))

    @property
    def x1(self) -> float:
        """Where the row's ink ends: a trailing blank's width is the engine's, not the page's."""
        ink = [c["x1"] for c in self.chars if not c["text"].isspace()]
        return float(max(ink) if ink else max(map(itemgetter("x1"), self.chars)))

    @property
    def text(self) -> str:
        return "  ".join(s.text for s in self.spans)


def chars_to_rows(chars: list[Char], page: int) -> list[Row]:
    """Group characters into rows by vertical overlap with the row's largest character.

    Small characters (super/subscripts, reference marks) join a row once the rows of body text
    are formed: one that overlaps two rows joins the row it fits into without overprinting.
    """
    body = most_common_size(chars)
    rows = _group_rows([c for c in chars if c["size"] > SCRIPT_SIZE * body], page)
    extents = [(r, min(map(itemgetter("top"), r.chars)), max(map(itemgetter("bottom"), r.chars)))
               for r in rows]
    small = [c for c in chars if c["size"] <= SCRIPT_SIZE * body]
    rows += _group_rows([c for c in small if not _join_row(c, extents)], page)
    for row in rows:
        row.chars = read_scripts(sorted(row.chars, key=itemgetter("x0")))
    return sorted((row for row in rows if row.chars), key=lambda r: r.top)


def most_common_size(chars: list[Char]) -> float:
    """The type size most characters print in, to a tenth of a point (rounded once per size)."""
    by_size: Counter[float] = Counter()
    for size, n in Counter(map(itemgetter("size"), chars)).items():
        by_size[round(size, 1)] += n
    return by_size.most_common(1)[0][0] if by_size else 0.0


def _group_rows(chars: list[Char], page: int) -> list[Row]:
    rows: list[Row] = []
    tops = {top: points(top) for top in {c["top"] for c in chars}}
    # sizes rounded: the engines' float noise must not pick which character sets the row
    sizes = {size: round(size, 2) for size in {c["size"] for c in chars}}
    row: Row | None = None
    last: Char | None = None
    for c in sorted(chars, key=lambda c: (tops[c["top"]], c["x0"])):
        # a character as high as the one before it joins the row that one joined
        if last is None or c["top"] != last["top"] or c["bottom"] != last["bottom"]:
            row = next((r for r in rows[-1:-4:-1] if _overlaps(r, c)), None)
        last = c
        size = sizes[c["size"]]
        if row is None:
            row = Row(page, [c], c["top"], c["bottom"], size=size)
            rows.append(row)
            continue
        row.chars.append(c)
        if size > row.size:
            row.top, row.bottom, row.size = c["top"], c["bottom"], size
    return rows


def _overlaps(row: Row, c: Char) -> bool:
    overlap = min(row.bottom, c["bottom"]) - max(row.top, c["top"])
    return bool(overlap >= 0.5 * min(row.bottom - row.top, c["bottom"] - c["top"]))


def _join_row(c: Char, extents: list[tuple[Row, float, float]]) -> bool:
    """Add a small character to the row it is printed in, if any.

    Rows are taken with the full height of their characters (a bullet glyph may hang below the
    baseline), and a row whose characters the small one would overprint is not its row. Of two
    rows, the one it follows a character of, then the one it overlaps most.
    """
    def overlap(top: float, bottom: float) -> float:
        return float(min(bottom, c["bottom"]) - max(top, c["top"]))

    fits = [(_follows(row, c), overlap(top, bottom), row) for row, top, bottom in extents
            if overlap(top, bottom) >= 0.5 * (c["bottom"] - c["top"]) and not _overprints(row, c)]
    if not fits:
        return False
    max(fits, key=lambda f: f[:2])[2].chars.append(c)
    return True


def _follows(row: Row, c: Char) -> bool:
    """Whether a small character prints right after one of the row's ("22ⁿᵈ", "cm²")."""
    return any(abs(c["x0"] - d["x1"]) <= OVERPRINT * c["size"] for d in row.chars
               if not d["text"].isspace())


def _overprints(row: Row, c: Char) -> bool:
    width = c["x1"] - c["x0"]
    return any(min(c["x1"], d["x1"]) - max(c["x0"], d["x0"]) > OVERPRINT * width
               for d in row.chars if not d["text"].isspace())


def chars_to_spans(chars: list[Char]) -> list[Span]:
    """Split a row's characters (sorted by x) into spans of words."""
    spans: list[Span] = []
    current: list[Char] = []
    text: list[str] = []
    last: Char | None = None
    for c in chars:
        glyph = c["text"]
        if glyph.isspace():
            if text and text[-1] != " ":
                text.append(" ")
            continue
        if last is not None:
            gap, size = c["x0"] - last["x1"], c["size"]
            if gap > SPAN_GAP * max(size, 1.0):
                spans.append(_span(current, text))
                current, text = [], []
            elif gap > WORD_GAP * size and text and text[-1] != " ":
                text.append(" ")
        current.append(c)
        text.append(glyph)
        last = c
    if current:
        spans.append(_span(current, text))
    return spans


def _span(chars: list[Char], text: list[str]) -> Span:
    bold, italic = font_styles(font_names(chars))
    return Span(
        text="".join(text).strip().translate(HYPHENS),
        x0=points(chars[0]["x0"]),
        x1=points(max(map(itemgetter("x1"), chars))),
        bold=bold,
        italic=italic,
    )


def font_names(chars: list[Char]) -> Counter[str]:
    return Counter(map(itemgetter("fontname"), chars))


def font_styles(fonts: Counter[str]) -> tuple[bool, bool]:
    """Whether most characters print bold, and whether most print italic, from the count of
    their font names: each of the few fonts of a row looked at once."""
    total = sum(fonts.values())
    return _mostly(fonts.items(), BOLD_FONT, total), _mostly(fonts.items(), ITALIC_FONT, total)


def _mostly(fonts: Iterable[tuple[str, int]], style: re.Pattern[str], total: int) -> bool:
    return sum(n for font, n in fonts if _styled(font, style)) * 2 > total


@cache
def _styled(fontname: str, style: re.Pattern[str]) -> bool:
    return style.search(fontname) is not None


def text_x0(row: Row) -> float:
    """Where a row's first printed (not blank) character starts."""
    ink = [c["x0"] for c in row.chars if not c["text"].isspace()]
    return float(min(ink)) if ink else row.x0
