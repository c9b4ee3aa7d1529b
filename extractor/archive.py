"""A git repository of rule files: every version of every policy, retrievable and diffable.

Layout inside the archive (paths come from slugs, never from raw document text):

    rules_out/<payer>/<line of business>/<policy>.json              the latest version
    rules_out/<payer>/<line of business>/<policy>/<version>.json    every version

Each ingest is one commit ("<policy> <version>, effective <date>") and one tag per version,
"<policy>/<version>". Ingesting a version already there is a no-op; a version older than the
latest is filed among the versions without replacing the latest. One ingest at a time: a lock
file makes a second run fail with a clear error, and a run killed mid-ingest leaves files the
next run puts back as the last commit had them (from its journal; changes made by hand are
never reset: the archive refuses to write until they are committed or discarded).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import git

from extractor.errors import ArchiveError, InputError
from extractor.files import write_atomic
from extractor.model import RuleSet
from extractor.rulefile import json_to_ruleset, ruleset_to_json

RULES_DIR = "rules_out"
# committed first in every archive: a repository without it is someone else's
MARKER = ".policy-rules-archive"
JOURNAL = "policy-rules-ingest"  # in .git: what an ingest is about to write, until it commits
SLUG_MAX = 80
AUTHOR = git.Actor("policy-rules", "policy-rules@localhost")
MARKER_TEXT = ("This git repository is a policy-rules archive: rule files under rules_out/, "
               "one commit and one tag per version.\n")


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
    digest = re.sub(r"[^0-9a-f]", "", rules.source.sha256.lower())[:12]
    name = rules.policy.number or rules.policy.effective_date or digest
    return version_name_of(name) or digest or "unknown"


def version_name_of(text: str) -> str:
    """A version number as a safe file and tag name: "ENT 020.25" → "ENT-020.25".

    Letters, digits, single dots and hyphens, no leading or trailing dot or hyphen, no ".lock"
    ending: a name git accepts as a tag and no file system reads as a path.
    """
    name = re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9.\-]+", "-", text))
    name = name[:SLUG_MAX].strip(".-")
    while name.lower().endswith(".lock"):
        name = name[:-5].strip(".-")
    return name


class Archive:
    """A rule-file archive in a git repository.

    `create`: make the archive when the folder does not exist or is empty (`archive add`,
    `fetch`); readers pass False and never write.
    """

    def __init__(self, root: Path, create: bool = True) -> None:
        self.root = root
        self.repo = _open(root, create)

    def add(self, rules: RuleSet) -> tuple[Version, bool]:
        """File one version; returns it and whether anything was written."""
        policy = slug(rules.policy.title, slug(rules.source.file))
        version = version_name(rules)
        tag = self._tag_name(policy, version)
        with self._lock():
            self._recover()
            self._check_clean()
            folder = self._folder(policy, rules)
            entry = Version(policy, version, rules.policy.effective_date, rules.source.sha256,
                            str(folder / f"{version}.json"))
            stored = self._read(entry.path)
            if stored is not None:
                if _same_rules(stored, rules):
                    self._ensure_tag(entry.path, tag)
                    return entry, False
                raise ArchiveError(f"{policy} {version} is archived already with other rules "
                                   "(a changed document must have a new version)", self.root)
            self._ingest(rules, folder, entry, tag)
        return entry, True

    def _ingest(self, rules: RuleSet, folder: Path, entry: Version, tag: str) -> None:
        """Write, commit and tag one version, journaled so that a killed run can be undone."""
        self._journal([entry.path, f"{folder}.json", *self._strays(folder)])
        self._adopt(folder)
        latest = self._is_latest(folder, rules)
        changed = [entry.path, *([f"{folder}.json"] if latest else [])]
        text = ruleset_to_json(rules)
        for path in changed:
            write_atomic(self._inside(path), text)
        self.repo.index.add(changed)
        self.repo.index.commit(
            f"{entry.policy} {entry.version}, effective {rules.policy.effective_date or 'unknown'}"
            f"\n\nsource: {rules.source.file} sha256 {rules.source.sha256}",
            author=AUTHOR, committer=AUTHOR)
        self.repo.create_tag(tag)
        (self.root / ".git" / JOURNAL).unlink()

    def _tag_name(self, policy: str, version: str) -> str:
        """The version's tag, checked by git's own rules before anything is written."""
        tag = f"{policy}/{version}"
        try:
            self.repo.git.check_ref_format(f"refs/tags/{tag}")
        except git.GitCommandError as exc:
            raise ArchiveError(f"{tag!r} is not a valid tag name; nothing was archived",
                               self.root) from exc
        return tag

    def _inside(self, path: str | Path) -> Path:
        """The file of an archive path, refused unless it resolves inside rules_out/."""
        file = self.root / path
        if not file.resolve().is_relative_to((self.root / RULES_DIR).resolve()):
            raise ArchiveError(f"{path}: refused, it would be written outside {RULES_DIR}/",
                               self.root)
        return file

    def _folder(self, policy: str, rules: RuleSet) -> Path:
        """Where a policy's versions go: by payer and line of business, or, when the document
        does not say them (a text rendition without the banner), where the policy already is."""
        payer, line = slug(rules.policy.payer), slug(rules.policy.line_of_business)
        if "unknown" in (payer, line):
            for existing in sorted((self.root / RULES_DIR).glob(f"*/*/{policy}.json")):
                return existing.relative_to(self.root).with_suffix("")
        return Path(RULES_DIR) / payer / line / policy

    def _strays(self, folder: Path) -> list[str]:
        """A policy's files filed under an unknown payer, which its known folder adopts."""
        if "unknown" in folder.parts:
            return []
        found = [*(self.root / RULES_DIR).glob(f"unknown/*/{folder.name}/*.json"),
                 *(self.root / RULES_DIR).glob(f"unknown/*/{folder.name}.json")]
        strays = [str(p.relative_to(self.root)) for p in found]
        moved = [str(folder / Path(s).name) for s in strays
                 if not s.endswith(f"/{folder.name}.json")]
        return [*strays, *moved]

    def _adopt(self, folder: Path) -> None:
        """Move versions filed under an unknown payer into the policy's known folder."""
        if "unknown" in folder.parts:
            return
        for stray in (self.root / RULES_DIR).glob(f"unknown/*/{folder.name}/*.json"):
            target = folder / stray.name
            self._inside(target).parent.mkdir(parents=True, exist_ok=True)
            self.repo.index.move([str(stray.relative_to(self.root)), str(target)])
        for stray_latest in (self.root / RULES_DIR).glob(f"unknown/*/{folder.name}.json"):
            self.repo.index.remove([str(stray_latest.relative_to(self.root))], working_tree=True)

    def versions(self, policy: str) -> list[Version]:
        """A policy's versions, oldest first by effective date."""
        found = []
        for path in sorted((self.root / RULES_DIR).glob(f"*/*/{slug(policy)}/*.json")):
            rules = self._load(path)
            found.append(Version(slug(policy), path.stem, rules.policy.effective_date,
                                 rules.source.sha256, str(path.relative_to(self.root))))
        if not found:
            raise ArchiveError(f"no policy {policy!r} in the archive", self.root)
        return sorted(found, key=lambda v: (v.effective_date or "", v.version))

    def show(self, policy: str, version: str) -> RuleSet:
        for v in self.versions(policy):
            if v.version == version:
                return self._load(self.root / v.path)
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
        dates = [self._load(p).policy.effective_date or ""
                 for p in self._inside(folder).glob("*.json")]
        return (rules.policy.effective_date or "") >= max(dates, default="")

    def _read(self, path: str) -> RuleSet | None:
        file = self._inside(path)
        return self._load(file) if file.exists() else None

    def _load(self, file: Path) -> RuleSet:
        """An archived rule file; a damaged one is named, not a traceback."""
        try:
            return json_to_ruleset(file.read_bytes(), file)
        except OSError as exc:
            raise ArchiveError(f"unreadable rule file ({exc.strerror})", file) from exc
        except InputError as exc:
            raise ArchiveError(f"damaged rule file in the archive: {exc.message}", file) from exc

    def _journal(self, paths: list[str]) -> None:
        write_atomic(self.root / ".git" / JOURNAL, "".join(f"{p}\n" for p in paths))

    def _recover(self) -> None:
        """Undo what a killed ingest left half done, from its journal: its files as the last
        commit has them, its tag created when its commit was made. Nothing else is touched."""
        journal = self.root / ".git" / JOURNAL
        if not journal.exists():
            return
        paths = journal.read_text(encoding="utf-8").splitlines()
        committed = set(self.repo.git.ls_tree("-r", "--name-only", "HEAD").splitlines())
        for path in paths:
            self.repo.git.reset("--quiet", "HEAD", "--", path)
            if path in committed:
                self.repo.git.checkout("HEAD", "--", path)
            else:
                self._inside(path).unlink(missing_ok=True)
        journal.unlink()

    def _ensure_tag(self, path: str, tag: str) -> None:
        """Tag a committed version whose run was killed before it could tag it."""
        if tag not in self.repo.tags:
            commit = self.repo.git.log("-1", "--format=%H", "--", path)
            if commit:
                self.repo.create_tag(tag, ref=commit)

    def _check_clean(self) -> None:
        """Refuse to write into an archive with changes nobody committed: they are someone's."""
        status = self.repo.git.status("--porcelain", "--untracked-files=all").splitlines()
        dirty = [line[3:] for line in status
                 if not line.startswith("??") or line[3:].startswith(f"{RULES_DIR}/")]
        if dirty:
            more = f" and {len(dirty) - 1} more" if len(dirty) > 1 else ""
            raise ArchiveError(f"uncommitted changes in the archive ({dirty[0]}{more}); commit "
                               "or discard them first, nothing was archived", self.root)

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


def _open(root: Path, create: bool) -> git.Repo:
    """The archive's repository: one this tool made (its marker), or a new one made whole in
    a sibling folder and renamed into place, so that no run ever sees half an archive."""
    if (root / ".git").exists():
        try:
            repo = git.Repo(root)
        except (git.GitError, OSError) as exc:
            raise ArchiveError(f"not a usable archive ({_first_line(exc)})", root) from exc
        if not _is_archive(repo):
            raise ArchiveError("a git repository that is not a policy-rules archive (no "
                               f"{MARKER}); refused, nothing was changed", root)
        return repo
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ArchiveError("not a policy-rules archive (a folder that is not a git "
                           "repository); refused, nothing was changed", root)
    if not create:
        raise ArchiveError("no archive here (archive add or fetch makes one)", root)
    return _create(root)


def _create(root: Path) -> git.Repo:
    root.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
    try:
        repo = git.Repo.init(building)
        (building / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        repo.index.add([MARKER])
        repo.index.commit("policy-rules archive", author=AUTHOR, committer=AUTHOR)
        repo.close()
        os.rename(building, root)
    except OSError as exc:
        shutil.rmtree(building, ignore_errors=True)
        if (root / ".git").exists():  # another run made it this instant
            return _open(root, create=False)
        raise ArchiveError(f"cannot create the archive ({_first_line(exc)})", root) from exc
    return git.Repo(root)


def _is_archive(repo: git.Repo) -> bool:
    """Made by this tool: its marker, or (archives made before the marker) only rule files."""
    files = repo.git.ls_files().splitlines() if repo.head.is_valid() else []
    return MARKER in files or (bool(files) and all(f.startswith(f"{RULES_DIR}/") for f in files))


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


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
