"""Each change linked to the new revision entry that documents it, and the claims left over."""

from __future__ import annotations

import re

from extractor.changes import Change, Claim
from extractor.model import RevisionEntry
from extractor.text import normalize

# changes every revision makes, which the revision history does not list
UNDOCUMENTED_AREAS = ("metadata", "revision_history")
AREA_SECTIONS = {"coverage": r"Coverage Rationale", "drugs": r"Coverage Rationale",
                 "codes": r"Applicable Codes|Coding"}
ARCHIVED_ITEM = re.compile(r"^Archived previous policy version", re.I)


def cross_check(changes: list[Change], entries: list[RevisionEntry]
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


def undocumented(changes: list[Change]) -> list[int]:
    """Indexes of the changes above cosmetic that no revision entry documents."""
    return [i for i, c in enumerate(changes) if c.severity != "cosmetic"
            and c.documented_by is None and c.area not in UNDOCUMENTED_AREAS]


def _documents(change: Change, section: str | None, item: str) -> bool:
    text = normalize(item)
    if any(n and re.search(rf"\b{re.escape(n)}\b", text) for n in _names(change)):
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
    values: list[object] = [change.old, change.new]
    for value in (change.old, change.new):
        if isinstance(value, list):
            values += value
    found: list[str] = []
    for value in values:
        if isinstance(value, dict):
            for key in ("code", "name"):
                if isinstance(value.get(key), str):
                    found.append(normalize(value[key]))
            found += [normalize(b) for b in value.get("brands", []) if isinstance(b, str)]
    return found
