"""Phases of treatment ("Initial Therapy", "Continuation of Therapy") printed inside a list:
each phase's items, so that a statement can be split into one statement per phase."""

from __future__ import annotations

from extractor.items import Item
from extractor.leadins import BARE_LEAD, lead_in_operator, phase_name
from extractor.tree import children

# a phase's name, the item whose lead-in names its operator (if any), and its items
Phase = tuple[str, Item | None, list[Item]]


def split_by_phase_items(body: list[Item]) -> list[Phase]:
    """A list whose every top-level item names a phase and holds that phase's criteria."""
    groups, _ = children(body)
    names = [phase_name(head.text) if rest else None for head, rest in groups]
    if not groups or None in names:
        return []
    return [(name, op_source(head), rest)
            for name, (head, rest) in zip(names, groups, strict=True) if name is not None]


def split_nested_phases(body: list[Item]) -> list[Phase]:
    """Phases printed inside a top-level item ("One of the following: • For initial therapy,
    all of the following: …"): one body per phase, each such item holding only that phase.

    Items without a list of their own (common criteria) stay in every phase. An item that is
    only a lead-in is replaced by the phase item; an item that says more
    ("Crohn's disease when all of the following criteria are met:") keeps its text and takes
    the phase's criteria as its own.
    """
    groups, _ = children(body)
    inner = {id(head): split_by_phase_items(rest) for head, rest in groups}
    if any(rest and not inner[id(head)] for head, rest in groups):
        return []  # beside the phases, a list of another kind: not a choice of phase
    names = list(dict.fromkeys(name for found in inner.values() for name, _, _ in found))
    if not names:
        return []
    return [(name, None, [item for head, rest in groups
                          for item in _phase_of(head, rest, inner[id(head)], name)])
            for name in names]


def _phase_of(head: Item, rest: list[Item], phases: list[Phase], name: str) -> list[Item]:
    if not phases:
        return [head, *rest]
    for phase, phase_head, part in phases:
        if phase != name:
            continue
        if phase_head is not None and BARE_LEAD.match(head.text.strip()):
            return [_at_level(phase_head, head.level), *part]
        return [head, *part]
    return []  # this item has no criteria for the phase


def _at_level(item: Item, level: int) -> Item:
    lines = [line.model_copy(update={"level": level}) for line in item.lines[:1]]
    return Item([*lines, *item.lines[1:]], item.text)


def op_source(head: Item) -> Item | None:
    """The phase item when its own lead-in names the operator of its list."""
    return head if lead_in_operator(head.text) is not None else None
