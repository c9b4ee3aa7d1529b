"""PDF → typed lines, read with PDFium (the default) or pdfplumber.

Both engines give pages in pdfplumber's shape (``pdfium`` rebuilds pdfplumber's characters,
rects, curves and images from PDFium's objects; pdfplumber stays as the reference engine), and
their dicts stay in this module and its ``pdf_*`` helpers. A page becomes rows of
characters (grouped by vertical overlap, so superscripts and off-baseline bullet glyphs stay on
their line; ``pdf_rows``), small images, vector shapes and glyphs at the start of a row become
its bullet (``pdf_bullets``), a list printed in two columns is read column by column
(``pdf_columns``), and rows become lines with word spacing and column spans. Page furniture
(running header and footer) and the page-1 sidebar are set apart from the body.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from extractor.deadline import check_deadline
from extractor.engines import DEFAULT_ENGINE, Engine
from extractor.errors import NoTextLayerError
from extractor.layout.lines import FOOTER_TEXT, Document, Line, Span
from extractor.layout.normalize import assign_levels, repair_split_words
from extractor.layout.pdf_bullets import attach_glyph_bullets, attach_markers, page_markers
from extractor.layout.pdf_columns import split_list_columns
from extractor.layout.pdf_guard import check_pages
from extractor.layout.pdf_rows import (
    Row,
    chars_to_rows,
    chars_to_spans,
    font_names,
    font_styles,
    most_common_size,
    points,
)

SIDEBAR_ANCHOR = re.compile(r"^(Instructions for Use|Related .*Polic(y|ies))\b")
SIDEBAR_MIN_X = 300.0
# Running footers print below this fraction of the page height, headers above this one.
FOOTER_BAND = 0.88
HEADER_BAND = 0.07
# A line repeated at the bottom of pages starts a footer block when it has this many words
# (a connector or a page number alone does not).
FOOTER_MIN_WORDS = 3
_PUA = "".join(chr(c) for c in range(0xF000, 0xF100)) + " "



class PageSource(Protocol):
    """An open PDF as the layout layer reads it, whichever engine reads the pages."""

    @property
    def metadata(self) -> dict[str, str]: ...

    @property
    def page_heights(self) -> list[float]: ...

    @property
    def page_count(self) -> int: ...

    def iter_pages(self) -> Iterator[Any]: ...

    def __enter__(self) -> PageSource: ...

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


def pdf_to_document(path: Path, engine: Engine = DEFAULT_ENGINE) -> Document:
    """Read a policy PDF into a Document of body lines, sidebar lines and page furniture."""
    with open_pages(path, engine) as pdf:
        check_pages(pdf.page_count, path)
        rows_by_page = []
        for page in pdf.iter_pages():  # one at a time, each released before the next
            check_deadline()
            rows_by_page.append(_page_rows(page))
        metadata = pdf.metadata
        heights = pdf.page_heights
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


def open_pages(path: Path, engine: Engine = DEFAULT_ENGINE) -> PageSource:
    """Open a PDF with the given engine; damaged and encrypted files raise a clear error."""
    if engine == "pdfium":
        from extractor.layout.pdfium import open_pdfium

        return open_pdfium(path)
    from extractor.layout.pdf_plumber import open_pdfplumber

    return open_pdfplumber(path)


def _page_rows(page: Any) -> list[Row]:
    chars = [c for c in page.chars if c.get("upright", True) and c["text"]]
    markers = page_markers(page)
    rows = split_list_columns(chars_to_rows(chars, page.page_number), markers)
    rows = attach_glyph_bullets(rows)
    attach_markers(rows, markers)
    return rows


def _split_sidebar(rows: list[Row]) -> list[Row]:
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
    sidebar: list[Row] = []
    for row in band:
        right = [c for c in row.chars if c["x0"] >= x]
        if not right:
            continue
        sidebar.append(Row(row.page, right, row.top, row.bottom))
        if row.marker_x0 is not None and row.marker_x0 >= x:  # the row's bullet is the sidebar's
            sidebar[-1].bullet, sidebar[-1].marker_x0 = row.bullet, row.marker_x0
            row.bullet, row.marker_x0 = None, None
        row.chars = [c for c in row.chars if c["x0"] < x]
        if row.chars:
            row.spans = chars_to_spans(row.chars)
        else:
            rows.remove(row)
    return attach_glyph_bullets(sidebar)


def _is_sidebar_anchor(span: Span) -> bool:
    return span.x0 > SIDEBAR_MIN_X and SIDEBAR_ANCHOR.match(span.text.lstrip(_PUA)) is not None


def _is_heading_row(row: Row) -> bool:
    size = max(c["size"] for c in row.chars)
    return size >= 12.5 and bool(row.spans) and row.spans[0].bold


def _split_furniture(
    rows_by_page: list[list[Row]], heights: list[float]
) -> tuple[list[Row], list[Row]]:
    """Set apart the running footer and header: rows repeated at the bottom or top of pages.

    A footer line repeats on most pages or reads like one ("Page N of M"); what a page prints
    below its first footer line is part of its footer block (a line naming another line of
    business on one page only). A header must repeat on all pages but one, so that a table
    header repeated at the top of its continuation pages stays in the body.
    """
    repeats = _Repeats.count(rows_by_page, heights)
    body: list[Row] = []
    furniture: list[Row] = []
    for page, h in zip(rows_by_page, heights, strict=True):
        marked = {id(r): r for r in page if repeats.repeated(r, h) or _footer_line(r, h)}
        block = min((r.top for r in marked.values() if _band(r, h) == "bottom"
                     and (_footer_line(r, h) or len(r.text.split()) >= FOOTER_MIN_WORDS)),
                    default=h)
        for row in page:
            (furniture if id(row) in marked or row.top >= block else body).append(row)
    return body, furniture


@dataclass(frozen=True)
class _Repeats:
    """On how many pages each line (numbers aside) prints in the header or footer band."""

    counts: Counter[tuple[str, str]]
    needed: dict[str, int]

    @classmethod
    def count(cls, rows_by_page: list[list[Row]], heights: list[float]) -> _Repeats:
        pages = len(rows_by_page)
        counts = Counter(key for page, h in zip(rows_by_page, heights, strict=True)
                         for key in {_furniture_key(r, h) for r in page} if key is not None)
        return cls(counts, {"bottom": max(2, pages // 2), "top": max(2, pages - 1)})

    def repeated(self, row: Row, height: float) -> bool:
        key = _furniture_key(row, height)
        return key is not None and self.counts[key] >= self.needed[key[0]]


def _band(row: Row, height: float) -> str | None:
    if row.top > height * FOOTER_BAND:
        return "bottom"
    return "top" if row.bottom < height * HEADER_BAND else None


def _furniture_key(row: Row, height: float) -> tuple[str, str] | None:
    band = _band(row, height)
    return (band, re.sub(r"\d+", "#", row.text)) if band else None


def _footer_line(row: Row, height: float) -> bool:
    return _band(row, height) == "bottom" and FOOTER_TEXT.search(row.text) is not None


def _row_to_line(row: Row) -> Line:
    chars = [c for c in row.chars if not c["text"].isspace()] or row.chars
    names = font_names(chars)
    fonts: Counter[str] = Counter()
    for name, n in names.items():  # each name split once
        fonts[name.split("+")[-1]] += n
    x0 = min(row.x0, row.marker_x0) if row.marker_x0 is not None else row.x0
    bold, italic = font_styles(names)
    return Line(
        text=" ".join(s.text for s in row.spans),
        page=row.page,
        bbox=(points(x0), points(row.top), points(row.x1), points(row.bottom)),
        font=fonts.most_common(1)[0][0],
        size=most_common_size(chars),
        bold=bold,
        italic=italic,
        bullet=row.bullet,
        spans=tuple(row.spans),
        column_shift=points(row.column_shift),
        column_end=points(row.column_end) if row.column_end is not None else None,
    )
