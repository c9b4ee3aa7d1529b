"""The policy-rules command line: the only module that prints, reads argv or exits.

Each command imports the part of the library it needs when it runs, so that `--help` and the
light commands start in a fraction of a second.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import click

from extractor.errors import (
    ArchiveError,
    InputError,
    NotComparableError,
    OutputError,
    PolicyRulesError,
    StrictModeError,
)
from extractor.files import same_file, write_output
from extractor.limits import (
    DOCUMENT_TIMEOUT_SECONDS,
    MAX_DOCUMENT_MEMORY_BYTES,
    MAX_DOWNLOAD_BYTES,
    MIB,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from extractor.cache import Reader
    from extractor.diff import ChangeSet, Severity
    from extractor.executors import Executor
    from extractor.model import RuleSet
    from extractor.report import ReportFormat
    from extractor.rulefile import SchemaOf

INPUT_SUFFIXES = (".pdf", ".md", ".markdown", ".html", ".htm")
FORMAT_SUFFIXES = {"json": ".json", "yaml": ".yaml"}
SEVERITY_CHOICES = ["breaking", "material", "minor"]

T = TypeVar("T")
R = TypeVar("R")
ENGINES = ("pdfium", "pdfplumber")  # extractor.layout.pdf.ENGINES, without importing it here


def reading_options(command: Callable[..., None]) -> Callable[..., None]:
    """--engine, --no-cache, --timeout and --max-memory: how documents are read, handed to
    the command as one `reader`."""
    @functools.wraps(command)
    def with_reader(*args: Any, engine: str, no_cache: bool, timeout: float, max_memory: int,
                    **kwargs: Any) -> None:
        command(*args, reader=_reader(engine, no_cache, timeout, max_memory), **kwargs)

    for option in reversed((
        click.option("--engine", type=click.Choice(ENGINES), default=ENGINES[0],
                     show_default=True,
                     help="The PDF reader: PDFium (fast), or pdfplumber (the reference)."),
        click.option("--no-cache", is_flag=True,
                     help="Read every document anew instead of reusing the rule file of "
                          "identical content."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                     default=DOCUMENT_TIMEOUT_SECONDS, show_default=True, metavar="SECONDS",
                     help="Give up on a document not read in this time."),
        click.option("--max-memory", type=click.IntRange(min=64), metavar="MIB",
                     default=MAX_DOCUMENT_MEMORY_BYTES // MIB, show_default=True,
                     help="Give up on a document whose reading needs more memory (MiB)."),
    )):
        with_reader = option(with_reader)
    return with_reader


def executor_options(command: Callable[..., None]) -> Callable[..., None]:
    """--jobs, --executor and --scheduler: where a batch of documents is read."""
    for option in reversed((
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Documents read at once [default: all cores]."),
        click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
                     show_default=True, help="Read on this machine, or on a Dask cluster."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="With --executor dask: the scheduler, e.g. tcp://scheduler:8786."),
    )):
        command = option(command)
    return command


def _executor(jobs: int | None, kind: str, scheduler: str | None) -> Executor:
    from extractor.executors import Executor, all_cores

    if scheduler and kind != "dask":
        raise click.UsageError("--scheduler goes with --executor dask")
    return Executor("dask" if kind == "dask" else "local", jobs or all_cores(), scheduler)


@functools.cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _reader(engine: str, no_cache: bool = False, timeout: float | None = None,
            max_memory: int = MAX_DOCUMENT_MEMORY_BYTES // MIB) -> Reader:
    from extractor.cache import Reader, RuleCache

    return Reader(engine, None if no_cache else RuleCache(),  # type: ignore[arg-type]
                  timeout, max_memory * MIB)


def _writer(fmt: str) -> Callable[[RuleSet], str]:
    from extractor.rulefile import ruleset_to_json, ruleset_to_yaml

    return ruleset_to_yaml if fmt == "yaml" else ruleset_to_json


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policy-rules")
def cli() -> None:
    """Turn health-insurance policy documents into versioned, machine-readable rules."""
    # pdfminer logs what it makes of damaged files; our own errors say what matters, once
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL + 1)


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
                                 _executor(jobs, executor, scheduler)))
    _check_output(output, source)
    _emit(_writer(fmt)(_extract_one(source, strict, replace(reader, cache=None))), output)


ARCHIVE_OPTION = click.option(
    "--archive", "root", type=click.Path(path_type=Path, file_okay=False),
    default=Path("policy-archive"), show_default=True, help="The archive's git repository.")


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

    _check_output(output, *map(Path, versions))
    before, after = _versions(versions, from_version, to_version, root,
                              reader)
    changes = diff(before, after)
    for warning in changes.warnings:
        if not force:
            raise NotComparableError(f"{warning} (--force compares them anyway)")
        stderr().print(f"warning: {warning}", markup=False)
    _emit(render(changes, fmt, after), output)
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
        return _rules(Path(args[0]), reader), _rules(Path(args[1]), reader)
    if len(args) != 1:
        raise click.UsageError("give OLD NEW, NEW alone, or POLICY --from V --to V")
    new = _rules(Path(args[0]), reader)
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
                                          _executor(jobs, executor, scheduler), archive_root)
    _emit(comment(policies, failures), output)
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
    archive, reader = Archive(root), _reader(ENGINES[0], timeout=DOCUMENT_TIMEOUT_SECONDS)
    counts = {"downloaded": 0, "unchanged": 0, "archived": 0}

    def one(url: str, _: str) -> None:
        fetched = fetcher.fetch(url)
        counts[fetched.outcome] += 1
        if fetched.path is not None:
            counts["archived"] += archive.add(reader.rules(fetched.path))[1]
            fetcher.remember(fetched)  # only now: a version not archived is fetched again

    failures = _each("fetching", addresses, lambda u: u.rsplit("/", 1)[-1], one)
    sys.exit(_finish(f"{counts['downloaded']} downloaded, {counts['unchanged']} unchanged, "
                     f"{counts['archived']} new version(s) archived", failures))


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

    failures = _each("archiving", files, lambda p: p.name, one,
                     functools.partial(_rules, reader=reader),
                     _executor(jobs, executor, scheduler), reader.known)
    sys.exit(_finish(f"{added} new version(s) archived, {len(files) - added - len(failures)} "
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
    _emit(ruleset_to_json(archive.show(policy, version)), None)


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


CHECK_EXIT_CODES = {"met": 0, "not_met": 1, "unknown": 3}


@cli.command("check")
@click.argument("rules_path", metavar="RULES", type=click.Path(path_type=Path))
@click.argument("case_file", metavar="CASE", type=click.File("rb"))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Indented like the policy, or JSON for machines.")
@click.option("--statement", "about", multiple=True, metavar="ID",
              help="A statement the case is about (repeatable) [default: the proven ones].")
@reading_options
def check_command(rules_path: Path, case_file: BinaryIO, fmt: str, about: tuple[str, ...],
                  reader: Reader) -> None:
    """Evaluate a case against a policy's coverage criteria.

    RULES is a rule file (.json) or a policy document. CASE is a JSON file (- for stdin):
    {"answers": {"<criterion id>": true, ...}, "facts": {"age": 34, ...}}. Exit 0 when a
    statement the case is about is met, 1 when all are not met, 3 when undecided.

    Example:

        \b
        policy-rules check corpus/sample/zentorimab-v2.pdf \\
            corpus/sample/cases/ra-met.json --format json
    """
    from extractor.cases import json_to_case
    from extractor.check_text import check_to_text
    from extractor.evaluation import evaluate

    rules = _rules(rules_path, reader)
    case = json_to_case(case_file.read(), getattr(case_file, "name", "-"))
    result = evaluate(rules, case, about)
    _emit(check_to_text(rules, case, result) if fmt == "text"
          else result.model_dump_json(indent=2) + "\n", None)
    sys.exit(CHECK_EXIT_CODES[result.result])


@cli.command("export")
@click.argument("rules_path", metavar="RULES", type=click.Path(path_type=Path))
@click.option("--to", "target", type=click.Choice(["json-logic", "fhir-questionnaire"]),
              required=True, help="JSON Logic rules, or a FHIR R4 Questionnaire.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write here instead of stdout.")
@reading_options
def export_command(rules_path: Path, target: str, output: Path | None,
                   reader: Reader) -> None:
    """Export a policy's coverage criteria for a rule engine or a prior-authorization form.

    RULES is a rule file (.json) or a policy document.

    Example:

        \b
        policy-rules export corpus/sample/zentorimab-v2.pdf \\
            --to fhir-questionnaire -o q.json
    """
    _check_output(output, rules_path)
    rules = _rules(rules_path, reader)
    if target == "json-logic":
        from extractor.export_jsonlogic import export_to_json, to_json_logic

        _emit(export_to_json(to_json_logic(rules)), output)
    else:
        from extractor.export_fhir import questionnaire_to_json, to_questionnaire

        _emit(questionnaire_to_json(to_questionnaire(rules)), output)


@cli.command("schema")
@click.option("--of", "of", type=click.Choice(["ruleset", "changeset", "case", "check",
                                               "jsonlogic"]),
              default="ruleset", show_default=True,
              help="The rule file, the change report `diff --format json` writes, the case "
                   "`check` reads, what `check --format json` writes, or what `export --to "
                   "json-logic` writes.")
@click.option("--changeset", is_flag=True, help="Same as --of changeset.")
def schema_command(of: SchemaOf, changeset: bool) -> None:
    """Print the JSON Schema of the rule file (or of another published shape).

    Example:

        policy-rules schema > rules_out/schema.json
        policy-rules schema --of changeset > rules_out/changeset.schema.json
        policy-rules schema --of case > rules_out/case.schema.json
    """
    from extractor.rulefile import json_schema

    _emit(json_schema("changeset" if changeset else of), None)


def _check_output(output: Path | None, *inputs: Path) -> None:
    """Refuse an output that is one of the inputs: it would replace what is being read."""
    for source in inputs:
        if output is not None and same_file(output, source):
            raise click.UsageError(f"{output}: is an input; give another -o")


def _emit(text: str, output: Path | None) -> None:
    """Text to the output file, or to stdout; a closed or failing stdout is an error."""
    if output is not None:
        write_output(output, text)
        return
    stream = click.get_text_stream("stdout") if sys.stdout is not None else None
    if stream is None:
        raise OutputError("standard output is closed; nothing was written")
    try:
        stream.write(text)
        stream.flush()
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", "stdout") from exc


def _rules(path: Path, reader: Reader) -> RuleSet:
    """A version to compare: a rule file as written by extract, or a document to extract."""
    from extractor.rulefile import json_to_ruleset

    if path.suffix.lower() != ".json":
        return reader.rules(path)
    try:
        return json_to_ruleset(path.read_bytes(), path)
    except FileNotFoundError as exc:
        raise InputError("no such file", path) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory, not a rule file", path) from exc


def _extract_one(path: Path, strict: bool, reader: Reader) -> RuleSet:
    rules = reader.rules(path)
    _check_strict(rules, path, strict)
    return rules


def _check_strict(rules: RuleSet, path: Path, strict: bool) -> None:
    if strict and rules.issues:
        first = rules.issues[0]
        raise StrictModeError(f"{len(rules.issues)} issue(s), first: {first.message}", path)


def _extract_folder(folder: Path, outdir: Path, fmt: str, strict: bool,
                    reader: Reader, executor: Executor) -> int:

    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES)
    if not files:
        raise click.UsageError(f"{folder}: no policy documents ({', '.join(INPUT_SUFFIXES)})")
    writer, targets = _writer(fmt), _folder_outputs(folder, files, outdir, FORMAT_SUFFIXES[fmt])

    def write(path: Path, rules: RuleSet) -> None:
        _check_strict(rules, path, strict)
        write_output(targets[path], writer(rules))

    failures = _each("extracting", files, lambda p: p.name, write,
                     reader.rules, executor, reader.known)
    return _finish(f"{len(files) - len(failures)} of {len(files)} documents extracted", failures)


def _folder_outputs(folder: Path, files: list[Path], outdir: Path,
                    suffix: str) -> dict[Path, Path]:
    """Each document's rule file, refused up front when two documents would share one
    (a.md and a.html) or a rule file would replace a document."""
    targets = {path: outdir / path.relative_to(folder).with_suffix(suffix) for path in files}
    seen: dict[Path, Path] = {}
    for path, target in targets.items():
        if target in seen:
            raise click.UsageError(f"{seen[target]} and {path} would both be written to "
                                   f"{target}; extract them into different folders")
        if any(same_file(target, source) for source in files):
            raise click.UsageError(f"{target}: is an input; give another -o")
        seen[target] = path
    return targets


def _each(label: str, items: list[T], name: Callable[[T], str],
          consume: Callable[[T, R], None], compute: Callable[[T], R] | None = None,
          executor: Executor | None = None,
          known: Callable[[T], R | None] | None = None) -> list[PolicyRulesError]:
    """compute each item (on the executor, results in input order), then consume it here, under
    one progress bar; a document's error does not stop the rest (an unusable archive does)."""
    from extractor.executors import Executor, Outcome, run_all

    outcomes = (run_all(compute, items, executor or Executor(), known) if compute is not None
                else (Outcome(item, item, None) for item in items))
    failures: list[PolicyRulesError] = []
    with _progress() as progress:
        task = progress.add_task(label, total=len(items))
        for outcome in outcomes:
            progress.update(task, description=name(outcome.item)[:40])
            try:
                if outcome.error is not None:
                    raise outcome.error
                consume(outcome.item, outcome.result)  # type: ignore[arg-type]
            except ArchiveError:
                raise
            except PolicyRulesError as exc:
                failures.append(exc)
            progress.advance(task)
    return failures


def _finish(summary: str, failures: list[PolicyRulesError]) -> int:
    """Print the summary line and one line per failure; the exit code is the worst failure's."""
    stderr().print(summary)
    for failure in failures:
        stderr().print(f"error: {failure}", markup=False)
    return max((failure.exit_code for failure in failures), default=0)


def _progress() -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=stderr(), transient=True,
        disable=not stderr().is_terminal,  # a bar in a log or pipe is only noise
    )


def main() -> None:
    """Entry point: run the CLI, turning library errors into one line and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except PolicyRulesError as exc:
        stderr().print(f"error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        stderr().print("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except OSError as exc:
        stderr().print(f"error: {exc.filename or ''}: {exc.strerror}", markup=False)
        sys.exit(2)
