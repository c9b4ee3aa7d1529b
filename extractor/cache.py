"""Rule files of documents already read, found again by content.

The key is the sha256 of the input's bytes together with a fingerprint of the code that read
it (the package's version and the bytes of its modules and templates), so a changed document or
a changed extractor is read anew and an unchanged one is not. Entries are rule files in the
user cache directory, each beside a seal (its sha256 and the file name it names); the oldest
used are removed when the cache outgrows its size limit.

An entry is the text `extract` writes, so a document found in the cache under the name it was
stored with is written out as those bytes: no pydantic, no spaCy, no PDF engine is imported and
nothing is parsed or serialized again. The seal finds a damaged entry, which is dropped and read
anew.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.engines import DEFAULT_ENGINE, Engine
from extractor.errors import (
    NotAPolicyError,
    NoTextLayerError,
    PolicyRulesError,
    UnreadableDocumentError,
)
from extractor.files import read_input, write_atomic
from extractor.reference import cache_dir
from extractor.rulefile import RuleFile

if TYPE_CHECKING:
    from extractor.layout import Document
    from extractor.model import RuleSet

# Verdicts that follow from a document's bytes alone: kept, so a rerun does not read it again.
REFUSALS: dict[str, type[PolicyRulesError]] = {
    kind.__name__: kind for kind in (UnreadableDocumentError, NoTextLayerError, NotAPolicyError)}
# The cache is trimmed back under this size (bytes) after each write that passes it.
MAX_CACHE_BYTES = 512 * 1024 * 1024
PACKAGE = Path(__file__).resolve().parent
ENTRY, SEAL, REFUSED = ".json", ".sha256", ".refused.json"


class RuleCache:
    """Rule files by content key, in a folder of their own."""

    def __init__(self, root: Path | None = None, max_bytes: int = MAX_CACHE_BYTES) -> None:
        self.root = root if root is not None else cache_dir() / "rules"
        self.max_bytes = max_bytes

    def key(self, data: bytes, engine: Engine = DEFAULT_ENGINE) -> str:
        digest = hashlib.sha256(data).hexdigest()
        return hashlib.sha256(f"{digest}\x1f{engine}\x1f{code_fingerprint()}".encode()).hexdigest()

    def get(self, key: str, name: str) -> RuleFile | None:
        """The rule file kept under key, naming the document `name`; None when there is none.

        A damaged entry (its bytes not those sealed) is dropped, so that it is read anew."""
        path = self._path(key)
        try:
            data = path.read_bytes()
            seal = self._path(key, SEAL).read_text(encoding="utf-8")
        except OSError:
            return None
        sealed = _unseal(seal)
        if sealed is None or sealed[0] != hashlib.sha256(data).hexdigest():
            _drop(path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: trimmed last
        found = RuleFile(text=data.decode("utf-8"))
        # the same bytes under another name: the rule file names the file it was given
        return found if sealed[1] == name else _renamed(found, name)

    def put(self, key: str, found: RuleFile) -> None:
        data = found.text.encode("utf-8")
        seal = {"sha256": hashlib.sha256(data).hexdigest(), "file": found.rules.source.file}
        try:
            write_atomic(self._path(key), data)
            write_atomic(self._path(key, SEAL), json.dumps(seal, ensure_ascii=False))
            self.trim()
        except OSError:
            pass  # a cache that cannot be written only costs time

    def refuse(self, key: str, error: PolicyRulesError) -> None:
        """Keep a verdict on a document that is no policy or cannot be read."""
        if type(error).__name__ in REFUSALS:
            with contextlib.suppress(OSError):
                write_atomic(self._path(key, REFUSED),
                             json.dumps({"kind": type(error).__name__, "message": error.message}))

    def refusal(self, key: str, path: Path) -> PolicyRulesError | None:
        try:
            kept = json.loads(self._path(key, REFUSED).read_text(encoding="utf-8"))
            return REFUSALS[kept["kind"]](str(kept["message"]), path)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def lookup(self, path: Path, engine: Engine = DEFAULT_ENGINE) -> tuple[str, RuleFile | None]:
        """The content key of a document, and its rule file when this code read it before.

        A document this code refused before raises that error again.
        """
        key = self.key(read_input(path), engine)
        refused = self.refusal(key, path)
        if refused is not None:
            raise refused
        return key, self.get(key, path.name)

    def trim(self) -> None:
        """Remove the least recently used entries until the cache fits its limit."""
        entries = sorted(self.root.glob(f"*/*{ENTRY}"), key=_used)
        total = sum(_size(p) for p in entries)
        for path in entries:
            if total <= self.max_bytes:
                break
            total -= _size(path)
            _drop(path)

    def _path(self, key: str, kind: str = ENTRY) -> Path:
        return self.root / key[:2] / f"{key}{kind}"


def _unseal(seal: str) -> tuple[str, str] | None:
    """The sha256 and file name a seal holds; None when it is damaged."""
    try:
        kept = json.loads(seal)
        return str(kept["sha256"]), str(kept["file"])
    except (ValueError, KeyError, TypeError):
        return None


def _drop(entry: Path) -> None:
    """Remove an entry and its seal."""
    entry.unlink(missing_ok=True)
    entry.with_name(entry.name.removesuffix(ENTRY) + SEAL).unlink(missing_ok=True)


def _read_pages(path: Path, data: bytes, engine: Engine, timeout: float | None,
                since: float) -> Document:
    """The first stage of reading a document, in a child of its own: the layout layer and the
    PDF engine are imported there, while the parent imports and builds the later stages."""
    from extractor.deadline import time_limit
    from extractor.layout.read import bytes_to_document

    with time_limit(timeout, path, since):
        return bytes_to_document(path, data, engine)


def _renamed(found: RuleFile, name: str) -> RuleFile:
    rules = found.rules
    return RuleFile(rules=rules.model_copy(update={"source": rules.source.model_copy(
        update={"file": name})}))


@dataclass(frozen=True)
class Reader:
    """How documents become rule files: the engine that reads PDF pages, and the cache asked
    first (None: every document is read anew)."""

    engine: Engine = DEFAULT_ENGINE
    cache: RuleCache | None = None
    timeout: float | None = None  # seconds to read one document
    memory: int | None = None  # bytes one document's reading may take beyond the process's

    def rules(self, path: Path) -> RuleSet:
        """extract(path), from the cache when this content was read by this code before."""
        return self.rule_file(path).rules

    def rule_file(self, path: Path) -> RuleFile:
        """The rule file of a document, from the cache when this content was read by this code
        before: then as the bytes kept, without importing the pipeline."""
        key, found = self.cache.lookup(path, self.engine) if self.cache else ("", None)
        if found is not None:
            return found
        try:
            rules = self._read(path)
        except PolicyRulesError as error:
            if self.cache is not None:
                self.cache.refuse(key, error)
            raise
        found = RuleFile(rules=rules)
        if self.cache is not None:
            self.cache.put(key, found)
        return found

    def _read(self, path: Path) -> RuleSet:
        """extract(path) in two child processes (extractor.isolation), each stopped when the
        reading overruns the time or memory limit: the document's pages, started first so that
        they are read while this process builds the pipeline, then its rules, forked from the
        built pipeline."""
        from extractor.isolation import isolated, permanent, started

        data, since = read_input(path), time.monotonic()
        limits = (path, self.timeout, self.memory, since)
        with started(functools.partial(_read_pages, path, data, self.engine, self.timeout,
                                       since), *limits) as reading:
            with permanent():
                from extractor import pipeline  # only on a miss: it loads the whole pipeline

                pipeline.warm()  # once per process: every later child starts from it
            doc = reading.result()
        return isolated(functools.partial(pipeline.document_rules, doc, data, path,
                                          self.timeout, since), *limits)

    def known(self, path: Path) -> RuleSet | None:
        """The cached rule file of a document, without reading it; None when not cached.

        Raises the error of a document the cache knows this code refused."""
        found = self.known_file(path)
        return found.rules if found is not None else None

    def known_file(self, path: Path) -> RuleFile | None:
        """known(path), as the rule file kept."""
        return self.cache.lookup(path, self.engine)[1] if self.cache else None


@functools.cache
def code_fingerprint() -> str:
    """The package version and the bytes of every module and template of this installation."""
    try:
        digest = hashlib.sha256(version("policy-rules").encode())
    except PackageNotFoundError:
        digest = hashlib.sha256(b"unversioned")
    templates = PACKAGE / "templates"
    if not templates.is_dir():  # a source checkout keeps them beside the package
        templates = PACKAGE.parent / "templates"
    for file in sorted([*PACKAGE.rglob("*.py"), *templates.glob("*.j2")]):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
