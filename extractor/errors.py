"""Exceptions of policy-rules. Each carries the exit code and the one line the CLI prints."""

from __future__ import annotations

from pathlib import Path


class PolicyRulesError(Exception):
    """Base of every error the CLI reports as one line on stderr."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple[type[PolicyRulesError], tuple[str, str | None]]:
        # keep the path when the error travels back from a worker process
        return type(self), (self.message, self.path)


class InputError(PolicyRulesError):
    """The input is missing, empty or of a kind we do not read."""

    exit_code = 2


class UnreadableDocumentError(PolicyRulesError):
    """The file claims to be a document but cannot be parsed (corrupt, truncated, encrypted)."""

    exit_code = 3


class ReaderStoppedError(UnreadableDocumentError):
    """The process reading a document ended without an answer (a crash, or killed by the
    system): not a verdict on the document's bytes, so the cache does not keep it."""


class NoTextLayerError(PolicyRulesError):
    """The PDF has no text layer (scanned images only)."""

    exit_code = 4


class NotAPolicyError(PolicyRulesError):
    """The document parsed but does not look like a payer policy."""

    exit_code = 5


class StrictModeError(PolicyRulesError):
    """--strict was given and the extraction recorded issues."""

    exit_code = 6


class ArchiveError(PolicyRulesError):
    """The archive cannot be used: busy, damaged, or asked for what it does not hold."""

    exit_code = 7


class NotComparableError(PolicyRulesError):
    """Two versions that are not one policy's older and newer versions (use --force)."""

    exit_code = 2


class LimitError(PolicyRulesError):
    """The input exceeds a resource limit (pages, bytes, nesting, time); the message names it."""

    exit_code = 9


class OutputError(PolicyRulesError):
    """An output cannot be written: a refused path, a full disk, a closed stdout."""

    exit_code = 2
