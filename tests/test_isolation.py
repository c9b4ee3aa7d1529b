"""A document's reading in a child process: stopped past its time, capped in memory."""

from __future__ import annotations

import faulthandler
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extractor import pipeline
from extractor.cache import Reader, RuleCache
from extractor.cli import cli
from extractor.errors import (
    LimitError,
    NotAPolicyError,
    ReaderStoppedError,
    UnreadableDocumentError,
)
from extractor.isolation import isolated, started
from extractor.layout import Document, read
from extractor.limits import MIB

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample" / "zentorimab-v1.pdf"
DOC = Path("policy.pdf")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_the_answer_comes_back() -> None:
    assert isolated(lambda: {"pages": 3}, DOC) == {"pages": 3}


def test_a_library_call_that_never_returns_is_stopped_at_the_time_limit() -> None:
    start = time.monotonic()
    with pytest.raises(LimitError, match=r"not read within 0.5 s"):
        isolated(lambda: time.sleep(60), DOC, seconds=0.5)
    assert time.monotonic() - start < 5


def test_a_reading_that_takes_too_much_memory_fails_alone() -> None:
    with pytest.raises(LimitError, match="more than 256 MiB of memory") as raised:
        isolated(lambda: bytearray(4096 * MIB), DOC, memory=256 * MIB)
    assert raised.value.path == str(DOC)
    assert isolated(lambda: len(bytearray(64 * MIB)), DOC, memory=256 * MIB) == 64 * MIB


def test_a_crash_in_the_reader_is_one_error() -> None:
    def crash() -> None:
        faulthandler.disable()  # pytest's dump of the child's stack is no part of the test
        os.kill(os.getpid(), signal.SIGSEGV)

    with pytest.raises(UnreadableDocumentError, match="SIGSEGV"):
        isolated(crash, DOC)


def test_a_crashed_reading_is_not_kept_as_a_verdict_on_the_document(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cache = RuleCache(tmp_path / "cache")

    def crash(*args: object) -> None:
        faulthandler.disable()
        os.kill(os.getpid(), signal.SIGKILL)  # as the system's out-of-memory killer does

    monkeypatch.setattr(read, "bytes_to_document", crash)
    with pytest.raises(ReaderStoppedError, match="SIGKILL"):
        Reader(cache=cache).rules(SAMPLE)
    key = cache.key(SAMPLE.read_bytes())
    assert cache.refusal(key, SAMPLE) is None  # the next run reads the document again


def test_the_readers_own_error_comes_back_with_the_document() -> None:
    def refuse() -> None:
        raise NotAPolicyError("no policy number or title")

    with pytest.raises(NotAPolicyError, match="no policy number") as raised:
        isolated(refuse, DOC)
    assert raised.value.path == str(DOC)


def test_extract_stops_a_stuck_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "bytes_to_document", lambda *args: time.sleep(60))
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["extract", str(SAMPLE), "--timeout", "0.5"])
    assert time.monotonic() - start < 5
    assert isinstance(result.exception, LimitError)  # main() prints it as one line, exit 9
    assert result.exception.exit_code == 9
    assert str(result.exception) == f"{SAMPLE}: not read within 0.5 s (--timeout)"


def test_a_started_child_works_while_this_process_goes_on() -> None:
    start = time.monotonic()
    with started(lambda: time.sleep(0.6) or os.getpid(), DOC) as child:
        time.sleep(0.6)
        pid = child.result()
    assert pid != os.getpid()
    assert time.monotonic() - start < 1.1  # the two waits overlapped


def test_a_child_whose_answer_is_not_taken_is_stopped() -> None:
    with started(lambda: time.sleep(60), DOC) as child:
        pass
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # killed and reaped: no such child any more


def test_the_time_limit_counts_from_when_the_reading_began() -> None:
    start = time.monotonic()
    with pytest.raises(LimitError, match=r"not read within 1 s"):
        isolated(lambda: time.sleep(60), DOC, seconds=1, since=start - 1.5)
    assert time.monotonic() - start < 1.5  # 1 s and its grace, less the 1.5 s already spent


def test_the_pages_are_read_while_the_pipeline_is_built(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    marker, parse, warm = tmp_path / "reading", read.bytes_to_document, pipeline.warm
    seen_while_warming: list[bool] = []

    def reading(path: Path, *args: Any) -> Document:
        marker.write_text(str(os.getpid()))
        return parse(path, *args)

    def waiting_for_the_pages() -> None:
        deadline = time.monotonic() + 10
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_while_warming.append(marker.exists())
        warm()

    monkeypatch.setattr(read, "bytes_to_document", reading)
    monkeypatch.setattr(pipeline, "warm", waiting_for_the_pages)
    rules = Reader().rules(SAMPLE)
    assert rules.source.pages > 0
    assert seen_while_warming == [True]
    assert int(marker.read_text()) != os.getpid()  # in a child of its own
