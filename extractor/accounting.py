"""The account a reading of a Coverage Rationale keeps: which printed items it placed where.

Every item ends up in exactly one place — a statement (its text or a node of its tree), a note
that is not a criterion, or an unplaced_item issue — so that nothing is dropped silently. Ids
are kept unique here too.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from extractor.items import Item
from extractor.layout import Line, lines_to_provenance
from extractor.model import CoverageNote, CoverageStatement, Issue, NoteKind
from extractor.statements import leftover_kind
from extractor.text import clean, normalize

Key = tuple[int, tuple[float, float, float, float]]
# An item's text is kept this long in the message of its unplaced_item issue.
MESSAGE_CHARS = 120
# A line left over that is printed in this many columns is a table row, not a sentence.
TABLE_CELLS = 2
# A cell starts this far right of the section's margin (pt) ...
CELL_INDENT = 2.0
# ... and this many type sizes below the table's line above it, at most.
CELL_GAP = 1.0


class Coverage(NamedTuple):
    """A Coverage Rationale read: its statements, its items that are not criteria, issues."""

    statements: list[CoverageStatement]
    notes: list[CoverageNote]
    issues: list[Issue]


@dataclass
class Reading:
    """What one reading of a Coverage Rationale has found, and which printed items it placed."""

    issues: list[Issue] = field(default_factory=list)
    notes: dict[Key, CoverageNote] = field(default_factory=dict)
    placed: set[Key] = field(default_factory=set)
    headings: set[Key] = field(default_factory=set)
    ids: Counter[str] = field(default_factory=Counter)

    def warn(self, kind: str, message: str, line: Line) -> None:
        self.issues.append(Issue(kind=kind, message=message, page=line.page))

    @staticmethod
    def key(item: Item) -> Key:
        """Where an item starts: the same item when a stage copies it to change its level."""
        return item.first.page, item.first.bbox

    def place(self, item: Item) -> None:
        self.placed.add(self.key(item))

    def note(self, item: Item, kind: NoteKind) -> None:
        if self.key(item) not in self.placed:
            self.place(item)
            self.notes[self.key(item)] = CoverageNote(
                kind=kind, text=clean(item.text), provenance=lines_to_provenance(item.lines))

    def unique(self, sid: str) -> str:
        """The id again for its first holder; a repeat gets its occurrence number mixed in."""
        self.ids[sid] += 1
        seen = self.ids[sid]
        return sid if seen == 1 else stable_id(sid, f"occurrence {seen}")

    def account(self, items: list[Item]) -> None:
        """A note for each item left that is one; an unplaced_item issue for every other."""
        table: Table | None = None
        margin = min((item.first.x0 for item in items), default=0.0)
        for item in items:
            if self.key(item) in self.placed or item.connector:
                # a stand-alone "and"/"or" joins items; it is no item of its own
                table = _table_with(table, item) if self._tabled(item) else None
                continue
            kind = self._leftover_kind(item, table, margin)
            table = _table_with(table, item) if kind == "table" else None
            if kind is None:
                self.warn("unplaced_item", _shortened(clean(item.text)), item.first)
            else:
                self.note(item, kind)

    def _tabled(self, item: Item) -> bool:
        """An item read as a table's row already (the header row under a lead-in)."""
        note = self.notes.get(self.key(item))
        return note is not None and note.kind == "table"

    def _leftover_kind(self, item: Item, table: Table | None,
                       margin: float) -> NoteKind | None:
        if self.key(item) in self.headings:
            return "heading"
        kind = leftover_kind(item.text, item.bulleted)
        if kind in (None, "heading") and (_in_table(table, item, margin) or _is_row(item)):
            return "table"  # a header row ("Regimen   Drugs") is no heading
        return kind


def stable_id(*parts: str) -> str:
    """An id from normalized text: the same criterion in two versions gets the same id."""
    digest = hashlib.sha1("\x1f".join(normalize(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:12]


class Table(NamedTuple):
    """A table being read: the page it has reached, and how far down that page."""

    page: int
    bottom: float


def _table_with(table: Table | None, item: Item) -> Table:
    """The table with one more item read."""
    last = item.lines[-1]
    if table is None or last.page != table.page:
        return Table(last.page, last.bbox[3])
    return Table(last.page, max(table.bottom, last.bbox[3]))


def _in_table(table: Table | None, item: Item, margin: float) -> bool:
    """A cell of a table: inside the margin (cells are padded), with no gap above it.

    Cells wrap, a column may hold a list, and the cells of a row are read one after the
    other, so a cell may start above the table's lowest line; a paragraph after the table is
    set apart by a gap, or starts at the margin.
    """
    first = item.first
    if table is None or first.x0 <= margin + CELL_INDENT:
        return False
    if first.page != table.page:
        return first.page == table.page + 1
    return first.top - table.bottom < first.size * CELL_GAP


def _is_row(item: Item) -> bool:
    """Cells in columns, or codes and numbers with no word among them."""
    return len(item.first.spans) >= TABLE_CELLS or not any(c.isalpha() for c in item.text)


def _shortened(text: str) -> str:
    return text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS - 1] + "…"
