"""Tiny hand-built PDFs of the kinds that hurt a reader: each a few hundred bytes, in memory.

Objects are numbered from 1 in the order given; object 1 is the catalog, 2 the page tree.
"""

from __future__ import annotations

import zlib
from pathlib import Path

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 700 Td (Policy Number: 2099D0001A) Tj ET"


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these object bodies, with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def page(contents: bytes = b"4 0 R", resources: bytes = b"") -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %s "
            b"/Resources << /Font << /F1 3 0 R >> %s >> >>" % (contents, resources))


def text_pdf(path: Path, pages: int = 1) -> Path:
    """pages pages of one line of text each, sharing one content stream."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        FONT, stream(TEXT), *[page() for _ in range(pages)]]))
    return path


def self_drawing_pdf(path: Path) -> Path:
    """A form XObject that draws itself: a reader without a recursion guard never returns."""
    form = stream(b"/X1 Do " + TEXT, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                  b"/Resources << /XObject << /X1 5 0 R >> /Font << /F1 3 0 R >> >>")
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
        FONT, stream(b"/X1 Do"), form,
        page(resources=b"/XObject << /X1 5 0 R >>")]))
    return path


def nested_forms_pdf(path: Path, depth: int) -> Path:
    """Form XObjects each drawing the next, `depth` deep, the last printing the text."""
    forms = []
    for level in range(depth):
        last = level == depth - 1
        inner = b"" if last else b"/XObject << /X1 %d 0 R >> " % (7 + level)
        forms.append(stream((b"" if last else b"/X1 Do ") + TEXT,
                            b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                            b"/Resources << %s/Font << /F1 3 0 R >> >>" % inner))
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        FONT, stream(b"/X1 Do"), page(resources=b"/XObject << /X1 6 0 R >>"), *forms]))
    return path


def flate_bomb_pdf(path: Path, inflated: int) -> Path:
    """A content stream of a few kilobytes that inflates to `inflated` bytes of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(inflated >> 20)) + packer.flush()
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        FONT, stream(packed, b"/Filter /FlateDecode"), page()]))
    return path


def damaged_tree_pdf(path: Path, kind: str) -> Path:
    """A page tree that is a loop, points at nothing, or claims pages it does not have."""
    tree = {"loop": b"<< /Type /Pages /Kids [2 0 R 5 0 R] /Count 2 >>",
            "missing": b"<< /Type /Pages /Kids [5 0 R 99 0 R] /Count 2 >>",
            "not-a-page": b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            "count": b"<< /Type /Pages /Kids [5 0 R] /Count 100000000 >>",
            "kids-not-array": b"<< /Type /Pages /Kids 5 /Count 1 >>"}[kind]
    path.write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", tree, FONT,
                              stream(TEXT), page()]))
    return path


def self_length_pdf(path: Path) -> Path:
    """A content stream whose /Length is a reference to the stream itself."""
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        FONT, b"<< /Length 4 0 R >>\nstream\n%s\nendstream" % TEXT, page()]))
    return path


def self_contents_pdf(path: Path) -> Path:
    """A page whose /Contents array holds itself."""
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        FONT, b"[4 0 R 6 0 R]", page(b"4 0 R"), stream(TEXT)]))
    return path
