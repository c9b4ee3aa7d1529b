"""Rects, curves and images of a PDFium page, the way pdfminer classifies and bounds them.

pdfminer splits a painted path at each moveto, calls a closed four-sided axis-aligned subpath a
rect, a single segment a line, and everything else a curve, bounded by its on-curve points only
(pdfminer/converter.py paint_path). Form XObjects are walked with their matrices.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from typing import Any

import pypdfium2.raw as raw

from extractor.layout.pdfium_geometry import Matrix, apply, multiply

Obj = dict[str, Any]
Point = tuple[float, float]

_SUBPATH = re.compile(r"m[^m]+")


def page_shapes(page: Any, ctm: Matrix) -> tuple[list[Obj], list[Obj], list[Obj]]:
    """(rects, curves, images) of a page, in content order, coordinates in device space."""
    rects: list[Obj] = []
    curves: list[Obj] = []
    images: list[Obj] = []
    for obj, outer in page_objects(page, ctm):
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            for shape in path_to_shapes(obj, outer):
                if shape["object_type"] == "rect":
                    rects.append(shape)
                elif shape["object_type"] == "curve":
                    curves.append(shape)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            images.append(image_to_obj(obj, outer))
    return rects, curves, images


def page_objects(page: Any, ctm: Matrix) -> Iterator[tuple[Any, Matrix]]:
    """Every page object with the matrix from its form's space to device space."""
    for i in range(raw.FPDFPage_CountObjects(page)):
        yield from _walk(raw.FPDFPage_GetObject(page, i), ctm)


def _walk(obj: Any, outer: Matrix) -> Iterator[tuple[Any, Matrix]]:
    if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_FORM:
        yield obj, outer
        return
    inner = multiply(object_matrix(obj), outer)
    for i in range(raw.FPDFFormObj_CountObjects(obj)):
        yield from _walk(raw.FPDFFormObj_GetObject(obj, i), inner)


def object_matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def image_to_obj(obj: Any, outer: Matrix) -> Obj:
    """An image fills the unit square of its matrix."""
    m = multiply(object_matrix(obj), outer)
    corners = [apply(m, x, y) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]
    return _bounded("image", corners)


def path_to_shapes(obj: Any, outer: Matrix) -> list[Obj]:
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, fillmode, stroke)
    fill, evenodd = fillmode.value != 0, fillmode.value == raw.FPDF_FILLMODE_ALTERNATE
    shapes = []
    ops, points = path_ops(obj, multiply(object_matrix(obj), outer))
    for sub in _SUBPATH.finditer(ops):
        shape = subpath_to_shape(ops[sub.start() : sub.end()], points[sub.start() : sub.end()])
        if shape is not None:
            shape.update(fill=fill, stroke=bool(stroke.value), evenodd=evenodd)
            shapes.append(shape)
    return shapes


def path_ops(obj: Any, m: Matrix) -> tuple[str, list[Point]]:
    """pdfminer's operator string ("mlllh") and end points for a PDFium path.

    PDFium stores a Bézier as three points and a close as a flag on the last point, where
    pdfminer has one "c" and an "h" whose point is the subpath's start.
    """
    ops: list[str] = []
    points: list[Point] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    start: Point = (0.0, 0.0)
    pending_bezier = 0
    for i in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = apply(m, x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            pending_bezier += 1
            if pending_bezier < 3:
                continue
            pending_bezier = 0
            ops.append("c")
        elif kind == raw.FPDF_SEGMENT_MOVETO:
            ops.append("m")
            start = point
        else:
            ops.append("l")
        points.append(point)
        if raw.FPDFPathSegment_GetClose(segment):
            if ops[-1] == "l" and point == start:
                ops[-1] = "h"  # the closing line PDFium adds for "h"
            else:
                ops.append("h")
                points.append(start)
    return "".join(ops), points


def subpath_to_shape(shape: str, pts: list[Point]) -> Obj | None:
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = [*pts[:-2], pts[-1]]
    if shape in ("mlh", "ml"):
        return _bounded("line", pts[:2])
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            return _bounded("rect", [pts[0], pts[2]])
    return _bounded("curve", pts)


def _bounded(kind: str, pts: list[Point]) -> Obj:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return {"object_type": kind, "x0": min(xs), "y0": min(ys), "x1": max(xs), "y1": max(ys)}
