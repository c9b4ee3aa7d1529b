"""policy-rules fetch against a local HTTP server on loopback."""

from __future__ import annotations

import contextlib
import os
import re
import socketserver
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import git
import pytest

from extractor.archive import Archive
from extractor.errors import InputError
from extractor.fetch import Fetcher, FetchError, urls_from
from tests.conftest import SAMPLE
from tests.test_cli import run

PAGES: dict[str, tuple[int, str, bytes]] = {}
HITS: dict[str, int] = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        HITS[self.path] = HITS.get(self.path, 0) + 1
        status, kind, body = PAGES.get(self.path, (404, "text/plain", b"missing"))
        if status == 503 and HITS[self.path] > 1:  # fails once, then works
            status, kind, body = PAGES[self.path + "?then"]
        if self.headers.get("If-None-Match") == '"v1"' and self.path == "/etag.pdf":
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/etag.pdf":
            self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    v1, v2 = ((SAMPLE / n).read_bytes() for n in ("zentorimab-v1.pdf", "zentorimab-v2.pdf"))
    PAGES.update({
        "/policy.pdf": (200, "application/pdf", v1),
        "/etag.pdf": (200, "application/pdf", v1),
        "/page.html": (200, "text/html", b"<html>moved</html>"),
        "/fake.pdf": (200, "application/pdf", b"<html>not a pdf</html>"),
        "/huge.pdf": (200, "application/pdf", v1 + b"\\0" * 1000),
        "/flaky.pdf": (503, "text/plain", b"busy"),
        "/flaky.pdf?then": (200, "application/pdf", v2),
    })
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download_then_unchanged_by_hash_and_by_etag(server: str, tmp_path: Path) -> None:
    fetcher = Fetcher(tmp_path)
    first = fetcher.fetch(f"{server}/policy.pdf")
    assert first.outcome == "downloaded" and first.path is not None
    assert first.path.read_bytes() == PAGES["/policy.pdf"][2]
    fetcher.remember(first)
    assert Fetcher(tmp_path).fetch(f"{server}/policy.pdf").outcome == "unchanged"
    fetcher.remember(fetcher.fetch(f"{server}/etag.pdf"))
    assert Fetcher(tmp_path).fetch(f"{server}/etag.pdf").outcome == "unchanged"  # 304


@pytest.mark.parametrize(("path", "reason"), [
    ("/page.html", "not a PDF (content type text/html)"),
    ("/fake.pdf", "not a PDF (no %PDF- header)"),
    ("/missing.pdf", "HTTP 404"),
])
def test_refusals(server: str, tmp_path: Path, path: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        Fetcher(tmp_path, retries=0).fetch(f"{server}{path}")


def test_size_limit_and_retry(server: str, tmp_path: Path) -> None:
    limit = len(PAGES["/policy.pdf"][2]) + 10
    with pytest.raises(FetchError, match="too large"):
        Fetcher(tmp_path, max_bytes=limit).fetch(f"{server}/huge.pdf")
    assert Fetcher(tmp_path, pause=0.01).fetch(f"{server}/flaky.pdf").outcome == "downloaded"


def test_fetch_command_archives_new_versions_and_reports_refusals(
        server: str, tmp_path: Path) -> None:
    listing = tmp_path / "sources.txt"
    listing.write_text(f"# sources\n{server}/policy.pdf\n{server}/page.html\n", encoding="utf-8")
    assert urls_from(listing) == [f"{server}/policy.pdf", f"{server}/page.html"]
    archive = tmp_path / "archive"
    result = run("fetch", "--list", listing, "--dest", tmp_path / "dl", "--archive", archive)
    assert result.returncode == 8
    lines = result.stderr.splitlines()
    assert lines[0] == "1 downloaded, 0 unchanged, 1 new version(s) archived"
    assert lines[1] == f"error: {server}/page.html: not a PDF (content type text/html)"
    assert len(list(git.Repo(archive).tags)) == 1
    again = run("fetch", f"{server}/policy.pdf", "--dest", tmp_path / "dl", "--archive", archive)
    assert again.returncode == 0 and again.stderr.startswith("0 downloaded, 1 unchanged")


# Replies no well-behaved server sends: (raw bytes, seconds between bytes after the headers)
PDF = b"%PDF-1.4\n" + b"x" * 200
RAW: dict[str, tuple[bytes, float]] = {
    "/bad-status.pdf": (b"HTTP/1.1 abc\r\n\r\n", 0),
    "/headers.pdf": (b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 200 + b"\r\n", 0),
    "/chunked.pdf": (b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n10\r\n%PDF-1.4", 0),
    "/drip.pdf": (b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n" + PDF, 0.05),
}


class RawHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request and (data := self.request.recv(4096)):
            request += data
        path = request.split(b" ")[1].decode() if request.count(b" ") > 1 else "/"
        reply, pause = RAW.get(path, (b"HTTP/1.1 404 Not Found\r\n\r\n", 0))
        head, _, body = reply.partition(b"\r\n\r\n")
        with contextlib.suppress(OSError):
            self.request.sendall(head + b"\r\n\r\n")
            for byte in (body if pause else [body]):
                self.request.sendall(bytes([byte]) if pause else byte)
                time.sleep(pause)


@pytest.fixture(scope="module")
def raw_server() -> Iterator[str]:
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RawHandler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(("path", "reason"), [
    ("/bad-status.pdf", "bad response"),
    ("/headers.pdf", "bad response (got more than 100 headers)"),
    ("/chunked.pdf", "bad response"),
])
def test_a_broken_reply_is_one_fetch_error(
        raw_server: str, tmp_path: Path, path: str, reason: str) -> None:
    with pytest.raises(FetchError, match=re.escape(reason)):
        Fetcher(tmp_path, retries=0).fetch(f"{raw_server}{path}")


def test_a_server_dripping_bytes_meets_the_overall_deadline(
        raw_server: str, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="too slow"):
        Fetcher(tmp_path, retries=0, deadline=0.5).fetch(f"{raw_server}/drip.pdf")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("url", ["http://127.0.0.1/a policy.pdf", "http://127.0.0.1:99999/x",
                                 "http://127.0.0.1:port/x", "http://[::1/x"])
def test_a_malformed_address_is_one_fetch_error(tmp_path: Path, url: str) -> None:
    with pytest.raises(FetchError):
        Fetcher(tmp_path, retries=0).fetch(url)


def test_a_huge_max_bytes_reserves_no_memory(server: str, tmp_path: Path) -> None:
    fetched = Fetcher(tmp_path, max_bytes=10**18).fetch(f"{server}/policy.pdf")
    assert fetched.outcome == "downloaded"


@pytest.mark.parametrize("state", [b"[1, 2]", b'{"http://a": 5}', b"\xff\xfe", b"{"])
def test_a_malformed_fetch_state_is_one_input_error(tmp_path: Path, state: bytes) -> None:
    (tmp_path / "fetch-state.json").write_bytes(state)
    with pytest.raises(InputError, match="unreadable fetch state"):
        Fetcher(tmp_path)


def test_a_binary_list_is_one_input_error(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(InputError, match="not a text list"):
        urls_from(listing)


def test_fetch_state_is_recorded_only_after_the_version_is_archived(
        server: str, tmp_path: Path) -> None:
    root, dest = tmp_path / "archive", tmp_path / "dl"
    Archive(root)
    lock = root / ".git" / "policy-rules.lock"
    lock.write_text(str(os.getpid()), encoding="utf-8")  # a live run holds the archive
    busy = run("fetch", f"{server}/etag.pdf", "--dest", dest, "--archive", root)
    assert busy.returncode == 7 and "busy" in busy.stderr
    assert f"{server}/etag.pdf" not in Fetcher(dest).state
    lock.unlink()
    again = run("fetch", f"{server}/etag.pdf", "--dest", dest, "--archive", root)
    assert again.returncode == 0, again.stderr
    assert again.stderr.startswith("1 downloaded, 0 unchanged, 1 new version(s) archived")
    assert Fetcher(dest).state[f"{server}/etag.pdf"]["etag"] == '"v1"'
