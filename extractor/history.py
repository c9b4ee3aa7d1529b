"""The "Policy History/Revision Information" table → one RevisionEntry per dated row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.dates import NUMERIC, to_iso
from extractor.layout import Line, Span
from extractor.model import Provenance, RevisionChange, RevisionEntry
from extractor.sections import Block
from extractor.text import join_wrapped

ARCHIVED = re.compile(r"Archived previous policy versions?\s+(.+)", re.I)
VERSION = re.compile(r"[A-Z]{2,} \d{3}\.\d{2}\b|[A-Z0-9][A-Z0-9.\-]*\d[A-Z0-9.\-]*[A-Z0-9]")
# A change entry's section heading ("Coverage Rationale", "Supporting Information") is short.
CHANGE_HEADING_MAX_WORDS = 14
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
    changes = _Changes()
    for line, spans in row.content:
        text = " ".join(s.text for s in spans).strip()
        if text:
            changes.add(line, _heading_kind(line, spans, text), text)
    done = changes.close()
    archived = _archived(done)
    return RevisionEntry(
        date=to_iso(row.date_text),
        date_text=row.date_text,
        changes=done,
        archived_previous=archived[0] if archived else None,
        archived_versions=archived,
        provenance=_provenance(row),
    )


@dataclass
class _Changes:
    """Collects a row's items under the section and sub-heading they are printed below."""

    done: list[RevisionChange] = field(default_factory=list)
    section: str | None = None
    subsection: str | None = None
    items: list[str] = field(default_factory=list)
    last_kind: str | None = None

    def add(self, line: Line, kind: str | None, text: str) -> None:
        if kind is not None and kind == self.last_kind and not self.items:
            self._heading(kind, text, wrapped=True)  # second line of a wrapped heading
        elif kind is not None:
            self._flush()
            self._heading(kind, text, wrapped=False)
        elif line.bullet is not None or not self.items:
            self.items.append(text)
        else:
            self.items[-1] = join_wrapped(self.items[-1], text)
        self.last_kind = kind

    def _heading(self, kind: str, text: str, wrapped: bool) -> None:
        text = text.rstrip(":")
        if kind == "section":
            self.section = join_wrapped(self.section or "", text) if wrapped else text
            self.subsection = self.subsection if wrapped else None
        else:
            self.subsection = join_wrapped(self.subsection or "", text) if wrapped else text

    def _flush(self) -> None:
        if self.section is not None or self.subsection is not None or self.items:
            self.done.append(RevisionChange(
                section=self.section, subsection=self.subsection, items=self.items))
        self.items = []

    def close(self) -> list[RevisionChange]:
        self._flush()
        return _drop_bare_headings(self.done)


def _drop_bare_headings(changes: list[RevisionChange]) -> list[RevisionChange]:
    """A heading with no items of its own is kept only when nothing else names its section."""
    sections = [c.section for c in changes if c.items]
    return [c for c in changes if c.items or c.section not in sections]


def _heading_kind(line: Line, spans: tuple[Span, ...], text: str) -> str | None:
    """"section" for a bold upright heading, "subsection" for an italic or larger one."""
    if line.bullet is not None or len(text.split()) > CHANGE_HEADING_MAX_WORDS:
        return None
    if text.endswith((".", ";")):
        return None
    if all(s.bold and not s.italic for s in spans):
        return "section"
    if all(s.italic for s in spans) or line.size >= ITEM_SIZE + 0.8:
        return "subsection"
    return None


def _archived(changes: list[RevisionChange]) -> list[str]:
    """The versions named by "Archived previous policy version(s) X [and Y]"."""
    for change in changes:
        for item in change.items:
            m = ARCHIVED.search(item)
            if m:
                return VERSION.findall(m.group(1))
    return []


def _provenance(row: _Row) -> Provenance:
    first, last = row.first, row.last
    bottom = last.bbox[3] if last.page == first.page else first.bbox[3]
    return Provenance(page=first.page, bbox=(first.bbox[0], first.bbox[1], first.bbox[2], bottom),
                      line=first.source_line)
