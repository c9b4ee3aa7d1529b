"""Small text helpers shared by the extractors."""

from __future__ import annotations

import re
import unicodedata

# trademark, copyright and footnote marks: typography, not part of a name
MARKS = re.compile(r"[®™©*†‡]")
# the marks that make a name a product's (a footnote's asterisk does not)
TRADEMARKS = re.compile(r"[®™]")
# the connector a list item ends with: "; and", "; or", "; and/or" (whole), a bare ";"
TRAILING = re.compile(r"[;,]?\s*\b(and/or|and|or)\s*$|[;,]\s*$", re.I)


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of one sentence wrapped over two lines.

    No space is added after a hyphen joining two words ("secondary-" + "progressive"), nor after
    a slash joining two ("and/" + "or", "nieces/" + "nephews").
    """
    if left.endswith("-") and right[:1].islower() and left[-2:-1] != " ":
        return left + right
    if left.endswith("/") and right[:1].isalnum() and left[-2:-1].isalnum():
        return left + right
    return f"{left} {right}"


def normalize(text: str) -> str:
    """Text without what does not change its meaning: marks, punctuation, case and spacing."""
    text = MARKS.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def clean(text: str) -> str:
    """A criterion as printed, without its trailing connector ("; and", "; or")."""
    return TRAILING.sub("", text.strip()).strip()
