"""A time limit on reading one document (`--timeout`), checked at the reading's milestones.

The limit is a deadline the reading stages look at between their steps (each PDF page, each
stage of the pipeline), not a signal: an exception thrown into arbitrary code can land in a
finalizer or a library's cleanup and be lost there. A step already under way finishes first,
so a document overruns the limit by at most one page or one stage, each bounded by the other
limits. The deadline is held in a context variable, so it holds in any thread (a Dask worker's).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from extractor.errors import LimitError

_DEADLINE: ContextVar[tuple[float, float, Path | None] | None] = ContextVar(
    "deadline", default=None)


@contextmanager
def time_limit(seconds: float | None, path: Path | None = None,
               since: float | None = None) -> Iterator[None]:
    """Within the block, check_deadline() raises LimitError once `seconds` have passed since
    `since` (a time.monotonic(), the same in a child process; default now)."""
    start = time.monotonic() if since is None else since
    token = _DEADLINE.set((start + seconds, seconds, path) if seconds else None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline() -> None:
    """A milestone of the reading: past the deadline, the document is given up."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise LimitError(f"not read within {deadline[1]:g} s (--timeout)", deadline[2])
