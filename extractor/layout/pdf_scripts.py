"""Super- and subscripts of a PDF row: kept as Unicode characters, or dropped as footnote marks.

A small character printed above the row's baseline is either part of the text (an exponent:
"10⁹/L", "cm²", a charge or allele: "beta⁰", "beta⁺") or a footnote reference mark ("(aHUS).¹,¹²"),
which is not. Context tells them apart, as it does a reader: a raised number after another
number, after a unit of length, or a raised sign or zero, is an exponent; a raised number after
punctuation or at the end of an ordinary word cites a reference. Raised letters and symbols
("4th", "®") stay as printed; lowered digits and signs are subscripts ("O₂").
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby
from statistics import median
from typing import Any, Literal

# a character as pdfplumber reads it
Char = dict[str, Any]
Script = Literal["sup", "sub", ""]

# A character this much smaller than the row's body text (or smaller) may be a super/subscript.
SCRIPT_SIZE = 0.8
# ... and is one when its bottom is this many body sizes above (or below) the row's baseline.
SCRIPT_RISE = 0.2
SCRIPT_DROP = 0.1
# The row's body type is the largest that prints at least this many letters or digits.
BODY_MIN_CHARS = 3
REFERENCE_MARK_CHARS = frozenset("0123456789,-–")
SUPERSCRIPTS = str.maketrans("0123456789+-–−=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁻⁼⁽⁾")
# Subscripts are digits ("O₂"); a lowered sign or bracket is more likely misprinted text.
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
# Units whose square or cube policies print with a raised 2 or 3 ("cm²", "mg/m²").
AREA_UNITS = frozenset({"m", "cm", "mm", "km", "dm", "µm", "μm", "in", "ft",
                        "meter", "meters", "metre", "metres"})
_WORD_END = re.compile(r"[^\W\d_]+$")


def read_scripts(chars: list[Char]) -> list[Char]:
    """A row's characters (sorted by x) with super/subscripts as Unicode and marks dropped."""
    sizes = [c["size"] for c in chars if not c["text"].isspace()]
    if not sizes or min(sizes) > SCRIPT_SIZE * max(c["size"] for c in chars):
        return chars  # no character small enough beside the body type to be a script
    size, baseline = _body(chars)
    out: list[Char] = []
    for kind, group in groupby(chars, key=lambda c: _script(c, size, baseline)):
        run = list(group)
        if not kind:
            out.extend(run)
            continue
        out.extend(_read_run(kind, run, "".join(c["text"] for c in out)))
    return out


def _body(chars: list[Char]) -> tuple[float, float]:
    """The size of the row's body text and its baseline (the bottom of its characters).

    The body is the largest type of a few letters or digits: a short line can print more
    citation marks than words ("met:¹⁻³,¹⁶⁻¹⁷,⁴⁰").

    A row that prints only small characters beside a body-size blank is the end of a citation
    wrapped to a new line ("4,5,42 "): the blank gives the body.
    """
    printed = [c for c in chars if not c["text"].isspace()] or chars
    sizes = Counter(round(c["size"], 1) for c in printed if c["text"].isalnum())
    sizes = sizes or Counter(round(c["size"], 1) for c in printed)
    enough = min(BODY_MIN_CHARS, max(sizes.values()))
    size = max(s for s, n in sizes.items() if n >= enough)
    blank = max(chars, key=lambda c: (c["text"].isspace(), c["size"]))
    if blank["text"].isspace() and size <= SCRIPT_SIZE * blank["size"]:
        return float(blank["size"]), float(blank["bottom"])
    return size, median(c["bottom"] for c in printed if round(c["size"], 1) == size)


def _script(c: Char, size: float, baseline: float) -> Script:
    if c["text"].isspace() or c["size"] > SCRIPT_SIZE * size:
        return ""
    if baseline - c["bottom"] > SCRIPT_RISE * size:
        return "sup"
    return "sub" if c["bottom"] - baseline > SCRIPT_DROP * size else ""


def _read_run(kind: Script, run: list[Char], before: str) -> list[Char]:
    text = "".join(c["text"] for c in run)
    if kind == "sub":
        return _translate(run, SUBSCRIPTS)
    if _exponent(text, before):
        return _translate(run, SUPERSCRIPTS)
    return [c for c in run if c["text"] not in REFERENCE_MARK_CHARS]


def _exponent(text: str, before: str) -> bool:
    """Whether a raised run of characters is part of the text rather than a reference mark."""
    if not before or not before[-1].isalnum():
        return False  # after punctuation or a space: a citation ("(aHUS).¹,¹²")
    if before[-1].isdigit():
        return True  # "10⁹/L"
    word = _WORD_END.search(before)
    unit = word is not None and word.group() in AREA_UNITS and text in ("2", "3")
    return unit or text.startswith("0") or any(s in text for s in "+−")


def _translate(run: list[Char], table: dict[int, int]) -> list[Char]:
    return [{**c, "text": c["text"].translate(table)} for c in run]
