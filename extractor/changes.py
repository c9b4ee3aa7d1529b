"""The ChangeSet: what changed from one version of a policy to the next, as written to JSON."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from extractor.limits import MAX_REDLINE_WORDS
from extractor.model import Model
from extractor.text import normalize

Area = Literal["metadata", "coverage", "drugs", "codes", "revision_history", "text"]
Kind = Literal["added", "removed", "modified", "moved", "operator_changed", "threshold_changed",
               "split", "replaced"]
Severity = Literal["breaking", "material", "minor", "cosmetic"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "material", "minor", "cosmetic")
# the words a reader sees for each area, in the order a report lists them
AREA_LABELS: dict[str, str] = {
    "coverage": "Coverage criteria", "drugs": "Drugs", "codes": "Applicable codes",
    "text": "Other sections", "metadata": "Policy details", "revision_history": "Revision history",
}
# superscript numbers after a sentence or a word of three letters or more: footnote references
# (not after a number or a unit: 10⁹/L, cm², mm³)
FOOTNOTE_MARKS = re.compile(r"(?:(?<=[.,;:)\]])|(?<=[a-z]{3}))[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


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
    note: str | None = Field(
        default=None, description="why the change has its severity, where the kind alone does "
        "not say (\"code-set update\", \"clause removed\", …)")


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
    warnings: list[str] = Field(
        default=[], description="why the two versions may not be comparable (two different "
        "policies, or the newer one given first)")

    @property
    def above_cosmetic(self) -> bool:
        return any(c.severity != "cosmetic" for c in self.changes)


def redline(old: str, new: str) -> list[Redline]:
    """Word-level comparison of two texts."""
    a, b = old.split(), new.split()
    if max(len(a), len(b)) > MAX_REDLINE_WORDS:
        return _long_redline(a, b)
    runs: list[Redline] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            runs.append(Redline(op="equal" if op == "equal" else "delete",
                                text=" ".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            runs.append(Redline(op="insert", text=" ".join(b[j1:j2])))
    return runs


def _long_redline(a: list[str], b: list[str]) -> list[Redline]:
    """The redline of texts past MAX_REDLINE_WORDS, in linear time: the words kept at both
    ends, and what lies between them deleted and inserted whole (a word-level comparison of
    long texts is quadratic)."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    parts = [("equal", a[:head]), ("delete", a[head:len(a) - tail]),
             ("insert", b[head:len(b) - tail]), ("equal", a[len(a) - tail:])]
    return [Redline(op=op, text=" ".join(words)) for op, words in parts  # type: ignore[arg-type]
            if words]


@dataclass(frozen=True)
class Hunk:
    """One place where the words differ: what was removed and what was inserted there."""

    removed: str
    inserted: str

    @property
    def cosmetic(self) -> bool:
        """Only spacing, hyphenation, punctuation, case, marks or footnote numbers differ."""
        return _bare(self.removed) == _bare(self.inserted)


def _bare(text: str) -> str:
    """Text without anything a cosmetic change touches: "μ g" and "μg", "pancytopenia.⁷" and
    "pancytopenia." are the same."""
    return "".join(normalize(FOOTNOTE_MARKS.sub("", text)).split())


def redline_to_hunks(runs: list[Redline]) -> list[Hunk]:
    """The runs between two kept runs, each pair of removed and inserted words as one hunk."""
    hunks: list[Hunk] = []
    removed: list[str] = []
    inserted: list[str] = []
    for run in [*runs, Redline(op="equal", text="")]:
        if run.op != "equal":
            (removed if run.op == "delete" else inserted).append(run.text)
        elif removed or inserted:
            hunks.append(Hunk(" ".join(removed), " ".join(inserted)))
            removed, inserted = [], []
    return hunks
