"""Download policy PDFs from their publishers' addresses, keeping only new versions.

Each download is checked before it is kept: the HTTP status, the content type, a size limit
and the PDF header. Conditional requests (ETag / Last-Modified, remembered in the download
folder's fetch-state.json) and the document's sha256 skip what has not changed. Transient
failures (connection errors, 429 and 5xx) are retried with a growing pause.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlparse

from extractor.archive import slug
from extractor.errors import InputError, PolicyRulesError
from extractor.files import write_atomic
from extractor.limits import MAX_DOWNLOAD_BYTES

MAX_BYTES = MAX_DOWNLOAD_BYTES
TIMEOUT = 60.0
STATE = "fetch-state.json"
PDF_TYPES = ("application/pdf", "application/octet-stream", "binary/octet-stream")
USER_AGENT = "policy-rules (+https://policy-rules.dev)"
Outcome = Literal["downloaded", "unchanged"]


class FetchError(PolicyRulesError):
    """A download was refused: not a PDF, too large, or the server kept failing."""

    exit_code = 8


@dataclass(frozen=True)
class Fetched:
    url: str
    outcome: Outcome
    path: Path | None  # the saved PDF when downloaded


def urls_from(listing: Path) -> list[str]:
    """Addresses from a list (one per line) or a manifest with a source_url column."""
    try:
        text = listing.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", listing) from exc
    first = text.splitlines()[0] if text.strip() else ""
    if "\t" in first and "source_url" in first.split("\t"):
        rows = csv.DictReader(text.splitlines(), delimiter="\t")
        return [r["source_url"].strip() for r in rows if (r.get("source_url") or "").strip()]
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


class Fetcher:
    """Downloads into one folder, remembering what each address last returned."""

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES, retries: int = 3,
                 pause: float = 1.0) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.retries = retries
        self.pause = pause
        self.state: dict[str, dict[str, str]] = self._load_state()

    def fetch(self, url: str) -> Fetched:
        if urlparse(url).scheme not in ("http", "https"):
            raise FetchError("only http and https addresses are fetched", url)
        known = self.state.get(url, {})
        data = self._get(url, known)
        if data is None:
            return Fetched(url, "unchanged", None)
        body, headers = data
        digest = hashlib.sha256(body).hexdigest()
        if digest == known.get("sha256"):
            self._remember(url, headers, digest)
            return Fetched(url, "unchanged", None)
        path = self.folder / f"{_name(url)}-{digest[:12]}.pdf"
        write_atomic(path, body)
        self._remember(url, headers, digest)
        return Fetched(url, "downloaded", path)

    def _get(self, url: str, known: dict[str, str]) -> tuple[bytes, dict[str, str]] | None:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        if known.get("etag"):
            request.add_header("If-None-Match", known["etag"])
        if known.get("last_modified"):
            request.add_header("If-Modified-Since", known["last_modified"])
        for attempt in range(self.retries + 1):
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                    return self._checked(url, response), dict(response.headers.items())
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code == 304:
                    return None
                if (exc.code != 429 and exc.code < 500) or attempt == self.retries:
                    raise FetchError(f"HTTP {exc.code} {exc.reason}", url) from exc
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt == self.retries:
                    reason = getattr(exc, "reason", exc)
                    raise FetchError(f"cannot be reached ({reason})", url) from exc
            time.sleep(self.pause * 2 ** attempt)
        raise FetchError("no response", url)

    def _checked(self, url: str, response: object) -> bytes:
        headers = getattr(response, "headers")  # noqa: B009 - http.client response
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind and kind not in PDF_TYPES:
            raise FetchError(f"not a PDF (content type {kind})", url)
        length = headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"too large ({int(length):,} bytes, limit {self.max_bytes:,})", url)
        body: bytes = getattr(response, "read")(self.max_bytes + 1)  # noqa: B009
        if len(body) > self.max_bytes:
            raise FetchError(f"too large (over {self.max_bytes:,} bytes)", url)
        if not body.lstrip()[:5] == b"%PDF-":
            raise FetchError("not a PDF (no %PDF- header)", url)
        return body

    def _remember(self, url: str, headers: dict[str, str], digest: str) -> None:
        self.state[url] = {"sha256": digest, "etag": headers.get("ETag", ""),
                           "last_modified": headers.get("Last-Modified", "")}
        write_atomic(self.folder / STATE, json.dumps(self.state, indent=2, sort_keys=True) + "\n")

    def _load_state(self) -> dict[str, dict[str, str]]:
        file = self.folder / STATE
        if not file.exists():
            return {}
        try:
            loaded: dict[str, dict[str, str]] = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"unreadable fetch state ({exc})", file) from exc
        return loaded


def _name(url: str) -> str:
    """A file name from an address's last path segment, made safe."""
    last = unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1])
    return slug(last.removesuffix(".pdf").removesuffix(".PDF"), "policy")
