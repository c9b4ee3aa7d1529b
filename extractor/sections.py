"""Lines → top-level sections, found by heading typography rather than by a list of names."""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel, ConfigDict

from extractor.items import lines_to_items
from extractor.layout import Document, Line
from extractor.layout.lines import SECTION_HEADING_MAX_WORDS
from extractor.model import Provenance

TOC_LEADER = re.compile(r"\.{4,}\s*\d+\s*$|\s\d+$")
# Headings are bold and at least this much larger than body text.
HEADING_MIN_EXTRA = 1.5


class Block(BaseModel):
    """A run of lines under one heading (or the front matter before the first)."""

    model_config = ConfigDict(frozen=True)

    title: str
    heading: Line | None
    lines: tuple[Line, ...]

    @property
    def provenance(self) -> Provenance:
        anchor = self.heading or self.lines[0]
        return anchor.provenance

    @property
    def page(self) -> int:
        return self.provenance.page


class Sections(BaseModel):
    """The document split at its top-level headings."""

    model_config = ConfigDict(frozen=True)

    front: tuple[Line, ...]
    blocks: tuple[Block, ...]

    def find(self, pattern: str) -> list[Block]:
        """Blocks whose title matches the regular expression (case-insensitive)."""
        rx = re.compile(pattern, re.IGNORECASE)
        return [b for b in self.blocks if rx.search(b.title)]


def document_to_sections(doc: Document) -> Sections:
    """Split the body at every line in the document's top-level heading style."""
    lines = list(doc.lines)
    style = heading_style(lines)
    if style is None:
        return Sections(front=tuple(lines), blocks=())
    headed = [i for i, line in enumerate(lines) if _has_style(line, style)]
    starts = _merge_wrapped(lines, headed)
    if not starts:
        return Sections(front=tuple(lines), blocks=())
    ends = [*starts[1:], len(lines)]
    blocks = [_block(lines, s, e, set(headed)) for s, e in zip(starts, ends, strict=True)]
    return Sections(front=tuple(lines[: starts[0]]), blocks=tuple(blocks))


def _block(lines: list[Line], start: int, end: int, headed: set[int]) -> Block:
    body = start + 1
    while body < end and body in headed:
        body += 1
    title = " ".join(line.text for line in lines[start:body])
    return Block(title=title, heading=lines[start], lines=tuple(lines[body:end]))


def heading_style(lines: list[Line]) -> tuple[float, float] | None:
    """(min size, max size) of top-level headings: the largest bold size used more than once."""
    body = Counter(round(line.size) for line in lines if not line.bold).most_common(1)
    body_size = body[0][0] if body else 10
    candidates = [
        line for line in lines
        if _is_heading_like(line) and line.size >= body_size + HEADING_MIN_EXTRA
    ]
    # A title wrapped over two lines is one heading, not two.
    groups = Counter(
        round(line.size) for i, line in enumerate(candidates)
        if i == 0 or not _close(candidates[i - 1], line)
    )
    repeated = [size for size, n in groups.items() if n >= 2]
    if not repeated:
        return None
    size = max(repeated)
    return size - 0.6, size + 0.6


def _is_heading_like(line: Line) -> bool:
    return (
        line.bold
        and line.bullet is None
        and len(line.text.split()) <= SECTION_HEADING_MAX_WORDS
        and not TOC_LEADER.search(line.text)
        and line.indent < 100
    )


def _has_style(line: Line, style: tuple[float, float]) -> bool:
    return _is_heading_like(line) and style[0] <= line.size <= style[1]


def _merge_wrapped(lines: list[Line], starts: list[int]) -> list[int]:
    """A heading printed over two lines is one heading: keep only the first line's index."""
    merged: list[int] = []
    for i in starts:
        prev = merged[-1] if merged else None
        if prev is not None and i == prev + 1 and _close(lines[prev], lines[i]):
            continue
        merged.append(i)
    return merged


def _close(a: Line, b: Line) -> bool:
    if a.source_line is not None or b.source_line is not None:
        return False  # a text rendition prints each heading on one line
    return a.page == b.page and b.top - a.bbox[3] < a.size * 0.6


def block_text(lines: tuple[Line, ...] | list[Line]) -> str:
    """Plain text of lines: wrapped lines joined, one paragraph or list item per line."""
    return "\n".join(
        "  " * max(item.level - 1, 0) + ("- " if item.bulleted else "") + item.text
        for item in lines_to_items(list(lines))
    )
