"""PDF pages read with PDFium, shaped like pdfplumber's: the same chars, rects, curves and images.

pdfplumber (pdfminer) spends ~150 ms on a policy page; PDFium reads the same page in ~25 ms. This
module gives the layout layer what it reads from a ``pdfplumber.Page`` — ``page_number``,
``width``, ``height``, ``chars``, ``rects``, ``curves``, ``images`` and ``close()`` — in
pdfplumber's keys and conventions (``top`` measured from the page top, pdfminer's character boxes,
subset-prefixed font names), so the layout code can run on either engine.

To read a PDF with it, the layout layer calls::

    with open_pdfium(path) as pdf:          # UnreadableDocumentError if damaged or encrypted
        for page in pdf.iter_pages():       # one page at a time, PDFium's page closed after
            ...page.chars, page.rects, page.curves, page.images, page.height...
        pdf.metadata, pdf.page_heights      # for pdf.metadata, [p.height for p in pdf.pages]

pdfplumber's chars are rebuilt, not copied from PDFium's own boxes: pdfminer's box runs from the
character origin for the glyph's advance, and from the font's descent for one font size up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extractor.errors import UnreadableDocumentError
from extractor.layout.pdf_guard import check_form_nesting
from extractor.layout.pdfium_chars import page_chars
from extractor.layout.pdfium_fonts import FontFacts, resources_to_fonts
from extractor.layout.pdfium_geometry import PageFrame, device_matrix
from extractor.layout.pdfium_shapes import page_shapes

Obj = dict[str, Any]


@dataclass
class PdfiumPage:
    """One page's objects, in pdfplumber's shape (the attributes the layout layer reads)."""

    page_number: int
    width: float
    height: float
    chars: list[Obj] = field(default_factory=list)
    rects: list[Obj] = field(default_factory=list)
    curves: list[Obj] = field(default_factory=list)
    images: list[Obj] = field(default_factory=list)

    def close(self) -> None:
        """Nothing to free: PDFium's page is closed when this object is built."""


class PdfiumDocument:
    """An open PDF; pages are read one at a time by ``iter_pages``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pdf = _open_document(path)
        self._fonts = _FontDictionaries(path)

    def __enter__(self) -> PdfiumDocument:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._pdf.close()
        self._fonts.close()

    def __len__(self) -> int:
        return len(self._pdf)

    @property
    def page_count(self) -> int:
        return len(self._pdf)

    @property
    def metadata(self) -> dict[str, str]:
        try:
            return {k: v for k, v in self._pdf.get_metadata_dict(skip_empty=True).items()}
        except (pdfium.PdfiumError, UnicodeDecodeError, ValueError):
            return {}  # damaged document information: the text has what is needed

    @property
    def page_heights(self) -> list[float]:
        try:
            return [self._pdf.get_page_size(i)[1] for i in range(len(self._pdf))]
        except pdfium.PdfiumError as exc:
            raise UnreadableDocumentError(f"damaged page tree ({exc})", self.path) from exc

    def iter_pages(self) -> Iterator[PdfiumPage]:
        if len(self._pdf) == 0:
            raise UnreadableDocumentError("PDF has no pages", self.path)
        doctop = 0.0
        for index in range(len(self._pdf)):
            page = self._read_page(index, doctop)
            doctop += page.height
            yield page

    def _read_page(self, index: int, doctop: float) -> PdfiumPage:
        try:
            handle = self._pdf[index]
        except pdfium.PdfiumError as exc:
            raise UnreadableDocumentError(
                f"page {index + 1} cannot be read ({exc})", self.path
            ) from exc
        try:
            return _page_to_pdfplumber(handle, index + 1, doctop, self._fonts.page(index))
        finally:
            handle.close()


def open_pdfium(path: Path) -> PdfiumDocument:
    """Open a PDF for reading with PDFium; damaged and encrypted files raise a clear error."""
    return PdfiumDocument(path)


def _open_document(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if raw.FPDF_GetLastError() == raw.FPDF_ERR_PASSWORD:
            raise UnreadableDocumentError("encrypted PDF that needs a password", path) from exc
        raise UnreadableDocumentError(f"not a readable PDF ({exc})", path) from exc
    except OSError as exc:
        raise UnreadableDocumentError(f"not a readable PDF ({exc})", path) from exc


class _FontDictionaries:
    """The font facts of each page, read lazily from the font dictionaries with pdfminer."""

    def __init__(self, path: Path) -> None:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        self._path = path
        self._file = path.open("rb")
        try:
            document = PDFDocument(PDFParser(self._file))
            self._pages = iter(PDFPage.create_pages(document))
        except Exception:  # pdfminer cannot parse what PDFium can: fall back on PDFium's facts
            self._pages = iter(())
        self._read: list[dict[str, list[FontFacts]]] = []

    def page(self, index: int) -> dict[str, list[FontFacts]]:
        while len(self._read) <= index:
            try:
                page = next(self._pages)
            except Exception:  # a missing or damaged page tree entry: PDFium's facts only
                self._read.append({})
                continue
            check_form_nesting(page.resources, len(self._read) + 1, self._path)
            try:
                self._read.append(resources_to_fonts(page.resources))
            except Exception:  # damaged font dictionaries: PDFium's facts only
                self._read.append({})
        return self._read[index]

    def close(self) -> None:
        self._file.close()


def _page_to_pdfplumber(
    page: pdfium.PdfPage, number: int, doctop: float, fonts: dict[str, list[FontFacts]]
) -> PdfiumPage:
    x0, y0, x1, y1 = page.get_mediabox()
    rotation = page.get_rotation()
    ctm = device_matrix((x0, y0, x1, y1), rotation)
    turned = rotation in (90, 270)
    width, height = (y1 - y0, x1 - x0) if turned else (x1 - x0, y1 - y0)
    # pdfplumber shifts by the MediaBox's corner a second time (pdfplumber issue #1181)
    frame = PageFrame(number, height, doctop, (y0, -x0) if turned else (x0, -y0))
    result = PdfiumPage(number, width, height)
    textpage = raw.FPDFText_LoadPage(page.raw)
    try:
        result.chars = page_chars(textpage, page.raw, ctm, frame, fonts)
    finally:
        raw.FPDFText_ClosePage(textpage)
    result.rects, result.curves, result.images = page_shapes(page.raw, ctm)
    for obj in (*result.rects, *result.curves, *result.images):
        _finish(obj, frame)
    return result


def _finish(obj: Obj, frame: PageFrame) -> None:
    """pdfplumber's page-top coordinates (pdfplumber/page.py process_object); page_chars gives
    its characters these keys itself."""
    obj["page_number"] = frame.number
    obj["x0"] += frame.origin[0]
    obj["x1"] += frame.origin[0]
    obj["top"] = frame.height - obj["y1"] + frame.origin[1]
    obj["bottom"] = frame.height - obj["y0"] + frame.origin[1]
    obj["doctop"] = frame.doctop + obj["top"]
    obj["width"] = obj["x1"] - obj["x0"]
    obj["height"] = obj["y1"] - obj["y0"]
