"""One document read in a child process of its own, so that its limits hold whatever runs.

The reading checks its deadline between pages and stages (extractor.deadline), but a step
inside a library's C code (PDFium parsing a content stream) cannot be interrupted from within.
A child process can be stopped from outside: it is killed once the time is up, and its address
space is capped, so a document that would take the machine's memory fails on its own with
MemoryError. Only the answer travels back, pickled, through a pipe. A child can be started and
its answer taken later (started()), so that this process works meanwhile: a document's pages
are read in one child while this process builds the pipeline, and its rules are made in a second
child forked from the built pipeline, which imports and builds nothing again
(extractor.cache.Reader).

Only the main thread forks (a Dask worker runs documents on threads of its own, whose locks a
child would inherit); elsewhere, and where there is no fork, a document is read in this process
under the cooperative deadline alone.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from extractor.errors import LimitError, PolicyRulesError, ReaderStoppedError
from extractor.limits import MIB

R = TypeVar("R")
# After the deadline the reading itself checks, the child has this long (at most the limit
# again) to give up cleanly before it is killed (s).
GRACE_SECONDS = 5.0
_CHUNK = 1 << 16


def can_isolate() -> bool:
    """Whether a child process can be forked here safely."""
    return hasattr(os, "fork") and threading.current_thread() is threading.main_thread()


def isolated(work: Callable[[], R], path: Path, seconds: float | None = None,
             memory: int | None = None, since: float | None = None) -> R:
    """work() in a forked child given `seconds` (and a grace) and `memory` more bytes of
    address space than this process has; a LimitError when it needs more of either."""
    with started(work, path, seconds, memory, since) as child:
        return child.result()


@contextlib.contextmanager
def permanent() -> Iterator[None]:
    """Objects made in the block (modules imported, a pipeline built) kept for the life of the
    process: the collector does not go through them while they are made, nor in later passes
    (a third of a fresh process's import time would otherwise go to collections that find
    nothing to free)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class Child(Generic[R]):
    """work() under way in a forked child (or done already, where there is no forking): this
    process goes on with its own work, then takes the answer with result()."""

    def __init__(self, work: Callable[[], R], path: Path, seconds: float | None,
                 memory: int | None, since: float | None) -> None:
        self.path, self.seconds, self.pid = path, seconds, 0
        self.status: int | None = None  # the child's wait status, once it has ended
        start = time.monotonic() if since is None else since
        # past the deadline the reading itself checks, a grace to give up cleanly
        self.until = None if seconds is None else start + seconds + min(GRACE_SECONDS, seconds)
        if not can_isolate():
            self._done = _outcome(work)
            return
        for stream in (sys.stdout, sys.stderr):  # a buffer copied into the child is written twice
            if stream is not None:  # None: closed when the process started
                stream.flush()
        self.receive, send = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: answer, and leave without running the parent's exit handlers
            # the parent's objects outlive the child: the collector need not go through them
            # again with each pass over the child's own (nor copy their pages to do so)
            gc.freeze()
            os.close(self.receive)
            try:
                _answer(work, memory, send)
            finally:
                os._exit(0)
        os.close(send)

    def result(self) -> R:
        """The child's answer; the error it raised, or a LimitError or ReaderStoppedError."""
        done, value = self._done if not self.pid else self._collect()
        if not done:
            if isinstance(value, PolicyRulesError) and value.path is None:
                value.path = str(self.path)
            raise value
        return cast(R, value)

    def _collect(self) -> tuple[bool, Any]:
        try:
            data = _read_all(self.receive, self.until)
        finally:
            status = self.stop()
        if data is None:
            raise LimitError(f"not read within {self.seconds:g} s (--timeout)", self.path)
        if not data:
            raise _died(status, self.path)
        answer: tuple[bool, Any] = pickle.loads(data)
        return answer

    def stop(self) -> int:
        """Stop the child if it still runs (its answer no longer wanted); its wait status."""
        if self.pid and self.status is None:
            os.close(self.receive)
            self.status = _end(self.pid)
        return self.status or 0

    def __enter__(self) -> Child[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def started(work: Callable[[], R], path: Path, seconds: float | None = None,
            memory: int | None = None, since: float | None = None) -> Child[R]:
    """work() started in a forked child, limited as by isolated(); `seconds` count from
    `since` (a time.monotonic(); default now). Use it in a with block, which stops the child
    when its answer is not taken."""
    return Child(work, path, seconds, memory, since)


def _outcome(work: Callable[[], R]) -> tuple[bool, Any]:
    """work() in this process, as a child would answer it (the deadline alone holds)."""
    try:
        return True, work()
    except Exception as error:  # raised by result(), as a child's would be
        return False, error


def _answer(work: Callable[[], R], memory: int | None, send: int) -> None:
    if memory is not None:
        _cap_address_space(memory)
    try:
        answer = pickle.dumps((True, work()))
    except MemoryError:
        answer = pickle.dumps((False, LimitError(
            f"needs more than {(memory or 0) // MIB} MiB of memory (--max-memory)")))
    except Exception as error:  # handed to the parent, which raises it
        try:
            answer = pickle.dumps((False, error))
        except Exception:  # an error that cannot be pickled: its text
            answer = pickle.dumps((False, ReaderStoppedError(f"the reader failed: {error}")))
    view = memoryview(answer)
    while view:
        view = view[os.write(send, view):]


def _read_all(fd: int, deadline: float | None) -> bytes | None:
    """Everything written to fd until it closes; None when that lasts past the deadline (a
    time.monotonic())."""
    chunks: list[bytes] = []
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return None
        if not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _end(pid: int) -> int:
    """Stop the child if it still runs, and its wait status."""
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    return status


def _cap_address_space(extra: int) -> None:
    """Allow this process `extra` bytes of address space beyond what it has mapped now."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:  # no /proc (macOS, which does not enforce the limit either)
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + extra if hard == resource.RLIM_INFINITY else min(mapped + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _died(status: int, path: Path) -> PolicyRulesError:
    """The error of a child that ended without an answer."""
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return ReaderStoppedError(f"the reader stopped on this document ({name})", path)
    return ReaderStoppedError(
        f"the reader stopped on this document (exit {os.waitstatus_to_exitcode(status)})", path)
