"""PDF → typed lines, on pdfplumber.

pdfplumber's dicts stay in this module. A page becomes rows of characters (grouped by vertical
overlap, so superscripts and off-baseline bullet glyphs stay on their line), rows become lines
with word spacing and column spans, and small images, vector shapes and glyphs at the start of a
line become its bullet. Page furniture (running header and footer) and the page-1 sidebar are set
apart from the body.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from extractor.errors import NoTextLayerError, UnreadableDocumentError
from extractor.layout.lines import Bullet, Document, Line, Span
from extractor.layout.normalize import assign_levels, repair_split_words

Char = dict[str, Any]

# A gap wider than this many font sizes separates two spans (table cells, columns).
SPAN_GAP = 1.2
# A gap wider than this many font sizes is a word break even without a space character.
WORD_GAP = 0.2
REFERENCE_MARK_CHARS = frozenset("0123456789,-–")
# Image or vector shapes no larger than this (points) at a line's start are bullets.
MARKER_MAX = 8.0
# A bullet's text starts less than this far (points) right of the bullet.
BULLET_GAP = 30.0
# Rows closer than this many font sizes are lines of one paragraph or list.
LINE_GAP = 0.8
# Bullets within this many points of each other stand in one column.
COLUMN_TOLERANCE = 2.0
GLYPH_BULLETS = frozenset("•◦▪■□●○◆◇►▸➢✓✔§·-–")
ARROW_GLYPHS = frozenset("\uf0dc\uf0e0\uf0e8\uf0d8\u2794\u27a2")
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
ITALIC_FONT = re.compile(r"italic|oblique", re.IGNORECASE)
SIDEBAR_ANCHOR = re.compile(r"^(Instructions for Use|Related .*Polic(y|ies))\b")
SIDEBAR_MIN_X = 300.0
_CID = re.compile(r"\(cid:\d+\)")
_SYMBOL_FONT = re.compile(r"Dingbat|Wingding|Webding|Symbol", re.IGNORECASE)
_PUA = "".join(chr(c) for c in range(0xF000, 0xF100)) + " "


@dataclass
class _Row:
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


def pdf_to_document(path: Path) -> Document:
    """Read a policy PDF into a Document of body lines, sidebar lines and page furniture."""
    with _open(path) as pdf:
        rows_by_page = [_page_rows(page) for page in _pages(pdf, path)]
        metadata = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, str)}
        heights = [float(p.height) for p in pdf.pages]
    if not any(rows_by_page):
        raise NoTextLayerError("no text layer (image-only or scanned PDF)", path)
    sidebar = _split_sidebar(rows_by_page[0])
    body, furniture = _split_furniture(rows_by_page, heights)
    lines = repair_split_words(assign_levels([_row_to_line(r) for r in body]))
    return Document(
        format="pdf",
        pages=len(rows_by_page),
        lines=tuple(lines),
        sidebar=tuple(_row_to_line(r) for r in sidebar),
        furniture=tuple(_row_to_line(r) for r in furniture),
        metadata=metadata,
    )


def _open(path: Path) -> Any:
    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many bare types on damaged files
        if isinstance(_unwrap(exc), (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableDocumentError("encrypted PDF that needs a password", path) from exc
        raise UnreadableDocumentError(f"not a readable PDF ({_reason(exc)})", path) from exc


def _pages(pdf: Any, path: Path) -> Iterator[Any]:
    try:
        pages = pdf.pages
    except Exception as exc:
        raise UnreadableDocumentError(f"damaged page tree ({_reason(exc)})", path) from exc
    if not pages:
        raise UnreadableDocumentError("PDF has no pages", path)
    for page in pages:
        try:
            page.chars  # noqa: B018 - parse now so damage is reported with this file's name
        except Exception as exc:
            raise UnreadableDocumentError(
                f"page {page.page_number} cannot be read ({_reason(exc)})", path
            ) from exc
        yield page
        page.close()  # free the page's parsed objects: long policies run to hundreds of pages


def _unwrap(exc: BaseException) -> BaseException:
    """pdfminer's own exception, from inside the PdfminerException pdfplumber wraps it in."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


def _reason(exc: BaseException) -> str:
    exc = _unwrap(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _page_rows(page: Any) -> list[_Row]:
    chars = [c for c in page.chars if c.get("upright", True) and c["text"]]
    markers = _markers(page)
    rows = split_list_columns(chars_to_rows(chars, page.page_number), markers)
    rows = _attach_glyph_bullets(rows)
    _attach_markers(rows, markers)
    return rows


def chars_to_rows(chars: list[Char], page: int) -> list[_Row]:
    """Group characters into rows by vertical overlap with the row's largest character."""
    rows: list[_Row] = []
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
            rows.append(_Row(page, [c], c["top"], c["bottom"]))
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
        bold=_mostly(chars, BOLD_FONT),
        italic=_mostly(chars, ITALIC_FONT),
    )


def _mostly(chars: list[Char], style: re.Pattern[str]) -> bool:
    return sum(1 for c in chars if _styled(c["fontname"], style)) * 2 > len(chars)


@cache
def _styled(fontname: str, style: re.Pattern[str]) -> bool:
    return style.search(fontname) is not None


def _glyph_bullet(glyph: Char, after: Char | None) -> Bullet | None:
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
    if text in "-–" and gap > 0.3 * glyph["size"]:
        return "dash"
    if text in GLYPH_BULLETS or 0xF000 <= ord(text) <= 0xF0FF or _SYMBOL_FONT.search(font):
        return "glyph"
    return None


def _attach_glyph_bullets(rows: list[_Row]) -> list[_Row]:
    """Give each row its leading glyph bullet; a glyph alone on its own row joins its line."""
    kept: list[_Row] = []
    for row in rows:
        first, after = row.chars[0], next((c for c in row.chars[1:]), None)
        if first["text"] in ARROW_GLYPHS:
            row.chars = row.chars[1:]
        kind = None if first["text"] in ARROW_GLYPHS else _glyph_bullet(first, after)
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


def _strip_leading_space(chars: list[Char]) -> list[Char]:
    i = 0
    while i < len(chars) and chars[i]["text"].isspace():
        i += 1
    return chars[i:]


def _give_bullet(rows: list[_Row], glyph_row: _Row, kind: Bullet) -> None:
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
class _Marker:
    x0: float
    x1: float
    top: float
    bottom: float
    kind: Bullet


def _markers(page: Any) -> list[_Marker]:
    """Small images and filled vector shapes: the bullets that text extraction drops."""
    found = [_marker(o, "image") for o in page.images] + [
        _marker(o, "vector") for o in page.rects + page.curves if o.get("fill")
    ]
    return [m for m in found if m is not None]


def _marker(obj: Char, kind: Bullet) -> _Marker | None:
    w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
    if not (0.5 <= w <= MARKER_MAX and 0.3 <= h <= MARKER_MAX):
        return None
    if h < w / 2.5:
        kind = "dash"
    return _Marker(obj["x0"], obj["x1"], obj["top"], obj["bottom"], kind)


def _attach_markers(rows: list[_Row], markers: Iterable[_Marker]) -> None:
    for m in markers:
        hits = [r for r in rows
                if r.bullet is None and _on_row(m, r) and 0 < r.x0 - m.x1 < BULLET_GAP]
        if hits:
            target = min(hits, key=lambda r: r.x0 - m.x1)
            target.bullet, target.marker_x0 = m.kind, m.x0


def split_list_columns(rows: list[_Row], markers: list[_Marker]) -> list[_Row]:
    """Read a bulleted list printed in two columns column by column, as separate rows.

    The second column is found by its bullets: images, shapes or glyphs in the middle of a row
    that starts with a bullet of the same kind (a table with bullets in one cell stays whole).
    """
    found = _column_x(rows, markers)
    if found is None:
        return rows
    x, shift = found
    start = next(i for i, r in enumerate(rows) if _column_bullet(r, x, markers))
    end = _column_band_end(rows, start, x, markers)
    if any(_straddles(r, x) for r in rows[start:end]):
        return rows
    left = [_sub_row(r, [c for c in r.chars if c["x0"] < x], 0.0, x) for r in rows[start:end]]
    right = [_sub_row(r, [c for c in r.chars if c["x0"] >= x], shift, None)
             for r in rows[start:end]]
    rest = split_list_columns(rows[end:], markers)
    return rows[:start] + [r for r in left + right if r is not None] + rest


def _column_x(rows: list[_Row], markers: list[_Marker]) -> tuple[float, float] | None:
    """Where the topmost second list column starts, and how far right of the first it is."""
    for row in rows:
        first = _leading_bullet(row, markers)
        mid = [x for x, kind in _mid_row_bullets(row, markers) if first and kind == first[1]]
        if first and mid:
            return mid[0], mid[0] - first[0]
    return None


def _column_band_end(rows: list[_Row], start: int, x: float, markers: list[_Marker]) -> int:
    """The end of the rows printed in columns: bulleted at x, or wrapped lines of the list."""
    indent = _text_x0(rows[start]) - COLUMN_TOLERANCE
    end = start + 1
    while end < len(rows):
        row, above = rows[end], rows[end - 1]
        adjacent = row.top - above.bottom < LINE_GAP * _size(above)
        if not (_column_bullet(row, x, markers) or (adjacent and _text_x0(row) >= indent)):
            break
        end += 1
    return end


def _column_bullet(row: _Row, x: float, markers: list[_Marker]) -> bool:
    return any(abs(b - x) <= COLUMN_TOLERANCE for b, _ in _mid_row_bullets(row, markers))


def _mid_row_bullets(row: _Row, markers: list[_Marker]) -> list[tuple[float, Bullet]]:
    """The x and kind of bullets printed after text on a row, each followed by text of its own."""
    text = [c for c in row.chars if not c["text"].isspace()]
    found = [(m.x0, m.kind) for m in markers if _on_row(m, row)
             and any(c["x1"] <= m.x0 for c in text)
             and any(0 < c["x0"] - m.x1 < BULLET_GAP for c in text)]
    for before, glyph, after in zip(text, text[1:], text[2:], strict=False):
        kind = _glyph_bullet(glyph, after)
        if kind is not None and glyph["x0"] - before["x1"] > SPAN_GAP * glyph["size"]:
            found.append((glyph["x0"], kind))
    return found


def _leading_bullet(row: _Row, markers: list[_Marker]) -> tuple[float, Bullet] | None:
    """The x and kind of the bullet that starts a row, if it starts with one."""
    text = [c for c in row.chars if not c["text"].isspace()]
    if not text:
        return None
    first, after = text[0], (text[1] if len(text) > 1 else None)
    kind = _glyph_bullet(first, after)
    if kind is not None:
        return float(first["x0"]), kind
    return next(((m.x0, m.kind) for m in markers
                 if _on_row(m, row) and 0 < first["x0"] - m.x1 < BULLET_GAP), None)


def _on_row(m: _Marker, row: _Row) -> bool:
    return row.top - 1 <= (m.top + m.bottom) / 2 <= row.bottom + 1


def _straddles(row: _Row, x: float) -> bool:
    return any(c["x0"] < x < c["x1"] - 0.5 for c in row.chars if not c["text"].isspace())


def _sub_row(row: _Row, chars: list[Char], shift: float, end: float | None) -> _Row | None:
    if not any(not c["text"].isspace() for c in chars):
        return None
    big = max(chars, key=lambda c: c["size"])
    return _Row(row.page, chars, big["top"], big["bottom"], column_shift=shift, column_end=end)


def _text_x0(row: _Row) -> float:
    return float(min((c["x0"] for c in row.chars if not c["text"].isspace()), default=row.x0))


def _size(row: _Row) -> float:
    return float(max(c["size"] for c in row.chars))


def _split_sidebar(rows: list[_Row]) -> list[_Row]:
    """Take the page-1 right-hand sidebar out of rows (in place) and return its rows.

    The sidebar starts at "Instructions for Use" / "Related … Policy" in the right half and runs
    down beside the table of contents until the first section heading.
    """
    top = next((r.top for r in rows for s in r.spans if _is_sidebar_anchor(s)), None)
    if top is None:
        return []
    end = next((r.top for r in rows if r.top > top and _is_heading_row(r)), 1e9)
    band = [r for r in rows if top - 1 <= r.top < end]
    x = min(s.x0 for r in band for s in r.spans if s.x0 > SIDEBAR_MIN_X) - 2
    sidebar: list[_Row] = []
    for row in band:
        right = [c for c in row.chars if c["x0"] >= x]
        if not right:
            continue
        sidebar.append(_Row(row.page, right, row.top, row.bottom))
        row.chars = [c for c in row.chars if c["x0"] < x]
        if row.chars:
            row.spans = chars_to_spans(row.chars)
        else:
            rows.remove(row)
    return _attach_glyph_bullets(sidebar)


def _is_sidebar_anchor(span: Span) -> bool:
    return span.x0 > SIDEBAR_MIN_X and SIDEBAR_ANCHOR.match(span.text.lstrip(_PUA)) is not None


def _is_heading_row(row: _Row) -> bool:
    size = max(c["size"] for c in row.chars)
    return size >= 12.5 and bool(row.spans) and row.spans[0].bold


def _split_furniture(
    rows_by_page: list[list[_Row]], heights: list[float]
) -> tuple[list[_Row], list[_Row]]:
    """Set apart the running footer and header: rows repeated at the bottom or top of pages.

    A footer repeats on most pages. A header must repeat on all pages but one, so that a table
    header repeated at the top of its continuation pages stays in the body.
    """
    pages = len(rows_by_page)
    bands = [(r, _band(r, h)) for page, h in zip(rows_by_page, heights, strict=True) for r in page]
    counts = Counter((band, _furniture_key(r)) for r, band in bands if band)
    needed = {"bottom": max(2, pages // 2), "top": max(2, pages - 1)}
    body: list[_Row] = []
    furniture: list[_Row] = []
    for row, band in bands:
        repeated = band is not None and counts[band, _furniture_key(row)] >= needed[band]
        footer = band == "bottom" and _FOOTER.search(row.text) is not None
        (furniture if repeated or footer else body).append(row)
    return body, furniture


def _band(row: _Row, height: float) -> str | None:
    if row.top > height * 0.88:
        return "bottom"
    return "top" if row.bottom < height * 0.07 else None


def _furniture_key(row: _Row) -> str:
    return re.sub(r"\d+", "#", row.text)


_FOOTER = re.compile(r"Page \d+ of \d+|Proprietary Information of|Copyright \d{4}")


def _row_to_line(row: _Row) -> Line:
    chars = [c for c in row.chars if not c["text"].isspace()] or row.chars
    fonts = Counter(c["fontname"].split("+")[-1] for c in chars)
    sizes = Counter(round(c["size"], 1) for c in chars)
    x0 = min(row.x0, row.marker_x0) if row.marker_x0 is not None else row.x0
    return Line(
        text=" ".join(s.text for s in row.spans),
        page=row.page,
        bbox=(round(x0, 1), round(row.top, 1), round(row.x1, 1), round(row.bottom, 1)),
        font=fonts.most_common(1)[0][0],
        size=sizes.most_common(1)[0][0],
        bold=_mostly(chars, BOLD_FONT),
        italic=_mostly(chars, ITALIC_FONT),
        bullet=row.bullet,
        spans=tuple(row.spans),
        column_shift=round(row.column_shift, 1),
        column_end=round(row.column_end, 1) if row.column_end is not None else None,
    )
