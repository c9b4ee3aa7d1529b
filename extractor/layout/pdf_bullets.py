"""Bullets of PDF rows: glyphs at a row's start, and the small images and shapes beside it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from extractor.layout.lines import Bullet
from extractor.layout.pdf_rows import Row, chars_to_spans
from extractor.layout.pdf_scripts import Char

# Image or vector shapes no larger than this (points) at a line's start are bullets.
MARKER_MAX = 8.0
# A bullet's text starts less than this far (points) right of the bullet.
BULLET_GAP = 30.0
GLYPH_BULLETS = frozenset("•◦▪■□●○◆◇►▸➢✓✔§·-–")
# Dashes a list prints as its bullet, like the short dash images of deeper levels: hyphen, en
# dash and the box-drawing horizontals some templates use ("─").
DASH_GLYPHS = frozenset("-–─━")
ARROW_GLYPHS = frozenset("\uf0dc\uf0e0\uf0e8\uf0d8\u2794\u27a2")
_CID = re.compile(r"\(cid:\d+\)")
_SYMBOL_FONT = re.compile(r"Dingbat|Wingding|Webding|Symbol", re.IGNORECASE)


def glyph_bullet(glyph: Char, after: Char | None) -> Bullet | None:
    """The bullet kind of a row's first character, or None when it starts the text."""
    text, font = glyph["text"], glyph["fontname"]
    gap = (after["x0"] - glyph["x1"]) if after is not None else 99.0
    if gap < 0.15 * glyph["size"] and after is not None and not after["text"].isspace():
        return None
    if len(text) != 1:
        # a glyph with no Unicode mapping, which pdfminer prints as "(cid:N)"
        return "glyph" if _CID.fullmatch(text) and gap > 0.3 * glyph["size"] else None
    if text == "o" and ("Courier" in font or "Symbol" in font or gap > 0.8 * glyph["size"]):
        return "o"
    if text in DASH_GLYPHS and gap > 0.3 * glyph["size"]:
        return "dash"
    if text in GLYPH_BULLETS or 0xF000 <= ord(text) <= 0xF0FF or _SYMBOL_FONT.search(font):
        return "glyph"
    return None


def attach_glyph_bullets(rows: list[Row]) -> list[Row]:
    """Give each row its leading glyph bullet; a glyph alone on its own row joins its line."""
    kept: list[Row] = []
    for row in rows:
        row.chars = _strip_leading_space(row.chars)  # a tiny blank may print left of a bullet
        if not row.chars:
            continue
        first, after = row.chars[0], next((c for c in row.chars[1:]), None)
        if first["text"] in ARROW_GLYPHS:
            row.chars = row.chars[1:]
        kind = None if first["text"] in ARROW_GLYPHS else glyph_bullet(first, after)
        if kind is not None and not _introduces_text(row.chars[1:]):
            kind = None  # a dash before nothing but punctuation ("- -") is not a list item
        if kind is not None:
            row.bullet, row.marker_x0 = kind, first["x0"]
            row.chars = [c for c in row.chars[1:] if not c["text"].isspace() or c is not after]
        row.chars = _strip_leading_space(row.chars)
        if row.chars:
            row.spans = chars_to_spans(row.chars)
            kept.append(row)
        elif kind is not None:
            _give_bullet(kept + rows, row, kind)
    return kept


def _introduces_text(chars: list[Char]) -> bool:
    """Whether what follows a glyph has a word, or nothing (a glyph on a row of its own)."""
    printed = [c for c in chars if not c["text"].isspace()]
    return not printed or any(c["text"][:1].isalnum() for c in printed)


def _strip_leading_space(chars: list[Char]) -> list[Char]:
    i = 0
    while i < len(chars) and chars[i]["text"].isspace():
        i += 1
    return chars[i:]


def _give_bullet(rows: list[Row], glyph_row: Row, kind: Bullet) -> None:
    x = glyph_row.marker_x0 or 0.0
    centre = (glyph_row.top + glyph_row.bottom) / 2
    candidates = [
        r for r in rows
        if r is not glyph_row and r.chars and r.bullet is None and r.x0 > x
        and abs((r.top + r.bottom) / 2 - centre) < (glyph_row.bottom - glyph_row.top)
    ]
    if candidates:
        target = min(candidates, key=lambda r: abs((r.top + r.bottom) / 2 - centre) + r.x0 / 1000)
        target.bullet, target.marker_x0 = kind, x


@dataclass(frozen=True)
class Marker:
    x0: float
    x1: float
    top: float
    bottom: float
    kind: Bullet


def page_markers(page: Any) -> list[Marker]:
    """Small images and filled vector shapes: the bullets that text extraction drops."""
    found = [_marker(o, "image") for o in page.images] + [
        _marker(o, "vector") for o in page.rects + page.curves if o.get("fill")
    ]
    return [m for m in found if m is not None]


def _marker(obj: Char, kind: Bullet) -> Marker | None:
    w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
    if not (0.5 <= w <= MARKER_MAX and 0.3 <= h <= MARKER_MAX):
        return None
    if h < w / 2.5:
        kind = "dash"
    return Marker(obj["x0"], obj["x1"], obj["top"], obj["bottom"], kind)


def attach_markers(rows: list[Row], markers: Iterable[Marker]) -> None:
    for m in markers:
        hits = [r for r in rows
                if r.bullet is None and on_row(m, r) and 0 < r.x0 - m.x1 < BULLET_GAP]
        if hits:
            target = min(hits, key=lambda r: r.x0 - m.x1)
            target.bullet, target.marker_x0 = m.kind, m.x0


def on_row(m: Marker, row: Row) -> bool:
    return row.top - 1 <= (m.top + m.bottom) / 2 <= row.bottom + 1
