"""Matrices for the PDFium reader, in pdfminer's conventions (pdfminer/utils.py)."""

from __future__ import annotations

from dataclasses import dataclass

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class PageFrame:
    """Where a page's objects land in pdfplumber's coordinates (pdfplumber/page.py
    process_object): ``top`` measured down from the page top, ``doctop`` from the document's."""

    number: int
    height: float
    doctop: float
    origin: tuple[float, float]  # pdfplumber shifts by the MediaBox's corner a second time


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix that applies ``first`` and then ``then`` (pdfminer's mult_matrix)."""
    a1, b1, c1, d1, e1, f1 = first
    a0, b0, c0, d0, e0, f0 = then
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def device_matrix(mediabox: tuple[float, float, float, float], rotation: int) -> Matrix:
    """PDF page space → pdfminer's device space: /Rotate applied, origin at the box corner.

    pdfminer/pdfinterp.py process_page.
    """
    x0, y0, x1, y1 = mediabox
    if rotation == 90:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1)
    if rotation == 270:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0)
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0)
