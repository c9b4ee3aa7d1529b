"""PDF pages read with pdfplumber (pdfminer): the reference engine of the layout layer.

It gives the same interface as the PDFium reader (``iter_pages``, ``metadata``, ``page_heights``)
and reports damaged files, damaged pages and encrypted files with the file's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from extractor.errors import UnreadableDocumentError
from extractor.layout.pdf_guard import check_form_nesting


class PlumberDocument:
    """An open PDF; pages are parsed one at a time and freed after use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pdf = _open(path)

    def __enter__(self) -> PlumberDocument:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._pdf.close()  # walks the page tree again: a damaged one fails here too
        except Exception:
            self._pdf.stream.close()

    @property
    def page_count(self) -> int:
        return len(self._pages())

    @property
    def metadata(self) -> dict[str, str]:
        return {k: str(v) for k, v in (self._pdf.metadata or {}).items() if isinstance(v, str)}

    @property
    def page_heights(self) -> list[float]:
        return [float(p.height) for p in self._pages()]

    def iter_pages(self) -> Iterator[Any]:
        pages = self._pages()
        if not pages:
            raise UnreadableDocumentError("PDF has no pages", self.path)
        for page in pages:
            check_form_nesting(page.page_obj.resources, page.page_number, self.path)
            try:
                page.chars  # noqa: B018 - parse now so damage is reported with this file's name
            except Exception as exc:
                raise UnreadableDocumentError(
                    f"page {page.page_number} cannot be read ({_reason(exc)})", self.path
                ) from exc
            yield page
            page.close()  # free the page's parsed objects: long policies run to hundreds of pages

    def _pages(self) -> list[Any]:
        try:
            return list(self._pdf.pages)
        except Exception as exc:
            raise UnreadableDocumentError(
                f"damaged page tree ({_reason(exc)})", self.path) from exc


def open_pdfplumber(path: Path) -> PlumberDocument:
    """Open a PDF for reading with pdfplumber."""
    return PlumberDocument(path)


def _open(path: Path) -> Any:
    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many bare types on damaged files
        if isinstance(_unwrap(exc), (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableDocumentError("encrypted PDF that needs a password", path) from exc
        raise UnreadableDocumentError(f"not a readable PDF ({_reason(exc)})", path) from exc


def _unwrap(exc: BaseException) -> BaseException:
    """pdfminer's own exception, from inside the PdfminerException pdfplumber wraps it in."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


def _reason(exc: BaseException) -> str:
    exc = _unwrap(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
