"""Reference data as compact indexes: the ICD-10-CM code set and the drug lexicon.

simple-icd-10-cm parses its XML and drug-named-entity-recognition unpickles its dictionary on
import, seconds each. Both are turned once into one SQLite file in the user cache directory,
keyed by the two packages' versions, and every later process opens it in milliseconds and
reads only the rows it asks for. The packages stay the source of truth: the index holds the
same answers (a test compares them), and is rebuilt whenever either package changes.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
import sqlite3
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

# Raise when the layout of the index changes, so older files are not read.
INDEX_FORMAT = 1
CACHE_ENV = "POLICY_RULES_CACHE"
PACKAGES = ("simple-icd-10-cm", "drug-named-entity-recognition")
# SQLite takes at most this many parameters in one statement on older builds.
BATCH = 900


@dataclass(frozen=True)
class Icd10Item:
    """A chapter, block, category or code of the current ICD-10-CM code set."""

    code: str
    description: str
    billable: bool
    parent: str | None


@dataclass(frozen=True)
class LexiconEntry:
    """What the drug lexicon knows of one printed name (a generic, a brand, a synonym)."""

    name: str
    is_brand: bool | None
    identified: bool  # has a DrugBank or MedlinePlus identifier
    mesh_tree: tuple[str, ...]


def cache_dir() -> Path:
    """Where policy-rules keeps what it builds once: $POLICY_RULES_CACHE, else the user cache."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("policy-rules", appauthor=False))


class ReferenceIndex:
    """Read-only lookups in the index file."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._drugs: dict[str, LexiconEntry | None] = {}

    def icd10(self, code: str) -> Icd10Item | None:
        """The item for a code printed with or without its dot ("G35A" is G35.A), or None."""
        for key in _icd10_keys(code):
            row = self._db.execute(
                "SELECT code, description, billable, parent FROM icd10 WHERE code = ?",
                (key,)).fetchone()
            if row is not None:
                return Icd10Item(row[0], row[1], bool(row[2]), row[3])
        return None

    def icd10_children(self, code: str) -> list[str]:
        """The codes one level below a code, in code-set order."""
        item = self.icd10(code)
        if item is None:
            return []
        rows = self._db.execute("SELECT code FROM icd10 WHERE parent = ? ORDER BY rowid",
                                (item.code,))
        return [r[0] for r in rows]

    def drugs(self, names: Iterable[str]) -> dict[str, LexiconEntry]:
        """The lexicon's entry for each lowercase name it knows."""
        wanted = {n for n in names if n not in self._drugs}
        for chunk in _chunks(sorted(wanted), BATCH):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                    "SELECT variant, name, is_brand, identified, mesh_tree FROM drug "
                    f"WHERE variant IN ({marks})", chunk):
                brand = None if row[2] is None else bool(row[2])
                tree = tuple(row[4].split("|")) if row[4] else ()
                self._drugs[row[0]] = LexiconEntry(row[1], brand, bool(row[3]), tree)
        for name in wanted:
            self._drugs.setdefault(name, None)
        return {n: e for n in names if (e := self._drugs[n]) is not None}


def find_drugs(tokens: list[str]) -> list[tuple[LexiconEntry, int, int]]:
    """Drug names among tokens, as drug-named-entity-recognition's find_drugs finds them.

    Two-word names first (printed with a space or a hyphen), then single tokens not already
    part of one; case is ignored.
    """
    lower = [t.lower() for t in tokens]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(lower)]
    # a two-word name printed with a hyphen: "interferon-beta"
    hyphened = {i: f"{lower[i]} {lower[i + 2]}" for i in range(len(lower) - 2)
                if lower[i + 1] == "-" and lower[i][-1:].isalpha() and lower[i + 2][:1].isalpha()}
    known = reference().drugs([*pairs, *hyphened.values(), *lower])
    found: list[tuple[LexiconEntry, int, int]] = []
    used: set[int] = set()
    for i, pair in enumerate(pairs):
        if pair in known:
            found.append((known[pair], i, i + 2))
            used.update((i, i + 1))
    for i, pair in hyphened.items():
        # only the name itself, not one it stands for: "tbo-filgrastim" is no filgrastim
        if pair in known and not used & {i, i + 1, i + 2} \
                and re.sub(r"[\s-]+", " ", known[pair].name.lower()).startswith(pair):
            found.append((known[pair], i, i + 3))
            used.update((i, i + 1, i + 2))
    for i, word in enumerate(lower):
        if i not in used and word in known:
            found.append((known[word], i, i + 1))
            used.add(i)
    return found


@functools.cache
def reference() -> ReferenceIndex:
    """The index, built on first use in this cache directory and opened read-only after."""
    path = index_path()
    if not path.exists():
        with contextlib.suppress(OSError):
            build(path)
    if path.exists():
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True,
                             check_same_thread=False)
    else:  # an unwritable cache directory: build in memory, once per process
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(db)
    return ReferenceIndex(db)


def index_path() -> Path:
    versions = "-".join(f"{p}{version(p)}" for p in PACKAGES)
    return cache_dir() / f"reference-v{INDEX_FORMAT}-{versions}.sqlite"


def build(path: Path) -> None:
    """Write the index to path atomically: a concurrent run sees no file or a whole one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".reference-", suffix=".tmp")
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as db:
            _fill(db)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _fill(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE icd10 (code TEXT PRIMARY KEY, description TEXT NOT NULL, "
               "billable INTEGER NOT NULL, parent TEXT)")
    db.execute("CREATE INDEX icd10_parent ON icd10 (parent)")
    # a block and its one category share a name ("B10"): the category, as the package does
    db.executemany("INSERT OR REPLACE INTO icd10 VALUES (?, ?, ?, ?)", _icd10_rows())
    db.execute("CREATE TABLE drug (variant TEXT PRIMARY KEY, name TEXT NOT NULL, "
               "is_brand INTEGER, identified INTEGER NOT NULL, mesh_tree TEXT NOT NULL)")
    db.executemany("INSERT INTO drug VALUES (?, ?, ?, ?, ?)", _drug_rows())
    db.commit()


def _icd10_rows() -> Iterator[tuple[str, str, int, str | None]]:
    with warnings.catch_warnings():
        # simple-icd-10-cm loads its data through deprecated importlib.resources calls.
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as icd
    for code in icd.get_all_codes(True):
        parent = icd.get_parent(code)
        parent = parent if parent not in ("", code) else None
        yield code, icd.get_description(code), int(icd.is_leaf(code)), parent


def _drug_rows() -> Iterator[tuple[str, str, int | None, int, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from drug_named_entity_recognition import drugs_finder as lexicon
    for variant, canonicals in lexicon.drug_variant_to_canonical.items():
        if variant.count(" ") > 1:
            continue  # find_drugs looks up one and two words only
        canonical = canonicals[0]
        data = (dict(lexicon.drug_canonical_to_data.get(canonical, {}))
                | lexicon.drug_variant_to_variant_data.get(variant, {}))
        brand = data.get("is_brand")
        yield (variant, str(data.get("name") or ""),
               None if brand is None else int(bool(brand)),
               int(bool(data.get("drugbank_id") or data.get("medline_plus_id"))),
               "|".join(data.get("mesh_tree") or []))


def _icd10_keys(code: str) -> list[str]:
    return [code, f"{code[:3]}.{code[3:]}"] if len(code) >= 4 else [code]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
