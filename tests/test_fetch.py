"""policy-rules fetch against a local HTTP server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import git
import pytest

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
    assert Fetcher(tmp_path).fetch(f"{server}/policy.pdf").outcome == "unchanged"
    fetcher.fetch(f"{server}/etag.pdf")
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
