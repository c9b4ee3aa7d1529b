"""Build typed Lines by hand for unit tests of the stages after layout."""

from __future__ import annotations

from extractor.layout import Bullet, Line, Span


def line(
    text: str,
    *,
    page: int = 1,
    top: float = 100.0,
    x0: float = 36.0,
    size: float = 10.0,
    bold: bool = False,
    italic: bool = False,
    bullet: Bullet | None = None,
    level: int = 0,
    cells: tuple[tuple[str, float] | tuple[str, float, bool], ...] = (),
) -> Line:
    """A line of text; cells=((text, x0[, bold]), ...) gives it several column spans."""
    parts = [(c[0], c[1], c[2] if len(c) > 2 else bold) for c in cells] or [(text, x0, bold)]
    spans = tuple(
        Span(text=t, x0=x, x1=x + 5.0 * len(t), bold=b, italic=italic) for t, x, b in parts
    )
    return Line(
        text=" ".join(t for t, _, _ in parts),
        page=page,
        bbox=(x0, top, x0 + 400.0, top + size),
        size=size,
        bold=bold,
        italic=italic,
        bullet=bullet,
        level=level,
        spans=spans,
    )
