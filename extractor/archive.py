"""A git repository of rule files: every version of every policy, retrievable and diffable.

Layout inside the archive (paths come from slugs, never from raw document text):

    rules_out/<payer>/<line of business>/<policy>.json              the latest version
    rules_out/<payer>/<line of business>/<policy>/<version>.json    every version

Each ingest is one commit ("<policy> <version>, effective <date>") and one tag per version,
"<policy>/<version>". Ingesting a version already there is a no-op; a version older than the
latest is filed among the versions without replacing the latest. One ingest at a time: a lock
file makes a second run fail with a clear error, and a run killed mid-ingest leaves files the
next run puts back as the last commit had them.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import git

from extractor.errors import ArchiveError
from extractor.files import write_atomic
from extractor.model import RuleSet
from extractor.rulefile import json_to_ruleset, ruleset_to_json

RULES_DIR = "rules_out"
SLUG_MAX = 80
AUTHOR = git.Actor("policy-rules", "policy-rules@localhost")


@dataclass(frozen=True)
class Version:
    policy: str
    version: str
    effective_date: str | None
    sha256: str
    path: str


def slug(text: str | None, fallback: str = "unknown") -> str:
    """A safe path segment: ASCII letters, digits and single hyphens, never "." or "..".

    "Lemtrada® (Alemtuzumab)" → "lemtrada-alemtuzumab"; slashes, dots and accents in a title
    cannot steer a path out of the archive.
    """
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:SLUG_MAX].rstrip("-") or fallback


def version_name(rules: RuleSet) -> str:
    """A version's name: the policy number, else the effective date, else the source's hash."""
    name = rules.policy.number or rules.policy.effective_date or rules.source.sha256[:12]
    return version_name_of(name) or rules.source.sha256[:12]


def version_name_of(text: str) -> str:
    """A version number as a safe file and tag name: "ENT 020.25" → "ENT-020.25"."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "-", text).strip(".-")


class Archive:
    """A rule-file archive in a git repository, created on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = _open(root)

    def add(self, rules: RuleSet) -> tuple[Version, bool]:
        """File one version; returns it and whether anything was written."""
        policy = slug(rules.policy.title, slug(rules.source.file))
        folder = self._folder(policy, rules)
        version = version_name(rules)
        entry = Version(policy, version, rules.policy.effective_date, rules.source.sha256,
                        str(folder / f"{version}.json"))
        with self._lock():
            self._restore()
            stored = self._read(entry.path)
            if stored is not None:
                if _same_rules(stored, rules):
                    return entry, False
                raise ArchiveError(f"{policy} {version} is archived already with other rules "
                                   "(a changed document must have a new version)", self.root)
            self._adopt(folder)
            text = ruleset_to_json(rules)
            write_atomic(self.root / entry.path, text)
            changed = [entry.path]
            if self._is_latest(folder, rules):
                write_atomic(self.root / f"{folder}.json", text)
                changed.append(f"{folder}.json")
            self.repo.index.add(changed)
            self.repo.index.commit(
                f"{policy} {version}, effective {rules.policy.effective_date or 'unknown'}\n\n"
                f"source: {rules.source.file} sha256 {rules.source.sha256}",
                author=AUTHOR, committer=AUTHOR)
            self.repo.create_tag(f"{policy}/{version}")
        return entry, True

    def _folder(self, policy: str, rules: RuleSet) -> Path:
        """Where a policy's versions go: by payer and line of business, or, when the document
        does not say them (a text rendition without the banner), where the policy already is."""
        payer, line = slug(rules.policy.payer), slug(rules.policy.line_of_business)
        if "unknown" in (payer, line):
            for existing in sorted((self.root / RULES_DIR).glob(f"*/*/{policy}.json")):
                return existing.relative_to(self.root).with_suffix("")
        return Path(RULES_DIR) / payer / line / policy

    def _adopt(self, folder: Path) -> None:
        """Move versions filed under an unknown payer into the policy's known folder."""
        if "unknown" in folder.parts:
            return
        for stray in (self.root / RULES_DIR).glob(f"unknown/*/{folder.name}/*.json"):
            target = folder / stray.name
            (self.root / target).parent.mkdir(parents=True, exist_ok=True)
            self.repo.index.move([str(stray.relative_to(self.root)), str(target)])
        for stray_latest in (self.root / RULES_DIR).glob(f"unknown/*/{folder.name}.json"):
            self.repo.index.remove([str(stray_latest.relative_to(self.root))], working_tree=True)

    def versions(self, policy: str) -> list[Version]:
        """A policy's versions, oldest first by effective date."""
        found = []
        for path in sorted((self.root / RULES_DIR).glob(f"*/*/{slug(policy)}/*.json")):
            rules = json_to_ruleset(path.read_text(encoding="utf-8"))
            found.append(Version(slug(policy), path.stem, rules.policy.effective_date,
                                 rules.source.sha256, str(path.relative_to(self.root))))
        if not found:
            raise ArchiveError(f"no policy {policy!r} in the archive", self.root)
        return sorted(found, key=lambda v: (v.effective_date or "", v.version))

    def show(self, policy: str, version: str) -> RuleSet:
        for v in self.versions(policy):
            if v.version == version:
                return json_to_ruleset((self.root / v.path).read_text(encoding="utf-8"))
        raise ArchiveError(f"no version {version!r} of {policy!r} in the archive", self.root)

    def prior(self, rules: RuleSet) -> RuleSet:
        """The version before this one: the one its revision history says it archived, else
        the latest archived version of the same policy with an earlier effective date."""
        policy = slug(rules.policy.title, slug(rules.source.file))
        versions = [v for v in self.versions(policy) if v.version != version_name(rules)]
        named = {v.version: v for v in versions}
        for entry in rules.revision_history:
            for archived in entry.archived_versions:
                if version_name_of(archived) in named:
                    return self.show(policy, version_name_of(archived))
        date = rules.policy.effective_date or ""
        earlier = [v for v in versions if (v.effective_date or "") < date]
        if not earlier:
            raise ArchiveError(f"no earlier version of {policy} in the archive", self.root)
        return self.show(policy, earlier[-1].version)

    def _is_latest(self, folder: Path, rules: RuleSet) -> bool:
        dates = [json_to_ruleset(p.read_text(encoding="utf-8")).policy.effective_date or ""
                 for p in (self.root / folder).glob("*.json")]
        return (rules.policy.effective_date or "") >= max(dates, default="")

    def _read(self, path: str) -> RuleSet | None:
        file = self.root / path
        return json_to_ruleset(file.read_text(encoding="utf-8")) if file.exists() else None

    def _restore(self) -> None:
        """Put back what an interrupted ingest left half done: files as the last commit has them."""
        if not self.repo.head.is_valid():
            return
        if self.repo.is_dirty(untracked_files=True):
            self.repo.git.reset("--hard", "--quiet")
            self.repo.git.clean("-fdq", "--", RULES_DIR)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        lock = self.root / ".git" / "policy-rules.lock"
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError as exc:
            if _alive(lock):
                raise ArchiveError(f"the archive is busy: another run holds {lock}",
                                   self.root) from exc
            lock.unlink(missing_ok=True)  # left by a run that was killed
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        try:
            os.write(fd, str(os.getpid()).encode())
            yield
        finally:
            os.close(fd)
            lock.unlink(missing_ok=True)


def _open(root: Path, attempts: int = 20) -> git.Repo:
    """The archive's repository, created on first use; a run creating it at the same moment
    as another waits for the other's repository to be complete."""
    for attempt in range(attempts):
        try:
            return git.Repo(root) if (root / ".git").exists() else git.Repo.init(root)
        except (git.GitError, OSError) as exc:
            if attempt == attempts - 1:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise ArchiveError(f"not a usable archive ({reason})", root) from exc
            time.sleep(0.1)
    raise ArchiveError("not a usable archive", root)


def _alive(lock: Path) -> bool:
    """Whether the process that wrote the lock file is still running."""
    try:
        pid = int(lock.read_text(encoding="utf-8") or "0")
    except (OSError, ValueError):
        return True  # being written this instant
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _same_rules(stored: RuleSet, rules: RuleSet) -> bool:
    """The same version: identical rules, whatever file or bytes they were read from."""
    return stored.model_dump(exclude={"source"}) == rules.model_dump(exclude={"source"})
