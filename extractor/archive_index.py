"""Finding a policy in the archive the way an analyst names it: its slug or the start of it,
a version's policy number (2025D0023Y) or the number's family (2025D0023), with a suggestion
when nothing matches; and the list of every policy with its latest version."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from extractor.archive import RULES_DIR, Archive, slug
from extractor.errors import ArchiveError


@dataclass(frozen=True)
class PolicyEntry:
    policy: str
    number: str | None
    title: str | None
    latest: str
    effective_date: str | None
    versions: tuple[str, ...]


def list_policies(archive: Archive) -> list[PolicyEntry]:
    """Every policy in the archive, by slug, with its latest version."""
    found = []
    for latest in sorted((archive.root / RULES_DIR).glob("*/*/*.json")):
        versions = archive.versions(latest.stem)
        rules = archive.show(latest.stem, versions[-1].version)
        found.append(PolicyEntry(latest.stem, rules.policy.number, rules.policy.title,
                                 versions[-1].version, versions[-1].effective_date,
                                 tuple(v.version for v in versions)))
    return sorted(found, key=lambda p: p.policy)


def resolve(archive: Archive, name: str) -> str:
    """The slug of the one policy a name means; an ArchiveError saying why there is none."""
    key, number = slug(name, ""), name.strip().upper()
    if key and any((archive.root / RULES_DIR).glob(f"*/*/{key}.json")):
        return key  # the usual case, without reading every policy
    entries = list_policies(archive)
    for rule in (lambda p: p.policy == key,
                 lambda p: number in (v.upper() for v in p.versions),
                 lambda p: any(v.upper().startswith(number) for v in p.versions),
                 lambda p: bool(key) and p.policy.startswith(key)):
        matches = [p.policy for p in entries if rule(p)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ArchiveError(f"{name!r} names {len(matches)} policies: "
                               f"{', '.join(matches[:5])}", archive.root)
    close = difflib.get_close_matches(key, [p.policy for p in entries], n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]}?" if close else " (archive list shows them)"
    raise ArchiveError(f"no policy {name!r} in the archive{hint}", archive.root)
