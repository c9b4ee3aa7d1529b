"""A bulleted list printed in two columns → its rows, the left column's before the right's."""

from __future__ import annotations

from itertools import pairwise

from extractor.layout.lines import Bullet
from extractor.layout.pdf_bullets import BULLET_GAP, Marker, glyph_bullet, on_row
from extractor.layout.pdf_rows import SPAN_GAP, Row, text_x0
from extractor.layout.pdf_scripts import Char

# Rows closer than this many font sizes are lines of one paragraph or list.
LINE_GAP = 0.8
# Bullets within this many points of each other stand in one column.
COLUMN_TOLERANCE = 2.0

# where a list printed in columns starts: its first row, the x of the second column's bullets,
# how far right of the first column's bullets they are, and their kind
_Start = tuple[int, float, float, Bullet]


def split_list_columns(rows: list[Row], markers: list[Marker]) -> list[Row]:
    """Read a bulleted list printed in two columns column by column, as separate rows.

    The second column is found by its bullets: images, shapes or glyphs in the middle of a row
    that starts with a bullet of the same kind (a table with bullets in one cell stays whole).
    Left of the second column each row holds one item or none: a table whose cells print beside
    its bulleted cells (a label, another column of text) is read by its rows. A third column is
    found in the second.
    """
    found = _column_start(rows, markers)
    if found is None:
        return rows
    start, x, shift, kind = found
    end = _column_band_end(rows, start, x, kind, markers)
    cut = x - COLUMN_TOLERANCE
    margin = text_x0(rows[start]) - COLUMN_TOLERANCE
    band = rows[start:end]
    if any(_straddles(r, cut) or not _one_item(r, margin, cut, markers) for r in band):
        return rows[:end] + split_list_columns(rows[end:], markers)
    left = _column([_sub_row(r, [c for c in r.chars if c["x0"] < cut], 0.0) for r in band])
    right = _column([_sub_row(r, [c for c in r.chars if c["x0"] >= cut], shift) for r in band])
    rest = split_list_columns(rows[end:], markers)
    return rows[:start] + left + split_list_columns(right, markers) + rest


def _column(rows: list[Row | None]) -> list[Row]:
    """The rows of one column, which ends where its widest line does (its lines wrap there)."""
    kept = [r for r in rows if r is not None]
    end = max((r.x1 for r in kept), default=0.0)
    for row in kept:
        row.column_end = end
    return kept


def _column_start(rows: list[Row], markers: list[Marker]) -> _Start | None:
    """The topmost row of a list printed in columns: bulleted at its start and in its middle."""
    for i, row in enumerate(rows):
        first = _leading_bullet(row, markers)
        if first is None:
            continue
        mid = [x for x, kind in _mid_row_bullets(row, markers) if kind == first[1]]
        if mid:
            return i, min(mid), min(mid) - first[0], first[1]
    return None


def _column_band_end(rows: list[Row], start: int, x: float, kind: Bullet,
                     markers: list[Marker]) -> int:
    """The end of the rows printed in columns: bulleted at x, or more lines of the list."""
    indent = _item_text_x0(rows[start], markers) - COLUMN_TOLERANCE
    end = start + 1
    while end < len(rows):
        row, above = rows[end], rows[end - 1]
        adjacent = row.top - above.bottom < LINE_GAP * _size(above)
        in_list = (_item_text_x0(row, markers) >= indent
                   and not _straddles(row, x - COLUMN_TOLERANCE))
        if not (_column_bullet(row, x, kind, markers) or (adjacent and in_list)):
            break
        end += 1
    return end


def _item_text_x0(row: Row, markers: list[Marker]) -> float:
    """Where the text of a row's list item starts, after its bullet."""
    text = [c for c in row.chars if not c["text"].isspace()]
    bullet = _leading_bullet(row, markers)
    if bullet is not None and len(text) > 1 and text[0]["x0"] == bullet[0]:
        return float(text[1]["x0"])
    return text_x0(row)


def _column_bullet(row: Row, x: float, kind: Bullet, markers: list[Marker]) -> bool:
    bullets = _mid_row_bullets(row, markers)
    return any(abs(b - x) <= COLUMN_TOLERANCE and k == kind for b, k in bullets)


def _mid_row_bullets(row: Row, markers: list[Marker]) -> list[tuple[float, Bullet]]:
    """The x and kind of bullets printed after text on a row, each followed by text of its own."""
    text = [c for c in row.chars if not c["text"].isspace()]
    found = [(m.x0, m.kind) for m in markers if on_row(m, row)
             and any(c["x1"] <= m.x0 for c in text)
             and any(0 < c["x0"] - m.x1 < BULLET_GAP for c in text)]
    for before, glyph, after in zip(text, text[1:], text[2:], strict=False):
        kind = glyph_bullet(glyph, after)
        if kind is not None and glyph["x0"] - before["x1"] > SPAN_GAP * glyph["size"]:
            found.append((glyph["x0"], kind))
    return found


def _leading_bullet(row: Row, markers: list[Marker]) -> tuple[float, Bullet] | None:
    """The x and kind of the bullet that starts a row, if it starts with one."""
    text = [c for c in row.chars if not c["text"].isspace()]
    if not text:
        return None
    first, after = text[0], (text[1] if len(text) > 1 else None)
    kind = glyph_bullet(first, after)
    if kind is not None:
        return float(first["x0"]), kind
    return next(((m.x0, m.kind) for m in markers
                 if on_row(m, row) and 0 < first["x0"] - m.x1 < BULLET_GAP), None)


def _one_item(row: Row, margin: float, cut: float, markers: list[Marker]) -> bool:
    """Whether a row's part left of the cut is one list item (or part of one), not cells."""
    text = [c for c in row.chars if not c["text"].isspace() and c["x0"] < cut]
    if text and text[0]["x0"] < margin:
        return False
    bullet = _leading_bullet(row, markers)
    if text and bullet is not None and text[0]["x0"] == bullet[0]:
        text = text[1:]
    return all(b["x0"] - a["x1"] <= SPAN_GAP * b["size"] for a, b in pairwise(text))


def _straddles(row: Row, x: float) -> bool:
    return any(c["x0"] < x < c["x1"] - 0.5 for c in row.chars if not c["text"].isspace())


def _sub_row(row: Row, chars: list[Char], shift: float) -> Row | None:
    """The part of a row in one column, shifted right of the row's own column by shift."""
    if not any(not c["text"].isspace() for c in chars):
        return None
    big = max(chars, key=lambda c: round(c["size"], 2))  # as chars_to_rows picks a row's top
    return Row(row.page, chars, big["top"], big["bottom"], column_shift=row.column_shift + shift)


def _size(row: Row) -> float:
    return float(max(c["size"] for c in row.chars))
