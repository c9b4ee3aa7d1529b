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
        pdf.metadata, pdf.page_heights      # in place of pdf.metadata and [p.height for p in pdf.pages]

pdfplumber's chars are rebuilt, not copied from PDFium's own boxes: pdfminer's box runs from the
character origin for the glyph's advance, and from the font's descent for one font size up.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extractor.errors import UnreadableDocumentError
from extractor.layout.pdfium_fonts import FontFacts, resources_to_fonts
from extractor.layout.pdfium_geometry import Matrix, device_matrix, multiply
from extractor.layout.pdfium_shapes import page_shapes

Obj = dict[str, Any]

# PDFium marks the hyphen that breaks a word at a line end with a non-character.
_PDFIUM_HYPHEN = 0xFFFE


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
    def metadata(self) -> dict[str, str]:
        return {k: v for k, v in self._pdf.get_metadata_dict(skip_empty=True).items()}

    @property
    def page_heights(self) -> list[float]:
        return [self._pdf.get_page_size(i)[1] for i in range(len(self._pdf))]

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
            raise UnreadableDocumentError(f"page {index + 1} cannot be read ({exc})", self.path)
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
                self._read.append(resources_to_fonts(page.resources))
            except Exception:  # a missing or damaged page tree entry: PDFium's facts only
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
    origin = (y0, -x0) if turned else (x0, -y0)
    result = PdfiumPage(number, width, height)
    textpage = raw.FPDFText_LoadPage(page.raw)
    try:
        result.chars = _CharReader(textpage, ctm, fonts).read(page.raw)
    finally:
        raw.FPDFText_ClosePage(textpage)
    result.rects, result.curves, result.images = page_shapes(page.raw, ctm)
    for obj in (*result.chars, *result.rects, *result.curves, *result.images):
        _finish(obj, number, height, doctop)
    return result


def _finish(obj: Obj, number: int, height: float, doctop: float) -> None:
    """pdfplumber's page-top coordinates (pdfplumber/page.py process_object)."""
    obj["page_number"] = number
    obj["top"] = height - obj["y1"]
    obj["bottom"] = height - obj["y0"]
    obj["doctop"] = doctop + obj["top"]
    obj["width"] = obj["x1"] - obj["x0"]
    obj["height"] = obj["y1"] - obj["y0"]


@dataclass
class _TextObject:
    """What every character of one PDFium text object shares."""

    matrix: Matrix
    fontsize: float
    font: Any
    facts: FontFacts
    color: tuple[float, ...]


class _CharReader:
    """PDFium's text page → pdfminer's LTChar dicts (pdfminer/layout.py LTChar.__init__)."""

    def __init__(self, textpage: Any, ctm: Matrix, fonts: dict[str, list[FontFacts]]) -> None:
        self.textpage = textpage
        self.ctm = ctm
        self.fonts = fonts
        self._objects: dict[int | None, _TextObject] = {}
        self._widths: dict[tuple[int | None, int], float] = {}
        self._x, self._y = ctypes.c_double(), ctypes.c_double()

    def read(self, page: Any) -> list[Obj]:
        chars: list[Obj] = []
        tp = self.textpage
        count = raw.FPDFText_CountChars(tp)
        last: tuple[int | None, float, float] | None = None
        for i in range(count):
            if raw.FPDFText_IsGenerated(tp, i):
                continue
            code = raw.FPDFText_GetUnicode(tp, i)
            obj = raw.FPDFText_GetTextObject(tp, i)
            raw.FPDFText_GetCharOrigin(tp, i, self._x, self._y)
            key = (_address(obj), self._x.value, self._y.value)
            text = _char_text(code, bool(raw.FPDFText_HasUnicodeMapError(tp, i)))
            if key == last and chars:  # one glyph, several characters: a ligature
                chars[-1]["text"] += text
                continue
            last = key
            chars.append(self._char(i, obj, code, text))
        return chars

    def _char(self, index: int, obj: Any, code: int, text: str) -> Obj:
        shared = self._object(index, obj)
        a, b, c, d, _, _ = shared.matrix
        fs = shared.fontsize
        adv = self._width(shared.font, code) * fs
        descent = shared.facts.descent * fs
        box = (0.0, descent, adv, descent + fs)
        matrix = multiply((a, b, c, d, self._x.value, self._y.value), self.ctm)
        x0, y0, x1, y1 = _transform_rect(matrix, box)
        ma, mb, mc, md = matrix[:4]
        return {
            "object_type": "char",
            "text": text,
            "fontname": shared.facts.fontname,
            "size": y1 - y0,
            "adv": adv,
            "upright": ma * md > 0 and mb * mc <= 0,
            "x0": x0,
            "y0": y0,
            "x1": x1,
            "y1": y1,
            "matrix": matrix,
            "non_stroking_color": shared.color,
        }

    def _object(self, index: int, obj: Any) -> _TextObject:
        key = _address(obj)
        found = self._objects.get(key)
        if found is None:
            found = self._objects[key] = self._read_object(index, obj)
        return found

    def _read_object(self, index: int, obj: Any) -> _TextObject:
        m = raw.FS_MATRIX()
        raw.FPDFText_GetMatrix(self.textpage, index, m)
        size = ctypes.c_float(1.0)
        font = None
        if obj:
            raw.FPDFTextObj_GetFontSize(obj, size)
            font = raw.FPDFTextObj_GetFont(obj)
        return _TextObject(
            matrix=(m.a, m.b, m.c, m.d, m.e, m.f),
            fontsize=size.value,
            font=font,
            facts=self._facts(font),
            color=_fill_color(obj),
        )

    def _facts(self, font: Any) -> FontFacts:
        name = _font_name(font)
        known = self.fonts.get(name)
        pdfium_descent = _font_descent(font)
        if not known:
            return FontFacts(name or "unknown", pdfium_descent)
        return min(known, key=lambda f: abs(f.descent - pdfium_descent))

    def _width(self, font: Any, code: int) -> float:
        key = (_address(font), code)
        width = self._widths.get(key)
        if width is None:
            out = ctypes.c_float(0.0)
            if font and not raw.FPDFFont_GetGlyphWidth(font, code, 1.0, out):
                out.value = 0.0
            width = self._widths[key] = out.value
        return width


def _char_text(code: int, unmapped: bool) -> str:
    if code == _PDFIUM_HYPHEN:
        return "-"
    if unmapped:
        return f"(cid:{code})"
    return chr(code) if code else ""


def _font_name(font: Any) -> str:
    if not font:
        return ""
    size = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("utf-8", "replace")


def _font_descent(font: Any) -> float:
    out = ctypes.c_float(0.0)
    if font:
        raw.FPDFFont_GetDescent(font, 1.0, out)
    return out.value


def _fill_color(obj: Any) -> tuple[float, ...]:
    """pdfplumber's colour tuple, from PDFium's 8-bit RGB: a grey when the channels agree."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not obj or not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return (0,)
    if r.value == g.value == b.value:
        return (round(r.value / 255, 3),)
    return tuple(round(v.value / 255, 3) for v in (r, g, b))


def _transform_rect(m: Matrix, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """pdfminer's apply_matrix_rect: the bounds of the four transformed corners."""
    x0, y0, x1, y1 = box
    a, b, c, d, e, f = m
    xs = [a * x + c * y + e for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
    ys = [b * x + d * y + f for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
    return min(xs), min(ys), max(xs), max(ys)


def _address(handle: Any) -> int | None:
    return ctypes.cast(handle, ctypes.c_void_p).value if handle else None
