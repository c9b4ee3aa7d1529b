"""Limits a PDF must keep before either engine opens it: a few kilobytes must not inflate to
gigabytes in the reader (a Flate bomb), and a document must not run to thousands of pages.

The streams are found by their ``stream`` keyword and inflated here in bounded chunks, output
counted and dropped, so the check itself holds at most one chunk whatever a stream claims.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

from extractor import limits
from extractor.errors import LimitError

STREAM_START = re.compile(rb"stream\r?\n")
CHUNK = 1 << 16


def check_streams(data: bytes, path: Path | None = None) -> None:
    """Refuse a PDF with a Flate stream that inflates past limits.MAX_STREAM_BYTES."""
    for match in STREAM_START.finditer(data):
        if inflated_size(data, match.end(), limits.MAX_STREAM_BYTES) > limits.MAX_STREAM_BYTES:
            raise LimitError(f"a stream inflates to more than {limits.MAX_STREAM_BYTES:,} bytes "
                             "(a compression bomb?); not read", path)


def check_pages(count: int, path: Path | None = None) -> None:
    if count > limits.MAX_PAGES:
        raise LimitError(f"{count:,} pages, more than the limit of {limits.MAX_PAGES:,}; "
                         "not read", path)


def check_form_nesting(resources: Any, page: int, path: Path | None = None) -> None:
    """Refuse a page whose form XObjects draw one another deeper than limits.MAX_FORM_NESTING
    (pdfminer's resource dictionaries; a form that draws itself is the engines' to stop)."""
    seen: set[int] = set()
    stack = [(resources, 0)]
    while stack:
        found, depth = stack.pop()
        for form in _forms(found):
            if id(form) in seen:
                continue
            seen.add(id(form))
            if depth + 1 > limits.MAX_FORM_NESTING:
                raise LimitError(f"page {page} nests forms more than {limits.MAX_FORM_NESTING} "
                                 "deep; not read", path)
            stack.append((form.attrs.get("Resources"), depth + 1))


def _forms(resources: Any) -> list[Any]:
    """The form XObjects a resource dictionary names, resolved."""
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    try:
        resources = resolve1(resources)
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict):
            return []
        found = [resolve1(x) for x in xobjects.values()]
        return [x for x in found
                if isinstance(x, PDFStream) and resolve1(x.attrs.get("Subtype")) is LIT("Form")]
    except Exception:  # a damaged dictionary: the engines report damage when they read it
        return []


def inflated_size(data: bytes, start: int, limit: int) -> int:
    """Bytes the zlib stream at data[start:] inflates to, counted up to limit + 1; 0 when it
    is not a zlib stream."""
    inflater, total, position = zlib.decompressobj(), 0, start
    pending = data[position:position + CHUNK]
    position += CHUNK
    try:
        while total <= limit and not inflater.eof:
            total += len(inflater.decompress(pending, CHUNK))
            pending = inflater.unconsumed_tail
            if not pending:
                if position >= len(data):
                    break
                pending = data[position:position + CHUNK]
                position += CHUNK
    except zlib.error:
        return total  # not Flate, or damaged: the engines report what they make of it
    return total
