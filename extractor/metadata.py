"""Policy metadata from the front matter, the page furniture, the sidebar and the PDF info."""

from __future__ import annotations

import re

from extractor.dates import to_iso
from extractor.layout import Document, Line
from extractor.model import Policy
from extractor.sections import Sections
from extractor.text import join_wrapped

NUMBER = re.compile(
    r"(?:Policy|Guideline|Reference|Document)\s+(?:Number|No\.?|#)\s*:?\s*"
    r"([A-Z]{2,} \d{3}\.\d{2}\b|[A-Z0-9][A-Z0-9.\-]{3,})",
    re.IGNORECASE,
)
NUMBER_IN_INFO = re.compile(r"\bversion\s+([0-9]{4}[A-Z][0-9]{4}[A-Z0-9]*)\b", re.IGNORECASE)
EFFECTIVE = re.compile(r"Effective\s+(?:Date)?\s*:?\s*(.+)", re.IGNORECASE)
PAYERS = ("UnitedHealthcare", "Oxford", "Cigna", "Aetna", "Humana", "EmblemHealth")
POLICY_TYPES = (
    "Medical Benefit Drug Policy",
    "Medical Policy",
    "Clinical Policy",
    "Coverage Determination Guideline",
    "Utilization Review Guideline",
    "Reimbursement Policy",
    "Drug Policy",
)
RELATED_HEADING = re.compile(r"^(Related\b.*|.*\bPolic(y|ies))$")
TRADEMARKS = "®™©"


def sections_to_policy(doc: Document, sections: Sections) -> Policy:
    """Read number, title, effective date, payer, line of business, type and related policies."""
    front = list(sections.front) or list(doc.lines[:20])
    header = _header_lines(front)
    title_lines = _title_lines(front)
    banner = " ".join(line.text for line in header)
    footer = " ".join(line.text for line in doc.furniture)
    return Policy(
        number=_number(front, doc),
        title=_title(title_lines, doc),
        effective_date=_effective(front, footer),
        payer=_payer(banner or footer),
        line_of_business=_line_of_business(header),
        policy_type=next((t for t in POLICY_TYPES if t.lower() in (banner + footer).lower()), None),
        related_policies=sidebar_to_related(list(doc.sidebar)),
        provenance=title_lines[0].provenance if title_lines else None,
    )


def _title_lines(front: list[Line]) -> list[Line]:
    """The largest type on page 1 above the policy number: the title, however many lines."""
    stop = next((i for i, line in enumerate(front) if NUMBER.search(line.text)), len(front))
    # Stray glyphs (text hidden behind the logo) are not a title: it needs words.
    candidates = [
        line for line in front[:stop]
        if line.page == 1 and sum(ch.isalpha() for ch in line.text) >= 3
    ]
    if not candidates:
        return []
    size = max(line.size for line in candidates)
    return [line for line in candidates if line.size >= size - 0.5]


def _header_lines(front: list[Line]) -> list[Line]:
    """The banner above the title ("UnitedHealthcare® Commercial" / "Medical Policy")."""
    titles = _title_lines(front)
    if not titles:
        return []
    return [line for line in front if line.page == 1 and line.top < titles[0].top]


def _title(lines: list[Line], doc: Document) -> str | None:
    if lines:
        text = lines[0].text
        for line in lines[1:]:
            text = join_wrapped(text, line.text)
        return re.sub(r"\s+", " ", text).strip()
    info = doc.metadata.get("Title", "")
    return info.split(" – ")[0].strip() or None


def _number(front: list[Line], doc: Document) -> str | None:
    for line in front:
        m = NUMBER.search(line.text)
        if m:
            return m.group(1).rstrip(".")
    m = NUMBER_IN_INFO.search(doc.metadata.get("Comments", ""))
    return m.group(1) if m else None


def _effective(front: list[Line], footer: str) -> str | None:
    for line in front:
        m = EFFECTIVE.search(line.text)
        if m and to_iso(m.group(1)):
            return to_iso(m.group(1))
    m = EFFECTIVE.search(footer)
    return to_iso(m.group(1)) if m else None


def _payer(text: str) -> str | None:
    plain = _plain(text)
    found = [(plain.find(p), p) for p in PAYERS if p in plain]
    return min(found)[1] if found else None


def _line_of_business(header: list[Line]) -> str | None:
    """The banner's first line after the payer name: "Commercial", "Medicare Advantage", …"""
    for line in header:
        plain = _plain(line.text)
        for payer in PAYERS:
            if plain.startswith(payer):
                rest = plain[len(payer):].strip()
                if rest and not any(t.lower() == rest.lower() for t in POLICY_TYPES):
                    return rest
    return None


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate({ord(c): None for c in TRADEMARKS})).strip()


def sidebar_to_related(sidebar: list[Line]) -> list[str]:
    """Names of the related policies the sidebar lists, wrapped names joined."""
    names: list[str] = []
    fresh = False  # just after a "Related … Policy" heading
    in_list = False
    for line in sidebar:
        if line.bullet is None and line.bold and RELATED_HEADING.match(line.text):
            in_list, fresh = True, True
        elif in_list and (line.bullet is not None or fresh):
            names.append(line.text)
            fresh = False
        elif in_list and names and not line.bold:
            names[-1] = join_wrapped(names[-1], line.text)
    return names
