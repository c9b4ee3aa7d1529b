"""The sub-headings of a Coverage Rationale and their ranks (smaller is outer).

A heading is a short bold line (or a plain one with a pointer in brackets) that is no
statement, no lead-in and no table header; its rank comes from its bullet level, its type
size, the order in which the section first uses its typeface's family, and italics.
"""

from __future__ import annotations

import re

from extractor.accounting import TABLE_CELLS
from extractor.items import Item
from extractor.statements import PLAIN_HEADING, POINTER, REFERENCE, statement_kind

# A bold heading that only names a kind of coverage ("Unproven") heads statements, not one.
KIND_HEADING = re.compile(
    r"^((not )?(medically necessary|proven|unproven)|un?proven and not medically necessary|"
    r"(not )?covered)$", re.I)
# A Coverage Rationale sub-heading may name an indication at length, but is no paragraph.
SUBHEADING_MAX_WORDS = 24
# (bullet level + 1 or 0, minus the type size, the order of the typeface's family, italic):
# smaller is outer
Rank = tuple[int, float, int, bool]
Styles = dict[str, int]
# "ABCDEF+Arial-BoldItalicMT", "Arial,Bold": the family is the name before its style
FAMILY = re.compile(r"^(?:[A-Z]{6}\+)?([^-,]+?)(?:MT)?(?:[-,].*)?$")
# A pointer printed in brackets after a heading's name: "(For Medicare reviews, refer to …)".
TRAILING_ASIDE = re.compile(r"\s*\((?P<aside>[^()]*)\)[\W]*$")


def heading_styles(items: list[Item]) -> Styles:
    """The type families of a section's unbulleted headings, in the order they are first used.

    Of two headings of one size, one in the family used first is the outer, and of one family
    the upright is outer to the italic: "Diagnosis-Specific Criteria" in bold Georgia, the
    indications under it in bold italic Georgia, and their sub-headings ("Patients Receiving
    Dialysis") in bold Arial of the same size.
    """
    styles: Styles = {}
    for j, item in enumerate(items):
        rank = heading_rank(item, item_after(items, j), item_before(items, j))
        if rank is not None and not item.bulleted:
            styles.setdefault(_family(item), len(styles))
    return styles


def _family(item: Item) -> str:
    m = FAMILY.match(item.first.font)
    return m.group(1) if m else item.first.font


def rank_at(items: list[Item], j: int, styles: Styles) -> Rank | None:
    """The rank of the heading at j among the section's headings, or None for no heading."""
    rank = heading_rank(items[j], item_after(items, j), item_before(items, j))
    if rank is None:
        return None
    if items[j].bulleted:
        return (*rank, 0, False)  # a bullet's level ranks it
    return (*rank, styles.get(_family(items[j]), 0), items[j].first.italic)


def heading_rank(item: Item, after: Item | None,
                 before: Item | None = None) -> tuple[int, float] | None:
    """The rank of a sub-heading (smaller is outer), or None when the item is not one."""
    text = item.text.strip()
    # a heading with a longer note in italics beside it is read in the note's type
    plain = PLAIN_HEADING.match(text) is not None and not item.bulleted
    if not (item.first.bold or plain) or text.endswith((":", ".", ";")) or item.connector:
        return None
    if len(item.first.spans) >= TABLE_CELLS:
        return None  # the header row of a table ("Regimen   Drugs")
    if len(text.split()) > SUBHEADING_MAX_WORDS:
        return None
    if statement_kind(text) is not None and not KIND_HEADING.match(text):
        return None
    if item.bulleted:
        # a bold bullet with no lead-in names the indication or phase of what follows
        deeper = after is not None and after.level > item.level
        names_statement = after is not None and not after.bulleted and statement_kind(
            after.text) is not None
        # the last of a list of alike bold items is one of them, whatever follows the list
        in_list = (before is not None and before.bulleted and before.level == item.level
                   and before.first.bold)
        return (1 + item.level, 0.0) if deeper or (names_statement and not in_list) else None
    return (0, -item.first.size)


def item_before(items: list[Item], i: int) -> Item | None:
    return items[i - 1] if i > 0 else None


def item_after(items: list[Item], i: int) -> Item | None:
    return items[i + 1] if i + 1 < len(items) else None


def heading_name(text: str) -> str:
    """A heading's name without the pointer elsewhere printed in brackets after it."""
    found = TRAILING_ASIDE.search(text)
    if found is None or found.start() == 0:
        return text
    aside = found.group("aside")
    return text[:found.start()] if REFERENCE.match(aside) or POINTER.match(aside) else text
