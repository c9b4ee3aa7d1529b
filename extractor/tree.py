"""Items → a criterion and its logic tree, as printed: nesting from the indentation levels,
each inner node's operator from its lead-in or, failing that, from its connectors."""

from __future__ import annotations

import re
from collections import Counter

from extractor.accounting import Reading, stable_id
from extractor.items import Item
from extractor.layout import lines_to_provenance
from extractor.leadins import LEAD_BARE_LIST, Op, lead_in_operator
from extractor.model import Criterion
from extractor.text import clean, normalize


def items_to_criterion(item: Item, body: list[Item], path: tuple[str, ...], ctx: Reading,
          op_from: Item | None = None) -> Criterion:
    """A criterion and, under it, the list printed beneath it.

    An id is made of the texts from the statement down; a repeat of a sibling's text gets its
    occurrence number, so that ids are unique and a new sibling elsewhere leaves them alone.
    """
    ctx.place(item)
    text = clean(item.text)
    nid = stable_id(*path)
    if not body:
        return Criterion(id=nid, text=text, provenance=lines_to_provenance(item.lines))
    groups, connectors = children(body, ctx)
    seen: Counter[str] = Counter()
    nodes = []
    for head, rest in groups:
        key = normalize(clean(head.text))
        seen[key] += 1
        repeat = (f"occurrence {seen[key]}",) if seen[key] > 1 else ()
        nodes.append(items_to_criterion(head, rest, (*path, key, *repeat), ctx))
    op, minimum = _operator(op_from or item, groups, connectors, ctx)
    return Criterion(id=nid, text=text, op=op, min=minimum, children=nodes,
                     provenance=lines_to_provenance(item.lines))


def children(
    body: list[Item], ctx: Reading | None = None,
) -> tuple[list[tuple[Item, list[Item]]], list[str]]:
    """Split a list into its top-level items with their sub-lists, and the connectors between."""
    top = min((item.level for item in body if not item.connector), default=0)
    groups: list[tuple[Item, list[Item]]] = []
    connectors: list[str] = []
    for item in body:
        conn = item.connector
        if conn and item.level <= top + 1 and (not groups or item.level <= _text_level(groups)):
            connectors.append(conn)
            if ctx is not None:
                ctx.place(item)
        elif item.level <= top and not conn:
            groups.append((item, []))
        elif groups:
            groups[-1][1].append(item)
    return groups, connectors


def _text_level(groups: list[tuple[Item, list[Item]]]) -> int:
    """A stand-alone connector printed at a sibling's indentation joins the siblings."""
    return groups[-1][0].level


def _operator(
    item: Item, groups: list[tuple[Item, list[Item]]], standalone: list[str], ctx: Reading
) -> tuple[Op, int | None]:
    lead = lead_in_operator(item.text)
    trailing = [m.group(1).lower() for head, _ in groups[:-1]
                if (m := re.search(r"\b(and|or)\s*$", head.text, re.I))]
    seen = Counter(trailing + standalone)
    implied: Op | None = None
    if seen:
        implied = "all" if seen.most_common(1)[0][0] == "and" else "any"
        if len(seen) > 1:
            ctx.warn("mixed_connectors", f"both 'and' and 'or' join the items under "
                     f"{clean(item.text)[:60]!r}", item.first)
    if lead is not None:
        if implied is not None and implied != lead[0] and lead[0] in ("all", "any"):
            ctx.warn("operator_conflict", f"lead-in says {lead[0]} but the items are joined by "
                     f"{'and' if implied == 'all' else 'or'}: {clean(item.text)[:60]!r}",
                     item.first)
        return lead
    if implied is not None:
        return implied, None
    if len(groups) == 1:
        return "all", None  # a single criterion: nothing to choose between
    if not LEAD_BARE_LIST.search(item.text):
        ctx.warn("operator_inferred", f"no lead-in or connector for the list under "
                 f"{clean(item.text)[:60]!r}; read as any", item.first)
    return "any", None
