"""List levels of a text rendition, from its indentation and from the wording of the lists.

Converters often flatten nesting: every level below the first printed at one indentation, and
a list restarted at the margin after a blank line. Indentation is trusted for a list where it
is consistent (every lead-in's items indented further than the lead-in). Otherwise it is
trusted only where it says more than nothing: deeper indentation opens a sub-list, shallower
indentation with no blank line before it closes one. The rest of the nesting is rebuilt from
what the items say, the way a reader of the policy does:

- an item ending in ":" (a lead-in, or a bold heading such as "Treatment-naïve:"), or a bold
  heading over plain items ("Initial Therapy"), is followed by its own sub-list;
- an item ending in a connector ("; and", "; or") is followed by a sibling, also when the
  connector is printed on a line of its own after an item ending in ";";
- in a list whose items carry connectors, an item without one is the last of its list, except
  a lead-in, whose connector stands alone after its sub-list;
- a plain enumeration ends at a stand-alone "and" / "or", which joins the items of the list
  around it and takes their level; so does a list joined by the other connector ("and" after
  a list of "; or").

Levels are those of a PDF: 0 for paragraphs, 1 for the first list level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from extractor.layout.lines import CONNECTOR, SECTION_HEADING_MAX_WORDS
from extractor.layout.markup import Block

TRAILING_CONNECTOR = re.compile(r"(^|[\s;,])(and|or)\W*$", re.I)
# A lead-in ends in a colon, perhaps before a note in parentheses or a footnote mark.
LEAD_IN = re.compile(r":\s*(\([^()]*\))?[\s*†‡]*$")


@dataclass
class _List:
    """An open list: its level and what its last item said."""

    level: int
    indent: int
    joined: bool = False  # its items end in "; and" / "; or"
    word: str | None = None  # the connector that joins its items, at their ends or standing alone
    linked: bool = False  # the last item or a stand-alone connector asks for a sibling
    ended: bool = False  # an item without a connector closed the joined list
    lead: bool = False  # the last item is a lead-in whose sub-list is still to come
    dangling: bool = False  # the last item ends in ";" with its connector wrapped to a new line

    def add(self, item: Block, lead: bool) -> int:
        text = item.text
        found = TRAILING_CONNECTOR.search(text)
        connector = found is not None
        self.word = found.group(2).lower() if found else self.word
        self.indent = item.indent
        self.joined = self.joined or connector
        self.linked = connector
        self.lead = lead
        self.dangling = text.endswith((";", ","))
        # a lead-in's own connector, if any, stands alone after its sub-list
        self.ended = self.joined and not connector and not self.lead
        return self.level


def list_levels(blocks: list[Block]) -> list[int]:
    """Line.level of every block: paragraphs 0, list items by their place in the list."""
    levels = [0] * len(blocks)
    run: list[int] = []
    for i, block in enumerate(blocks):
        if block.kind == "item" or block.connector or block.in_list:
            run.append(i)
        else:
            _run_levels(blocks, run, levels)
            run = []
    _run_levels(blocks, run, levels)
    return levels


def _run_levels(blocks: list[Block], run: list[int], levels: list[int]) -> None:
    """Levels of one list: the items, connectors and continued paragraphs between paragraphs."""
    items = [i for i in run if blocks[i].kind == "item" and not blocks[i].connector]
    leads = {i for n, i in enumerate(items)
             if _is_lead(blocks[i], blocks[items[n + 1]] if n + 1 < len(items) else None)}
    trusted = not any(a in leads and blocks[b].indent <= blocks[a].indent
                      for a, b in pairwise(items))
    stack: list[_List] = []
    connectors: list[int] = []
    above: int | None = None  # the indentation of the item above
    for i in run:
        block = blocks[i]
        if block.connector:
            levels[i] = _connector_level(stack, _word(block))
            connectors.append(i)
        else:
            if block.kind == "item":
                levels[i] = _item_level(stack, block, i in leads, None if trusted else above)
                above = block.indent
            else:
                levels[i] = stack[-1].level if stack else 0
            for c in connectors:  # a connector joins the items around it, printed beside them
                levels[c] = min(levels[c], levels[i])
            connectors = []


def _is_lead(item: Block, after: Block | None) -> bool:
    """A lead-in, or a bold heading over plain items ("Initial Therapy")."""
    if LEAD_IN.search(item.text):
        return True
    heading = item.bold and len(item.text.split()) <= SECTION_HEADING_MAX_WORDS and not (
        item.text.endswith((".", ";", ",")) or TRAILING_CONNECTOR.search(item.text))
    return heading and after is not None and after.kind == "item" and not after.bold


def _word(connector: Block) -> str:
    m = CONNECTOR.match(connector.text)
    return m.group(1).lower() if m else ""


def _item_level(stack: list[_List], item: Block, lead: bool, above: int | None) -> int:
    """The item's level; `above` is the indentation of the item above, None when the list's
    indentation is trusted as it stands."""
    if not stack:
        stack.append(_List(1, item.indent))
    elif above is None:
        _place_by_indentation(stack, item)
    else:
        _place_by_wording(stack, item, above)
    return stack[-1].add(item, lead)


def _place_by_indentation(stack: list[_List], item: Block) -> None:
    if item.indent > stack[-1].indent:
        _open(stack, item)
    while len(stack) > 1 and stack[-1].indent > item.indent:
        stack.pop()


def _place_by_wording(stack: list[_List], item: Block, above: int) -> None:
    """Only a change from the item above says something, and a shallower item only when no
    blank line separates them."""
    top = stack[-1]
    if item.indent > above or top.lead:
        _open(stack, item)
    elif item.indent < above and not item.gap:
        while len(stack) > 1 and stack[-1].indent > item.indent:
            stack.pop()
    elif not top.linked:
        while len(stack) > 1 and stack[-1].ended:
            stack.pop()


def _open(stack: list[_List], item: Block) -> None:
    """A sub-list under the last item of the innermost list."""
    stack[-1].lead = False
    stack.append(_List(stack[-1].level + 1, item.indent))


def _connector_level(stack: list[_List], word: str) -> int:
    """A stand-alone connector takes the level of the siblings it joins."""
    if not stack:
        return 0
    if stack[-1].dangling:
        stack[-1].joined = True  # the end of the item above, wrapped onto a line of its own
    elif len(stack) > 1 and stack[-1].word is None:
        stack.pop()  # the enumeration above it, joined by nothing, is over
    else:
        while len(stack) > 1 and stack[-1].ended:
            stack.pop()
    while len(stack) > 1 and stack[-1].word not in (None, word):
        stack.pop()  # "and" after a list joined by "or" joins the list around it
    top = stack[-1]
    top.linked, top.ended, top.lead, top.dangling = True, False, False, False
    top.word = word
    return top.level
