"""Two versions' coverage statements and criteria trees → the changes between them.

Criteria are matched by id, then by equal text anywhere in the document (a move), then by
similarity (a rewording); each change is judged by the table in severity.py, with the
negation its place in the tree gives it.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from extractor.changes import Change, Severity, redline, redline_to_hunks
from extractor.limits import MAX_REDLINE_WORDS, MAX_SIMILAR_CANDIDATES
from extractor.model import CoverageStatement, Criterion, Entity, RuleSet
from extractor.severity import hunk_event, severity, strongest
from extractor.text import normalize

SIMILAR = 0.6
SIMILAR_SEARCH = 300
# a tighter bound narrows coverage: a higher minimum, a lower maximum
TIGHTER = {">=": 1, ">": 1, "<=": -1, "<": -1}
BOUNDED = ("duration", "dose", "limit", "count", "age", "frequency", "weight", "lab")


@dataclass
class _Node:
    node: Criterion
    statement: str  # the statement's text
    parent: Criterion | None
    position: int
    negated: bool  # under an odd number of `none` lists


def coverage_changes(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    yield from _statements(old, new)
    before, after = _nodes(old), _nodes(new)
    pairs = _match(before, after)
    matched_old = {id(p[0]) for p in pairs}
    matched_new = {id(p[1]) for p in pairs}
    reordered = _reordered(pairs)
    partner = {id(a.node): b.node for a, b in pairs}
    for a, b in pairs:
        moved = a.parent is not None and partner.get(id(a.parent)) is not b.parent
        yield from _node_changes(a, b, moved, id(a) in reordered)
    parents = {id(n.node): n for n in [*before, *after]}
    for a in before:
        if id(a) not in matched_old and a.parent is not None:
            place = partner.get(id(a.parent))
            yield _added_or_removed(a, parents[id(a.parent)], "removed",
                                    place.id if place is not None else None)
    for b in after:
        if id(b) not in matched_new and b.parent is not None:
            yield _added_or_removed(b, parents[id(b.parent)], "added", b.node.id)


def _nodes(rules: RuleSet) -> list[_Node]:
    found: list[_Node] = []

    def walk(node: Criterion, statement: str, parent: Criterion | None, position: int,
             negated: bool) -> None:
        found.append(_Node(node, statement, parent, position, negated))
        for i, child in enumerate(node.children):
            walk(child, statement, node, i, negated != (node.op == "none"))

    for s in rules.coverage:
        if s.criteria is not None:
            walk(s.criteria, s.text, None, 0, False)
    return found


def similarity(a: str, b: str) -> float:
    """How alike two texts are, by words; a text kept whole inside a longer one scores high."""
    return _word_similarity(normalize(a).split(), normalize(b).split())


def _word_similarity(x: list[str], y: list[str]) -> float:
    if not x or not y:
        return 0.0
    if max(len(x), len(y)) > MAX_REDLINE_WORDS:  # words in common, counted in linear time
        kept = sum((Counter(x) & Counter(y)).values())
        return max(2 * kept / (len(x) + len(y)), 0.75 * kept / min(len(x), len(y)))
    matcher = difflib.SequenceMatcher(a=x, b=y, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return max(matcher.ratio(), 0.75 * kept / min(len(x), len(y)))


def _match(before: list[_Node], after: list[_Node]) -> list[tuple[_Node, _Node]]:
    """Pairs of the same criterion: by id, then by equal text, then by similar text."""
    pairs: list[tuple[_Node, _Node]] = []
    taken: set[int] = set()  # indexes into after
    left = list(range(len(before)))
    for key in (lambda n: n.node.id, lambda n: normalize(n.node.text)):
        index: dict[str, list[int]] = {}
        for j in reversed(range(len(after))):
            if j not in taken:
                index.setdefault(key(after[j]), []).append(j)
        rest: list[int] = []
        for i in left:
            candidates = index.get(key(before[i]))
            if candidates:
                j = candidates.pop()  # the first in document order
                pairs.append((before[i], after[j]))
                taken.add(j)
            else:
                rest.append(i)
        left = rest
    return pairs + _similar_pairs([before[i] for i in left],
                                  [after[j] for j in range(len(after)) if j not in taken])


def _similar_pairs(left: list[_Node], right: list[_Node]) -> list[tuple[_Node, _Node]]:
    """Rewordings: each left criterion paired with the most similar one left on the right.

    A rewording stays in its statement (across statements only when few are left), and is
    looked for among the MAX_SIMILAR_CANDIDATES criteria nearest its place: comparing every
    pair in a statement of thousands of criteria would take hours.
    """
    by_statement: dict[str, list[int]] = {}  # free indexes into right, ascending
    for j, b in enumerate(right):
        by_statement.setdefault(normalize(b.statement), []).append(j)
    free = set(range(len(right)))
    words = [normalize(b.node.text).split() for b in right]
    pairs: list[tuple[_Node, _Node]] = []
    for place, a in enumerate(left):
        same = by_statement.get(normalize(a.statement), [])
        pool = _nearest(same, place * len(right) // len(left)) if same else (
            sorted(free) if len(right) <= SIMILAR_SEARCH else [])
        mine = normalize(a.node.text).split()
        scored = [(_word_similarity(mine, words[j]), j) for j in pool
                  if bool(a.node.children) == bool(right[j].node.children)]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR:
            j = best[1]
            pairs.append((a, right[j]))
            free.discard(j)
            siblings = by_statement[normalize(right[j].statement)]
            del siblings[bisect.bisect_left(siblings, j)]
    return pairs


def _nearest(pool: list[int], place: int) -> list[int]:
    """At most MAX_SIMILAR_CANDIDATES of the ascending pool, those nearest place."""
    if len(pool) <= MAX_SIMILAR_CANDIDATES:
        return pool
    start = max(0, bisect.bisect_left(pool, place) - MAX_SIMILAR_CANDIDATES // 2)
    start = min(start, len(pool) - MAX_SIMILAR_CANDIDATES)
    return pool[start:start + MAX_SIMILAR_CANDIDATES]


def _reordered(pairs: list[tuple[_Node, _Node]]) -> set[int]:
    """The criteria printed in another order among their siblings: those off the longest run
    of siblings kept in order."""
    by_parent: dict[tuple[int, int], list[tuple[_Node, _Node]]] = {}
    for a, b in pairs:
        if a.parent is not None and b.parent is not None:
            by_parent.setdefault((id(a.parent), id(b.parent)), []).append((a, b))
    moved: set[int] = set()
    for siblings in by_parent.values():
        old_order = sorted(siblings, key=lambda p: p[0].position)
        new_rank = {id(p[0]): p[1].position for p in siblings}
        kept = _increasing([new_rank[id(p[0])] for p in old_order])
        moved.update(id(p[0]) for i, p in enumerate(old_order) if i not in kept)
    return moved


def _increasing(values: list[int]) -> set[int]:
    """Indexes of a longest strictly increasing subsequence, in O(n log n) (patience sorting:
    ends[k] is the index of the smallest value that ends an increasing run of length k + 1)."""
    ends: list[int] = []
    end_values: list[int] = []
    previous = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(end_values, v)
        previous[i] = ends[k - 1] if k else -1
        if k == len(ends):
            ends.append(i)
            end_values.append(v)
        else:
            ends[k], end_values[k] = i, v
    kept: set[int] = set()
    i = ends[-1] if ends else -1
    while i >= 0:
        kept.add(i)
        i = previous[i]
    return kept


def _where(n: _Node) -> str:
    return n.statement if n.parent is None else f"{n.statement} › {n.parent.text}"


def _node_changes(a: _Node, b: _Node, parent_moved: bool, reordered: bool) -> Iterator[Change]:
    old, new = a.node, b.node
    found: list[Change] = []
    if (old.op, old.min) != (new.op, new.min) and old.children and new.children:
        found.append(Change(area="coverage", kind="operator_changed", where="", old=_op(old),
                            new=_op(new), severity=severity(
                                "operator", _operator_event(old, new), b.negated)))
    if parent_moved or reordered:
        found.append(Change(area="coverage", kind="moved", where="", old=_where(a),
                            new=_where(b), severity=severity(
                                "criterion", "moved" if parent_moved else "reordered")))
    if old.text != new.text:
        found.append(_text_changed(old, new, b.negated))
    at = {"where": _where(b), "page": new.provenance.page, "criterion": new.id}
    yield from (change.model_copy(update=at) for change in found)


def _text_changed(old: Criterion, new: Criterion, negated: bool) -> Change:
    """A criterion's words changed: a bound, a drug, a clause, or the wording."""
    runs = redline(old.text, new.text)
    thresholds = _thresholds(old.entities, new.entities)
    if thresholds:
        return Change(area="coverage", kind="threshold_changed", where="", redline=runs,
                      old=old.text, new=new.text, severity=strongest(
                          [severity("threshold", t, negated) for t in thresholds]))
    events = [*_drug_events(old.entities, new.entities),
              *(hunk_event(h) for h in redline_to_hunks(runs))]
    top, note = _judge(events, negated)
    return Change(area="coverage", kind="modified", severity=top, where="", old=old.text,
                  new=new.text, redline=runs, note=note)


def _judge(events: list[tuple[str, str]], negated: bool) -> tuple[Severity, str | None]:
    """The strongest severity of some events, and the event that gave it (but for rewording)."""
    judged = [(severity(subject, event, negated), f"{subject} {event}")
              for subject, event in events]
    top = strongest([s for s, _ in judged])
    return top, next((n for s, n in judged if s == top and s not in ("minor", "cosmetic")), None)


def _drug_events(old: list[Entity], new: list[Entity]) -> list[tuple[str, str]]:
    def names(entities: list[Entity]) -> set[str]:
        return {normalize(e.text) for e in entities if e.label == "drug"}

    a, b = names(old), names(new)
    return [("drug", "added")] * bool(b - a) + [("drug", "removed")] * bool(a - b)


def _op(node: Criterion) -> str:
    if node.op == "at_least":
        return f"at least {node.min}"
    return "none of" if node.op == "none" else str(node.op)


def _strictness(node: Criterion) -> float:
    """How many children must hold: all = n, any = 1."""
    n = len(node.children)
    return {"all": n, "any": 1}.get(node.op or "all", node.min or 1)


def _operator_event(old: Criterion, new: Criterion) -> str:
    if "none" in (old.op, new.op):
        return "negated"
    return "stricter" if _strictness(new) > _strictness(old) else "looser"


def _thresholds(old: list[Entity], new: list[Entity]) -> list[str]:
    """For each bound whose number changed: tightened, loosened, or changed."""
    found: list[str] = []
    a = [e for e in old if e.label in BOUNDED and e.value is not None]
    b = [e for e in new if e.label in BOUNDED and e.value is not None]
    for x, y in zip(a, b, strict=False):
        if x.label != y.label or x.value == y.value:
            continue
        assert x.value is not None and y.value is not None
        direction = (1 if y.value > x.value else -1) * TIGHTER.get(x.comparator or "", 0)
        found.append({1: "tightened", -1: "loosened"}.get(direction, "changed"))
    return found


def _added_or_removed(n: _Node, parent: _Node, kind: Literal["added", "removed"],
                      at: str | None) -> Change:
    op = parent.node.op or "all"
    return Change(area="coverage", kind=kind, severity=severity(op, kind, parent.negated),
                  where=_where(n), old=n.node.text if kind == "removed" else None,
                  new=n.node.text if kind == "added" else None, page=n.node.provenance.page,
                  criterion=at)


def _statements(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    a = {_statement_key(s): s for s in old.coverage}
    b = {_statement_key(s): s for s in new.coverage}
    for key, s in b.items():
        if key in a and a[key].kind != s.kind:
            event = "now unproven" if s.kind == "unproven" else "now proven"
            yield Change(area="coverage", kind="modified", severity=severity("statement", event),
                         where=_heading(s), old=f"{a[key].kind}: {a[key].text}",
                         new=f"{s.kind}: {s.text}", page=s.provenance.page)
    gone = [s for k, s in a.items() if k not in b]
    came = [s for k, s in b.items() if k not in a]
    for s in list(gone):
        twin = max(came, key=lambda t: similarity(s.text, t.text), default=None)
        if twin is not None and similarity(s.text, twin.text) >= SIMILAR:
            gone.remove(s)
            came.remove(twin)
            yield from _reworded_statement(s, twin)
    for s in gone:
        yield Change(area="coverage", kind="removed", where=_heading(s), old=s.text,
                     severity=_statement_severity(s, "removed"), page=s.provenance.page)
    for s in came:
        yield Change(area="coverage", kind="added", where=_heading(s), new=s.text,
                     severity=_statement_severity(s, "added"), page=s.provenance.page)


def _reworded_statement(old: CoverageStatement, new: CoverageStatement) -> Iterator[Change]:
    """A statement's words changed: judged as a criterion's are, turned around when unproven."""
    if old.text == new.text:
        return
    runs = redline(old.text, new.text)
    top, note = _judge([hunk_event(h) for h in redline_to_hunks(runs)], new.kind == "unproven")
    yield Change(area="coverage", kind="modified", where=_heading(new), old=old.text,
                 new=new.text, redline=runs, page=new.provenance.page, severity=top, note=note)


def _statement_severity(s: CoverageStatement, kind: str) -> Severity:
    subject = s.kind if s.kind in ("proven", "unproven") else "other"
    return severity(f"{subject} statement", kind)


def _statement_key(s: CoverageStatement) -> str:
    return normalize(s.text) + "\x1f" + "/".join(s.heading_path)


def _heading(s: CoverageStatement) -> str:
    return " › ".join(s.heading_path) or "Coverage"
