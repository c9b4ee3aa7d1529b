"""Coverage Rationale → coverage statements, each with its criteria as an exact logic tree.

The tree follows the printed nesting: a line's indentation level and bullet make it a child of
the nearest less indented line above. Each inner node's operator comes from its lead-in ("all
of the following", "one of the following", "at least two of the following") or, failing that,
from the connectors that join its children ("; and", "; or", a stand-alone "or"). Where those
disagree the lead-in wins and the disagreement is recorded as an issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor.accounting import TABLE_CELLS, Coverage, Reading, stable_id
from extractor.errors import LimitError
from extractor.headings import (
    Rank,
    Styles,
    heading_name,
    heading_rank,
    heading_styles,
    item_after,
    item_before,
    rank_at,
)
from extractor.items import Item, lines_to_items
from extractor.layout import lines_to_provenance
from extractor.leadins import lead_in_operator, phase_name
from extractor.limits import MAX_TREE_DEPTH
from extractor.model import (
    CoverageNote,
    CoverageStatement,
    Issue,
    NoteKind,
    StatementKind,
    criterion_depth,
)
from extractor.phases import Phase, op_source, split_by_phase_items, split_nested_phases
from extractor.sections import Block
from extractor.statements import (
    aside_kind,
    note_kind,
    scope_then_statement,
    sentences,
    statement_kind,
)
from extractor.text import clean, normalize
from extractor.tree import items_to_criterion

FOLLOWING = re.compile(r"\bthe following\b", re.I)


def block_to_statements(block: Block) -> tuple[list[CoverageStatement], list[Issue]]:
    """Every coverage statement of a Coverage Rationale section, in printed order."""
    found = blocks_to_coverage([block])
    return found.statements, found.issues


def blocks_to_coverage(blocks: Iterable[Block]) -> Coverage:
    """The statements of Coverage Rationale sections, and an account of every printed item.

    Every item ends up in exactly one place: a statement (its text or a node of its tree), a
    note that is not a criterion, or an unplaced_item issue.
    """
    ctx = Reading()
    statements: list[CoverageStatement] = []
    notes: list[CoverageNote] = []
    for block in blocks:
        items = lines_to_items(list(block.lines))
        statements += _read(items, ctx)
        ctx.account(items)
        notes += [ctx.notes[ctx.key(item)] for item in items if ctx.key(item) in ctx.notes]
    return Coverage(statements, notes, ctx.issues)


def _read(items: list[Item], ctx: Reading) -> list[CoverageStatement]:
    statements: list[CoverageStatement] = []
    headings: list[tuple[Rank, str, Item]] = []
    styles = heading_styles(items)
    i = 0
    while i < len(items):
        item = items[i]
        rank = rank_at(items, i, styles)
        if rank is not None:
            ctx.headings.add(ctx.key(item))
            name = heading_name(clean(item.text))
            headings = [h for h in headings if h[0] < rank] + [(rank, name, item)]
            if _heads_list(items, i):
                # a heading with a criteria list and no statement sentence of its own
                end = _list_end(items, i)
                statements += _statements(item, items[i + 1:end], [h[1] for h in headings[:-1]],
                                          "other", ctx)
                headings.pop()  # it named its own list, not the paragraphs after it
                i = end
            else:
                i += 1
            continue
        end = _past_asides(items, i, _list_end(items, i))
        # text back at the margin leaves the scope of an indented bullet heading
        headings = [h for h in headings if not (h[2].bulleted and h[2].level > item.level)]
        statements += _paragraph(items, i, end, [h[1] for h in headings], ctx, styles)
        i = end
    return statements


def _paragraph(items: list[Item], i: int, end: int, path: list[str],
               ctx: Reading, styles: Styles) -> list[CoverageStatement]:
    """The statements a paragraph (and the list under it) makes, or none when it is a note."""
    item = items[i]
    noted = note_kind(item.text)
    if noted not in (None, "definition") and not scope_then_statement(item.text):
        for part in items[i:end]:  # "Notes:" and the notes listed under it
            ctx.note(part, noted)
        return []
    kind = statement_kind(item.text) or ("other" if _leads_list(items, i, end) else None)
    if kind is None:
        return []
    named = _named_by_headings(items, i, styles) if end == i + 1 else []
    found: list[CoverageStatement] = []
    parts = sentences(item)
    # the last sentence leads the list ("X is proven for Y. X is medically necessary when:"),
    # unless another names the products the list is of
    carrier = next((p for p in parts if statement_kind(p.text) == "products"), parts[-1])
    for sentence in parts:
        said = statement_kind(sentence.text) or (kind if sentence is carrier else "other")
        if sentence is carrier:
            found += _statements(sentence, items[i + 1:end] or named, path, said, ctx,
                                 split=not named)
        else:
            found += _statements(sentence, [], path, said, ctx)
    return found


def _past_asides(items: list[Item], i: int, end: int) -> int:
    """The end of a lead-in's list printed after notes at the lead-in's own indentation."""
    lead = items[i]
    if end != i + 1 or not (lead.text.rstrip().endswith(":") or FOLLOWING.search(lead.text)):
        return end
    k = end
    while k < len(items) and items[k].level == lead.level and aside_kind(items[k].text) is not None:
        k += 1
    if k == end or k == len(items) or items[k].level <= lead.level:
        return end
    return _list_end(items, k - 1)


def _leads_list(items: list[Item], i: int, end: int) -> bool:
    """A paragraph that leads into the list under it ("The report must include:")."""
    return end > i + 1 and (items[i].text.rstrip().endswith(":") or _has_lead_in(items[i].text))


def _named_by_headings(items: list[Item], start: int, styles: Styles) -> list[Item]:
    """ "X is proven for the treatment of:" answered by the sub-headings that follow it.

    The indications are printed as the headings of their own criteria, one rank below; the
    statement's list is those headings, up to a heading of higher rank.
    """
    if not items[start].text.rstrip().endswith(":"):
        return []
    found: list[Item] = []
    rank: Rank | None = None
    for j in range(start + 1, len(items)):
        r = rank_at(items, j, styles)
        if r is None:
            if rank is None:
                return []  # the statement is followed by text, not by headings
            continue
        if rank is not None and r < rank:
            break
        if rank is None or r == rank:
            rank = r
            found.append(items[j])
    return found if len(found) > 1 else []


def _heads_list(items: list[Item], i: int) -> bool:
    """A heading directly over a bulleted list whose first item is not a statement."""
    after = item_after(items, i)
    return (after is not None and after.bulleted and not items[i].bulleted
            and after.level > items[i].level and statement_kind(after.text) is None
            and heading_rank(after, item_after(items, i + 1), items[i]) is None)


def _list_end(items: list[Item], start: int) -> int:
    """The item after the statement at start and the list under it."""
    base = items[start]
    i = start + 1
    while i < len(items):
        item = items[i]
        if not (item.level > base.level or (item.connector and item.level >= base.level)):
            break
        heading = heading_rank(item, item_after(items, i), item_before(items, i)) is not None
        if heading and item.level <= base.level + 1 and not _has_lead_in(base.text):
            break  # indication sub-headings under a bare "is proven for:" start new statements
        i += 1
    if i == start + 1 and base.text.rstrip().endswith(":"):
        i = _phase_lists_end(items, i, base)
    return i


def _phase_lists_end(items: list[Item], i: int, base: Item) -> int:
    """A statement's list printed under unbulleted phase headings ("Initial Therapy")."""
    while (i + 1 < len(items) and not items[i].bulleted and items[i].level <= base.level
           and heading_rank(items[i], items[i + 1]) is not None
           and items[i + 1].level > items[i].level):
        heading = items[i]
        i += 1
        while i < len(items) and (items[i].level > heading.level or items[i].connector):
            i += 1
    return i


def _statements(
    lead: Item, body: list[Item], path: list[str], kind: StatementKind,
    ctx: Reading, split: bool = True, op_from: Item | None = None,
) -> list[CoverageStatement]:
    """One statement, or one per phase when the list is split into phases.

    A phase may be printed as a bold heading ("Initial Therapy"), a bare bullet, or a bullet
    with its own lead-in ("For initial therapy, all of the following:"); each gives a statement
    with the phase appended to its heading path, whose root keeps the statement's lead-in as
    text and takes the phase's operator (from the phase's own lead-in where it has one).
    """
    for item in body:
        if (aside := _aside(item)) is not None:
            ctx.note(item, aside)
    body = [item for item in body if _aside(item) is None]
    phases = (_split_by_headings(body, lead) or split_by_phase_items(body)
              or split_nested_phases(body)) if split else []
    if phases:
        _note_phase_heads(body, phases, ctx)
        return [s for name, head, part in phases
                for s in _statements(lead, part, [*path, name], kind, ctx, op_from=head)]
    body, inner = _inner_statements(body, path, ctx)
    ctx.place(lead)
    text = clean(lead.text)
    sid = ctx.unique(stable_id("statement", *path, text))
    tree = items_to_criterion(lead, body, (sid, _norm(text)), ctx, op_from) if body else None
    if kind == "products" and tree is not None:
        tree = tree.model_copy(update={"op": "any", "min": None})
    if tree is not None and criterion_depth(tree) > MAX_TREE_DEPTH:
        raise LimitError(f"criteria nested deeper than {MAX_TREE_DEPTH} levels "
                         f"(page {tree.provenance.page}); no rule file written")
    return [CoverageStatement(id=sid, kind=kind, heading_path=path, text=text, criteria=tree,
                              provenance=lines_to_provenance(lead.lines)), *inner]


def _aside(item: Item) -> NoteKind | None:
    """An item printed in a list that is none of its criteria: a note, a pointer, a table."""
    return "table" if _table_row(item) else aside_kind(item.text)


def _table_row(item: Item) -> bool:
    """A row of a table a lead-in introduces: its cells are printed in columns.

    A mark printed apart before a criterion ("‒ Both of the following:") is no cell.
    """
    spans = item.first.spans
    return (not item.bulleted and len(spans) >= TABLE_CELLS and not item.text.endswith(":")
            and all(any(c.isalnum() for c in span.text) for span in spans))


def _inner_statements(
    body: list[Item], path: list[str], ctx: Reading,
) -> tuple[list[Item], list[CoverageStatement]]:
    """Statements printed inside a list item, cut out of the list.

    "• Autoimmune bullous diseases" followed, at the bullet's indentation and without a
    bullet, by "Immune globulin is medically necessary for ... when all of the following:"
    and its criteria: the bullet names the indication (it stays in the list), the statement
    is one of its own, under the indication. A paragraph there that is a note is a note.
    """
    kept: list[Item] = []
    found: list[CoverageStatement] = []
    j = 0
    while j < len(body):
        item, owner = body[j], _bullet_above(kept, body[j])
        kind = None if owner is None else statement_kind(item.text)
        if owner is not None and kind is None and note_kind(item.text) is not None:
            ctx.note(item, note_kind(item.text) or "note")
            j += 1
            continue
        if owner is None or kind is None:
            kept.append(item)
            j += 1
            continue
        end = _list_end(body, j)
        found += _statements(item, body[j + 1:end], [*path, clean(owner.text)], kind, ctx)
        j = end
    return kept, found


def _bullet_above(kept: list[Item], item: Item) -> Item | None:
    """The bullet an unbulleted paragraph at its indentation is printed inside of."""
    if item.bulleted or item.connector:
        return None
    above = next((k for k in reversed(kept) if k.level <= item.level and not k.connector), None)
    return above if above is not None and above.bulleted and above.level == item.level else None


def _note_phase_heads(body: list[Item], phases: list[Phase], ctx: Reading) -> None:
    """The items that name or lead the phases stand for the split: they are its headings."""
    kept = {ctx.key(item) for _, _, part in phases for item in part}
    for item in body:
        if ctx.key(item) not in kept and not item.connector:
            ctx.note(item, "heading")


def _split_by_headings(body: list[Item], lead: Item) -> list[Phase]:
    """A list printed under sub-headings, one statement each.

    Under "when one of the following criteria are met:", headings that name no phase ("For
    Pregnant Women", "For Newborns") are the alternatives the lead-in chooses between: each
    one's own list is joined as its connectors say.
    """
    top = min((item.level for item in body), default=0)
    firsts = [i for i, item in enumerate(body) if item.level == top and not item.connector]
    heads = [i for i in firsts if heading_rank(body[i], item_after(body, i)) is not None]
    if not heads or heads != firsts:
        return []
    ends = [*heads[1:], len(body)]
    choice = len(heads) > 1 and lead_in_operator(lead.text) == ("any", None)
    return [(phase_name(body[h].text) or clean(body[h].text),
             op_source(body[h]) or (body[h] if choice and not phase_name(body[h].text) else None),
             body[h + 1:e]) for h, e in zip(heads, ends, strict=True)]


def _has_lead_in(text: str) -> bool:
    return lead_in_operator(text) is not None


def _norm(text: str) -> str:
    return normalize(text)
