"""Input documents → one stream of typed lines, whatever the input format."""

from extractor.layout.lines import Bullet, Document, Line, Span

__all__ = ["Bullet", "Document", "Line", "Span"]
