"""The font facts pdfplumber reports that PDFium does not: the subset-prefixed name and the descent.

PDFium strips the subset prefix ("GFNHDR+ArialMT" → "ArialMT") and rounds the descriptor's
descent, while pdfminer, and so pdfplumber, take both from the font descriptor as written. Only
the page's font dictionaries are read here (with pdfminer's object parser, which is cheap); the
content streams, where pdfminer spends its time, are left to PDFium.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pdfminer.pdffont import FontMetricsDB
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral

_SUBSET_PREFIX_LEN = 7  # six capitals and a "+"


@dataclass(frozen=True)
class FontFacts:
    """What pdfminer makes of one font dictionary."""

    fontname: str
    descent: float  # in text space units per unit of font size (negative)
    program_size: int | None = None  # bytes of the embedded font program, to tell subsets apart


def strip_subset(name: str) -> str:
    """The font name without its subset prefix, as PDFium reports it."""
    prefix = name[:_SUBSET_PREFIX_LEN]
    if len(name) > _SUBSET_PREFIX_LEN and prefix.endswith("+") and prefix[:-1].isupper():
        return name[_SUBSET_PREFIX_LEN:]
    return name


def resources_to_fonts(resources: Any) -> dict[str, list[FontFacts]]:
    """The fonts a page's resources (and its form XObjects') use, keyed by unprefixed name."""
    specs: dict[str, dict[int, Mapping[str, Any]]] = {}
    for spec in _font_specs(resources, set()):
        basefont = _name(spec.get("BaseFont"), "unknown")
        specs.setdefault(strip_subset(basefont), {})[id(spec)] = spec
    found: dict[str, list[FontFacts]] = {}
    for name, same in specs.items():
        # Several subsets of one font on a page: only the font programs tell them apart.
        facts = {spec_to_facts(spec, program_size=len(same) > 1) for spec in same.values()}
        found[name] = sorted(facts, key=lambda f: f.fontname)
    return found


def spec_to_facts(spec: Mapping[str, Any], program_size: bool = False) -> FontFacts:
    """Font name and descent the way pdfminer's PDFFont sets them (pdfminer/pdffont.py)."""
    basefont = _name(spec.get("BaseFont"), "unknown")
    subtype = _name(spec.get("Subtype"), "")
    descriptor: Mapping[str, Any] = {}
    if subtype in ("Type1", "MMType1", "TrueType"):
        try:
            descriptor = FontMetricsDB.get_metrics(basefont)[0]  # the standard 14, from AFM
        except KeyError:
            descriptor = _dict(spec.get("FontDescriptor"))
    elif subtype == "Type0":
        descendants = resolve1(spec.get("DescendantFonts")) or [{}]
        descriptor = _dict(_dict(descendants[0]).get("FontDescriptor"))
    else:
        descriptor = _dict(spec.get("FontDescriptor"))
    descent = _number(descriptor.get("Descent", 0))
    return FontFacts(
        fontname=_name(descriptor.get("FontName"), "unknown"),
        descent=-abs(descent) * 0.001,
        program_size=_program_size(descriptor) if program_size else None,
    )


def _program_size(descriptor: Mapping[str, Any]) -> int | None:
    for key in ("FontFile2", "FontFile3", "FontFile"):
        stream = resolve1(descriptor.get(key))
        if stream is not None and hasattr(stream, "get_data"):
            try:
                return len(stream.get_data())
            except Exception:  # a damaged stream: the subsets stay told apart by name only
                return None
    return None


def _font_specs(resources: Any, seen: set[int]) -> Iterator[Mapping[str, Any]]:
    resources = _dict(resources)
    for ref in _dict(resources.get("Font")).values():
        spec = _dict(ref)
        if spec:
            yield spec
    for ref in _dict(resources.get("XObject")).values():
        key = getattr(ref, "objid", None)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        xobj = resolve1(ref)
        attrs = getattr(xobj, "attrs", {})
        if _name(attrs.get("Subtype"), "") == "Form":
            yield from _font_specs(attrs.get("Resources"), seen)


def _dict(value: Any) -> Mapping[str, Any]:
    value = resolve1(value)
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float:
    value = resolve1(value)
    return float(value) if isinstance(value, (int, float)) else 0.0


def _name(value: Any, default: str) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else default
