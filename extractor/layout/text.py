"""Markdown and HTML renditions of a policy → the same typed lines as its PDF.

PDF-to-Markdown converters print a policy with little of its typography left: section headings
may be plain lines, list nesting may be flattened, tables are tab- or pipe-separated, and HTML
fragments carry what the converter could not render. The text is read into blocks (``markdown``,
``markup``), and the blocks are given what the downstream stages read from a PDF: the title in
the largest type, section headings bold and larger than body text, sub-headings between the
two, table header rows bold, table cells at column positions, the related-policy list in the
sidebar and the running footer in the furniture. List levels come from ``nesting``.

Positions are in characters: a line's bbox is (first column, line - 1, last column, line) of
the source, and Line.source_line names the line.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Literal

from extractor.errors import InputError, UnreadableDocumentError
from extractor.layout.lines import (
    FOOTER_TEXT,
    SECTION_HEADING_MAX_WORDS,
    Bullet,
    Document,
    Line,
    Span,
)
from extractor.layout.markdown import markdown_to_blocks
from extractor.layout.markup import Block, html_to_blocks
from extractor.layout.nesting import list_levels
from extractor.model import SourceFormat

BODY_SIZE = 10.0
# Sub-headings step down from this size by rank, as the PDF's do (12 pt, 12 pt italic, …).
SUBHEADING_SIZE = 13.0
SUBHEADING_MIN = 11.0
BANNER_SIZE = 12.0
SECTION_SIZE = 16.0
TITLE_SIZE = 20.0
# Where table cells start: code and revision tables are read by column position, with the
# description column where a PDF prints it.
COLUMN_X = (0.0, 128.0, 322.0)
COLUMN_PITCH = 100.0
# Section names of UHC policies, for a rendition with neither headings nor a table of contents.
STANDARD_SECTIONS = (
    "Application", "Coverage Rationale", "Documentation Requirements", "Definitions",
    "Medical Records Documentation Used for Reviews", "Applicable Codes", "Background",
    "Description of Services", "Benefit Considerations", "Clinical Evidence",
    "U.S. Food and Drug Administration", "Centers for Medicare and Medicaid Services",
    "Centers for Medicare and Medicaid Services Related Documents", "References",
    "Policy History/Revision Information", "Instructions for Use", "Related Policies",
)
NUMBER_LINE = re.compile(r"\b(Policy|Guideline|Reference|Document)\s+(Number|No\.?|#)", re.I)
TOC_TITLE = re.compile(r"^\W*Table of Contents\b", re.I)
TOC_ENTRY = re.compile(r"^(.*?\w.*?)(?:\s*\.{2,}\s*|\s+)(\d{1,3})$")
SIDEBAR_LINK = re.compile(r"^Instructions for Use$", re.I)
RELATED = re.compile(r"^(Related\b.*|.*\bPolic(y|ies))$")
DATA_CELL = re.compile(r"[A-Z]{0,3}\d[\w./\-–, ]*")
Role = Literal["title", "banner", "section", "subheading", "sidebar-link", "sidebar-heading",
               "sidebar"]
# after any comments and XML declaration, skipped by _after_prolog (a regex over them can
# backtrack exponentially: "<!---->" × 32 took minutes)
HTML_START = re.compile(r"<(!doctype\s+html|html\b)", re.I)


def text_to_document(path: Path, data: bytes) -> Document:
    """Read a Markdown or HTML rendition of a policy into the lines its PDF gives."""
    text = _decode(data, path)
    fmt: SourceFormat = "html" if _is_html(path, text) else "markdown"
    blocks, metadata = html_to_blocks(text) if fmt == "html" else markdown_to_blocks(text)
    if not any(b.text or b.cells for b in blocks):
        raise InputError(f"no text in this {'HTML' if fmt == 'html' else 'Markdown'} file", path)
    return blocks_to_document(blocks, fmt, metadata)


def is_text(data: bytes) -> bool:
    """Whether the start of a file reads as text (UTF-8, or UTF-16 with its byte-order mark)."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # more than a character cut at the end of the sample
            return False
    return b"\x00" not in head


def _decode(data: bytes, path: Path) -> str:
    bom16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if bom16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
        if declared is None or bom16:
            raise UnreadableDocumentError(
                f"not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start})", path
            ) from exc
        text = _decode_declared(data, declared.group(1).decode("ascii"), path)
    if "\x00" in text:
        raise UnreadableDocumentError("binary data, not Markdown or HTML text", path)
    if not text.strip():
        raise InputError("empty file (only white space)", path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_declared(data: bytes, charset: str, path: Path) -> str:
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise UnreadableDocumentError(f"cannot be decoded as its declared {charset}", path) from exc


def _is_html(path: Path, text: str) -> bool:
    return (path.suffix.lower() in (".html", ".htm")
            or HTML_START.match(_after_prolog(text)) is not None)


def blocks_to_document(
    blocks: list[Block], fmt: SourceFormat, metadata: dict[str, str]
) -> Document:
    """Give blocks the typography and places a PDF of the same policy has."""
    furniture = [b for b in blocks if _is_furniture(b)]
    body = [b for b in blocks if not _is_furniture(b)]
    roles = _roles(body)
    kept = [i for i in range(len(body)) if not roles.get(i, "").startswith("sidebar")]
    levels = dict(zip(kept, list_levels([body[i] for i in kept]), strict=True))
    top = min((body[i].rank for i, role in roles.items() if role == "subheading"), default=0)
    lines = [line for i in kept
             for line in _block_lines(body[i], roles.get(i), levels[i], top)]
    sidebar = [_line(body[i], BODY_SIZE, roles[i] == "sidebar-heading", 0,
                     "glyph" if roles[i] == "sidebar" else None)
               for i in sorted(roles, key=lambda i: (roles[i] != "sidebar-link", i))
               if roles[i].startswith("sidebar")]
    return Document(
        format=fmt,
        pages=1,
        lines=tuple(lines),
        sidebar=tuple(sidebar),
        furniture=tuple(_line(b, BODY_SIZE, b.bold, 0, None) for b in furniture),
        metadata=metadata,
    )


def _is_furniture(block: Block) -> bool:
    return block.kind == "text" and len(block.text.split()) < 25 and bool(
        FOOTER_TEXT.search(block.text))


# --- which block is what ----------------------------------------------------------------------


def _roles(blocks: list[Block]) -> dict[int, Role]:
    """Title, banner, section and sub-headings, sidebar: every block that is not body text."""
    number = next((i for i, b in enumerate(blocks) if NUMBER_LINE.search(_plain_text(b))), None)
    title = _title(blocks, number)
    roles: dict[int, Role] = {}
    if title is not None:
        roles[title] = "title"
        roles |= {i: "banner" for i in range(title) if blocks[i].kind in ("text", "heading")}
    toc = _toc(blocks)
    front = max(x for x in (title, number, -1) if x is not None) + 1
    heads = _section_heads(blocks, toc[1] if toc else front, toc[2] if toc else [])
    end = min((i for i in heads if not SIDEBAR_LINK.match(blocks[i].text)), default=len(blocks))
    sidebar = _sidebar(blocks, front, end)
    roles |= sidebar
    for i in heads - set(sidebar):
        roles[i] = "section"
    for i, block in enumerate(blocks):
        if block.kind == "heading" and i not in roles:
            roles[i] = "subheading"
    return roles


def _title(blocks: list[Block], number: int | None) -> int | None:
    """The heading above the policy number, or the paragraph just above it."""
    stop = number if number is not None else min(len(blocks), 20)
    before = [i for i in range(stop) if blocks[i].kind in ("text", "heading")
              and not blocks[i].link and sum(ch.isalpha() for ch in blocks[i].text) >= 3]
    headings = [i for i in before if blocks[i].kind == "heading"]
    if headings:
        return min(headings, key=lambda i: (blocks[i].rank, i))
    if not before:
        return None
    return before[-1] if number is not None else before[0]


def _toc(blocks: list[Block]) -> tuple[int, int, list[str]] | None:
    """(first, end, entry names) of the table of contents."""
    start = next((i for i, b in enumerate(blocks) if TOC_TITLE.match(_first_text(b))), None)
    if start is None:
        return None
    names: list[str] = []
    end = start + 1
    while end < len(blocks) and (name := _toc_entry(blocks[end])) is not None:
        names.append(name)
        end += 1
    return (start, end, names) if names else None


def _first_text(block: Block) -> str:
    if block.kind == "row":
        return next((c[0].text for c in block.cells if c), "")
    return block.text


def _plain_text(block: Block) -> str:
    return block.text or " ".join(b.text for cell in block.cells for b in cell)


def _toc_entry(block: Block) -> str | None:
    if block.kind == "row":
        cells = [c[0].text for c in block.cells if c]
        return cells[0] if len(cells) >= 2 and cells[-1].isdigit() else None
    m = TOC_ENTRY.match(block.text)
    if m:
        return m.group(1).strip(" .")
    return block.text if block.link else None


def _section_heads(blocks: list[Block], start: int, toc: list[str]) -> set[int]:
    """Headings the TOC names; else the most-used top heading rank; else the usual names."""
    later = range(start, len(blocks))
    candidates = [i for i in later if _heading_like(blocks[i])]
    if toc:
        return {i for i in candidates if _names(blocks[i].text, toc)}
    ranks = Counter(blocks[i].rank for i in later if blocks[i].kind == "heading")
    if ranks:
        rank = min([r for r, n in ranks.items() if n >= 2] or ranks)
        return {i for i in later if blocks[i].kind == "heading" and blocks[i].rank == rank}
    return {i for i in candidates if _names(blocks[i].text, STANDARD_SECTIONS)}


def _heading_like(block: Block) -> bool:
    return (block.kind in ("text", "heading") and not block.link and not block.in_list
            and 0 < len(block.text.split()) <= SECTION_HEADING_MAX_WORDS)


def _names(text: str, names: list[str] | tuple[str, ...]) -> bool:
    """Whether text is one of the names, give or take case, marks and a parenthesis."""
    keys = {_key(n) for n in names} | {_key(_unparen(n)) for n in names}
    return _key(text) in keys or _key(_unparen(text)) in keys


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _unparen(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", text)


def _sidebar(blocks: list[Block], start: int, end: int) -> dict[int, Role]:
    """The front matter's "Instructions for Use" link and related-policy lists."""
    roles: dict[int, Role] = {}
    i = start
    while i < end:
        block = blocks[i]
        if block.kind == "text" and SIDEBAR_LINK.match(block.text):
            roles[i] = "sidebar-link"
        elif _related_heading(block):
            roles[i] = "sidebar-heading"
            while i + 1 < end and _related_entry(blocks[i + 1]):
                i += 1
                roles[i] = "sidebar"
        i += 1
    return roles


def _related_heading(block: Block) -> bool:
    return block.kind in ("text", "heading") and len(block.text.split()) <= 8 and bool(
        RELATED.match(block.text))


def _related_entry(block: Block) -> bool:
    """A list item, or a line printed right below the last (no blank line between)."""
    if block.kind == "item":
        return True
    return block.kind == "text" and not block.gap and not _related_heading(block) and not (
        TOC_TITLE.match(block.text))


# --- blocks → lines ---------------------------------------------------------------------------


def _block_lines(block: Block, role: Role | None, level: int, top_rank: int) -> list[Line]:
    """The block's lines; top_rank is the rank of the outermost sub-headings."""
    if block.kind == "row":
        return _row_lines(block)
    if role == "title":
        return [_line(block, TITLE_SIZE, True, 0, None)]
    if role == "banner":
        return [_line(block, BANNER_SIZE, True, 0, None)]
    if role == "subheading":
        size = max(SUBHEADING_MIN, SUBHEADING_SIZE - (block.rank - top_rank))
        return [_line(block, size, True, 0, None)]
    if role == "section":
        return [_line(block, SECTION_SIZE, True, 0, None)]
    bullet = None if block.connector or block.kind != "item" else block.bullet
    return [_line(block, BODY_SIZE, block.bold, level, bullet)]


def _line(block: Block, size: float, bold: bool, level: int, bullet: Bullet | None) -> Line:
    text = block.text
    x1 = float(max(block.end, block.col + len(text)))
    left = float(block.marker if block.marker is not None else block.col)
    return Line(
        text=text, page=1, bbox=(left, block.line - 1.0, x1, float(block.last or block.line)),
        size=size, bold=bold, italic=block.italic, bullet=bullet, level=level,
        spans=(Span(text=text, x0=float(block.col), x1=x1, bold=bold, italic=block.italic),),
        source_line=block.line,
    )


def _row_lines(row: Block) -> list[Line]:
    """A table row: one line per paragraph or item of its cells, one span per cell."""
    header = row.header if row.header is not None else row.first_row and _label_like(row)
    lines = []
    for k in range(max((len(c) for c in row.cells), default=0)):
        spans: list[Span] = []
        bullet: Bullet | None = None
        for i, cell in enumerate(row.cells):
            if k < len(cell) and cell[k].text:
                block = cell[k]
                spans.append(_cell_span(block, i, last=i == len(row.cells) - 1, bold=header))
                if i > 0 and bullet is None and block.kind == "item":
                    bullet = block.bullet or "glyph"
        if spans:
            lines.append(Line(
                text=" ".join(s.text for s in spans), page=1,
                bbox=(float(row.col), row.line - 1.0, float(max(row.end, spans[-1].x1)),
                      float(row.line)),
                size=BODY_SIZE, bold=all(s.bold for s in spans),
                italic=all(s.italic for s in spans), bullet=bullet, spans=tuple(spans),
                source_line=row.line,
            ))
    return lines


def _cell_span(block: Block, column: int, last: bool, bold: bool) -> Span:
    x0 = _column_x(column)
    x1 = x0 + len(block.text)
    if not last:
        x1 = min(x1, _column_x(column + 1) - 2)
    return Span(text=block.text, x0=x0, x1=x1, bold=bold or block.bold, italic=block.italic)


def _column_x(column: int) -> float:
    if column < len(COLUMN_X):
        return COLUMN_X[column]
    return COLUMN_X[-1] + COLUMN_PITCH * (column - len(COLUMN_X) + 1)


def _label_like(row: Block) -> bool:
    """A first row of short labels and no data is a header row."""
    cells = [c[0].text for c in row.cells if c and c[0].text]
    return len(cells) >= 2 and all(
        len(c.split()) <= 6 and not DATA_CELL.fullmatch(c) for c in cells)


def _after_prolog(text: str) -> str:
    """The text after leading whitespace, comments and an XML declaration, in one pass."""
    rest = text.lstrip()
    while rest.startswith(("<!--", "<?xml")):
        opening, closing = ("<!--", "-->") if rest.startswith("<!--") else ("<?xml", ">")
        end = rest.find(closing, len(opening))
        if end < 0:
            return rest
        rest = rest[end + len(closing):].lstrip()
    return rest

