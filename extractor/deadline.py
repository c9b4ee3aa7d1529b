"""A time limit on reading one document (`--timeout`).

The limit is a timer signal, so it holds wherever the time goes in Python code (pdfminer's
parser, the regexes of the text readers, the extractors); a call into PDFium is interrupted
when it returns, at the latest after the page it reads. Off the main thread (a Dask worker's
task threads) no signal can be had and the limit does not apply.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from extractor.errors import LimitError


@contextmanager
def time_limit(seconds: float | None, path: Path | None = None) -> Iterator[None]:
    """Raise LimitError in the block once `seconds` have passed (None: no limit)."""
    if (not seconds or threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer")):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise LimitError(f"not read within {seconds:g} s (--timeout)", path)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
