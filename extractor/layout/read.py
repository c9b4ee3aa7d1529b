"""Any input document → its Document: a PDF by its header, a Markdown or HTML rendition by its
name or, failing that, as text.

The parsers below meet hostile files: anything they raise beyond our own errors is the file's
damage, reported as such. This is the first stage of reading a document, and the one that runs
libraries' C code (PDFium); it imports nothing of the later stages (no spaCy), so that it can
start in a child process of its own while the parent builds them (extractor.cache.Reader).
"""

from __future__ import annotations

from pathlib import Path

from extractor.engines import DEFAULT_ENGINE, Engine
from extractor.errors import InputError, PolicyRulesError, UnreadableDocumentError
from extractor.layout.lines import Document
from extractor.layout.pdf import pdf_to_document
from extractor.layout.pdf_guard import check_streams

PDF_MAGIC = b"%PDF-"
TEXT_SUFFIXES = (".md", ".markdown", ".html", ".htm")


def bytes_to_document(path: Path, data: bytes, engine: Engine = DEFAULT_ENGINE) -> Document:
    """The Document of a file's bytes; whatever a parser raises is an UnreadableDocumentError."""
    try:
        return _parse(path, data, engine)
    except PolicyRulesError:  # our own, the time limit's among them
        raise
    except Exception as exc:  # RecursionError, MemoryError, a parser's own types
        reason = (str(exc).strip().splitlines() or [""])[0][:160]
        raise UnreadableDocumentError(
            f"cannot be read ({type(exc).__name__}{': ' + reason if reason else ''})", path
        ) from exc


def _parse(path: Path, data: bytes, engine: Engine) -> Document:
    if is_pdf(data):
        check_streams(data, path)
        return pdf_to_document(path, engine)
    from extractor.layout.text import is_text, text_to_document  # lxml: for renditions only

    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES or (suffix != ".pdf" and is_text(data)):
        return text_to_document(path, data)
    if suffix == ".pdf":
        raise InputError("not a PDF (no %PDF- header)", path)
    raise InputError("not a PDF (no %PDF- header), nor Markdown or HTML text", path)


def is_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:1024]
