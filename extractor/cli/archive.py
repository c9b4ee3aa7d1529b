"""The archive commands: add, log, show and list."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from extractor.cli.common import (
    ARCHIVE_OPTION,
    INPUT_SUFFIXES,
    cli,
    emit,
    executor_of,
    executor_options,
    finish,
    for_each,
    reading_options,
    rules_of,
)

if TYPE_CHECKING:
    from extractor.cache import Reader
    from extractor.diff import ChangeSet
    from extractor.model import RuleSet


@cli.group("archive")
def archive_group() -> None:
    """Keep every version of every policy's rule file in a git repository."""


@archive_group.command("add")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@ARCHIVE_OPTION
@reading_options
@executor_options
def archive_add_command(sources: tuple[Path, ...], root: Path, reader: Reader,
                        jobs: int | None, executor: str,
                        scheduler: str | None) -> None:
    """Extract policy documents (or read rule files) and file each version in the archive.

    Prints one line per version filed: policy, version and path in the archive.

    Example:

        policy-rules archive add corpus/sample --archive policy-archive
    """
    from extractor.archive import Archive

    files = [p for s in sources for p in (
        sorted(q for q in s.rglob("*") if q.suffix.lower() in (*INPUT_SUFFIXES, ".json"))
        if s.is_dir() else [s])]
    archive, reader = Archive(root), reader
    added = 0

    def one(path: Path, rules: RuleSet) -> None:
        nonlocal added
        version, new = archive.add(rules)
        if new:
            click.echo(f"{version.policy}\t{version.version}\t{version.path}")
        added += new

    failures = for_each("archiving", files, lambda p: p.name, one,
                     functools.partial(rules_of, reader=reader),
                     executor_of(jobs, executor, scheduler), reader.known)
    sys.exit(finish(f"{added} new version(s) archived, {len(files) - added - len(failures)} "
                     "already there", failures))


@archive_group.command("log")
@click.argument("policy")
@ARCHIVE_OPTION
def archive_log_command(policy: str, root: Path) -> None:
    """A policy's versions, oldest first, each with what changed from the one before.

    Example:

        policy-rules archive log 2025D0023
    """
    from extractor.archive import Archive
    from extractor.archive_index import resolve
    from extractor.diff import diff

    archive = Archive(root, create=False)
    policy = resolve(archive, policy)
    previous: RuleSet | None = None
    for v in archive.versions(policy):
        rules = archive.show(policy, v.version)
        summary = "first version" if previous is None else _one_line(diff(previous, rules))
        click.echo(f"{v.version}\t{v.effective_date or '?'}\t{summary}")
        previous = rules


@archive_group.command("show")
@click.argument("spec", metavar="POLICY[@VERSION]")
@ARCHIVE_OPTION
def archive_show_command(spec: str, root: Path) -> None:
    """Print one archived version's rule file: the latest, or the one after @.

    POLICY is its name in the archive or the start of it, a policy number or a number family.

    Example:

        policy-rules archive show lemtrada@2025D0023Y
    """
    from extractor.archive import Archive
    from extractor.archive_index import resolve
    from extractor.rulefile import ruleset_to_json

    name, _, version = spec.partition("@")
    archive = Archive(root, create=False)
    policy = resolve(archive, name)
    version = version or archive.versions(policy)[-1].version
    emit(ruleset_to_json(archive.show(policy, version)), None)


@archive_group.command("list")
@ARCHIVE_OPTION
def archive_list_command(root: Path) -> None:
    """Every policy in the archive: name, number, latest version and date, versions, title.

    Example:

        policy-rules archive list --archive policy-archive
    """
    from extractor.archive import Archive
    from extractor.archive_index import list_policies

    for p in list_policies(Archive(root, create=False)):
        click.echo(f"{p.policy}\t{p.number or '?'}\t{p.latest}\t{p.effective_date or '?'}\t"
                   f"{len(p.versions)}\t{p.title or ''}")


def _one_line(changes: ChangeSet) -> str:
    from extractor.diff import SEVERITIES

    counts: dict[str, int] = {}
    for change in changes.changes:
        counts[change.severity] = counts.get(change.severity, 0) + 1
    if not counts:
        return "no change"
    return ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if s in counts)
