"""The commands that read documents: extract, diff, ci and fetch."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from extractor.cli.common import (
    ARCHIVE_OPTION,
    FORMAT_SUFFIXES,
    INPUT_SUFFIXES,
    SEVERITY_CHOICES,
    check_output,
    cli,
    emit,
    executor_of,
    executor_options,
    finish,
    for_each,
    reader_of,
    reading_options,
    rules_of,
    stderr,
)
from extractor.engines import DEFAULT_ENGINE
from extractor.errors import (
    NotComparableError,
    StrictModeError,
)
from extractor.files import file_identity, write_output
from extractor.limits import (
    DOCUMENT_TIMEOUT_SECONDS,
    MAX_DOWNLOAD_BYTES,
)

if TYPE_CHECKING:
    from extractor.cache import Reader
    from extractor.diff import Severity
    from extractor.executors import Executor
    from extractor.model import RuleSet
    from extractor.report import ReportFormat
    from extractor.rulefile import RuleFile


@cli.command("extract")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMAT_SUFFIXES)), default="json",
              show_default=True, help="Rule file format.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write here instead of stdout (a folder when SOURCE is a folder).")
@click.option("--strict", is_flag=True, help="Fail when the extraction recorded any issue.")
@reading_options
@executor_options
def extract_command(source: Path, fmt: str, output: Path | None, strict: bool,
                    reader: Reader, jobs: int | None,
                    executor: str, scheduler: str | None) -> None:
    """Extract the rule file of a policy document, or of every document in a folder.

    SOURCE is a policy PDF, a Markdown or HTML rendition of one (.md, .markdown, .html, .htm),
    or a folder of them.

    Example:

        policy-rules extract corpus/sample/zentorimab-v2.pdf -o rules.json
    """
    if source.is_dir():
        if output is None:
            raise click.UsageError(f"{source}: is a folder; extracting a folder needs -o OUTDIR")
        sys.exit(_extract_folder(source, output, fmt, strict, reader,
                                 executor_of(jobs, executor, scheduler)))
    check_output(output, source)
    from extractor.rulefile import rule_file_to

    emit(rule_file_to(fmt, _extract_one(source, strict, replace(reader, cache=None))), output)


@cli.command("diff")
@click.argument("versions", nargs=-1, required=True, metavar="[OLD] NEW | POLICY")
@click.option("--from", "from_version", help="With POLICY: the archived version to compare from.")
@click.option("--to", "to_version", help="With POLICY: the archived version to compare to.")
@ARCHIVE_OPTION
@click.option("--format", "fmt", type=click.Choice(["html", "markdown", "json"]),
              default="markdown", show_default=True, help="Report format.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the report here instead of stdout.")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when anything above cosmetic changed, 0 otherwise.")
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES),
              help="Exit 1 when a change of this severity or above is found.")
@click.option("--force", is_flag=True,
              help="Compare two different policies, or a newer version with an older one; "
                   "the report says so at the top.")
@reading_options
def diff_command(versions: tuple[str, ...], from_version: str | None, to_version: str | None,
                 root: Path, fmt: ReportFormat, output: Path | None, exit_code: bool,
                 fail_on: Severity | None, force: bool, reader: Reader) -> None:
    """Report what changed from one version of a policy to the next.

    OLD and NEW are policy PDFs, Markdown / HTML renditions or rule files (.json). Given NEW
    alone, OLD is its prior version in the archive (the version its revision history says it
    archived, else the latest earlier one). Given POLICY with --from and --to, both versions
    come from the archive.

    Example:

        policy-rules diff corpus/sample/zentorimab-v1.pdf corpus/sample/zentorimab-v2.pdf \\
            --format html -o report.html
    """
    from extractor.diff import diff, reaches
    from extractor.report import render

    check_output(output, *map(Path, versions))
    before, after = _versions(versions, from_version, to_version, root,
                              reader)
    changes = diff(before, after)
    for warning in changes.warnings:
        if not force:
            raise NotComparableError(f"{warning} (--force compares them anyway)")
        stderr().print(f"warning: {warning}", markup=False)
    emit(render(changes, fmt, after), output)
    if (exit_code and changes.above_cosmetic) or (fail_on and reaches(changes, fail_on)):
        sys.exit(1)


def _versions(args: tuple[str, ...], from_version: str | None, to_version: str | None,
              root: Path, reader: Reader) -> tuple[RuleSet, RuleSet]:
    from extractor.archive import Archive
    from extractor.archive_index import resolve

    if from_version or to_version:
        if len(args) != 1 or not (from_version and to_version):
            raise click.UsageError("--from and --to go together, with one POLICY")
        archive = Archive(root, create=False)
        policy = resolve(archive, args[0])
        return archive.show(policy, from_version), archive.show(policy, to_version)
    if len(args) == 2:
        return rules_of(Path(args[0]), reader), rules_of(Path(args[1]), reader)
    if len(args) != 1:
        raise click.UsageError("give OLD NEW, NEW alone, or POLICY --from V --to V")
    new = rules_of(Path(args[0]), reader)
    return Archive(root, create=False).prior(new), new


@cli.command("ci")
@click.option("--base", required=True, help="The commit the pull request starts from.")
@click.option("--head", default="HEAD", show_default=True, help="The pull request's commit.")
@click.option("--repo", "repo_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("."), show_default=True, help="The repository.")
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES),
              help="Exit 1 when a change of this severity or above is found.")
@click.option("--archive", "archive_root", type=click.Path(path_type=Path, file_okay=False),
              help="An archive to find a policy's prior version in when the range holds none.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the comment here instead of stdout.")
@reading_options
@executor_options
def ci_command(base: str, head: str, repo_dir: Path, fail_on: Severity | None,
               archive_root: Path | None, output: Path | None, reader: Reader,
               jobs: int | None, executor: str, scheduler: str | None) -> None:
    """One Markdown comment on every policy a range of commits adds or changes.

    A new version is compared with the prior version of the same policy (by policy number or
    title), whatever the file names: the file it replaces, a file beside it, or the archive.

    Example:

        policy-rules ci --base origin/main --head HEAD --fail-on breaking -o comment.md
    """
    from extractor.ci import changed_policies, comment, failure_reasons

    policies, failures = changed_policies(repo_dir, base, head,
                                          reader,
                                          executor_of(jobs, executor, scheduler), archive_root)
    emit(comment(policies, failures), output)
    for failure in failures:
        stderr().print(f"error: {failure}", markup=False)
    reasons = failure_reasons(policies, fail_on) if fail_on is not None else []
    for reason in reasons:
        stderr().print(f"failing (--fail-on {fail_on}): {reason}", markup=False)
    if failures:
        sys.exit(max(failure.exit_code for failure in failures))
    if reasons:
        sys.exit(1)


@cli.command("fetch")
@click.argument("urls", nargs=-1)
@click.option("--list", "listing", type=click.Path(path_type=Path, dir_okay=False),
              help="Addresses, one per line, or a manifest with a source_url column.")
@click.option("--dest", type=click.Path(path_type=Path, file_okay=False),
              default=Path("downloads"), show_default=True, help="Where downloads are kept.")
@ARCHIVE_OPTION
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_DOWNLOAD_BYTES,
              show_default=True, help="Refuse larger documents.")
def fetch_command(urls: tuple[str, ...], listing: Path | None, dest: Path, root: Path,
                  max_bytes: int) -> None:
    """Download policy PDFs, skip those unchanged, and archive the new versions.

    Example:

        policy-rules fetch --list corpus/sources.txt --archive policy-archive
    """
    from extractor.archive import Archive
    from extractor.fetch import Fetcher, urls_from
    addresses = [*urls, *(urls_from(listing) if listing else [])]
    if not addresses:
        raise click.UsageError("give addresses, or --list FILE")
    fetcher = Fetcher(dest, max_bytes=max_bytes)
    archive, reader = Archive(root), reader_of(DEFAULT_ENGINE, timeout=DOCUMENT_TIMEOUT_SECONDS)
    counts = {"downloaded": 0, "unchanged": 0, "archived": 0}

    def one(url: str, _: str) -> None:
        fetched = fetcher.fetch(url)
        counts[fetched.outcome] += 1
        if fetched.path is not None:
            counts["archived"] += archive.add(reader.rules(fetched.path))[1]
            fetcher.remember(fetched)  # only now: a version not archived is fetched again

    failures = for_each("fetching", addresses, lambda u: u.rsplit("/", 1)[-1], one)
    sys.exit(finish(f"{counts['downloaded']} downloaded, {counts['unchanged']} unchanged, "
                     f"{counts['archived']} new version(s) archived", failures))


def _extract_one(path: Path, strict: bool, reader: Reader) -> RuleFile:
    found = reader.rule_file(path)
    _check_strict(found, path, strict)
    return found


def _check_strict(found: RuleFile, path: Path, strict: bool) -> None:
    issues = found.rules.issues if strict else []
    if issues:
        raise StrictModeError(f"{len(issues)} issue(s), first: {issues[0].message}", path)


def _extract_folder(folder: Path, outdir: Path, fmt: str, strict: bool,
                    reader: Reader, executor: Executor) -> int:
    from extractor.rulefile import rule_file_to

    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES)
    if not files:
        raise click.UsageError(f"{folder}: no policy documents ({', '.join(INPUT_SUFFIXES)})")
    targets = _folder_outputs(folder, files, outdir, FORMAT_SUFFIXES[fmt])

    def write(path: Path, found: RuleFile) -> None:
        _check_strict(found, path, strict)
        write_output(targets[path], rule_file_to(fmt, found))

    failures = for_each("extracting", files, lambda p: p.name, write,
                     reader.rule_file, executor, reader.known_file)
    return finish(f"{len(files) - len(failures)} of {len(files)} documents extracted", failures)


def _folder_outputs(folder: Path, files: list[Path], outdir: Path,
                    suffix: str) -> dict[Path, Path]:
    """Each document's rule file, refused up front when two documents would share one
    (a.md and a.html) or a rule file would replace a document."""
    targets = {path: outdir / path.relative_to(folder).with_suffix(suffix) for path in files}
    seen: dict[Path, Path] = {}
    inputs = {file_identity(path) for path in files} - {None}  # one stat each, not one a pair
    for path, target in targets.items():
        if target in seen:
            raise click.UsageError(f"{seen[target]} and {path} would both be written to "
                                   f"{target}; extract them into different folders")
        if file_identity(target) in inputs:
            raise click.UsageError(f"{target}: is an input; give another -o")
        seen[target] = path
    return targets
