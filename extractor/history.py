"""The "Policy History/Revision Information" table → one RevisionEntry per dated row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.dates import NUMERIC, to_iso
from extractor.layout import Line, Span
from extractor.model import Provenance, RevisionChange, RevisionEntry
from extractor.sections import Block, join_wrapped

ARCHIVED = re.compile(r"Archived previous policy versions?\s+([A-Z0-9][A-Z0-9.\-]+[A-Z0-9])", re.I)
HEADING_MAX_WORDS = 14
ITEM_SIZE = 10.0


@dataclass
class _Row:
    date_text: str
    first: Line
    last: Line
    content: list[tuple[Line, tuple[Span, ...]]] = field(default_factory=list)


def blocks_to_history(blocks: list[Block]) -> list[RevisionEntry]:
    """Entries newest first, as printed, each with its sections and their items."""
    return [_entry(row) for block in blocks for row in _rows(list(block.lines))]


def _rows(lines: list[Line]) -> list[_Row]:
    rows: list[_Row] = []
    for line in lines:
        if _is_header(line):
            continue
        first = line.spans[0] if line.spans else None
        if first is not None and NUMERIC.fullmatch(first.text.strip()):
            rows.append(_Row(first.text.strip(), line, line, [(line, line.spans[1:])]))
        elif rows:
            rows[-1].content.append((line, line.spans))
            rows[-1].last = line
    return rows


def _is_header(line: Line) -> bool:
    return line.bold and line.text.startswith("Date") and "Summary of Changes" in line.text


def _entry(row: _Row) -> RevisionEntry:
    changes: list[RevisionChange] = []
    heads: tuple[str | None, str | None] = (None, None)  # (section, sub-heading)
    items: list[str] = []
    for line, spans in row.content:
        text = " ".join(s.text for s in spans).strip()
        if not text:
            continue
        kind = _heading_kind(line, spans, text)
        if kind is not None:
            if heads != (None, None) or items:
                changes.append(RevisionChange(section=heads[0], subsection=heads[1], items=items))
            heads = (text.rstrip(":"), None) if kind == "section" else (heads[0], text.rstrip(":"))
            items = []
        elif line.bullet is not None or not items:
            items.append(text)
        else:
            items[-1] = join_wrapped(items[-1], text)
    if heads != (None, None) or items:
        changes.append(RevisionChange(section=heads[0], subsection=heads[1], items=items))
    return RevisionEntry(
        date=to_iso(row.date_text),
        date_text=row.date_text,
        changes=_drop_bare_headings(changes),
        archived_previous=_archived(changes),
        provenance=_provenance(row),
    )


def _drop_bare_headings(changes: list[RevisionChange]) -> list[RevisionChange]:
    """A heading with no items of its own is kept only when nothing else names its section."""
    sections = [c.section for c in changes if c.items]
    return [c for c in changes if c.items or c.section not in sections]


def _heading_kind(line: Line, spans: tuple[Span, ...], text: str) -> str | None:
    """"section" for a bold upright heading, "subsection" for an italic or larger one."""
    if line.bullet is not None or len(text.split()) > HEADING_MAX_WORDS:
        return None
    if text.endswith((".", ";")):
        return None
    if all(s.bold and not s.italic for s in spans):
        return "section"
    if all(s.italic for s in spans) or line.size >= ITEM_SIZE + 0.8:
        return "subsection"
    return None


def _archived(changes: list[RevisionChange]) -> str | None:
    for change in changes:
        for item in change.items:
            m = ARCHIVED.search(item)
            if m:
                return m.group(1)
    return None


def _provenance(row: _Row) -> Provenance:
    first, last = row.first, row.last
    bottom = last.bbox[3] if last.page == first.page else first.bbox[3]
    return Provenance(page=first.page, bbox=(first.bbox[0], first.bbox[1], first.bbox[2], bottom))
