"""Lines → items: a paragraph or a list item is one or more printed lines joined."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.layout import Line
from extractor.layout.lines import CONNECTOR
from extractor.text import join_wrapped

# A footnote's mark hangs left of its text: "*Screening can begin ..." wraps under the "S".
FOOTNOTE_MARK = re.compile(r"^[*†‡]+")
# A line that wraps reaches this close to the widest line of its block.
WRAP_SLACK = 70.0
# The width of a space in the policies' sans-serif fonts, in font sizes (Arial: 0.278).
SPACE_WIDTH = 0.28


@dataclass
class Item:
    """A printed paragraph or list item: one or more lines joined."""

    lines: list[Line]
    text: str

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def level(self) -> int:
        return self.first.level

    @property
    def bulleted(self) -> bool:
        return self.first.bullet is not None

    @property
    def connector(self) -> str | None:
        m = CONNECTOR.match(self.text)
        return m.group(1).lower() if m and not self.bulleted else None


def lines_to_items(lines: list[Line]) -> list[Item]:
    """Join wrapped lines into items: a new item at each bullet, indent change or short line."""
    right = max((line.bbox[2] for line in lines), default=0.0)
    items: list[Item] = []
    for line in lines:
        prev = items[-1] if items else None
        if prev is not None and _wraps_into(prev, line, right):
            prev.lines.append(line)
            prev.text = join_wrapped(prev.text, line.text)
        else:
            items.append(Item([line], line.text))
    return items


def _wraps_into(item: Item, line: Line, right: float) -> bool:
    last = item.lines[-1]
    if line.source_line is not None:
        return False  # a text rendition has one item per line
    if line.bullet is not None:
        return False
    slash = _broken_after_slash(last)
    if not slash and (item.connector or CONNECTOR.match(line.text)):
        return False
    aligned = min(abs(line.indent - last.indent), abs(line.indent - _hanging(item, last)))
    if aligned > 3 or abs(line.size - last.size) > 0.5:
        return False
    same_page = line.page == last.page and line.top - last.bbox[3] < last.size * 0.8
    next_page = line.page == last.page + 1
    if not (same_page or next_page):
        return False
    right = min(right, last.column_end or right)
    return slash or last.bbox[2] > right - WRAP_SLACK or _next_word_did_not_fit(last, line, right)


def _broken_after_slash(line: Line) -> bool:
    """A line ending inside a pair of words joined by a slash ("and/" before "or")."""
    return re.search(r"\w/$", line.text) is not None


def _hanging(item: Item, last: Line) -> float:
    """Where the wrapped text of an item starts: past the mark of a footnote."""
    mark = FOOTNOTE_MARK.match(item.text)
    if last is not item.first or mark is None:
        return last.indent
    char = (last.bbox[2] - last.bbox[0]) / max(len(last.text), 1)
    return last.indent + char * len(mark.group(0))


def _next_word_did_not_fit(last: Line, line: Line, right: float) -> bool:
    """A line that ends early because the next line's first word is too long to fit after it.

    The word's width is estimated from the next line's letters (its width less its spaces,
    per letter), and a space is added before it; a line ends where its ink ends.
    """
    word = line.text.split()[0] if line.text.split() else ""
    space = SPACE_WIDTH * line.size
    spaces = line.text.count(" ")
    letter = (line.bbox[2] - line.bbox[0] - spaces * space) / max(len(line.text) - spaces, 1)
    return bool(word) and last.bbox[2] + space + letter * len(word) > right - 2.0
