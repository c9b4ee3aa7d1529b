"""Writing files so that a failed or interrupted run never leaves half a file behind."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from extractor.errors import InputError, OutputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to path through a temporary file in the same folder and an
    atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, _mode_of(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(path: Path, data: str) -> None:
    """Write a user's output file: a regular file atomically, keeping its mode; through a
    symbolic link to its target, not over the link; to a device or pipe (/dev/null, /dev/stdout)
    as a stream. A failure is an OutputError naming the path."""
    target = Path(os.path.realpath(path))
    try:
        if target.exists() and not target.is_file():
            with target.open("w", encoding="utf-8") as handle:
                handle.write(data)
        else:
            write_atomic(target, data)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links, "./", hard links)."""
    identity = file_identity(a)
    return identity is not None and identity == file_identity(b)


def file_identity(path: Path) -> tuple[int, int] | None:
    """What names one file whatever the path to it (links, "./", hard links): its device and
    inode; None when there is no such file."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def _mode_of(path: Path) -> int:
    """The permissions to write path with: those it has, else the default for a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


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
