"""The policies a range of commits changes, and one pull-request comment about all of them.

A policy is matched across files by its identity (the serial of its policy number, else its
title), not by its path: a new version saved under a new file name, beside the old file or in
its place, is compared with the old version; an archive is consulted for a prior version the
range does not hold.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import git

from extractor.cache import Reader
from extractor.diff import SEVERITIES, ChangeSet, Severity, diff
from extractor.errors import ArchiveError, InputError, PolicyRulesError
from extractor.executors import Executor, run_all
from extractor.identity import same_policy
from extractor.model import RuleSet
from extractor.report import headline, markdown_escape, render
from extractor.rulefile import json_to_ruleset

DOCUMENT_SUFFIXES = (".pdf", ".md", ".markdown", ".html", ".htm")
# the workflow finds its own comment by this line, to edit it rather than add another
COMMENT_MARKER = "<!-- policy-rules ci -->"
NO_POLICY = "No policy document or rule file changed.\n"


@dataclass
class PolicyChange:
    path: str
    changes: ChangeSet | None  # None: a policy new to the repository
    new: RuleSet


@dataclass(frozen=True)
class Blob:
    """A file's content at one side of the range, to be read into rules."""

    path: str
    data: bytes
    reader: Reader


@dataclass(frozen=True)
class Planned:
    """A policy file the range touches: its blobs before and after (None: absent)."""

    path: str
    old: Blob | None
    new: Blob | None


def changed_policies(repo_dir: Path, base: str, head: str, reader: Reader | None = None,
                     executor: Executor | None = None,
                     archive: Path | None = None,
                     ) -> tuple[list[PolicyChange], list[PolicyRulesError]]:
    """Every policy document or rule file the commits from base to head add or change, and the
    errors of those that cannot be read.

    The documents are read all at once on the executor; a document that cannot be read is left
    out with its error, and the others are compared.
    """
    old_commit, new_commit = _commits(repo_dir, base, head)
    reader, executor = reader or Reader(), executor or Executor()
    plan = list(_plan(old_commit.diff(new_commit), reader))
    added = [p for p in plan if p.old is None and p.new is not None]
    beside = list(_unchanged_beside(old_commit, added, {p.path for p in plan}, reader))
    blobs = [b for p in plan for b in (p.old, p.new) if b is not None]
    outcomes = dict(zip([id(b) for b in [*blobs, *beside]],
                        _read_all([*blobs, *beside], executor), strict=True))
    read = {key: r for key, r in outcomes.items() if isinstance(r, RuleSet)}
    plan = [p for p in plan if all(b is None or id(b) in read for b in (p.old, p.new))]
    earlier = [read[id(p.old)] for p in plan if p.old is not None and p.new is None]
    earlier += [read[id(b)] for b in beside if id(b) in read]
    found = [_change(p, read, earlier, archive) for p in plan if p.new is not None]
    failures = [r for r in outcomes.values() if isinstance(r, PolicyRulesError)]
    return sorted(found, key=lambda p: p.path), failures


def _commits(repo_dir: Path, base: str, head: str) -> tuple[git.Commit, git.Commit]:
    try:
        repo = git.Repo(repo_dir, search_parent_directories=True)
        return repo.commit(base), repo.commit(head)
    except (git.GitError, git.BadName, git.BadObject, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read commits {base}..{head} ({reason})", repo_dir) from exc


def _plan(items: Iterable[git.Diff], reader: Reader) -> Iterable[Planned]:
    for item in items:
        path = item.b_path or item.a_path
        if path is None or not _is_policy(path):
            continue
        old = _blob(item.a_path or path, item.a_blob, reader)
        new = None if item.deleted_file else _blob(path, item.b_blob, reader)
        yield Planned(path, old, new)


def _blob(path: str, blob: git.Blob | None, reader: Reader) -> Blob | None:
    return None if blob is None else Blob(path, blob.data_stream.read(), reader)


def _unchanged_beside(commit: git.Commit, added: list[Planned], touched: set[str],
                      reader: Reader) -> Iterable[Blob]:
    """The policy files the range leaves alone in the folders where it adds one."""
    folders = {str(PurePosixPath(p.path).parent) for p in added}
    for folder in sorted(folders):
        try:
            tree = commit.tree if folder == "." else commit.tree / folder
        except KeyError:
            continue  # a folder new in this range
        for blob in tree.blobs:
            path = str(blob.path)
            if _is_policy(path) and path not in touched:
                yield Blob(path, blob.data_stream.read(), reader)


def blob_to_rules(blob: Blob) -> RuleSet:
    """A blob's rules; an error names the file in the repository, not the temporary copy."""
    try:
        return _rules(blob.path, blob.data, blob.reader)
    except PolicyRulesError as exc:
        raise type(exc)(exc.message, blob.path) from exc


def _read_all(blobs: list[Blob], executor: Executor) -> list[RuleSet | PolicyRulesError]:
    read: list[RuleSet | PolicyRulesError] = []
    for outcome in run_all(blob_to_rules, blobs, executor):
        if outcome.error is not None:
            read.append(outcome.error)
        else:
            assert outcome.result is not None
            read.append(outcome.result)
    return read


def _change(planned: Planned, read: dict[int, RuleSet], earlier: list[RuleSet],
            archive: Path | None) -> PolicyChange:
    new = read[id(planned.new)]
    before = read[id(planned.old)] if planned.old is not None else (
        _prior(new, earlier) or _archived_prior(new, archive))
    return PolicyChange(planned.path, diff(before, new) if before else None, new)


def _prior(new: RuleSet, earlier: list[RuleSet]) -> RuleSet | None:
    """The latest version of the same policy that is older than new."""
    date = new.policy.effective_date or ""
    same = [r for r in earlier if same_policy(r, new) and (r.policy.effective_date or "") <= date
            and r.source.sha256 != new.source.sha256]
    return max(same, key=lambda r: r.policy.effective_date or "", default=None)


def _archived_prior(new: RuleSet, archive: Path | None) -> RuleSet | None:
    if archive is None or not (archive / ".git").exists():
        return None
    from extractor.archive import Archive

    try:
        return Archive(archive, create=False).prior(new)
    except ArchiveError:
        return None


def _is_policy(path: str) -> bool:
    suffix = Path(path).suffix.lower()
    return suffix in DOCUMENT_SUFFIXES or (suffix == ".json" and "rules_out/" in path)


def _rules(path: str, data: bytes, reader: Reader) -> RuleSet:
    if path.lower().endswith(".json"):
        return json_to_ruleset(data, path)
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / Path(path).name
        file.write_bytes(data)
        return reader.rules(file)


def comment(policies: list[PolicyChange], failures: list[PolicyRulesError] | None = None) -> str:
    """One Markdown comment for every changed policy, summaries first, then the files that
    could not be read."""
    unread = "".join(f"- {_code(f.path or '?')}: {markdown_escape(f.message)}\n"
                     for f in failures or [])
    unread = f"\n#### Files that could not be read\n\n{unread}" if unread else ""
    if not policies and not unread:
        return NO_POLICY
    parts = [f"{COMMENT_MARKER}\n## Policy changes in this pull request "
             f"({len(policies)} policies)\n"]
    for p in policies:
        title = p.new.policy.title or p.path
        parts.append(f"\n#### {_code(p.path)} — {markdown_escape(title)}\n")
        if p.changes is None:
            parts.append(f"\nNew policy: {len(p.new.coverage)} coverage statements, "
                         f"{len(p.new.codes)} codes.\n")
        else:
            parts.append("\n" + render(p.changes, "markdown"))
    return "".join(parts) + unread


def _code(text: str) -> str:
    """A file path as a Markdown code span: nothing in it can close the span or the line."""
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


def failure_reasons(policies: list[PolicyChange], level: Severity) -> list[str]:
    """For each policy with a change at this severity or above, one line saying which."""
    reasons: list[str] = []
    for p in policies:
        if p.changes is None:
            if SEVERITIES.index("material") <= SEVERITIES.index(level):
                reasons.append(f"{p.path}: a new policy (material)")
        elif any(SEVERITIES.index(c.severity) <= SEVERITIES.index(level)
                 for c in p.changes.changes):
            reasons.append(f"{p.path}: {headline(p.changes)}")
    return reasons
