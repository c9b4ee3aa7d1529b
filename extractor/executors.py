"""Where the per-document work of a batch runs: in this process, on every core, or on a Dask
cluster. Whichever runs it, results come back in input order, so a batch writes the same bytes
in the same order whatever the executor and the number of jobs.

The work must be a module-level function of one picklable argument; a PolicyRulesError it
raises comes back as that document's error and does not stop the others.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from extractor.errors import InputError, PolicyRulesError

T = TypeVar("T")
R = TypeVar("R")
ExecutorKind = Literal["local", "dask"]
# How long to wait for a Dask scheduler to answer; a loaded cluster can take its time.
DASK_CONNECT_TIMEOUT = "30s"


@dataclass(frozen=True)
class Executor:
    """How to run a batch: `local` with `jobs` processes (1: in this process), or `dask` on
    the cluster whose scheduler listens at `scheduler` ("tcp://host:8786")."""

    kind: ExecutorKind = "local"
    jobs: int = 1
    scheduler: str | None = None


@dataclass(frozen=True)
class Outcome(Generic[T, R]):
    item: T
    result: R | None
    error: PolicyRulesError | None


def all_cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_all(work: Callable[[T], R], items: list[T], executor: Executor,
            known: Callable[[T], R | None] | None = None) -> Iterator[Outcome[T, R]]:
    """work(item) for every item, yielded in input order as each is ready.

    known(item), tried here first, gives the result of an item without sending it out (a rule
    file already in the cache), or raises the error the item is known to end in; only the
    others go to the executor.
    """
    answers = [_safely(known, item) if known else (None, None) for item in items]
    found = {i: a for i, a in enumerate(answers) if a != (None, None)}
    computed = _run(work, [item for i, item in enumerate(items) if i not in found], executor)
    for i, item in enumerate(items):
        yield Outcome(item, *found[i]) if i in found else next(computed)


def _run(work: Callable[[T], R], items: list[T], executor: Executor) -> Iterator[Outcome[T, R]]:
    safe = functools.partial(_safely, work)
    if executor.kind == "dask":
        results = _on_dask(safe, items, executor.scheduler)
    elif executor.jobs > 1 and len(items) > 1:
        results = _on_cores(safe, items, min(executor.jobs, len(items)))
    else:
        results = map(safe, items)
    for item, (result, error) in zip(items, results, strict=True):
        yield Outcome(item, result, error)


def _safely(work: Callable[[T], R], item: T) -> tuple[R | None, PolicyRulesError | None]:
    try:
        return work(item), None
    except PolicyRulesError as exc:
        return None, exc


def _on_cores(work: Callable[[T], R], items: list[T], jobs: int) -> Iterator[R]:
    """The items on a pool of processes, largest documents first (a long one started last
    would run alone at the end), results in input order."""
    from concurrent.futures import ProcessPoolExecutor

    order = sorted(range(len(items)), key=lambda i: -_size(items[i]))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {i: pool.submit(work, items[i]) for i in order}
        for i in range(len(items)):
            yield futures[i].result()


def _size(item: object) -> int:
    """A file's size, the estimate of the work it takes; 0 for what is no file."""
    if not isinstance(item, (str, os.PathLike)):
        return 0
    try:
        return os.path.getsize(item)
    except OSError:
        return 0


def _on_dask(work: Callable[[T], R], items: list[T], scheduler: str | None) -> Iterator[R]:
    if not scheduler:
        raise InputError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        from distributed import Client
    except ImportError as exc:
        raise InputError("--executor dask needs Dask: pip install 'policy-rules[cluster]'") \
            from exc
    try:
        client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise InputError(f"no Dask scheduler answers at {scheduler} ({exc})") from exc
    with client:
        futures = client.map(work, items, pure=False)
        for future in futures:
            yield future.result()
