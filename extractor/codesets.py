"""Code-table changes that know the code sets: an ICD-10-CM code split into its children, a
description the code set renamed, a code replaced as the revision history states or renamed
(the same description under a new code).

A code the annual ICD-10-CM update split (G35 → G35.A, G35.B0, …, G35.D) is one `split` change:
coverage is kept when the new version lists every billable code under the old one; the billable
codes it leaves out are lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor.changes import Change, redline
from extractor.model import Code, CodeSystem, RevisionEntry
from extractor.reference import reference
from extractor.severity import severity
from extractor.text import normalize

Key = tuple[CodeSystem, str]
CODE_SET_UPDATE = "code-set update"
# "Replaced HCPCS code J1599 with J1553", "replaced J9035 with Q5107"
REPLACED = re.compile(r"\breplac\w*\s+(?:\w+\s+){0,3}?([A-Z]\d{4})\b.*?\bwith\s+"
                      r"(?:\w+\s+){0,3}?([A-Z]\d{4})\b", re.I)


def code_changes(old: list[Code], new: list[Code], entries: list[RevisionEntry]
                 ) -> Iterator[Change]:
    """Every change of the code tables, the code sets' own changes told apart."""
    a = {(c.system, c.code): c for c in old}
    b = {(c.system, c.code): c for c in new}
    gone = [k for k in a if k not in b]
    came = [k for k in b if k not in a]
    labels = _table_labels(new) | _table_labels(old)
    for key in gone:
        partners = (_split_children(key, came) or _replacement(key, came, entries)
                    or _same_description(a[key], came, b))
        if partners:
            came = [k for k in came if k not in partners]
            yield _split_or_replaced(a[key], [b[k] for k in partners], labels)
        else:
            yield Change(area="codes", kind="removed", severity=severity("code", "removed"),
                         where=_table(a[key], labels), old=_dump(a[key]), page=a[key].page)
    for key in (k for k in a if k in b):
        yield from _redescribed(a[key], b[key])
    for key in came:
        yield Change(area="codes", kind="added", severity=severity("code", "added"),
                     where=_table(b[key], labels), new=_dump(b[key]), page=b[key].page)


def _split_children(key: Key, came: list[Key]) -> list[Key]:
    """The added codes that lie under a removed ICD-10-CM code in the current code set."""
    system, code = key
    if system != "ICD-10-CM":
        return []
    under = set(_descendants(code))
    return [k for k in came if k[0] == system and k[1] in under]


def _descendants(code: str) -> list[str]:
    found: list[str] = []
    for child in reference().icd10_children(code):
        found += [child, *_descendants(child)]
    return found


def _billable_descendants(code: str) -> list[str]:
    index = reference()
    return [c for c in _descendants(code) if (item := index.icd10(c)) and item.billable]


def _replacement(key: Key, came: list[Key], entries: list[RevisionEntry]) -> list[Key]:
    """The added code a new revision entry says replaced this one."""
    for entry in entries:
        for item in (i for rc in entry.changes for i in rc.items):
            for old, new in REPLACED.findall(item):
                if old.upper() == key[1].upper():
                    return [k for k in came if k[1].upper() == new.upper()][:1]
    return []


def _same_description(old: Code, came: list[Key], new: dict[Key, Code]) -> list[Key]:
    """The added code of the same system printed with the same description: a code renamed
    (a temporary HCPCS C-code made permanent as a J-code, a renumbered code)."""
    wanted = normalize(old.description)
    return [k for k in came if k[0] == old.system and wanted
            and normalize(new[k].description) == wanted][:1]


def _split_or_replaced(old: Code, new: list[Code], labels: dict[str, str]) -> Change:
    if old.system != "ICD-10-CM" or new[0].code not in _descendants(old.code):
        same = normalize(old.description) == normalize(new[0].description)
        return Change(area="codes", kind="replaced", severity=severity("code", "replaced"),
                      where=_table(new[0], labels), old=_dump(old), new=_dump(new[0]),
                      page=new[0].page, note="the same description under a new code" if same
                      else "replacement stated in the revision history")
    listed = {c.code for c in new}
    lost = [c for c in _billable_descendants(old.code) if c not in listed]
    event = "split, some lost" if lost else "split, all kept"
    note = f"{CODE_SET_UPDATE}; not listed: {', '.join(lost)}" if lost else CODE_SET_UPDATE
    return Change(area="codes", kind="split", severity=severity("code", event),
                  where=_table(new[0], labels), old=_dump(old), new=[_dump(c) for c in new],
                  page=new[0].page, note=note)


def _redescribed(old: Code, new: Code) -> Iterator[Change]:
    if old.description == new.description:
        return
    cosmetic = normalize(old.description) == normalize(new.description)
    event = "renamed by the code set" if _official(new) else "redescribed"
    yield Change(area="codes", kind="modified", where=f"{new.system} {new.code}",
                 severity="cosmetic" if cosmetic else severity("code", event),
                 old=_dump(old), new=_dump(new), redline=redline(old.description,
                                                                 new.description),
                 page=new.page, note=CODE_SET_UPDATE if event != "redescribed" else None)


def _official(code: Code) -> bool:
    """The new description is the code set's own."""
    if code.system != "ICD-10-CM":
        return False
    item = reference().icd10(code.code)
    return item is not None and normalize(item.description) == normalize(code.description)


def _table_labels(codes: list[Code]) -> dict[str, str]:
    """Each system's table label, for the rows of a table continued on a page with no header."""
    labels: dict[str, str] = {}
    for c in codes:
        if c.table:
            labels.setdefault(c.system, c.table)
    return labels


def _table(code: Code, labels: dict[str, str]) -> str:
    return code.table or labels.get(code.system) or f"{code.system} code"


def _dump(code: Code) -> dict[str, object]:
    return code.model_dump(mode="json")
