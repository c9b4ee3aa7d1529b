"""Input documents → one stream of typed lines, whatever the input format."""

from extractor.layout.lines import Bullet, Document, Line, Span, lines_to_provenance

__all__ = ["Bullet", "Document", "Line", "Span", "lines_to_provenance"]
