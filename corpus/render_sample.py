#!/usr/bin/env python3
"""Render the fictional sample policies in ``corpus/sample/`` to PDF.

The sample is a made-up drug, Zentoria (zentorimab), written as a UnitedHealthcare Commercial
"Medical Benefit Drug Policy" in two versions: ``zentorimab-v1.txt`` (policy 2026D9901A, the
older) and ``zentorimab-v2.txt`` (2026D9901B, the newer, which archives 2026D9901A).  This script
parses that source text and lays it out in the real template's geometry -- header band, wrapped
title, table of contents beside a "Related Commercial Policy" sidebar, navy section bars, bullets
nested at x = 36/54/72/90/108 (image, Courier "o", dingbat square, image dash), bordered code
tables whose header repeats after a page break, a revision-history table and the 3-line footer --
so that the parser can be tested on a PDF pair the project owns and can regenerate.

Usage::

    python corpus/render_sample.py           # (re)write corpus/sample/zentorimab-v*.pdf
    python corpus/render_sample.py --check   # exit 1 if a committed PDF differs from a fresh render

The output is byte-for-byte deterministic: reportlab runs with ``invariant=1`` (fixed dates and
document id) and every image is built pixel by pixel.  It can still change with the reportlab
version, which is why ``--check`` compares against the versions installed.

Coordinates below are PDF points.  A "top" is the distance from the page's top edge to the top
of a glyph box as pdfplumber reports it, so the constants read like pdfplumber output of the
real PDFs (body text 10 pt, 11.5 pt line pitch, footer tops 739.7 / 750.0 / 760.0).

Source markup (one block per line; indentation is in steps of two spaces):

- ``% ...``: comment.
- ``key: value`` lines up to the first blank line: ``title``, ``policy_number``,
  ``effective_date`` (YYYY-MM-DD), ``subject`` and ``related`` (repeatable, sidebar entries).
- ``# Heading`` or ``# Heading | TOC label``: section heading, listed in the table of contents.
- ``## Text`` / ``### Text``: serif bold / bold-italic sub-heading; inside a revision-history
  row, a bold section name ("Coverage Rationale", "Applicable Codes", ...).
- ``=> text``: right-aligned cross-reference line after an arrow ("See Benefit Considerations").
- ``* text``: bullet; indent 0/2/4/6 spaces gives levels 1-4.
- ``text``: paragraph at x = 36 + 18 * (indent / 2), e.g. a stand-alone **or** between lists.
- ``1. text``: numbered reference.
- ``| A | B`` lines: two-column table, the first line being the header row.
- ``| Date | Summary of Changes`` followed by ``@ MM/DD/YYYY`` rows: revision history; each row
  holds ``## Section`` names and bullets, up to the next ``#`` heading.
- A blank line adds one blank line of space (blank lines around headings are ignored).
- Inline: ``**bold**`` and ``[[link]]``; (R) and (TM) signs are set as superscripts.  Text must
  be in the WinAnsi character set, so that every glyph extracts as itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SOURCES = ("zentorimab-v1", "zentorimab-v2")

# --- Page frame -----------------------------------------------------------------------------
PAGE_W, PAGE_H = 612.0, 792.0
LEFT, RIGHT, CENTER = 36.0, 576.0, 306.0
FIRST_TOP = 38.7  # top of the first text line on pages 2+
BOTTOM = 733.0  # a line or table row must end above this (the footer starts at 738.7)
BODY = 10.0  # body font size
LINE = 11.5  # line pitch
ITEM_GAP = 0.5  # extra space after a list item
INDENT = 18.0  # one nesting step

# --- Colours (grey text, navy frame, blue links, cyan table rules, orange arrows) ------------
Color = tuple[float, ...]
GREY: Color = (0.353,)
WHITE: Color = (1.0,)
NAVY: Color = (0.0, 0.149, 0.467)
FOOTER_NAVY: Color = (0.071, 0.137, 0.467)
LINK: Color = (0.098, 0.431, 0.812)
CYAN: Color = (0.6, 0.898, 0.933)
ORANGE: Color = (1.0, 0.408, 0.122)
DARK_ORANGE: Color = (0.961, 0.325, 0.0)

# --- Fonts: the standard 14 stand in for Arial, Georgia, Courier New and Wingdings -----------
SANS, SANS_BOLD = "Helvetica", "Helvetica-Bold"
SERIF, SERIF_ITALIC = "Times-Bold", "Times-BoldItalic"
MONO, DINGBATS, SYMBOL = "Courier", "ZapfDingbats", "Symbol"
# Glyph-box top above the baseline per point of size, as pdfminer computes it for each font.
ASCENT = {SANS: 0.793, SANS_BOLD: 0.793, SERIF: 0.783, SERIF_ITALIC: 0.783,
          MONO: 0.806, DINGBATS: 1.0, SYMBOL: 1.0}
# Superscript (R)/(TM): size and top offset for each text size in use.
SUPERSCRIPT = {9.0: (6.0, -1.0), 10.0: (6.5, -1.1), 11.0: (7.0, -1.0), 12.0: (8.0, -0.2),
               14.0: (9.0, -0.4), 20.0: (13.0, -0.6)}
SUPER_CHARS = re.compile("([\u00ae\u2122])")

# --- Lists: bullet x and text x per level ----------------------------------------------------
BULLET_X = {1: 36.36, 2: 54.0, 3: 72.0, 4: 90.54}
TEXT_X = {1: 54.0, 2: 72.0, 3: 90.0, 4: 108.0}
HISTORY_DX = 92.0  # revision-history bullets sit 92 pt right of body bullets

# --- Tables ----------------------------------------------------------------------------------
TABLE_L, TABLE_MID, TABLE_R = 36.0, 122.34, 575.94  # left rule, divider rule, right rule
RULE = 0.48
HEADER_H = 12.0
ROW_H = 15.0  # one-line row, top rule included
CELL_TEXT_X = 128.0
CELL_RIGHT = 570.8

HISTORY_HEADER = ("Date", "Summary of Changes")
FOOTER_LINE_2 = "UnitedHealthcare Commercial Medical Benefit Drug Policy"
COPYRIGHT = ("Proprietary Information of UnitedHealthcare. "
             "Copyright {year} United HealthCare Services, Inc.")


# =============================================================================================
# Source model
# =============================================================================================
@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one style."""

    text: str
    bold: bool = False
    link: bool = False


Runs = tuple[Run, ...]


@dataclass(frozen=True)
class Heading:
    text: str
    toc: str


@dataclass(frozen=True)
class SubHeading:
    text: str
    italic: bool


@dataclass(frozen=True)
class Para:
    runs: Runs
    indent: int


@dataclass(frozen=True)
class Bullet:
    runs: Runs
    level: int


@dataclass(frozen=True)
class Blank:
    pass


@dataclass(frozen=True)
class SeeAlso:
    runs: Runs


@dataclass(frozen=True)
class Reference:
    number: int
    runs: Runs


@dataclass(frozen=True)
class Table:
    header: tuple[str, str]
    rows: tuple[tuple[str, Runs], ...]


@dataclass(frozen=True)
class HistoryRow:
    date: str
    blocks: tuple[SubHeading | Bullet, ...]


@dataclass(frozen=True)
class History:
    rows: tuple[HistoryRow, ...]


Block = Heading | SubHeading | Para | Bullet | Blank | SeeAlso | Reference | Table | History


@dataclass(frozen=True)
class Policy:
    title: str
    policy_number: str
    effective: dt.date
    subject: str
    related: tuple[str, ...]
    blocks: tuple[Block, ...]


# =============================================================================================
# Parsing
# =============================================================================================
INLINE = re.compile(r"\*\*(.+?)\*\*|\[\[(.+?)\]\]")
REFERENCE = re.compile(r"(\d+)\.\s+(.*)")


def check_text(text: str) -> str:
    """Return ``text`` if every character has a WinAnsi glyph that extracts as itself."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError as err:
        raise ValueError(f"character outside WinAnsi in {text!r}") from err
    if "\u2022" in text:  # Helvetica's bullet extracts as (cid:127); sidebar bullets use Symbol
        raise ValueError(f"bullet character in {text!r}")
    return text


def parse_inline(text: str) -> Runs:
    """Split ``text`` into runs on ``**bold**`` and ``[[link]]`` markers."""
    check_text(text)
    runs: list[Run] = []
    pos = 0
    for match in INLINE.finditer(text):
        if match.start() > pos:
            runs.append(Run(text[pos:match.start()]))
        bold, link = match.groups()
        runs.append(Run(bold, bold=True) if bold else Run(link, link=True))
        pos = match.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return tuple(runs)


def split_indent(line: str) -> tuple[int, str]:
    """Return (nesting depth, text) of a source line indented in steps of two spaces."""
    text = line.lstrip(" ")
    spaces = len(line) - len(text)
    if spaces % 2:
        raise ValueError(f"odd indentation: {line!r}")
    return spaces // 2, text


def parse_line(line: str) -> Block:
    """Parse one source line outside tables."""
    depth, text = split_indent(line)
    if not text:
        return Blank()
    if text.startswith("# "):
        name, _, toc = text[2:].partition(" | ")
        return Heading(check_text(name), check_text(toc or name))
    if text.startswith(("## ", "### ")):
        marker, _, name = text.partition(" ")
        return SubHeading(check_text(name), italic=marker == "###")
    if text.startswith("=> "):
        return SeeAlso(parse_inline(text[3:]))
    if text.startswith("* "):
        return Bullet(parse_inline(text[2:]), level=depth + 1)
    reference = REFERENCE.fullmatch(text)
    if reference and depth == 0:
        return Reference(int(reference.group(1)), parse_inline(reference.group(2)))
    return Para(parse_inline(text), indent=depth)


def table_cells(line: str) -> tuple[str, str]:
    """Split a ``| A | B`` table line into its two cells."""
    cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
    if len(cells) != 2:
        raise ValueError(f"table lines need two cells: {line!r}")
    return cells[0], cells[1]


def parse_code_table(lines: Sequence[str], start: int) -> tuple[Table, int]:
    """Parse the ``|`` lines from ``start``; return the table and the index after it."""
    end = start
    while end < len(lines) and lines[end].startswith("| "):
        end += 1
    header = table_cells(lines[start])
    rows = tuple((check_text(code), parse_inline(desc))
                 for code, desc in map(table_cells, lines[start + 1:end]))
    return Table(header, rows), end


def parse_history(lines: Sequence[str], start: int) -> tuple[History, int]:
    """Parse revision-history rows (``@ date`` + their lines) up to the next ``#`` heading."""
    rows: list[HistoryRow] = []
    end = start + 1
    while end < len(lines) and not lines[end].startswith("# "):
        text = lines[end]
        if text.startswith("@ "):
            rows.append(HistoryRow(check_text(text[2:].strip()), ()))
        elif text.strip():
            block = parse_line(text)
            if not rows or not isinstance(block, (SubHeading, Bullet)):
                raise ValueError(f"unexpected line in revision history: {text!r}")
            rows[-1] = HistoryRow(rows[-1].date, (*rows[-1].blocks, block))
        end += 1
    return History(tuple(rows)), end


def parse_blocks(lines: Sequence[str]) -> tuple[Block, ...]:
    """Parse the body lines into blocks."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        block: Block
        if line.startswith("| "):
            parse = parse_history if table_cells(line) == HISTORY_HEADER else parse_code_table
            block, index = parse(lines, index)
        else:
            block, index = parse_line(line), index + 1
        blocks.append(block)
    return drop_spacing_blanks(blocks)


def drop_spacing_blanks(blocks: list[Block]) -> tuple[Block, ...]:
    """Drop blank lines at the start and around headings, which space themselves."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        before = kept[-1] if kept else None
        if isinstance(block, Blank) and (before is None or isinstance(before, Heading)
                                         or isinstance(after, Heading)):
            continue
        kept.append(block)
    return tuple(kept)


def parse_fields(lines: Sequence[str]) -> dict[str, list[str]]:
    """Parse the ``key: value`` header lines."""
    fields: dict[str, list[str]] = {}
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"header lines are 'key: value': {line!r}")
        fields.setdefault(key.strip(), []).append(check_text(value.strip()))
    return fields


def parse_policy(source: str) -> Policy:
    """Parse a whole source file."""
    lines = [line.rstrip() for line in source.splitlines() if not line.startswith("%")]
    while lines and not lines[0]:
        lines.pop(0)
    split = lines.index("")
    fields = parse_fields(lines[:split])
    return Policy(
        title=fields["title"][0],
        policy_number=fields["policy_number"][0],
        effective=dt.date.fromisoformat(fields["effective_date"][0]),
        subject=fields["subject"][0],
        related=tuple(fields.get("related", [])),
        blocks=parse_blocks(lines[split + 1:]),
    )


# =============================================================================================
# Text measuring and wrapping
# =============================================================================================
def font_of(run: Run, font: str | None = None) -> str:
    """The run's font: ``font`` if given, else Helvetica or Helvetica-Bold."""
    return font or (SANS_BOLD if run.bold else SANS)


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` with (R)/(TM) set as superscripts."""
    sup_size = SUPERSCRIPT[size][0]
    return sum(float(stringWidth(part, font, sup_size if SUPER_CHARS.fullmatch(part) else size))
               for part in SUPER_CHARS.split(text) if part)


def runs_width(runs: Sequence[Run], size: float = BODY, font: str | None = None) -> float:
    """Width of a line of runs."""
    return sum(text_width(run.text, font_of(run, font), size) for run in runs)


def words(runs: Runs) -> list[list[Run]]:
    """Group runs into unbreakable words, each a list of pieces keeping its trailing space."""
    groups: list[list[Run]] = []
    for run in runs:
        for piece in re.findall(r"\S+\s*|\s+", run.text):
            styled = Run(piece, run.bold, run.link)
            if groups and not piece[0].isspace() and not groups[-1][-1].text[-1].isspace():
                groups[-1].append(styled)
            else:
                groups.append([styled])
    return groups


def tidy(line: list[Run]) -> Runs:
    """Strip a wrapped line's outer spaces and merge neighbouring runs of one style."""
    merged: list[Run] = []
    for run in line:
        if merged and (merged[-1].bold, merged[-1].link) == (run.bold, run.link):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.link)
        else:
            merged.append(run)
    if merged:
        merged[0] = Run(merged[0].text.lstrip(), merged[0].bold, merged[0].link)
        merged[-1] = Run(merged[-1].text.rstrip(), merged[-1].bold, merged[-1].link)
    return tuple(run for run in merged if run.text)


def wrap(runs: Runs, width: float, size: float = BODY, font: str | None = None) -> list[Runs]:
    """Greedy word wrap of ``runs`` into lines no wider than ``width``."""
    lines: list[list[Run]] = [[]]
    used = 0.0
    for word in words(runs):
        ink = runs_width(tidy(word), size, font)
        if lines[-1] and used + ink > width and word[0].text.strip():
            lines.append([])
            used = 0.0
        lines[-1].extend(word)
        used += runs_width(word, size, font)
    return [tidy(line) for line in lines]


# =============================================================================================
# Images (built pixel by pixel, so they are identical on every run)
# =============================================================================================
RGB = tuple[int, int, int]


def pixel_image(width: int, height: int, pixel: Callable[[int, int], RGB]) -> ImageReader:
    """An RGB image whose pixel (x, y) is ``pixel(x, y)``."""
    data = bytes(v for y in range(height) for x in range(width) for v in pixel(x, y))
    return ImageReader(Image.frombytes("RGB", (width, height), data))


def blend(coverage: float, ink: RGB = (90, 90, 90)) -> RGB:
    """Mix ``ink`` over white by ``coverage`` (0..1)."""
    return tuple(round(255 - (255 - c) * coverage) for c in ink)  # type: ignore[return-value]


def disc_coverage(x: int, y: int, cx: float, cy: float, r: float) -> float:
    """Fraction of pixel (x, y) inside a circle, by 4 x 4 supersampling."""
    inside = sum((x + (i + 0.5) / 4 - cx) ** 2 + (y + (j + 0.5) / 4 - cy) ** 2 <= r * r
                 for i in range(4) for j in range(4))
    return inside / 16


@cache
def disc_bullet() -> ImageReader:
    """First-level bullet: a grey disc, 17 x 16 px like the real one."""
    return pixel_image(17, 16, lambda x, y: blend(disc_coverage(x, y, 8.5, 8.0, 7.6)))


@cache
def dash_bullet() -> ImageReader:
    """Fourth-level bullet: a grey dash, 18 x 5 px."""
    return pixel_image(18, 5, lambda x, y: blend(0.55 if y in (0, 4) else 1.0))


# A 5 x 7 pixel font for the logo's wordmark (only the letters it needs).
GLYPHS = {
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "H": "10001 10001 10001 11111 10001 10001 10001",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "N": "10001 11001 10101 10011 10001 10001 10001",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}


def wordmark_pixel(text: str, x: int, y: int, scale: int) -> bool:
    """Whether pixel (x, y) of ``text`` set in the 5 x 7 font at ``scale`` is inked."""
    column, row = x // scale, y // scale
    if row >= 7 or column // 6 >= len(text) or column % 6 == 5:
        return False
    return GLYPHS[text[column // 6]].split()[row][column % 6] == "1"


def logo_pixel(x: int, y: int) -> RGB:
    """Logo: a navy rounded square with a white cross, then SAMPLE / HEALTH PLAN in navy."""
    navy: RGB = (0, 38, 119)
    if x < 86:
        dx, dy = abs(x - 42.5), abs(y - 42.5)
        corner = max(dx - 30, 0) ** 2 + max(dy - 30, 0) ** 2 <= 144
        cross = (dx < 8 and dy < 26) or (dy < 8 and dx < 26)
        return (255, 255, 255) if cross or not corner else navy
    if x >= 100 and 8 <= y < 43 and wordmark_pixel("SAMPLE", x - 100, y - 8, 5):
        return navy
    if x >= 101 and 58 <= y < 72 and wordmark_pixel("HEALTH PLAN", x - 101, y - 58, 2):
        return navy
    return (255, 255, 255)


@cache
def logo() -> ImageReader:
    """The page-1 logo image (drawn at 140.35 x 43.2 pt)."""
    return pixel_image(281, 86, logo_pixel)


# =============================================================================================
# Drawing primitives
# =============================================================================================
class Writer:
    """Draws a policy page by page, keeping a text cursor (the top of the next line)."""

    def __init__(self, canvas: Canvas, policy: Policy, toc: dict[str, int], total: int) -> None:
        self.canvas = canvas
        self.policy = policy
        self.toc = toc  # section -> page, from the previous pass
        self.total = total  # page count, from the previous pass
        self.found: dict[str, int] = {}  # section -> page, from this pass
        self.page = 1
        self.top = FIRST_TOP
        self.fresh = True  # nothing has been placed on this page yet

    def fill(self, color: Color) -> None:
        """Set the fill colour (grey or RGB)."""
        if len(color) == 1:
            self.canvas.setFillGray(color[0])
        else:
            self.canvas.setFillColorRGB(*color)

    def text(self, x: float, top: float, text: str, font: str, size: float,
             color: Color = GREY) -> float:
        """Draw ``text`` with its glyph tops at ``top``; return its width."""
        self.fill(color)
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, PAGE_H - top - ASCENT[font] * size, text)
        return float(stringWidth(text, font, size))

    def rich(self, x: float, top: float, text: str, font: str, size: float, color: Color) -> float:
        """Draw ``text`` with (R)/(TM) as superscripts; return its width."""
        start = x
        sup_size, sup_top = SUPERSCRIPT[size]
        for part in filter(None, SUPER_CHARS.split(text)):
            if SUPER_CHARS.fullmatch(part):
                x += self.text(x, top + sup_top, part, font, sup_size, color)
            else:
                x += self.text(x, top, part, font, size, color)
        return x - start

    def runs(self, x: float, top: float, runs: Sequence[Run], size: float = BODY,
             color: Color = GREY) -> float:
        """Draw a line of runs (links blue and underlined); return its width."""
        start = x
        for run in runs:
            width = self.rich(x, top, run.text, font_of(run), size, LINK if run.link else color)
            if run.link:
                ink = text_width(run.text.rstrip(), font_of(run), size)
                self.rect(x, top + 0.9 * size, ink, 0.72, LINK)
            x += width
        return x - start

    def rect(self, x: float, top: float, width: float, height: float, color: Color) -> None:
        """Fill a rectangle given by its top-left corner."""
        self.fill(color)
        self.canvas.rect(x, PAGE_H - top - height, width, height, stroke=0, fill=1)

    def image(self, image: ImageReader, x: float, top: float, width: float, height: float) -> None:
        """Draw an image given by its top-left corner."""
        self.canvas.drawImage(image, x, PAGE_H - top - height, width, height)

    def arrow(self, x: float, top: float, color: Color) -> None:
        """Draw the right arrow that precedes a cross-reference link (7 x 6 pt, stroked, so it
        is neither text nor a small filled shape that could pass for a bullet)."""
        mid = PAGE_H - top - 5.0
        canvas = self.canvas
        canvas.saveState()
        canvas.setStrokeColorRGB(*color)
        canvas.setLineWidth(1.6)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        path = canvas.beginPath()
        path.moveTo(x + 0.8, mid)
        path.lineTo(x + 6.2, mid)
        path.moveTo(x + 3.6, mid + 2.8)
        path.lineTo(x + 6.4, mid)
        path.lineTo(x + 3.6, mid - 2.8)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()

    # --- flow ------------------------------------------------------------------------------
    def room(self, height: float) -> bool:
        """Whether ``height`` more points fit on this page below the cursor."""
        return self.top + height <= BOTTOM

    def new_page(self) -> None:
        """Finish this page (footer) and start the next one."""
        draw_footer(self)
        self.canvas.showPage()
        self.page += 1
        self.top = FIRST_TOP
        self.fresh = True

    def place_line(self) -> float:
        """Reserve a 10-pt text line at the cursor (breaking the page if needed); return its top."""
        if not self.room(BODY):
            self.new_page()
        top = self.top
        self.top += LINE
        self.fresh = False
        return top


def draw_right(w: Writer, right: float, top: float, text: str, font: str, size: float,
               color: Color = GREY) -> float:
    """Draw ``text`` ending at ``right``; return its left edge."""
    left = right - text_width(text, font, size)
    w.rich(left, top, text, font, size, color)
    return left


def draw_centered(w: Writer, center: float, top: float, text: str, font: str, size: float,
                  color: Color = GREY) -> None:
    """Draw ``text`` centred on ``center``."""
    w.rich(center - text_width(text, font, size) / 2, top, text, font, size, color)


# =============================================================================================
# Page 1 and the footer
# =============================================================================================
def draw_banner(w: Writer) -> None:
    """Logo, then the navy band with the line of business and the document type."""
    w.image(logo(), LEFT, 22.85, 140.35, 43.2)
    w.rect(0, 79.38, PAGE_W, 30.3, NAVY)
    draw_right(w, 571.5, 83.0, "UnitedHealthcare\u00ae Commercial", SERIF, 12.0, WHITE)
    draw_right(w, 571.5, 96.7, "Medical Benefit Drug Policy", SERIF_ITALIC, 12.0, WHITE)


def draw_title(w: Writer) -> float:
    """Draw the centred 20-pt title, wrapped; return how far it pushes later lines down."""
    lines = wrap((Run(w.policy.title),), RIGHT - LEFT, size=20.0, font=SERIF)
    for index, line in enumerate(lines):
        draw_centered(w, CENTER, 124.1 + 22.7 * index, line[0].text, SERIF, 20.0, NAVY)
    return 22.7 * (len(lines) - 1)


def draw_identity(w: Writer, shift: float) -> None:
    """Policy number and effective date at x=36, and the "Instructions for Use" link at right."""
    effective = f"{w.policy.effective:%B} {w.policy.effective.day}, {w.policy.effective.year}"
    for top, label, value in ((155.5, "Policy Number", w.policy.policy_number),
                              (167.0, "Effective Date", effective)):
        x = LEFT + w.text(LEFT, top + shift, label, SANS_BOLD, BODY, NAVY)
        x += w.text(x, top + shift, ": ", SANS, BODY, NAVY)
        w.text(x, top + shift, value, SANS, BODY, GREY)
    link = (Run("Instructions for Use", link=True),)
    left = 571.5 - runs_width(link)
    w.runs(left, 166.5 + shift, link)
    w.arrow(left - 9.0, 166.5 + shift, DARK_ORANGE)


def toc_labels(policy: Policy) -> list[str]:
    """The table-of-contents entries: every section heading, in order."""
    return [block.toc for block in policy.blocks if isinstance(block, Heading)]


def draw_toc(w: Writer, shift: float) -> float:
    """Table of contents with dot leaders at x=36..306; return the top of its last entry."""
    w.text(LEFT, 190.0 + shift, "Table of Contents", SANS_BOLD, BODY, NAVY)
    draw_right(w, CENTER, 190.0 + shift, "Page", SANS_BOLD, BODY, NAVY)
    top = 190.0 + shift
    dot = stringWidth(".", SANS, BODY)
    for label in toc_labels(w.policy):
        top += 11.5
        x = LEFT + w.runs(LEFT, top, (Run(label, link=True),)) + stringWidth(" ", SANS, BODY)
        number = str(w.toc.get(label, 0))
        left = draw_right(w, CENTER, top, number, SANS, BODY)
        w.text(x, top, "." * int((left - x) // dot), SANS, BODY)
    return top


def draw_sidebar(w: Writer, shift: float) -> None:
    """The "Related Commercial Policy" box at x=323.76..576 beside the table of contents."""
    top, items = 186.96 + shift, w.policy.related
    height = 28.9 + LINE * (len(items) - 1)
    w.rect(324.24, top + RULE, 251.28, 11.52, CYAN)
    for y in (top, top + 12.0, top + height):
        w.rect(323.76, y, 252.24, RULE, CYAN)
    for x in (323.76, 575.52):
        w.rect(x, top, RULE, height, CYAN)
    w.text(329.8, 190.6 + shift, "Related Commercial Policy", SANS_BOLD, BODY, NAVY)
    for index, item in enumerate(items):
        item_top = 204.3 + shift + LINE * index
        w.text(329.8, item_top - 2.07, "\u2022", SYMBOL, BODY)
        w.runs(347.8, item_top, (Run(item, link=True),))


def draw_front_matter(w: Writer) -> None:
    """Everything on page 1 above the first section heading."""
    draw_banner(w)
    shift = draw_title(w)
    draw_identity(w, shift)
    draw_sidebar(w, shift)
    w.top = draw_toc(w, shift) + LINE
    w.fresh = False


def draw_footer(w: Writer) -> None:
    """The 3-line footer: title / page, line of business / effective date, copyright."""
    w.runs(LEFT, 739.7, (Run(w.policy.title),), size=9.0)
    draw_right(w, RIGHT, 739.7, f"Page {w.page} of {w.total}", SANS, 9.0)
    w.text(LEFT, 750.0, FOOTER_LINE_2, SANS, 9.0)
    draw_right(w, RIGHT, 750.0, f"Effective {w.policy.effective:%m/%d/%Y}", SANS, 9.0)
    copyright_line = COPYRIGHT.format(year=w.policy.effective.year)
    draw_centered(w, CENTER, 760.0, copyright_line, SERIF, 9.0, FOOTER_NAVY)


# =============================================================================================
# Body blocks
# =============================================================================================
def draw_heading(w: Writer, block: Heading) -> None:
    """Navy full-width bar with the 14-pt section name in white."""
    if not w.room(8.9 + 30.0 + 2 * LINE):
        w.new_page()
    bar = 36.0 if w.fresh else w.top + 8.9
    w.rect(0, bar, PAGE_W, 15.9, NAVY)
    w.text(LEFT, bar + 3.1, block.text, SERIF, 14.0, WHITE)
    w.found.setdefault(block.toc, w.page)
    w.top, w.fresh = bar + 30.0, False


def draw_subheading(w: Writer, block: SubHeading) -> None:
    """12-pt navy serif sub-heading ("Proven", "Multiple Sclerosis")."""
    if not w.room(15.6 + 2 * LINE):
        w.new_page()
    w.text(LEFT, w.top, block.text, SERIF_ITALIC if block.italic else SERIF, 12.0, NAVY)
    w.top += 15.6
    w.fresh = False


def keep_together(w: Writer, count: int, keep_with_next: bool = False) -> None:
    """Widow/orphan control before ``count`` lines: never split off a single line at a page
    break (move the whole block instead), and keep a lead-in with the line after it."""
    fits = max(0, int((BOTTOM - BODY - w.top) // LINE) + 1)
    needed = count + (1 if keep_with_next else 0)
    if not w.fresh and fits < needed and (fits <= 1 or count - fits == 1 or keep_with_next):
        w.new_page()


def draw_para(w: Writer, block: Para) -> None:
    """A paragraph at its indent; a lead-in ending in ':' is kept with the line after it."""
    x = LEFT + INDENT * block.indent
    lines = wrap(block.runs, RIGHT - x)
    keep_together(w, len(lines), keep_with_next=block.runs[-1].text.endswith(":"))
    for line in lines:
        w.runs(x, w.place_line(), line)


def draw_marker(w: Writer, level: int, x: float, top: float) -> None:
    """The bullet of a list level: disc image, Courier "o", dingbat square or dash image.

    Offsets are from the line's top.  The real PDFs put the disc 2.0 pt and the dash 3.7 pt below
    the Arial line top; Helvetica sits 1.2 pt lower in its box, so these sit a little lower too.
    """
    if level == 1:
        w.image(disc_bullet(), x, top + 2.4, 3.9, 3.84)
    elif level == 2:
        w.text(x, top - 0.13, "o", MONO, BODY)
    elif level == 3:
        w.text(x, top + 2.0, "\u25a0", DINGBATS, 5.0)
    else:
        w.image(dash_bullet(), x, top + 4.2, 4.26, 1.14)


def draw_bullet(w: Writer, block: Bullet) -> None:
    """A list item; wrapped lines continue at the item's text x."""
    lines = wrap(block.runs, RIGHT - TEXT_X[block.level])
    keep_together(w, len(lines))
    for index, line in enumerate(lines):
        top = w.place_line()
        if index == 0:
            draw_marker(w, block.level, BULLET_X[block.level], top)
        w.runs(TEXT_X[block.level], top, line)
    w.top += ITEM_GAP


def draw_blank(w: Writer, _block: Blank) -> None:
    """One empty line (none at the top of a page)."""
    if not w.fresh:
        w.top += LINE


def draw_see_also(w: Writer, block: SeeAlso) -> None:
    """Right-aligned cross-reference with an orange arrow."""
    top = w.place_line()
    left = 571.5 - runs_width(block.runs)
    w.runs(left, top, block.runs)
    w.arrow(left - 9.0, top, ORANGE)


def draw_reference(w: Writer, block: Reference) -> None:
    """Numbered reference: number at x=36, text at x=54."""
    lines = wrap(block.runs, RIGHT - TEXT_X[1])
    keep_together(w, len(lines))
    for index, line in enumerate(lines):
        top = w.place_line()
        if index == 0:
            w.text(LEFT, top, f"{block.number}.", SANS, BODY)
        w.runs(TEXT_X[1], top, line)
    w.top += 5.0


# --- Tables ----------------------------------------------------------------------------------
def draw_rules(w: Writer, top: float, height: float, divider: Color = CYAN) -> None:
    """A row's top rule and its three vertical rules."""
    w.rect(TABLE_L, top, TABLE_R + RULE - TABLE_L, RULE, CYAN)
    w.rect(TABLE_L, top + RULE, RULE, height - RULE, CYAN)
    w.rect(TABLE_MID, top + RULE, RULE, height - RULE, divider)
    w.rect(TABLE_R, top + RULE, RULE, height - RULE, CYAN)


def draw_table_header(w: Writer, top: float, header: tuple[str, str]) -> float:
    """Cyan header row with centred bold navy labels; return the top of the first body row."""
    w.rect(TABLE_L + RULE, top + RULE, TABLE_MID - TABLE_L - RULE, HEADER_H - RULE, CYAN)
    w.rect(TABLE_MID + RULE, top + RULE, TABLE_R - TABLE_MID - RULE, HEADER_H - RULE, CYAN)
    draw_rules(w, top, HEADER_H, divider=WHITE)
    columns = ((TABLE_L, TABLE_MID), (TABLE_MID, TABLE_R))
    for (left, right), label in zip(columns, header, strict=True):
        draw_centered(w, (left + right + RULE) / 2, top + 3.6, label, SANS_BOLD, BODY, NAVY)
    return top + HEADER_H


def start_table(w: Writer, header: tuple[str, str], first_row: float) -> float:
    """Place a table's header at the cursor (or on a new page); return the first row's top."""
    if not w.fresh and w.top - 2.6 + HEADER_H + first_row > BOTTOM:
        w.new_page()
    return draw_table_header(w, 36.0 if w.fresh else w.top - 2.6, header)


def next_row(w: Writer, top: float, height: float, header: tuple[str, str]) -> float:
    """Top for a row of ``height``: here, or after the header repeated on a new page."""
    if top + height <= BOTTOM:
        return top
    w.rect(TABLE_L, top, TABLE_R + RULE - TABLE_L, RULE, CYAN)
    w.new_page()
    return draw_table_header(w, 36.0, header)


def end_table(w: Writer, top: float) -> None:
    """Close a table with its bottom rule and put the cursor below it."""
    w.rect(TABLE_L, top, TABLE_R + RULE - TABLE_L, RULE, CYAN)
    w.top, w.fresh = top + 3.1, False


def draw_table(w: Writer, table: Table) -> None:
    """Code | Description table: code centred, description wrapped at x=128."""
    cells = [(code, wrap(desc, CELL_RIGHT - CELL_TEXT_X)) for code, desc in table.rows]
    top = start_table(w, table.header, ROW_H + LINE * (len(cells[0][1]) - 1))
    for code, lines in cells:
        height = ROW_H + LINE * (len(lines) - 1)
        top = next_row(w, top, height, table.header)
        draw_rules(w, top, height)
        draw_centered(w, (TABLE_L + TABLE_MID + RULE) / 2, top + 4.72, code, SANS, BODY)
        for index, line in enumerate(lines):
            w.runs(CELL_TEXT_X, top + 4.72 + LINE * index, line)
        top += height
    end_table(w, top)


# --- Revision history ------------------------------------------------------------------------
# A line placed in a revision-history row: (top offset in the row, its block, its runs, whether
# it is the block's first line).
Placed = tuple[float, SubHeading | Bullet, Runs, bool]


def history_layout(row: HistoryRow) -> tuple[list[Placed], float]:
    """Lay out a history row: its placed lines and the row height.

    Section names are 11-pt bold navy at x=128, bullets sit 92 pt right of body bullets.
    """
    items: list[Placed] = []
    cursor = 4.7
    for block in row.blocks:
        if isinstance(block, SubHeading):
            cursor += 3.0 if items else 0.0
            items.append((cursor - 0.7, block, (Run(block.text, bold=True),), True))
            cursor += 11.8
            continue
        text_x = TEXT_X[block.level] + HISTORY_DX
        for index, line in enumerate(wrap(block.runs, CELL_RIGHT - text_x)):
            items.append((cursor, block, line, index == 0))
            cursor += LINE
    return items, cursor - LINE + 10.0


def draw_history_row(w: Writer, top: float, row: HistoryRow) -> float:
    """One dated row of the revision history; return the top of the next row."""
    items, height = history_layout(row)
    top = next_row(w, top, height, HISTORY_HEADER)
    draw_rules(w, top, height)
    draw_centered(w, (TABLE_L + TABLE_MID + RULE) / 2, top + 4.7, row.date, SANS, BODY)
    for offset, block, line, first in items:
        if isinstance(block, SubHeading):
            w.runs(CELL_TEXT_X, top + offset, line, size=11.0, color=NAVY)
            continue
        if first:
            draw_marker(w, block.level, BULLET_X[block.level] + HISTORY_DX, top + offset)
        w.runs(TEXT_X[block.level] + HISTORY_DX, top + offset, line)
    return top + height


def draw_history(w: Writer, history: History) -> None:
    """Date | Summary of Changes table, one row per dated revision."""
    top = start_table(w, HISTORY_HEADER, history_layout(history.rows[0])[1])
    for row in history.rows:
        top = draw_history_row(w, top, row)
    end_table(w, top)


DRAWERS: dict[type, Callable[[Writer, Any], None]] = {
    Heading: draw_heading, SubHeading: draw_subheading, Para: draw_para, Bullet: draw_bullet,
    Blank: draw_blank, SeeAlso: draw_see_also, Reference: draw_reference, Table: draw_table,
    History: draw_history,
}


# =============================================================================================
# Documents
# =============================================================================================
def procedure_codes(policy: Policy) -> list[str]:
    """HCPCS codes listed in the policy's code tables (for the PDF subject line)."""
    return [code for block in policy.blocks if isinstance(block, Table)
            and block.header[0].startswith("HCPCS") for code, _ in block.rows]


def set_metadata(canvas: Canvas, policy: Policy) -> None:
    """Document information like the real PDFs': title, author and a subject line."""
    canvas.setTitle(f"{policy.title} \u2013 Commercial Medical Benefit Drug Policy")
    canvas.setAuthor("UnitedHealthcare")
    codes = ", ".join(procedure_codes(policy))
    canvas.setSubject(f"Effective Date: {policy.effective:%m.%d.%Y} \u2013 {policy.subject} "
                      f"Applicable Procedure Codes: {codes}.")
    canvas.setKeywords("fictional sample policy, policy-rules test corpus")
    canvas.setCreator("policy-rules corpus/render_sample.py")


def render_pass(policy: Policy, toc: dict[str, int],
                total: int) -> tuple[bytes, dict[str, int], int]:
    """Render once with the given section pages and page count; return PDF and what it found."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1)
    set_metadata(canvas, policy)
    writer = Writer(canvas, policy, toc, total)
    draw_front_matter(writer)
    for block in policy.blocks:
        DRAWERS[type(block)](writer, block)
    draw_footer(writer)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), writer.found, writer.page


def render_policy(policy: Policy) -> bytes:
    """Render until the table of contents and "Page N of M" agree with the layout."""
    toc: dict[str, int] = {}
    total = 0
    for _ in range(4):
        pdf, found, pages = render_pass(policy, toc, total)
        if (found, pages) == (toc, total):
            return pdf
        toc, total = found, pages
    raise RuntimeError("page numbers did not settle")


def render_source(path: Path) -> bytes:
    """Parse and render one source file."""
    return render_policy(parse_policy(path.read_text(encoding="utf-8")))


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the sample PDFs, or with ``--check`` verify that they are up to date."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if a PDF differs from what would be rendered")
    parser.add_argument("--sample-dir", type=Path, default=SAMPLE_DIR,
                        help="folder with the .txt sources and .pdf outputs (default: %(default)s)")
    args = parser.parse_args(argv)
    stale = []
    for name in SOURCES:
        pdf = render_source(args.sample_dir / f"{name}.txt")
        target = args.sample_dir / f"{name}.pdf"
        if args.check:
            if not target.exists() or target.read_bytes() != pdf:
                stale.append(target)
        else:
            target.write_bytes(pdf)
            print(f"wrote {target} ({len(pdf)} bytes)")
    for target in stale:
        print(f"out of date: {target} (run python corpus/render_sample.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
