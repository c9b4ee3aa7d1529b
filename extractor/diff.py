"""Two rule files → the structural changes between them, each with a severity.

Criteria are compared in coverage_diff.py, code tables in codesets.py, and every change is
judged by the one table of rules in severity.py: "breaking" when coverage can narrow,
"material" when it widens or changes substance otherwise, "minor" for rewording and code-set
updates that keep coverage, "cosmetic" for spacing, hyphenation, punctuation, marks and case.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator

from extractor.changes import (
    SEVERITIES,
    Change,
    ChangeSet,
    Claim,
    Redline,
    Severity,
    redline,
    redline_to_hunks,
)
from extractor.codesets import code_changes
from extractor.coverage_diff import coverage_changes
from extractor.crosscheck import cross_check, undocumented
from extractor.identity import comparability_warnings
from extractor.model import RevisionEntry, RuleSet, Section
from extractor.severity import severity
from extractor.text import normalize

__all__ = ["SEVERITIES", "Change", "ChangeSet", "Claim", "Redline", "Severity", "diff",
           "reaches", "redline"]
# the sections compared as rules elsewhere, not as text
RULE_SECTIONS = re.compile(r"^(Coverage Rationale|Applicable Codes|Policy History)", re.I)
# the share of a new section's words the old version printed within another section
SECTION_KEPT = 0.9
# the policy fields compared, with the words a report uses for them
METADATA_FIELDS = {"number": "policy number", "title": "title", "effective_date": "effective date",
                   "line_of_business": "line of business", "policy_type": "policy type"}


def diff(old: RuleSet, new: RuleSet) -> ChangeSet:
    """Every change from old to new, in document order by area."""
    entries = _new_entries(old, new)
    changes = [
        *_metadata(old, new),
        *coverage_changes(old, new),
        *_drugs(old, new),
        *code_changes(old.codes, new.codes, entries),
        *_history(entries),
        *_sections(old, new),
    ]
    changes, claims = cross_check(changes, entries)
    return ChangeSet(old=_label(old), new=_label(new), summary=_summary(changes),
                     changes=changes, undocumented=undocumented(changes),
                     unmatched_claims=claims, warnings=comparability_warnings(old, new))


def reaches(changes: ChangeSet, level: Severity) -> bool:
    """Whether a change of this severity or above is in the set."""
    return any(SEVERITIES.index(c.severity) <= SEVERITIES.index(level) for c in changes.changes)


def _label(rules: RuleSet) -> str:
    return f"{rules.policy.number or rules.source.file} ({rules.policy.effective_date or '?'})"


def _summary(changes: list[Change]) -> dict[str, dict[str, int]]:
    counts = Counter((c.area, c.severity) for c in changes)
    areas = sorted({c.area for c in changes})
    return {a: {s: counts[(a, s)] for s in SEVERITIES if counts[(a, s)]} for a in areas}


def _reworded_section(title: str, old: str, new: str, page: int) -> Iterator[Change]:
    if old == new:
        return
    runs = redline(old, new)
    cosmetic = all(h.cosmetic for h in redline_to_hunks(runs))
    yield Change(area="text", kind="modified", where=title, old=old, new=new, redline=runs,
                 page=page, severity=severity("words" if cosmetic else "section",
                                              "respaced" if cosmetic else "reworded"))


def _metadata(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    for name, label in METADATA_FIELDS.items():
        a, b = getattr(old.policy, name), getattr(new.policy, name)
        if a == b:
            continue
        event = "read from one version only" if a is None or b is None else (
            "respaced" if normalize(a) == normalize(b) else "changed")
        yield Change(area="metadata", kind="modified", where=label, old=a, new=b, page=1,
                     severity=severity("words" if event == "respaced" else "metadata", event))


def _drugs(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    a = {normalize(d.name): d for d in old.drugs}
    b = {normalize(d.name): d for d in new.drugs}
    for key, d in a.items():
        if key not in b:
            yield Change(area="drugs", kind="removed", severity=severity("drug", "removed"),
                         where=d.name, old=d.model_dump(mode="json"), page=d.provenance.page)
            continue
        lost = sorted(set(d.brands) - set(b[key].brands))
        won = sorted(set(b[key].brands) - set(d.brands))
        if lost or won:
            yield Change(area="drugs", kind="modified", where=d.name,
                         severity=severity("brand", "removed" if lost else "added"),
                         old=d.brands, new=b[key].brands, page=b[key].provenance.page)
    for key, d in b.items():
        if key not in a:
            yield Change(area="drugs", kind="added", severity=severity("drug", "added"),
                         where=d.name, new=d.model_dump(mode="json"), page=d.provenance.page)


def _entry_key(e: RevisionEntry) -> tuple[str, str]:
    return e.date_text, normalize(str(e.changes))


def _new_entries(old: RuleSet, new: RuleSet) -> list[RevisionEntry]:
    known = {_entry_key(e) for e in old.revision_history}
    return [e for e in new.revision_history if _entry_key(e) not in known]


def _history(entries: list[RevisionEntry]) -> Iterator[Change]:
    for e in entries:
        yield Change(area="revision_history", kind="added", where=e.date_text,
                     severity=severity("revision entry", "added"),
                     new=e.model_dump(mode="json"), page=e.provenance.page)


def _sections(old: RuleSet, new: RuleSet) -> Iterator[Change]:
    """The sections other than the rules, compared as text."""
    a = {normalize(s.title): s for s in old.sections if not RULE_SECTIONS.match(s.title)}
    b = {normalize(s.title): s for s in new.sections if not RULE_SECTIONS.match(s.title)}
    apart = _printed_apart(a, b)
    for key, s in b.items():
        if key in apart:
            yield Change(area="text", kind="moved", where=s.title, old=a[apart[key]].title,
                         new=s.title, page=s.page, severity=severity("section", "printed apart"),
                         note=f"within {a[apart[key]].title} in the old version")
        elif key not in a:
            yield Change(area="text", kind="added", severity=severity("section", "added"),
                         where=s.title, new=s.text, page=s.page)
        else:
            parts = [s.text, *(b[k].text for k, host in apart.items() if host == key)]
            yield from _reworded_section(s.title, a[key].text, " ".join(parts), s.page)
    for key, s in a.items():
        if key not in b:
            yield Change(area="text", kind="removed", severity=severity("section", "removed"),
                         where=s.title, old=s.text, page=s.page)


def _printed_apart(a: dict[str, Section], b: dict[str, Section]) -> dict[str, str]:
    """The new sections whose text the old version printed within another section (a heading
    one version sets apart and the other does not): new title → the old section's title."""
    found: dict[str, str] = {}
    for key in (k for k in b if k not in a):
        words = normalize(b[key].text).split()
        for host in (k for k in a if k in b):
            if words and _kept(words, normalize(a[host].text).split()) >= SECTION_KEPT:
                found[key] = host
                break
    return found


def _kept(words: list[str], within: list[str]) -> float:
    """The share of words found, in order, within another text."""
    matcher = difflib.SequenceMatcher(a=words, b=within, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(words)
