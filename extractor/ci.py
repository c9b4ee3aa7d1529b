"""The policies a range of commits changes, and one pull-request comment about all of them."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import git

from extractor.archive import slug
from extractor.cache import Reader
from extractor.diff import SEVERITIES, ChangeSet, Severity, diff
from extractor.errors import InputError
from extractor.executors import Executor, run_all
from extractor.model import RuleSet
from extractor.report import render
from extractor.rulefile import json_to_ruleset

DOCUMENT_SUFFIXES = (".pdf", ".md", ".markdown", ".html", ".htm")


@dataclass
class PolicyChange:
    path: str
    changes: ChangeSet | None  # None: a policy new to the repository
    new: RuleSet


def changed_policies(repo_dir: Path, base: str, head: str, reader: Reader | None = None,
                     executor: Executor | None = None) -> list[PolicyChange]:
    """Every policy document or rule file the commits from base to head add or change.

    The documents of both sides are read first, all at once on the executor; a document that
    cannot be read stops the comment with its error.
    """
    try:
        repo = git.Repo(repo_dir, search_parent_directories=True)
        old_commit, new_commit = repo.commit(base), repo.commit(head)
    except (git.GitError, git.BadName, git.BadObject, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read commits {base}..{head} ({reason})", repo_dir) from exc
    blobs: list[Blob] = []
    plan: list[tuple[str, int | None, int | None]] = []  # path, old blob, new blob

    def want(path: str, blob: git.Blob) -> int:
        blobs.append(Blob(path, blob.data_stream.read(), reader or Reader()))
        return len(blobs) - 1

    for item in old_commit.diff(new_commit):
        path = item.b_path or item.a_path
        if path is None or not _is_policy(path):
            continue
        old = want(item.a_path or path, item.a_blob) if item.a_blob is not None else None
        new = want(path, item.b_blob) if item.b_blob is not None and not item.deleted_file \
            else None
        plan.append((path, old, new))
    return _changes(plan, _read_all(blobs, executor or Executor()))


@dataclass(frozen=True)
class Blob:
    """A file's content at one side of the range, to be read into rules."""

    path: str
    data: bytes
    reader: Reader


def blob_to_rules(blob: Blob) -> RuleSet:
    return _rules(blob.path, blob.data, blob.reader)


def _read_all(blobs: list[Blob], executor: Executor) -> list[RuleSet]:
    read: list[RuleSet] = []
    for outcome in run_all(blob_to_rules, blobs, executor):
        if outcome.error is not None:
            raise outcome.error
        assert outcome.result is not None
        read.append(outcome.result)
    return read


def _changes(plan: list[tuple[str, int | None, int | None]],
             rules: list[RuleSet]) -> list[PolicyChange]:
    found: list[PolicyChange] = []
    deleted = {slug(rules[old].policy.title, path): rules[old]
               for path, old, new in plan if new is None and old is not None}
    for path, old, new in plan:
        if new is None:
            continue
        if old is not None:
            found.append(PolicyChange(path, diff(rules[old], rules[new]), rules[new]))
            continue
        # a new version committed under a new name, in place of the old file
        before = deleted.get(slug(rules[new].policy.title, path))
        found.append(PolicyChange(path, diff(before, rules[new]) if before else None,
                                  rules[new]))
    return sorted(found, key=lambda p: p.path)


def _is_policy(path: str) -> bool:
    suffix = Path(path).suffix.lower()
    return suffix in DOCUMENT_SUFFIXES or (suffix == ".json" and "rules_out/" in path)


def _rules(path: str, data: bytes, reader: Reader) -> RuleSet:
    if path.lower().endswith(".json"):
        return json_to_ruleset(data.decode("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / Path(path).name
        file.write_bytes(data)
        return reader.rules(file)


def comment(policies: list[PolicyChange]) -> str:
    """One Markdown comment for every changed policy, summaries first."""
    if not policies:
        return "No policy document or rule file changed.\n"
    parts = [f"## Policy changes in this pull request ({len(policies)} policies)\n"]
    for p in policies:
        title = p.new.policy.title or p.path
        parts.append(f"\n#### `{p.path}` — {_plain(title)}\n")
        if p.changes is None:
            parts.append(f"\nNew policy: {len(p.new.coverage)} coverage statements, "
                         f"{len(p.new.codes)} codes.\n")
        else:
            parts.append("\n" + render(p.changes, "markdown"))
    return "".join(parts)


def _plain(text: str) -> str:
    return text.replace("`", "'").replace("<", "‹").replace(">", "›")


def worst(policies: list[PolicyChange]) -> Severity | None:
    """The most severe change over all policies (a new policy counts as material)."""
    found = {c.severity for p in policies if p.changes for c in p.changes.changes}
    if any(p.changes is None for p in policies):
        found.add("material")
    return next((s for s in SEVERITIES if s in found), None)


def fails(policies: list[PolicyChange], level: Severity) -> bool:
    """Whether anything at this severity or above changed."""
    top = worst(policies)
    return top is not None and SEVERITIES.index(top) <= SEVERITIES.index(level)
