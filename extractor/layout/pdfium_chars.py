"""PDFium's text page → pdfminer's characters (pdfminer/layout.py LTChar.__init__).

pdfminer's box runs from the character origin for the glyph's advance, and from the font's
descent for one font size up; PDFium's own boxes are tighter or looser, so the box is rebuilt
from the origin, the glyph width and the descent. Characters are emitted text object by text
object in content order, as pdfminer meets them, with these repairs:

- PDFium's generated spaces and line breaks are dropped;
- a text object PDFium leaves out of its text page (no ink: spaces only) becomes its spaces;
- a ligature PDFium splits into characters at one origin is one character again;
- the hyphen PDFium marks at a line end is "-", a glyph with no Unicode is pdfminer's "(cid:N)";
- pdfminer omits the character spacing after the last glyph of each string, so a string that
  continues the previous one on its line sits that much further left in pdfminer.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pypdfium2.raw as raw

from extractor.layout.pdfium_fonts import FontFacts, strip_subset
from extractor.layout.pdfium_geometry import IDENTITY, Matrix, PageFrame, multiply
from extractor.layout.pdfium_shapes import object_matrix, page_objects

Obj = dict[str, Any]

_HYPHEN_CODES = (0x02, 0xFFFE)  # what PDFium's text page reports for a line-end hyphen
_SPACE = 0x20
_GENERATED_CODES = (0x20, 0x0D, 0x0A)  # PDFium generates only spaces and line breaks
_LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04"}
_LETTERS = {v: k for k, v in _LIGATURES.items()}
# PDFium's positions are single-precision floats: a gap in thousandths of an em is exact to this.
_PRECISION = 0.05


def _prototype(function: Any, restype: Any, *argtypes: Any) -> Any:
    """``function`` called with plain C types: ints in and out. These calls are made for every
    character of a page, and ctypes' pointer objects cost more than the calls themselves."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address, "pypdfium2 binds every function it exports"
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_POINTER, _INT = ctypes.c_void_p, ctypes.c_int
_char_origin = _prototype(raw.FPDFText_GetCharOrigin, _INT, _POINTER, _INT, _POINTER, _POINTER)
_char_object = _prototype(raw.FPDFText_GetTextObject, _POINTER, _POINTER, _INT)
_unicode_map_error = _prototype(raw.FPDFText_HasUnicodeMapError, _INT, _POINTER, _INT)
_is_generated = _prototype(raw.FPDFText_IsGenerated, _INT, _POINTER, _INT)


@dataclass(slots=True)
class _Glyph:
    text: str
    code: int
    x: float
    y: float


@dataclass
class _TextObject:
    """What every character of one PDFium text object shares."""

    matrix: Matrix  # text space → page space, the origin aside
    fontsize: float
    font: Any
    widths: dict[int, float]  # per unit of font size, by Unicode code, shared by the font's objects
    facts: FontFacts
    color: tuple[float, ...]


def page_chars(
    textpage: Any, page: Any, ctm: Matrix, frame: PageFrame, fonts: dict[str, list[FontFacts]]
) -> list[Obj]:
    """The characters of one page, pdfplumber's dicts in content order, placed in ``frame``."""
    reader = _Reader(fonts, ctm, frame)
    by_object = _text_page_glyphs(textpage)
    chars: list[Obj] = []
    previous: tuple[_TextObject, list[_Glyph], float] | None = None
    texts = [(o, m) for o, m in page_objects(page, IDENTITY)
             if raw.FPDFPageObj_GetType(o) == raw.FPDF_PAGEOBJ_TEXT]
    used = {_address(f): f for f in (raw.FPDFTextObj_GetFont(o) for o, _ in texts) if f}
    reader.match_fonts(list(used.values()))
    for obj, outer in texts:
        shared = reader.text_object(obj, outer)
        glyphs = by_object.pop(_address(obj), None) or list(_blank_glyphs(obj, shared, reader))
        if not glyphs:
            continue
        shift = _pdfminer_shift(previous, shared, glyphs, reader)
        chars.extend(reader.chars(glyphs, shared, shift))
        previous = (shared, glyphs, shift)
    return chars


def _text_page_glyphs(textpage: Any) -> dict[int | None, list[_Glyph]]:
    """PDFium's characters grouped by the text object that drew them, generated ones left out."""
    count = raw.FPDFText_CountChars(textpage)
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(textpage, 0, count, buffer)
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    x, y = ctypes.c_double(), ctypes.c_double()
    at_x, at_y = ctypes.addressof(x), ctypes.addressof(y)
    found: dict[int | None, list[_Glyph]] = {}
    drawn_by, glyphs = -1, []  # a text object's characters come in a run: look it up once
    for i, code in enumerate(buffer[:count]):
        if code in _GENERATED_CODES and _is_generated(handle, i):
            continue
        _char_origin(handle, i, at_x, at_y)
        gx, gy = x.value, y.value
        obj = _char_object(handle, i)
        if obj != drawn_by:
            drawn_by, glyphs = obj, found.setdefault(obj, [])
        if glyphs and glyphs[-1].x == gx and glyphs[-1].y == gy:
            _join_ligature(glyphs[-1], chr(code))
        elif code in _HYPHEN_CODES and raw.FPDFText_IsHyphen(textpage, i):
            glyphs.append(_Glyph("-", ord("-"), gx, gy))
        elif _unicode_map_error(handle, i):
            glyphs.append(_Glyph(f"(cid:{code})", code, gx, gy))
        else:
            glyphs.append(_Glyph(chr(code), code, gx, gy))
    return found


def _join_ligature(glyph: _Glyph, text: str) -> None:
    """One glyph PDFium splits into several characters at one origin: a ligature, which PDFium
    decomposes and pdfminer reports as printed (U+FB00…U+FB04)."""
    letters = _LETTERS.get(glyph.text, glyph.text) + text
    glyph.text = _LIGATURES.get(letters, letters)
    if glyph.text in _LETTERS:
        glyph.code = ord(glyph.text)


def _blank_glyphs(obj: Any, shared: _TextObject, reader: _Reader) -> Iterator[_Glyph]:
    """The spaces of a text object with no ink, which PDFium's text page leaves out."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return
    own = object_matrix(obj)
    step = reader.width(shared, _SPACE) * shared.fontsize
    count = 1 + round((right.value - left.value) / (step * abs(own[0]))) if step and own[0] else 1
    a, b, _, _, e, f = shared.matrix
    for k in range(count):
        yield _Glyph(" ", _SPACE, e + k * step * a, f + k * step * b)


def _pdfminer_shift(
    previous: tuple[_TextObject, list[_Glyph], float] | None,
    shared: _TextObject,
    glyphs: list[_Glyph],
    reader: _Reader,
) -> float:
    """How far left of PDFium's origin pdfminer draws this object's glyphs, in points.

    Only for horizontal text: the common case, and the only one seen in policies.
    """
    if previous is None:
        return 0.0
    before, prior, shift = previous
    a, b, c = shared.matrix[:3]
    if b or c or before.matrix[:4] != shared.matrix[:4] or prior[-1].y != glyphs[0].y:
        return 0.0
    last = prior[-1]
    if last.code == _SPACE:
        return 0.0
    gap = (glyphs[0].x - last.x) / a - reader.width(before, last.code) * before.fontsize
    spacing = _thousandths(gap)
    if spacing and spacing in _glyph_gaps(before, prior, reader):
        return shift + spacing * a
    return 0.0


def _glyph_gaps(shared: _TextObject, glyphs: list[_Glyph], reader: _Reader) -> set[float]:
    """The object's character spacing (Tc): the gaps between its glyphs beyond their advances
    that are whole thousandths of an em, as producers write Tc (kerned gaps rarely are)."""
    a = shared.matrix[0]
    gaps = (
        _thousandths((g2.x - g1.x) / a - reader.width(shared, g1.code) * shared.fontsize)
        for g1, g2 in pairwise(glyphs)
        if g1.code != _SPACE and len(g1.text) == 1
    )
    return {g for g in gaps if g is not None}


def _thousandths(value: float) -> float | None:
    """The value if it is a whole number of thousandths (to PDFium's float precision)."""
    rounded = round(value * 1000)
    return rounded / 1000 if abs(value * 1000 - rounded) < _PRECISION else None


class _Reader:
    """Per-page caches of text objects and glyph widths."""

    def __init__(self, fonts: dict[str, list[FontFacts]], ctm: Matrix, frame: PageFrame) -> None:
        self.fonts = fonts
        self.ctm = ctm
        self.frame = frame
        self._widths: dict[int | None, dict[int, float]] = {}
        self._facts: dict[int | None, FontFacts] = {}

    def text_object(self, obj: Any, outer: Matrix) -> _TextObject:
        size = ctypes.c_float(1.0)
        raw.FPDFTextObj_GetFontSize(obj, size)
        font = raw.FPDFTextObj_GetFont(obj)
        return _TextObject(
            matrix=multiply(object_matrix(obj), outer),
            fontsize=size.value,
            font=font,
            widths=self._widths.setdefault(_address(font), {}),
            facts=self.font_facts(font),
            color=_fill_color(obj),
        )

    def chars(self, glyphs: list[_Glyph], shared: _TextObject, shift: float) -> list[Obj]:
        """The glyphs of one text object as pdfplumber's characters.

        A glyph's matrix (text space → device space) is the object's but for the translation:
        its linear part, and all that follows from it, is worked out once per object.
        """
        a0, b0, c0, d0, e0, f0 = self.ctm
        a, b, c, d = multiply((*shared.matrix[:4], 0.0, 0.0), self.ctm)[:4]
        fs = shared.fontsize
        descent = shared.facts.descent * fs
        low, high = d * descent, d * (descent + fs)
        axes = b == 0 and c == 0  # upright or mirrored text: no corners to turn
        upright = a * d > 0 and b * c <= 0
        widths, frame, chars = shared.widths, self.frame, []
        for glyph in glyphs:
            adv = (widths.get(glyph.code) or self.width(shared, glyph.code)) * fs
            gx, gy = glyph.x - shift, glyph.y
            m = (a, b, c, d, a0 * gx + c0 * gy + e0, b0 * gx + d0 * gy + f0)
            if axes:
                x0, x1 = m[4], m[4] + a * adv
                y0, y1 = m[5] + low, m[5] + high
                if x1 < x0:  # each pair as sorted() orders it
                    x0, x1 = x1, x0
                if y1 < y0:
                    y0, y1 = y1, y0
            else:
                x0, y0, x1, y1 = _transform_rect(m, (0.0, descent, adv, descent + fs))
            chars.append(_char(glyph.text, shared, adv, upright, (x0, y0, x1, y1), m, frame))
        return chars

    def width(self, shared: _TextObject, code: int) -> float:
        """The glyph's advance per unit of font size."""
        width = shared.widths.get(code)
        if width is None:
            out = ctypes.c_float(0.0)
            if not shared.font or not raw.FPDFFont_GetGlyphWidth(shared.font, code, 1.0, out):
                out.value = 0.0
            width = shared.widths[code] = out.value
        return width

    def match_fonts(self, fonts: list[Any]) -> None:
        """Pair each PDFium font with its font dictionary: by name, then by program and descent.

        PDFium keeps the subset prefix of some fonts and drops it from others; those it keeps
        pair by name first, so that the rest choose among the dictionaries left.
        """
        named = sorted(
            ((_font_name(f), f) for f in fonts), key=lambda n: strip_subset(n[0]) == n[0]
        )
        taken: set[str] = set()
        for name, font in named:
            descent = _font_descent(font)
            known = self.fonts.get(strip_subset(name))
            if not known:
                facts = FontFacts(name or "unknown", descent)
            else:
                size = _program_size(font) if len(known) > 1 else None
                facts = min(known, key=lambda f: (
                    f.fontname != name, f.program_size != size, f.fontname in taken,
                    abs(f.descent - descent)))
            taken.add(facts.fontname)
            self._facts[_address(font)] = facts

    def font_facts(self, font: Any) -> FontFacts:
        key = _address(font)
        facts = self._facts.get(key)
        if facts is None:
            self.match_fonts([font])
            facts = self._facts[key]
        return facts


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


def _program_size(font: Any) -> int | None:
    size = ctypes.c_ulong(0)
    if not font or not raw.FPDFFont_GetFontData(font, None, 0, size):
        return None
    return size.value


def _fill_color(obj: Any) -> tuple[float, ...]:
    """pdfplumber's colour tuple, from PDFium's 8-bit RGB: a grey when the channels agree."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return (0,)
    if r.value == g.value == b.value:
        return (round(r.value / 255, 3),)
    return tuple(round(v.value / 255, 3) for v in (r, g, b))


def _char(
    text: str, shared: _TextObject, adv: float, upright: bool,
    box: tuple[float, float, float, float], m: Matrix, frame: PageFrame,
) -> Obj:
    """pdfplumber's character dict, its box placed as pdfplumber/page.py process_object does."""
    x0, y0, x1, y1 = box
    x0 += frame.origin[0]
    x1 += frame.origin[0]
    top, height = frame.height - y1 + frame.origin[1], y1 - y0
    return {
        "object_type": "char",
        "text": text,
        "fontname": shared.facts.fontname,
        "size": height,
        "adv": adv,
        "upright": upright,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "matrix": m,
        "non_stroking_color": shared.color,
        "page_number": frame.number,
        "top": top,
        "bottom": frame.height - y0 + frame.origin[1],
        "doctop": frame.doctop + top,
        "width": x1 - x0,
        "height": height,
    }


def _transform_rect(m: Matrix, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """pdfminer's apply_matrix_rect: the bounds of the four transformed corners."""
    x0, y0, x1, y1 = box
    a, b, c, d, e, f = m
    corners = ((x0, y0), (x0, y1), (x1, y0), (x1, y1))
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _address(handle: Any) -> int | None:
    return ctypes.addressof(handle.contents) if handle else None
