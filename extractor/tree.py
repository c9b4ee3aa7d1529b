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

TRAILING_CONNECTOR = re.compile(r"\b(and|or)\s*$", re.I)
# "when the following criteria are met": a list follows, how many of it must hold is not said
WEAK_LEAD = re.compile(
    r"(?<!\ball )(?<!\bof )\bthe following (criteria |criterion )?(are|is) met", re.I)


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
    groups, standalone = children(body, ctx)
    seen: Counter[str] = Counter()
    nodes = []
    for head, rest in groups:
        key = normalize(clean(head.text))
        seen[key] += 1
        repeat = (f"occurrence {seen[key]}",) if seen[key] > 1 else ()
        nodes.append(items_to_criterion(head, rest, (*path, key, *repeat), ctx))
    gaps = _gap_connectors(groups, standalone)
    op, minimum = _operator(op_from or item, groups, gaps, ctx)
    if op == "any" and "and" in gaps.values() and not _strong_lead(op_from or item):
        nodes = _and_runs(nodes, gaps, nid)
    return Criterion(id=nid, text=text, op=op, min=minimum, children=nodes,
                     provenance=lines_to_provenance(item.lines))


def children(
    body: list[Item], ctx: Reading | None = None,
) -> tuple[list[tuple[Item, list[Item]]], list[tuple[int, str]]]:
    """Split a list into its top-level items with their sub-lists, and the stand-alone
    connectors between them, each with the index of the item it follows."""
    top = min((item.level for item in body if not item.connector), default=0)
    groups: list[tuple[Item, list[Item]]] = []
    connectors: list[tuple[int, str]] = []
    for item in body:
        conn = item.connector
        if conn and item.level <= top + 1 and (not groups or item.level <= _text_level(groups)):
            connectors.append((len(groups) - 1, conn))
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


def _gap_connectors(groups: list[tuple[Item, list[Item]]],
                    standalone: list[tuple[int, str]]) -> dict[int, str]:
    """The connector after each item but the last: its own trailing one or a stand-alone one."""
    gaps = {i: m.group(1).lower() for i, (head, _) in enumerate(groups[:-1])
            if (m := TRAILING_CONNECTOR.search(head.text))}
    gaps.update({i: conn for i, conn in standalone if 0 <= i < len(groups) - 1})
    return gaps


def _strong_lead(item: Item) -> bool:
    """A lead-in that names how many items must hold ("one of", "all of", "at least two of"),
    not just that "the following criteria are met", which leaves that to the connectors."""
    return lead_in_operator(WEAK_LEAD.sub("", item.text)) is not None


def _and_runs(nodes: list[Criterion], gaps: dict[int, str], nid: str) -> list[Criterion]:
    """ "A; and B; or C; or D" reads (A and B) or C or D: "and" binds tighter than "or".

    Each run of items joined by "and" becomes one "all" node; its text is the run's first
    item's, its id is made of the run's texts.
    """
    runs: list[list[Criterion]] = [[nodes[0]]]
    for i, node in enumerate(nodes[1:]):
        if gaps.get(i) == "and":
            runs[-1].append(node)
        else:
            runs.append([node])
    return [run[0] if len(run) == 1 else Criterion(
        id=stable_id(nid, *(n.text for n in run)), text="All of the following", op="all",
        children=run, provenance=run[0].provenance) for run in runs]


def _operator(
    item: Item, groups: list[tuple[Item, list[Item]]], gaps: dict[int, str], ctx: Reading
) -> tuple[Op, int | None]:
    lead = lead_in_operator(item.text)
    seen = Counter(gaps.values())
    implied: Op | None = None
    if seen:
        implied = "any" if "or" in seen and not _strong_lead(item) else (
            "all" if seen.most_common(1)[0][0] == "and" else "any")
        if len(seen) > 1 and _strong_lead(item):
            ctx.warn("mixed_connectors", f"both 'and' and 'or' join the items under "
                     f"{clean(item.text)[:60]!r}", item.first)
    if lead is not None and (implied is None or _strong_lead(item)):
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
