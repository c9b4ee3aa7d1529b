"""Two rule files → the structural changes between them, each with a severity.

Criteria are matched by id, then by equal text anywhere in the document (a move), then by
similarity (a rewording); codes by system and code; drugs by generic name; sections by title.
A change's severity follows its meaning for coverage: "breaking" when coverage can narrow,
"material" when it widens or changes substance otherwise, "minor" for rewording and
"cosmetic" for whitespace, punctuation, trademark marks, case and reflow.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from extractor.model import Criterion, Entity, Model, RevisionEntry, RuleSet
from extractor.text import normalize

Area = Literal["metadata", "coverage", "drugs", "codes", "revision_history", "text"]
Kind = Literal["added", "removed", "modified", "moved", "operator_changed", "threshold_changed"]
Severity = Literal["breaking", "material", "minor", "cosmetic"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "material", "minor", "cosmetic")
SIMILAR = 0.6
SIMILAR_SEARCH = 300
# changes every revision makes, which the revision history does not list
UNDOCUMENTED_AREAS = ("metadata", "revision_history")
AREA_SECTIONS = {"coverage": r"Coverage Rationale", "drugs": r"Coverage Rationale",
                 "codes": r"Applicable Codes|Coding"}
# a tighter bound narrows coverage: a higher minimum, a lower maximum
TIGHTER = {">=": 1, ">": 1, "<=": -1, "<": -1}


class Redline(Model):
    """One run of a word-level comparison: kept, removed (old only) or inserted (new only)."""

    op: Literal["equal", "delete", "insert"]
    text: str


class Change(Model):
    area: Area
    kind: Kind
    severity: Severity
    where: str = Field(description="the statement, section or table the change is in")
    old: Any = None
    new: Any = None
    redline: list[Redline] = Field(default_factory=list)
    page: int | None = Field(default=None, description="page of the new version (old if removed)")
    documented_by: str | None = Field(
        default=None, description="date of the new version's revision entry documenting it")
    criterion: str | None = Field(
        default=None, description="id of the new version's criterion the change is at; for a "
        "removed criterion, the criterion it was removed from")


class Claim(Model):
    """What a new revision entry says changed, with no change found to match it."""

    date: str
    section: str | None
    item: str


class ChangeSet(Model):
    old: str = Field(description="policy number and effective date of the old version")
    new: str
    summary: dict[str, dict[str, int]] = Field(
        description="counts of changes by area and severity")
    changes: list[Change]
    undocumented: list[int] = Field(
        default=[], description="indexes of the changes above cosmetic that no new revision "
        "entry documents")
    unmatched_claims: list[Claim] = Field(
        default=[], description="revision-history items with no matching change")

    @property
    def above_cosmetic(self) -> bool:
        return any(c.severity != "cosmetic" for c in self.changes)


def diff(old: RuleSet, new: RuleSet) -> ChangeSet:
    """Every change from old to new, in document order by area."""
    changes = [
        *_metadata(old, new),
        *_coverage(old, new),
        *_drugs(old, new),
        *_codes(old, new),
        *_history(old, new),
        *_sections(old, new),
    ]
    entries = [e for e in new.revision_history if _entry_key(e) not in
               {_entry_key(x) for x in old.revision_history}]
    changes, claims = _cross_check(changes, entries)
    undocumented = [i for i, c in enumerate(changes) if c.severity != "cosmetic"
                    and c.documented_by is None and c.area not in UNDOCUMENTED_AREAS]
    return ChangeSet(old=_label(old), new=_label(new), summary=_summary(changes),
                     changes=changes, undocumented=undocumented, unmatched_claims=claims)


def _label(rules: RuleSet) -> str:
    return f"{rules.policy.number or rules.source.file} ({rules.policy.effective_date or '?'})"


def _summary(changes: list[Change]) -> dict[str, dict[str, int]]:
    counts = Counter((c.area, c.severity) for c in changes)
    areas = sorted({c.area for c in changes})
    return {a: {s: counts[(a, s)] for s in SEVERITIES if counts[(a, s)]} for a in areas}


def redline(old: str, new: str) -> list[Redline]:
    """Word-level comparison of two texts."""
    a, b = old.split(), new.split()
    runs: list[Redline] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            runs.append(Redline(op="equal" if op == "equal" else "delete",
                                text=" ".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            runs.append(Redline(op="insert", text=" ".join(b[j1:j2])))
    return runs


def _similarity(a: str, b: str) -> float:
    """How alike two texts are, by words; a text kept whole inside a longer one scores high."""
    x, y = normalize(a).split(), normalize(b).split()
    if not x or not y:
        return 0.0
    matcher = difflib.SequenceMatcher(a=x, b=y, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return max(matcher.ratio(), 0.75 * kept / min(len(x), len(y)))


def _text_change(area: Area, where: str, old: str, new: str, page: int | None) -> Change | None:
    if old == new:
        return None
    severity: Severity = "cosmetic" if normalize(old) == normalize(new) else "minor"
    return Change(area=area, kind="modified", severity=severity, where=where, old=old, new=new,
                  redline=redline(old, new), page=page)


# --- metadata -----------------------------------------------------------------------------

def _metadata(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    for name in ("number", "title", "effective_date", "line_of_business", "policy_type"):
        a, b = getattr(old.policy, name), getattr(new.policy, name)
        if a != b:
            severity: Severity = "cosmetic" if normalize(a or "") == normalize(
                b or "") else "minor"
            yield Change(area="metadata", kind="modified", severity=severity, where=name,
                         old=a, new=b, page=1)


# --- coverage -----------------------------------------------------------------------------

@dataclass
class _Node:
    node: Criterion
    statement: str  # the statement's text
    parent: Criterion | None
    position: int


def _nodes(rules: RuleSet) -> list[_Node]:
    found: list[_Node] = []

    def walk(node: Criterion, statement: str, parent: Criterion | None, position: int) -> None:
        found.append(_Node(node, statement, parent, position))
        for i, child in enumerate(node.children):
            walk(child, statement, node, i)

    for s in rules.coverage:
        if s.criteria is not None:
            walk(s.criteria, s.text, None, 0)
    return found


def _coverage(old: RuleSet, new: RuleSet) -> Iterator[Change]:
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
    for a in before:
        if id(a) not in matched_old and a.parent is not None:
            place = partner.get(id(a.parent))
            yield _added_or_removed(a, "removed", place.id if place is not None else None)
    for b in after:
        if id(b) not in matched_new and b.parent is not None:
            yield _added_or_removed(b, "added", b.node.id)


def _match(before: list[_Node], after: list[_Node]) -> list[tuple[_Node, _Node]]:
    """Pairs of the same criterion: by id, then by equal text, then by similar text."""
    pairs: list[tuple[_Node, _Node]] = []
    left = list(before)
    right = list(after)
    for key in (lambda n: n.node.id, lambda n: normalize(n.node.text)):
        index: dict[str, list[_Node]] = {}
        for b in right:
            index.setdefault(key(b), []).append(b)
        rest: list[_Node] = []
        for a in left:
            candidates = index.get(key(a))
            if candidates:
                b = candidates.pop(0)
                pairs.append((a, b))
                right.remove(b)
            else:
                rest.append(a)
        left = rest
    for a in left:
        # a rewording stays in its statement; across statements only when few are left
        same = [i for i, b in enumerate(right)
                if normalize(b.statement) == normalize(a.statement)]
        pool = same or (list(range(len(right))) if len(right) <= SIMILAR_SEARCH else [])
        scored = [(_similarity(a.node.text, right[i].node.text), i) for i in pool
                  if bool(a.node.children) == bool(right[i].node.children)]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR:
            pairs.append((a, right.pop(best[1])))
    return pairs


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
        ranks = [new_rank[id(p[0])] for p in old_order]
        kept = _increasing(ranks)
        moved.update(id(p[0]) for i, p in enumerate(old_order) if i not in kept)
    return moved


def _increasing(values: list[int]) -> set[int]:
    """Indexes of a longest strictly increasing subsequence."""
    best: list[list[int]] = []
    for i, v in enumerate(values):
        longest: list[int] = []
        for chain in best:
            if values[chain[-1]] < v and len(chain) > len(longest):
                longest = chain
        best.append([*longest, i])
    kept: list[int] = []
    for chain in best:
        if len(chain) > len(kept):
            kept = chain
    return set(kept)


def _where(n: _Node) -> str:
    return n.statement if n.parent is None else f"{n.statement} › {n.parent.text}"


def _node_changes(a: _Node, b: _Node, parent_moved: bool, reordered: bool) -> Iterator[Change]:
    old, new = a.node, b.node
    where = _where(b)
    if (old.op, old.min) != (new.op, new.min) and old.children and new.children:
        yield Change(area="coverage", kind="operator_changed", where=where,
                     severity=_operator_severity(old, new), old=_op(old), new=_op(new),
                     page=new.provenance.page, criterion=new.id)
    if parent_moved or reordered:
        yield Change(area="coverage", kind="moved", severity="material" if parent_moved
                     else "minor", where=where, old=_where(a), new=where,
                     page=new.provenance.page, criterion=new.id)
    if old.text == new.text:
        return
    thresholds = _thresholds(old.entities, new.entities)
    if thresholds:
        yield Change(area="coverage", kind="threshold_changed", where=where,
                     severity="breaking" if any(t < 0 for t in thresholds) else "material",
                     old=old.text, new=new.text, redline=redline(old.text, new.text),
                     page=new.provenance.page, criterion=new.id)
        return
    change = _text_change("coverage", where, old.text, new.text, new.provenance.page)
    if change is not None:
        yield change.model_copy(update={"criterion": new.id})


def _op(node: Criterion) -> str:
    if node.op == "at_least":
        return f"at least {node.min}"
    return "none of" if node.op == "none" else str(node.op)


def _strictness(node: Criterion) -> float:
    """How many children must hold: all = n, any = 1."""
    n = len(node.children)
    return {"all": n, "any": 1}.get(node.op or "all", node.min or 1)


def _operator_severity(old: Criterion, new: Criterion) -> Severity:
    if "none" in (old.op, new.op):
        return "breaking"  # a list negated or no longer negated turns its meaning around
    return "breaking" if _strictness(new) > _strictness(old) else "material"


def _thresholds(old: list[Entity], new: list[Entity]) -> list[int]:
    """For each bound whose number changed: -1 if coverage narrows, +1 if it widens, 0 else."""
    found: list[int] = []
    bounded = ("duration", "dose", "limit", "count", "age", "frequency", "weight", "lab")
    a = [e for e in old if e.label in bounded and e.value is not None]
    b = [e for e in new if e.label in bounded and e.value is not None]
    for x, y in zip(a, b, strict=False):
        if x.label != y.label or x.value == y.value:
            continue
        assert x.value is not None and y.value is not None
        sign = TIGHTER.get(x.comparator or "", 0)
        direction = (1 if y.value > x.value else -1) * sign
        # a higher minimum or a lower maximum narrows coverage (-1); age and limits alike
        found.append(-1 if direction > 0 else (1 if direction < 0 else 0))
    return found


def _added_or_removed(n: _Node, kind: Literal["added", "removed"], at: str | None) -> Change:
    op = n.parent.op if n.parent is not None else None
    # a criterion added to an all-of or a none-of, or an option removed from an any-of or an
    # at-least-N, narrows coverage
    narrows = (kind == "added") == (op in ("all", "none"))
    return Change(area="coverage", kind=kind, severity="breaking" if narrows else "material",
                  where=_where(n), old=n.node.text if kind == "removed" else None,
                  new=n.node.text if kind == "added" else None, page=n.node.provenance.page,
                  criterion=at)


def _statements(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    a = {normalize(s.text) + "\x1f" + "/".join(s.heading_path): s for s in old.coverage}
    b = {normalize(s.text) + "\x1f" + "/".join(s.heading_path): s for s in new.coverage}
    for key, s in b.items():
        if key in a and a[key].kind != s.kind:
            narrows = s.kind == "unproven"
            yield Change(area="coverage", kind="modified", severity="breaking" if narrows
                         else "material", where=" › ".join(s.heading_path) or "Coverage",
                         old=f"{a[key].kind}: {a[key].text}", new=f"{s.kind}: {s.text}",
                         page=s.provenance.page)
    gone = [s for k, s in a.items() if k not in b]
    came = [s for k, s in b.items() if k not in a]
    for s in list(gone):
        twin = max(came, key=lambda t: _similarity(s.text, t.text), default=None)
        if twin is not None and _similarity(s.text, twin.text) >= SIMILAR:
            gone.remove(s)
            came.remove(twin)
            change = _text_change("coverage", " › ".join(twin.heading_path) or "Coverage",
                                  s.text, twin.text, twin.provenance.page)
            if change is not None:
                yield change
    for s in gone:
        yield Change(area="coverage", kind="removed", where=" › ".join(s.heading_path)
                     or "Coverage", severity="breaking" if s.kind == "proven" else "material",
                     old=s.text, page=s.provenance.page)
    for s in came:
        yield Change(area="coverage", kind="added", where=" › ".join(s.heading_path)
                     or "Coverage", severity="breaking" if s.kind == "unproven" else "material",
                     new=s.text, page=s.provenance.page)


# --- drugs, codes, history, text -------------------------------------------------------------

def _drugs(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    a = {normalize(d.name): d for d in old.drugs}
    b = {normalize(d.name): d for d in new.drugs}
    for key, d in a.items():
        if key not in b:
            yield Change(area="drugs", kind="removed", severity="breaking", where=d.name,
                         old=d.model_dump(mode="json"), page=d.provenance.page)
        else:
            lost = sorted(set(d.brands) - set(b[key].brands))
            won = sorted(set(b[key].brands) - set(d.brands))
            if lost or won:
                yield Change(area="drugs", kind="modified", where=d.name,
                             severity="breaking" if lost else "material",
                             old=d.brands, new=b[key].brands, page=b[key].provenance.page)
    for key, d in b.items():
        if key not in a:
            yield Change(area="drugs", kind="added", severity="material", where=d.name,
                         new=d.model_dump(mode="json"), page=d.provenance.page)


def _codes(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    a = {(c.system, c.code): c for c in old.codes}
    b = {(c.system, c.code): c for c in new.codes}
    for key, c in a.items():
        if key not in b:
            yield Change(area="codes", kind="removed", severity="breaking", where=c.table,
                         old=c.model_dump(mode="json"), page=c.page)
        elif c.description != b[key].description:
            change = _text_change("codes", f"{c.system} {c.code}", c.description,
                                  b[key].description, b[key].page)
            if change is not None:
                yield change.model_copy(update={"old": c.model_dump(mode="json"),
                                                "new": b[key].model_dump(mode="json")})
    for key, c in b.items():
        if key not in a:
            yield Change(area="codes", kind="added", severity="material", where=c.table,
                         new=c.model_dump(mode="json"), page=c.page)


def _entry_key(e: RevisionEntry) -> tuple[str, str]:
    return e.date_text, normalize(str(e.changes))


def _history(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    known = {_entry_key(e) for e in old.revision_history}
    for e in new.revision_history:
        if _entry_key(e) not in known:
            yield Change(area="revision_history", kind="added", severity="minor",
                         where=e.date_text, new=e.model_dump(mode="json"),
                         page=e.provenance.page)


def _sections(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    """The sections other than the rules, compared as text."""
    skip = re.compile(r"^(Coverage Rationale|Applicable Codes|Policy History)", re.I)
    a = {normalize(s.title): s for s in old.sections if not skip.match(s.title)}
    b = {normalize(s.title): s for s in new.sections if not skip.match(s.title)}
    for key, s in b.items():
        if key not in a:
            yield Change(area="text", kind="added", severity="minor", where=s.title,
                         new=s.text, page=s.page)
            continue
        change = _text_change("text", s.title, a[key].text, s.text, s.page)
        if change is not None:
            yield change
    for key, s in a.items():
        if key not in b:
            yield Change(area="text", kind="removed", severity="minor", where=s.title,
                         old=s.text, page=s.page)


# --- revision-history cross-check --------------------------------------------------------------

def _cross_check(changes: list[Change], entries: list[RevisionEntry]
                 ) -> tuple[list[Change], list[Claim]]:
    """Link each change to the new revision entry that documents it; list the claims left over.

    An entry documents a change when it names the change's section ("Coverage Rationale",
    "Applicable Codes", "Background"), or a code or drug the change is about.
    """
    claims = [(e, rc.section, item) for e in entries for rc in e.changes for item in rc.items]
    used: set[int] = set()
    linked: list[Change] = []
    for change in changes:
        if change.severity == "cosmetic" or change.area in UNDOCUMENTED_AREAS:
            linked.append(change)
            continue
        hits = [i for i, (_, section, item) in enumerate(claims)
                if _documents(change, section, item)]
        used.update(hits)
        date = (claims[hits[0]][0].date or claims[hits[0]][0].date_text) if hits else None
        linked.append(change.model_copy(update={"documented_by": date}))
    left = [Claim(date=e.date_text, section=section, item=item)
            for i, (e, section, item) in enumerate(claims)
            if i not in used and not ARCHIVED_ITEM.search(item)]
    return linked, left


ARCHIVED_ITEM = re.compile(r"^Archived previous policy version", re.I)


def _documents(change: Change, section: str | None, item: str) -> bool:
    names = _names(change)
    text = normalize(item)
    if any(n and re.search(rf"\b{re.escape(n)}\b", text) for n in names):
        return True
    pattern = AREA_SECTIONS.get(change.area)
    where = section or ""
    if pattern and re.search(pattern, where, re.I):
        return True
    if change.area == "text":
        title = normalize(change.where)
        return normalize(where) == title or bool(title and title in text)
    return False


def _names(change: Change) -> list[str]:
    """The codes and drugs a change is about, as they would be written in a revision note."""
    found: list[str] = []
    for value in (change.old, change.new):
        if isinstance(value, dict):
            for key in ("code", "name"):
                if isinstance(value.get(key), str):
                    found.append(normalize(value[key]))
            found += [normalize(b) for b in value.get("brands", []) if isinstance(b, str)]
    return found
