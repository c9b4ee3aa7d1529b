"""HTML → blocks: the paragraphs, list items, headings and table rows of a text.

A block keeps what the source says and nothing more: its text as styled runs, where it is
(source line and columns), a list item's indentation and bullet, a heading's rank, a table
row's cells. HTML is read with lxml, whole documents and the fragments Markdown carries inline
alike (``markdown`` turns its own inline markup into the same HTML first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

import lxml.html
from lxml import etree

from extractor.layout.lines import CONNECTOR, SECTION_HEADING_MAX_WORDS, Bullet

Kind = Literal["text", "item", "heading", "row"]
FIELD_LINE = re.compile(
    r"^\W*((Policy|Guideline|Reference|Document)\s+(Number|No\.?|#)|Effective(\s+Date)?\s*:"
    r"|Table of Contents\b)", re.I)
BREAK = "\x00"  # a <br>: the text never holds one (text_to_document refuses NUL)
# A bullet printed as a character at the start of a paragraph or table cell.
GLYPH = re.compile(r"^\s*([•○◦▪■●◆►▸➢✓·\uf000-\uf0ff]|[-–o](?=\s))\s*(?=\S)")
GLYPH_KINDS: dict[str, Bullet] = {"-": "dash", "–": "dash", "o": "o", "○": "o", "◦": "o"}

# HTML elements
SKIPPED_TAGS = frozenset(
    {"script", "style", "head", "title", "noscript", "template", "svg", "img", "button", "select"})
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "div", "dl", "dt", "figcaption", "figure", "footer", "form", "header", "hr", "html", "main",
    "nav", "p", "pre", "section", "summary",
})
HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
CSS_BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.I)
CSS_ITALIC = re.compile(r"font-style\s*:\s*(italic|oblique)", re.I)


@dataclass
class Run:
    """Text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    link: bool = False


@dataclass
class Block:
    """A paragraph, list item, heading or table row of the source, before it becomes Lines."""

    kind: Kind
    line: int
    last: int = 0
    runs: list[Run] = field(default_factory=list)
    col: int = 0
    end: int = 0
    indent: int = 0  # list indentation: columns, or two per enclosing HTML list
    marker: int | None = None  # column of the list marker
    bullet: Bullet | None = None
    rank: int = 0  # of a heading: 1 for h1
    cells: list[list[Block]] = field(default_factory=list)
    header: bool | None = None  # of a row: None when the source does not say
    first_row: bool = False
    in_list: bool = False  # a paragraph continuing a list item
    gap: bool = False  # a blank line or a new list before it, where converters restart lists

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(r.text for r in self.runs)).strip()

    def _all(self, attr: str) -> bool:
        printed = [r for r in self.runs if r.text.strip()]
        return bool(printed) and all(getattr(r, attr) for r in printed)

    @property
    def bold(self) -> bool:
        return self._all("bold")

    @property
    def italic(self) -> bool:
        return self._all("italic")

    @property
    def link(self) -> bool:
        return self._all("link")

    @property
    def connector(self) -> bool:
        return self.kind in ("text", "item") and CONNECTOR.match(self.text) is not None


# --- HTML → blocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    bold: bool = False
    italic: bool = False
    link: bool = False
    depth: int = 0  # enclosing lists
    bare: bool = False  # directly inside a list, outside any item
    ordered: bool = False


class _Walker:
    """Walks an element tree, collecting its text into blocks with their inline styles."""

    def __init__(self, offset: int, cell: bool = False) -> None:
        self.offset = offset  # the source line before the parsed text
        self.cell = cell
        self.blocks: list[Block] = []
        self.open: Block | None = None
        self.line = offset + 1
        self.list_start = False

    def children(self, el: etree._Element, style: _Style) -> None:
        self.add(el.text, style)
        for child in el:
            self.element(child, style)
            self.add(child.tail, style)

    def element(self, el: etree._Element, style: _Style) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in SKIPPED_TAGS:
            return
        self.line = self.offset + _source_line(el)
        if tag == "br":
            self.add(BREAK, style)
            return
        inner = _inline_style(el, tag, style)
        if tag in ("ul", "ol"):
            self.flush()
            self.list_start = True
            self.children(el, replace(inner, depth=style.depth + 1, bare=True, ordered=tag == "ol"))
            self.flush()
        elif tag == "li":
            self._item(el, inner)
        elif tag in HEADING_TAGS:
            self.flush()
            self.open = Block("heading", self.line, rank=HEADING_TAGS[tag])
            self.children(el, replace(inner, bold=True, bare=False))
            self.flush()
        elif tag == "table":
            self.flush()
            self.blocks += _table_rows(el, inner, self.offset)
        elif tag in BLOCK_TAGS or tag in ("tr", "td", "th"):
            if not (self.open is not None and self.open.kind == "item" and not self.open.text):
                self.flush()  # a <p> inside an <li> is the item's own text
            self.children(el, replace(inner, bare=False))
            self.flush()
        else:
            self.children(el, inner)

    def _item(self, el: etree._Element, style: _Style) -> None:
        self.flush()
        self.open = Block("item", self.line, indent=2 * max(style.depth - 1, 0),
                           bullet=None if style.ordered else "glyph", gap=self.list_start)
        self.list_start = False
        if style.ordered and not _is_connector(el):
            self.open.runs.append(Run(f"{_ordinal(el)}. "))
        self.children(el, replace(style, bare=False))
        self.flush()

    def add(self, text: str | None, style: _Style) -> None:
        if not text or (self.open is None and not text.strip()):
            return
        if self.open is None:
            kind: Kind = "item" if style.bare else "text"
            self.open = Block(kind, self.line, indent=2 * max(style.depth - 1, 0),
                               in_list=style.depth > 0 and kind == "text")
        self.open.runs.append(Run(text, style.bold, style.italic, style.link))

    def flush(self) -> None:
        if self.open is not None:
            self.blocks += _split_breaks(self.open, self.cell)
        self.open = None


def _is_connector(el: etree._Element) -> bool:
    return CONNECTOR.match("".join(str(t) for t in el.itertext())) is not None


def _ordinal(item: etree._Element) -> int:
    """The number an ordered list prints before the item; connectors are not numbered."""
    parent = item.getparent()
    if parent is None:
        return 1
    start = parent.get("start", "1")
    items = list(parent.iterchildren("li"))
    before = items[: items.index(item)]
    return (int(start) if start.isdigit() else 1) + sum(not _is_connector(c) for c in before)


def _source_line(el: etree._Element) -> int:
    """The element's line in the parsed text (the stubs do not type lxml's sourceline)."""
    line = getattr(el, "sourceline", None)
    return line if isinstance(line, int) else 1


def _inline_style(el: etree._Element, tag: str, style: _Style) -> _Style:
    css = el.get("style") or ""
    return replace(
        style,
        bold=style.bold or tag in ("b", "strong", "th") or CSS_BOLD.search(css) is not None,
        italic=style.italic or tag in ("i", "em", "cite") or CSS_ITALIC.search(css) is not None,
        link=style.link or tag == "a",
    )


def _table_rows(table: etree._Element, style: _Style, offset: int) -> list[Block]:
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    blocks: list[Block] = []
    for n, tr in enumerate(rows):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        parts = [_cell(cell, style, offset) for cell in cells]
        parent = tr.getparent()
        head = (bool(cells) and all(c.tag.lower() == "th" for c in cells)) or (
            parent is not None and parent.tag == "thead")
        blocks.append(Block("row", offset + _source_line(tr), cells=parts,
                             header=True if head else None, first_row=n == 0))
    return blocks


def _cell(cell: etree._Element, style: _Style, offset: int) -> list[Block]:
    walker = _Walker(offset, cell=True)
    walker.line = offset + _source_line(cell)
    walker.children(cell, _Style(bold=style.bold or cell.tag.lower() == "th"))
    walker.flush()
    return cell_blocks(walker.blocks)


def _split_breaks(block: Block, cell: bool) -> list[Block]:
    """Split a block at its line breaks where a new line starts: in a table cell, at every one;
    elsewhere where an item, a field, a connector or a bold label starts."""
    pieces: list[list[Run]] = [[]]
    for run in block.runs:
        parts = run.text.split(BREAK)
        pieces[-1].append(replace(run, text=parts[0]))
        pieces += [[replace(run, text=p)] for p in parts[1:]]
    out = [replace(block, runs=pieces[0])]
    for piece in pieces[1:]:
        text = "".join(r.text for r in piece).strip()
        if not text:
            continue
        label = all(r.bold for r in piece if r.text.strip())
        if cell or label or starts_block(text) or CONNECTOR.match(out[-1].text):
            out.append(Block("text", block.line, runs=piece, indent=block.indent,
                              in_list=block.in_list or block.kind == "item"))
        else:
            out[-1].runs += [Run(" "), *piece]
    return [_glyph_item(b) for b in out if b.text]


def starts_block(text: str) -> bool:
    return GLYPH.match(text) is not None or FIELD_LINE.match(text) is not None or (
        CONNECTOR.match(text) is not None)


def _glyph_item(block: Block) -> Block:
    """A paragraph that starts with a bullet character is a list item with that bullet."""
    m = GLYPH.match(block.text)
    if m is None or block.kind not in ("text", "item"):
        return block
    runs = list(block.runs)
    while runs and not runs[0].text.strip():
        runs.pop(0)
    glyph = m.group(1)
    runs[0] = replace(runs[0], text=runs[0].text.lstrip()[len(glyph):])
    return replace(block, kind="item", runs=runs, bullet=GLYPH_KINDS.get(glyph, "glyph"),
                   in_list=False)


def cell_blocks(blocks: list[Block]) -> list[Block]:
    """A short paragraph above a list in a table cell labels it, as the bold labels of a PDF."""
    out = []
    for i, block in enumerate(blocks):  # an empty cell gives no blocks at all
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        label = (block.kind == "text" and after is not None and after.kind == "item"
                 and len(block.text.split()) <= SECTION_HEADING_MAX_WORDS
                 and not block.text.endswith((".", ";")))
        out.append(replace(block, runs=[replace(r, bold=True) for r in block.runs])
                   if label else block)
    return out


def html_to_blocks(text: str) -> tuple[list[Block], dict[str, str]]:
    """A whole HTML document → blocks, and its <title> as metadata."""
    root = _parse_html(text)
    body = root.find("body")
    walker = _Walker(0)
    walker.children(body if body is not None else root, _Style())
    walker.flush()
    title = root.findtext(".//title")
    return walker.blocks, ({"Title": title.strip()} if title and title.strip() else {})


def _parse_html(text: str) -> etree._Element:
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except etree.ParserError:  # nothing but comments or whitespace: a document with no text
        return lxml.html.document_fromstring(b"<html><body></body></html>", parser=parser)


def fragment_to_blocks(html: str, line: int) -> list[Block]:
    """An HTML fragment printed on source line `line` (Markdown's inline HTML) → blocks."""
    root = _parse_html(f"<html><body>{html}</body></html>")
    body = root.find("body")
    walker = _Walker(line - 1)
    walker.children(body if body is not None else root, _Style())
    walker.flush()
    return walker.blocks
