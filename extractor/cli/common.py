"""What every command shares: the command group, the reading and executor options, output,
progress, and the entry point that turns errors into one line and an exit code.

Each command imports the part of the library it needs when it runs, so that `--help` and the
light commands start in a fraction of a second.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from extractor.engines import DEFAULT_ENGINE, ENGINES
from extractor.errors import (
    ArchiveError,
    InputError,
    OutputError,
    PolicyRulesError,
)
from extractor.files import same_file, write_output
from extractor.limits import (
    DOCUMENT_TIMEOUT_SECONDS,
    MAX_DOCUMENT_MEMORY_BYTES,
    MIB,
)

if TYPE_CHECKING:
    from rich.console import Console

    from extractor.cache import Reader
    from extractor.executors import Executor
    from extractor.model import RuleSet


INPUT_SUFFIXES = (".pdf", ".md", ".markdown", ".html", ".htm")
FORMAT_SUFFIXES = {"json": ".json", "yaml": ".yaml"}
SEVERITY_CHOICES = ["breaking", "material", "minor"]

T = TypeVar("T")
R = TypeVar("R")


def reading_options(command: Callable[..., None]) -> Callable[..., None]:
    """--engine, --no-cache, --timeout and --max-memory: how documents are read, handed to
    the command as one `reader`."""
    @functools.wraps(command)
    def with_reader(*args: Any, engine: str, no_cache: bool, timeout: float, max_memory: int,
                    **kwargs: Any) -> None:
        command(*args, reader=reader_of(engine, no_cache, timeout, max_memory), **kwargs)

    for option in reversed((
        click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE,
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


def executor_of(jobs: int | None, kind: str, scheduler: str | None) -> Executor:
    from extractor.executors import Executor, all_cores

    if scheduler and kind != "dask":
        raise click.UsageError("--scheduler goes with --executor dask")
    return Executor("dask" if kind == "dask" else "local", jobs or all_cores(), scheduler)


@functools.cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def reader_of(engine: str, no_cache: bool = False, timeout: float | None = None,
            max_memory: int = MAX_DOCUMENT_MEMORY_BYTES // MIB) -> Reader:
    from extractor.cache import Reader, RuleCache

    return Reader(engine, None if no_cache else RuleCache(),  # type: ignore[arg-type]
                  timeout, max_memory * MIB)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policy-rules")
def cli() -> None:
    """Turn health-insurance policy documents into versioned, machine-readable rules."""
    # pdfminer logs what it makes of damaged files; our own errors say what matters, once
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL + 1)


ARCHIVE_OPTION = click.option(
    "--archive", "root", type=click.Path(path_type=Path, file_okay=False),
    default=Path("policy-archive"), show_default=True, help="The archive's git repository.")


def check_output(output: Path | None, *inputs: Path) -> None:
    """Refuse an output that is one of the inputs: it would replace what is being read."""
    for source in inputs:
        if output is not None and same_file(output, source):
            raise click.UsageError(f"{output}: is an input; give another -o")


def emit(text: str, output: Path | None) -> None:
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


def rules_of(path: Path, reader: Reader) -> RuleSet:
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


def for_each(label: str, items: list[T], name: Callable[[T], str],
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


def finish(summary: str, failures: list[PolicyRulesError]) -> int:
    """Print the summary line and one line per failure; the exit code is the worst failure's."""
    stderr().print(summary)
    for failure in failures:
        stderr().print(f"error: {failure}", markup=False)
    return max((failure.exit_code for failure in failures), default=0)


def _progress() -> contextlib.AbstractContextManager[Any]:
    if not stderr().is_terminal:  # a bar in a log or pipe is only noise: not even imported
        return contextlib.nullcontext(_NoProgress())
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=stderr(), transient=True)


class _NoProgress:
    """The progress bar's calls, doing nothing."""

    def add_task(self, description: str, total: int) -> Any:
        return None

    def update(self, task: Any, description: str) -> None:
        pass

    def advance(self, task: Any) -> None:
        pass


def main() -> NoReturn:
    """Entry point: run the CLI, turning library errors into one line and an exit code."""
    leave(_exit_code())


def _exit_code() -> int:
    try:
        cli.main(standalone_mode=False)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        stderr().print(exc.code, markup=False)
        return 1
    except PolicyRulesError as exc:
        stderr().print(f"error: {exc}", markup=False)
        return exc.exit_code
    except click.exceptions.Abort:
        stderr().print("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except OSError as exc:
        stderr().print(f"error: {exc.filename or ''}: {exc.strerror}", markup=False)
        return 2
    return 0


def leave(code: int) -> NoReturn:
    """End the process once its work is done and its exit handlers have run, without tearing
    the interpreter down: freeing the objects of a loaded pipeline one by one (spaCy's
    vocabulary, the lexicons) takes a tenth of a second that nobody waits for. Every file is
    written and closed by then; the standard streams are flushed here. As at a normal exit,
    threads that are not daemons finish first."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            if stream is not None:  # None: closed when the process started
                stream.flush()
    os._exit(code)
