"""Markdown → blocks, following CommonMark where converters do and their habits where not.

Converters print one paragraph per line, wrap long ones, flatten list indentation, separate
table cells by tabs or pipes and leave HTML fragments where Markdown has no syntax. Inline
markup becomes HTML and is read by ``markup`` like any other HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from extractor.layout.lines import Bullet
from extractor.layout.markup import (
    Block,
    Kind,
    cell_blocks,
    fragment_to_blocks,
    starts_block,
)
from extractor.limits import MAX_INLINE_SPAN

# A Markdown line at least this long may have been wrapped by the converter.
WRAP_MIN = 40

# Markdown blocks
MD_ITEM = re.compile(
    r"^(?P<pad>[ \t]*)(?P<marker>[-*+•○◦▪■●◆►▸➢✓o]|\d{1,3}[.)])[ \t]+(?P<rest>\S.*)$")
MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
MD_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
MD_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
MD_FENCE = re.compile(r"^ {0,3}(```|~~~)")
MD_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
MD_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
MD_QUOTE = re.compile(r"^ {0,3}(> ?)+")
MD_FRONT_MATTER = re.compile(r"^(\w[\w -]*):\s*(.*)$")
HTML_BLOCK = re.compile(
    r"^\s*<(/?(table|thead|tbody|tr|td|th|ul|ol|li|div|p|h[1-6]|blockquote|section|article|"
    r"header|footer|dl|dt|dd|figure|pre|hr|center|html|body)\b|!--)", re.I)
MARKER_KINDS: dict[str, Bullet] = {"-": "dash", "o": "o", "○": "o", "◦": "o"}

# Markdown inline markup. Every lazy span is bounded (SPAN characters): unbounded, a marker
# that never closes ("**a " × 10,000) makes each opening scan to the end, quadratic in the line.
SPAN = f"{{1,{MAX_INLINE_SPAN}}}"
MD_PROTECT = re.compile(
    rf"(?P<code>`+)(?P<code_text>.{SPAN}?)(?P=code)"
    r"|<(?P<url>(?:https?|ftp)://[^\s<>]+|mailto:[^\s<>]+)>"
    r"|\$(?=[^\s$])(?P<math>[^$\n]*?[A-Za-z<>=≤≥\\][^$\n]*?)(?<=\S)\$(?!\d)"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|$<>~])"
    rf"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.{SPAN}?-->)")
MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)"
                     r"|\[([^\[\]]+)\]\[[^\]]*\]")
MD_STRONG_EM = re.compile(rf"\*\*\*(?=\S)(.{SPAN}?)(?<=\S)\*\*\*")
MD_STRONG = re.compile(rf"\*\*(?=\S)(.{SPAN}?)(?<=\S)\*\*"
                       rf"|(?<!\w)__(?=\S)(.{SPAN}?)(?<=\S)__(?!\w)")
MD_EM = re.compile(rf"(?<![\w*])\*(?=[^\s*])(.{SPAN}?)(?<=[^\s*])\*(?![\w*])"
                   rf"|(?<![\w_])_(?=[^\s_])(.{SPAN}?)(?<=[^\s_])_(?![\w_])")
LATEX = {r"\geq": "≥", r"\leq": "≤", r"\times": "×", r"\pm": "±", r"\%": "%", r"\mu": "μ",
         r"\beta": "β", r"\alpha": "α", r"\ge": "≥", r"\le": "≤"}


@dataclass
class _Pending:
    """A Markdown paragraph, item or heading still open to the lines that continue it."""

    kind: Kind
    line: int
    raw: str
    col: int
    end: int
    last: int = 0
    indent: int = 0
    marker: int | None = None
    bullet: Bullet | None = None
    rank: int = 0
    in_list: bool = False
    gap: bool = False


def markdown_to_blocks(text: str) -> tuple[list[Block], dict[str, str]]:
    """A Markdown text → blocks, and the fields of its front matter as metadata."""
    lines = text.split("\n")
    metadata, start = _front_matter(lines)
    return _MarkdownReader(lines).read(start), metadata


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i, line in enumerate(lines[1:41], 1) if line.strip() in ("---", "...")), 0)
    fields = [MD_FRONT_MATTER.match(line) for line in lines[1:end]]
    if not end or not all(fields):
        return {}, 0
    return {m.group(1).strip().capitalize(): m.group(2).strip() for m in fields if m}, end + 1


class _MarkdownReader:
    """Reads Markdown line by line into blocks, following CommonMark where converters do."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.blocks: list[Block] = []
        self.pending: _Pending | None = None
        self.in_table = False  # the last block was a table row, with no blank line since
        self.in_list = False  # a list item since the last paragraph, heading or table
        self.fenced = False
        self.blank = True  # a blank line since the last block

    def read(self, start: int) -> list[Block]:
        n = start
        while n < len(self.lines):
            n = self.line(n)
        self.close()
        return self.blocks

    def line(self, n: int) -> int:
        """Read the line at index n; return the index of the next unread line."""
        text = MD_QUOTE.sub("", self.lines[n])
        if MD_FENCE.match(text):
            self.close()
            self.fenced = not self.fenced
        elif not text.strip() or MD_IMAGE_LINE.match(text):
            self.close()
            self.in_table, self.blank = False, True
        elif self.fenced:
            self.open(_Pending("text", n + 1, escape(text.strip()), _pad(text), len(text)))
        elif MD_SEPARATOR.match(text) and self.in_table:
            self.blocks[-1].header = True
        elif "\t" in text.strip() or text.lstrip().startswith("|"):
            self.row(n, text)
        elif HTML_BLOCK.match(text):
            return self.html(n)
        elif self.pending is not None and self.pending.kind == "text" and MD_SETEXT.match(text):
            self.pending.kind, self.pending.rank = "heading", 1 if "=" in text else 2
            self.close()
        elif MD_RULE.match(text):
            self.close()
        else:
            self.text(n, text)
        return n + 1

    def text(self, n: int, text: str) -> None:
        heading, item = MD_HEADING.match(text), MD_ITEM.match(text)
        pad, end = _pad(text), len(text.rstrip())
        if heading:
            self.open(_Pending("heading", n + 1, heading.group(2), pad, end,
                               rank=len(heading.group(1))))
            self.close()
        elif item:
            self.item(n, item, end)
        elif self.pending is not None and self._continues(n, text):
            self.pending.raw += " " + text.strip()
            self.pending.last, self.pending.end = n + 1, max(self.pending.end, end)
        else:
            self.open(_Pending("text", n + 1, text.strip(), pad, end, indent=pad,
                               in_list=self.in_list and pad >= 2))

    def _continues(self, n: int, text: str) -> bool:
        """Whether line n is the open paragraph or item wrapped onto a new source line.

        Markdown joins any such line; a converter's short line (a banner, a field) that ends
        without filling the line and a hard break are printed lines of their own.
        """
        pending, before = self.pending, self.lines[n - 1]
        if pending is None or starts_block(_plain(text)):
            return False
        if pending.marker is not None and _pad(text) > pending.marker:
            return True  # indented under its item
        hard = before.endswith("  ") or before.rstrip().endswith("\\")
        return not hard and len(before.strip()) >= WRAP_MIN

    def item(self, n: int, m: re.Match[str], end: int) -> None:
        marker, rest = m.group("marker"), m.group("rest")
        col = _pad(m.group("pad"))
        numbered = marker[0].isdigit()
        raw = f"{marker.rstrip(')').rstrip('.')}. {rest}" if numbered else rest
        self.open(_Pending("item", n + 1, raw, col + len(marker) + 1, end, indent=col,
                           marker=col, bullet=None if numbered else MARKER_KINDS.get(
                               marker, "glyph")))

    def row(self, n: int, text: str) -> None:
        self.close()
        stripped = text.strip()
        if "\t" in stripped:
            cells = stripped.split("\t")
        else:
            cells = re.split(r"(?<!\\)\|", stripped.strip("|"))
        parts = [cell_blocks(fragment_to_blocks(markdown_inline_to_html(c.strip()), n + 1))
                 for c in cells]
        self.blocks.append(Block("row", n + 1, last=n + 1, cells=parts, col=_pad(text),
                                 end=len(text.rstrip()), first_row=not self.in_table))
        self.in_table, self.in_list, self.blank = True, False, False

    def html(self, n: int) -> int:
        """An HTML block runs to the next blank line; a comment, to its end."""
        self.close()
        end = self._html_end(n)
        pad = _pad(self.lines[n])
        found = fragment_to_blocks(markdown_inline_to_html("\n".join(self.lines[n:end])), n + 1)
        for block in found:
            block.col, block.indent = pad, block.indent + pad
            block.last = block.last or block.line
            block.end = len(self.lines[block.line - 1].rstrip())
        if found:
            found[0].gap = found[0].gap or self.blank
        self.blocks += found
        self.in_list = self.in_list or any(b.kind == "item" for b in found)
        self.in_table, self.blank = False, False
        return end

    def _html_end(self, n: int) -> int:
        rest = range(n, len(self.lines))
        if self.lines[n].lstrip().startswith("<!--"):
            return next((i + 1 for i in rest if "-->" in self.lines[i]), len(self.lines))
        return next((i for i in rest if not self.lines[i].strip()), len(self.lines))

    def open(self, pending: _Pending) -> None:
        self.close()
        pending.gap, self.blank = self.blank, False
        self.pending = pending

    def close(self) -> None:
        """Turn the open paragraph, item or heading into blocks."""
        p, self.pending = self.pending, None
        if p is None:
            return
        found = fragment_to_blocks(markdown_inline_to_html(p.raw), p.line)
        if not found:
            return
        first = found[0]
        if p.kind != "text" or first.kind == "text":
            first.kind, first.bullet = p.kind, p.bullet or first.bullet
        first.marker, first.rank, first.gap = p.marker, p.rank, p.gap or first.gap
        first.in_list = p.in_list and first.kind == "text"
        for block in found:
            block.col, block.end, block.last = p.col, p.end, max(p.last, block.line)
            block.indent += p.indent
        self.blocks += found
        connector = first.connector
        self.in_list = (self.in_list and (connector or first.in_list)) or first.kind == "item"
        self.in_table = False


def _pad(text: str) -> int:
    """Columns of leading white space, a tab counting four."""
    return len(text) - len(text.lstrip()) + 3 * text[: len(text) - len(text.lstrip())].count("\t")


def _plain(text: str) -> str:
    return re.sub(r"[*_`]+", "", text).strip()


def markdown_inline_to_html(text: str) -> str:
    """Markdown inline markup → HTML: emphasis, links, code, math; inline HTML kept as is."""
    kept: list[str] = []

    def protect(m: re.Match[str]) -> str:
        if m.group("code_text") is not None:
            html = escape(m.group("code_text"))
        elif m.group("url") is not None:
            html = f"<a>{escape(m.group('url'))}</a>"
        elif m.group("math") is not None:
            html = escape(_latex(m.group("math")))
        elif m.group("escaped") is not None:
            html = escape(m.group("escaped"))
        else:
            html = m.group("tag")
        kept.append(html)
        return f"\x00{len(kept) - 1}\x00"

    text = MD_PROTECT.sub(protect, text)
    text = re.sub(r"&(?!#?\w+;)", "&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = MD_LINK.sub(lambda m: f"<a>{m.group(1) or m.group(2) or ''}</a>", MD_IMAGE.sub("", text))
    text = MD_STRONG_EM.sub(r"<b><i>\1</i></b>", text)
    text = MD_STRONG.sub(lambda m: f"<b>{m.group(1) or m.group(2)}</b>", text)
    text = MD_EM.sub(lambda m: f"<i>{m.group(1) or m.group(2)}</i>", text)
    text = text.replace("**", "")  # a stray marker the converter left ("and**")
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _latex(text: str) -> str:
    for command, symbol in LATEX.items():
        text = text.replace(command, symbol)
    return text.replace("{", "").replace("}", "")
