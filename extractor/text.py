"""Small text helpers shared by the extractors."""

from __future__ import annotations


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of one sentence wrapped over two lines.

    No space is added after a hyphen joining two words ("secondary-" + "progressive").
    """
    if left.endswith("-") and right[:1].islower() and left[-2:-1] != " ":
        return left + right
    return f"{left} {right}"
