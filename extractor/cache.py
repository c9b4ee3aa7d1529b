"""Rule files of documents already read, found again by content.

The key is the sha256 of the input's bytes together with a fingerprint of the code that read
it (the package's version and the bytes of its modules and templates), so a changed document or
a changed extractor is read anew and an unchanged one is not. Entries are rule files in the
user cache directory; the oldest used are removed when the cache outgrows its size limit.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from extractor.engines import DEFAULT_ENGINE, Engine
from extractor.errors import (
    NotAPolicyError,
    NoTextLayerError,
    PolicyRulesError,
    UnreadableDocumentError,
)
from extractor.files import read_input, write_atomic
from extractor.model import RuleSet
from extractor.reference import cache_dir

# Verdicts that follow from a document's bytes alone: kept, so a rerun does not read it again.
REFUSALS: dict[str, type[PolicyRulesError]] = {
    kind.__name__: kind for kind in (UnreadableDocumentError, NoTextLayerError, NotAPolicyError)}
# The cache is trimmed back under this size (bytes) after each write that passes it.
MAX_CACHE_BYTES = 512 * 1024 * 1024
PACKAGE = Path(__file__).resolve().parent


class RuleCache:
    """Rule files by content key, in a folder of their own."""

    def __init__(self, root: Path | None = None, max_bytes: int = MAX_CACHE_BYTES) -> None:
        self.root = root if root is not None else cache_dir() / "rules"
        self.max_bytes = max_bytes

    def key(self, data: bytes, engine: Engine = DEFAULT_ENGINE) -> str:
        digest = hashlib.sha256(data).hexdigest()
        return hashlib.sha256(f"{digest}\x1f{engine}\x1f{code_fingerprint()}".encode()).hexdigest()

    def get(self, key: str) -> RuleSet | None:
        path = self._path(key)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            rules = RuleSet.model_validate_json(text)
        except ValueError:
            path.unlink(missing_ok=True)  # a damaged entry is dropped and read anew
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: trimmed last
        return rules

    def put(self, key: str, rules: RuleSet) -> None:
        from extractor.rulefile import ruleset_to_json

        try:
            write_atomic(self._path(key), ruleset_to_json(rules))
            self.trim()
        except OSError:
            pass  # a cache that cannot be written only costs time

    def refuse(self, key: str, error: PolicyRulesError) -> None:
        """Keep a verdict on a document that is no policy or cannot be read."""
        if type(error).__name__ in REFUSALS:
            with contextlib.suppress(OSError):
                write_atomic(self._path(key, ".refused"),
                             json.dumps({"kind": type(error).__name__, "message": error.message}))

    def refusal(self, key: str, path: Path) -> PolicyRulesError | None:
        try:
            kept = json.loads(self._path(key, ".refused").read_text(encoding="utf-8"))
            return REFUSALS[kept["kind"]](str(kept["message"]), path)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def lookup(self, path: Path, engine: Engine = DEFAULT_ENGINE) -> tuple[str, RuleSet | None]:
        """The content key of a document, and its rule file when this code read it before.

        A document this code refused before raises that error again.
        """
        key = self.key(read_input(path), engine)
        refused = self.refusal(key, path)
        if refused is not None:
            raise refused
        found = self.get(key)
        if found is not None:
            # the same bytes under another name: the rule file names the file it was given
            found = found.model_copy(update={"source": found.source.model_copy(
                update={"file": path.name})})
        return key, found

    def trim(self) -> None:
        """Remove the least recently used entries until the cache fits its limit."""
        entries = sorted(self.root.glob("*/*.json"), key=_used)
        total = sum(_size(p) for p in entries)
        for path in entries:
            if total <= self.max_bytes:
                break
            total -= _size(path)
            path.unlink(missing_ok=True)

    def _path(self, key: str, kind: str = "") -> Path:
        return self.root / key[:2] / f"{key}{kind}.json"


@dataclass(frozen=True)
class Reader:
    """How documents become rule files: the engine that reads PDF pages, and the cache asked
    first (None: every document is read anew)."""

    engine: Engine = DEFAULT_ENGINE
    cache: RuleCache | None = None
    timeout: float | None = None  # seconds to read one document
    memory: int | None = None  # bytes one document's reading may take beyond the process's

    def rules(self, path: Path) -> RuleSet:
        """extract(path), from the cache when this content was read by this code before.

        A document is read in a child process of its own (extractor.isolation), which is
        stopped when it overruns the time or memory limit."""
        key, found = self.cache.lookup(path, self.engine) if self.cache else ("", None)
        if found is not None:
            return found
        from extractor import pipeline  # only on a miss: it loads the whole pipeline
        from extractor.isolation import isolated

        pipeline.warm()  # once, here: every child starts from the built pipeline
        try:
            rules = isolated(functools.partial(pipeline.extract, path, self.engine, self.timeout),
                             path, self.timeout, self.memory)
        except PolicyRulesError as error:
            if self.cache is not None:
                self.cache.refuse(key, error)
            raise
        if self.cache is not None:
            self.cache.put(key, rules)
        return rules

    def known(self, path: Path) -> RuleSet | None:
        """The cached rule file of a document, without reading it; None when not cached.

        Raises the error of a document the cache knows this code refused."""
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
