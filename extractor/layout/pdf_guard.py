"""Limits a PDF must keep before either engine opens it: a few kilobytes must not inflate to
gigabytes in the reader (a Flate bomb), and a document must not run to thousands of pages.

The streams are found by their ``stream`` keyword and inflated here in bounded chunks, output
counted and dropped, so the check itself holds at most one chunk whatever a stream claims.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

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
