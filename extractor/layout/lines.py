"""The typed lines every input format is turned into; everything downstream reads only these."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from extractor.model import Provenance, SourceFormat

Bullet = Literal["image", "vector", "dash", "o", "glyph"]
BBox = tuple[float, float, float, float]
# Lines of a policy's running footer: "<Title> Page N of M", "<line of business> … Policy
# Effective MM/DD/YYYY", "Proprietary Information of … Copyright YYYY …".
FOOTER_TEXT = re.compile(
    r"\bPage \d+ of \d+\b|^Proprietary Information of\b|\bCopyright \d{4}\b"
    r"|\bPolic(y|ies) Effective \d{1,2}/\d{1,2}/\d{4}$", re.I)
# A section heading ("Coverage Rationale", "Applicable Codes") is a short line: at most this many
# words, in a PDF and in a text rendition alike.
SECTION_HEADING_MAX_WORDS = 12
# A line that is only a connector ("and", "or") joining the list items around it.
CONNECTOR = re.compile(r"^\W*(and|or)\W*$", re.I)


class Span(BaseModel):
    """A run of words on a line, separated from its neighbours by a column-sized gap."""

    model_config = ConfigDict(frozen=True)

    text: str
    x0: float
    x1: float
    bold: bool = False
    italic: bool = False


class Line(BaseModel):
    """One printed line of body text, with the bullet that starts it and its indentation level."""

    model_config = ConfigDict(frozen=True)

    text: str
    page: int
    bbox: BBox
    font: str = ""
    size: float = 10.0
    bold: bool = False
    italic: bool = False
    bullet: Bullet | None = None
    level: int = 0
    spans: tuple[Span, ...] = ()
    # A list printed in columns: how far right of the first column this line's column starts
    # (its indentation level is read as if it were printed in the first), and where this
    # line's column ends (its text wraps before the page margin).
    column_shift: float = 0.0
    column_end: float | None = None
    # the 1-based line of a text rendition; None for a PDF
    source_line: int | None = None

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def indent(self) -> float:
        """Where the text starts, after any bullet."""
        return self.spans[0].x0 if self.spans else self.bbox[0]

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def provenance(self) -> Provenance:
        return Provenance(page=self.page, bbox=self.bbox, line=self.source_line)


class Document(BaseModel):
    """A whole input as lines: the body in reading order, plus what was set apart from it."""

    model_config = ConfigDict(frozen=True)

    format: SourceFormat
    pages: int
    lines: tuple[Line, ...]
    sidebar: tuple[Line, ...] = ()
    furniture: tuple[Line, ...] = ()
    metadata: dict[str, str] = {}


def lines_to_provenance(lines: list[Line]) -> Provenance:
    """Where an item printed over several lines is: its lines on the page it starts on."""
    first = [x for x in lines if x.page == lines[0].page]
    bbox = (min(x.bbox[0] for x in first), first[0].bbox[1],
            max(x.bbox[2] for x in first), first[-1].bbox[3])
    return Provenance(page=lines[0].page, bbox=bbox, line=lines[0].source_line)
