"""Writing files so that a failed or interrupted run never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from extractor.errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to path through a temporary file in the same folder and an
    atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_input(path: Path) -> bytes:
    """The bytes of an input document, or an InputError saying why they cannot be had."""
    if not path.exists():
        raise InputError("no such file", path)
    if path.is_dir():
        raise InputError("is a directory (give -o OUTDIR to extract a folder)", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path) from exc
    if not data:
        raise InputError("empty file", path)
    return data
