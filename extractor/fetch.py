"""Download policy PDFs from their publishers' addresses, keeping only new versions.

Each download is checked before it is kept: the HTTP status, the content type, a size limit
and the PDF header. Conditional requests (ETag / Last-Modified, remembered in the download
folder's fetch-state.json) and the document's sha256 skip what has not changed. What an address
returned is remembered only once the caller says its version is safe (`remember`, after the
archive's commit): a run that dies in between downloads it again. Transient failures
(connection errors, 429 and 5xx) are retried with a growing pause; a download has an overall
deadline, whatever the server's pace.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlparse

from extractor.archive import slug
from extractor.errors import InputError, PolicyRulesError
from extractor.files import write_atomic
from extractor.limits import DOWNLOAD_DEADLINE_SECONDS, MAX_DOWNLOAD_BYTES

MAX_BYTES = MAX_DOWNLOAD_BYTES
TIMEOUT = 60.0  # seconds without a byte before a read gives up
CHUNK = 64 * 1024
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
    sha256: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def urls_from(listing: Path) -> list[str]:
    """Addresses from a list (one per line) or a manifest with a source_url column."""
    try:
        text = listing.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", listing) from exc
    except UnicodeDecodeError as exc:
        raise InputError("not a text list of addresses (not UTF-8)", listing) from exc
    first = text.splitlines()[0] if text.strip() else ""
    if "\t" in first and "source_url" in first.split("\t"):
        rows = csv.DictReader(text.splitlines(), delimiter="\t")
        return [r["source_url"].strip() for r in rows if (r.get("source_url") or "").strip()]
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


class Fetcher:
    """Downloads into one folder, remembering what each address last returned."""

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES, retries: int = 3,
                 pause: float = 1.0, deadline: float = DOWNLOAD_DEADLINE_SECONDS) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.retries = retries
        self.pause = pause
        self.state: dict[str, dict[str, str]] = self._load_state()

    def fetch(self, url: str) -> Fetched:
        """Download one address; a new version is saved but not yet remembered."""
        _check_address(url)
        known = self.state.get(url, {})
        data = self._get(url, known)
        if data is None:
            return Fetched(url, "unchanged", None)
        body, headers = data
        digest = hashlib.sha256(body).hexdigest()
        if digest == known.get("sha256"):
            self.remember(Fetched(url, "unchanged", None, digest, headers))
            return Fetched(url, "unchanged", None)
        path = self.folder / f"{_name(url)}-{digest[:12]}.pdf"
        write_atomic(path, body)
        return Fetched(url, "downloaded", path, digest, headers)

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
            except (http.client.HTTPException, ValueError) as exc:  # a broken or hostile reply
                raise FetchError(f"bad response ({_reason(exc)})", url) from exc
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code == 304:
                    return None
                if (exc.code != 429 and exc.code < 500) or attempt == self.retries:
                    raise FetchError(f"HTTP {exc.code} {exc.reason}", url) from exc
            except (urllib.error.URLError, OSError) as exc:
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
        body = self._body(url, response)
        if not body.lstrip()[:5] == b"%PDF-":
            raise FetchError("not a PDF (no %PDF- header)", url)
        return body

    def _body(self, url: str, response: object) -> bytes:
        """The body in chunks as they come: never more than max_bytes held, never longer than
        the deadline, however slowly a server drips it."""
        read = getattr(response, "read1")  # noqa: B009 - http.client response
        chunks: list[bytes] = []
        size, until = 0, time.monotonic() + self.deadline
        while chunk := read(CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"too large (over {self.max_bytes:,} bytes)", url)
            if time.monotonic() > until:
                raise FetchError(f"too slow (not complete after {self.deadline:g} s)", url)
            chunks.append(chunk)
        return b"".join(chunks)

    def remember(self, fetched: Fetched) -> None:
        """Record what an address returned, once its version is safely archived."""
        url, headers = fetched.url, fetched.headers
        self.state[url] = {"sha256": fetched.sha256, "etag": headers.get("ETag", ""),
                           "last_modified": headers.get("Last-Modified", "")}
        write_atomic(self.folder / STATE, json.dumps(self.state, indent=2, sort_keys=True) + "\n")

    def _load_state(self) -> dict[str, dict[str, str]]:
        file = self.folder / STATE
        if not file.exists():
            return {}
        try:
            loaded = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"unreadable fetch state ({_reason(exc)})", file) from exc
        if not isinstance(loaded, dict) or not all(
                isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
                for v in loaded.values()):
            raise InputError("unreadable fetch state (not an object of addresses)", file)
        return loaded


def _check_address(url: str) -> None:
    try:
        parsed = urlparse(url)
        port = parsed.port  # raises on a port that is not a number from 0 to 65535
    except ValueError as exc:
        raise FetchError(f"not a valid address ({_reason(exc)})", url) from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError("only http and https addresses are fetched", url)
    if not parsed.hostname or port == 0 or any(c.isspace() for c in url):
        raise FetchError("not a valid address (no host, port 0, or a space)", url)


def _reason(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def _name(url: str) -> str:
    """A file name from an address's last path segment, made safe."""
    last = unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1])
    return slug(last.removesuffix(".pdf").removesuffix(".PDF"), "policy")
