"""Code tables (HCPCS, CPT, ICD-10) → one Code per printed row, checked against ICD-10-CM."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

from extractor.layout import Line
from extractor.model import Code, CodeSystem, Icd10Check, Issue, Provenance
from extractor.sections import Block, join_wrapped

# Header of a code column → the code system it holds; the first match wins.
HEADER_SYSTEMS: tuple[tuple[re.Pattern[str], CodeSystem], ...] = (
    (re.compile(r"ICD-?10[- ]?PCS", re.I), "ICD-10-PCS"),
    (re.compile(r"ICD-?10|Diagnosis", re.I), "ICD-10-CM"),
    (re.compile(r"HCPCS", re.I), "HCPCS"),
    (re.compile(r"CPT", re.I), "CPT"),
    (re.compile(r"Revenue", re.I), "Revenue"),
    (re.compile(r"NDC", re.I), "NDC"),
)
HEADER = re.compile(r"\bCodes?\b", re.I)
CODE_TOKEN = {
    "HCPCS": r"[A-V]\d{3}[0-9A-Z]",
    "CPT": r"\d{4}[0-9FTU]|[A-Z]\d{4}",
    "ICD-10-CM": r"[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?X{0,3}",
    "ICD-10-PCS": r"[0-9A-HJ-NP-Z]{7}",
    "Revenue": r"\d{3,4}",
    "NDC": r"\d{4,5}-\d{3,4}-\d{1,2}",
    "Other": r"[A-Z0-9.]{3,8}",
}
RANGE_SEP = r"\s*(?:-|–|—|through|to)\s*"
TABLE_END = re.compile(r"registered trademark|^Coding Clarification|^\*", re.I)


@dataclass
class _Table:
    system: CodeSystem
    header: str
    code_x1: float
    desc_x0: float
    rows: list[list[Line]] = field(default_factory=list)


def blocks_to_codes(blocks: list[Block]) -> tuple[list[Code], list[Issue]]:
    """Every row of every code table in the given sections, in printed order."""
    codes = [code for block in blocks for table in _tables(list(block.lines)) for code in
             _table_to_codes(table)]
    return codes, [issue for code in codes for issue in _icd10_issues(code)]


def _tables(lines: list[Line]) -> Iterator[_Table]:
    table: _Table | None = None
    for line in lines:
        header = _header(line)
        if header is not None:
            if table is not None and (header.system, header.header) == (table.system, table.header):
                continue  # the header repeated on a new page
            if table is not None:
                yield table
            table = header
        elif table is not None and not _add_row(table, line):
            yield table
            table = None
    if table is not None:
        yield table


def _header(line: Line) -> _Table | None:
    if len(line.spans) < 2 or not line.bold:
        return None
    first, rest = line.spans[0].text, line.spans[1].text
    if not HEADER.search(first) or not rest.lower().startswith("description"):
        return None
    system: CodeSystem = next((s for rx, s in HEADER_SYSTEMS if rx.search(first)), "Other")
    return _Table(system, first, line.spans[1].x0 - 4, line.spans[1].x0)


def _add_row(table: _Table, line: Line) -> bool:
    """Add a row or a wrapped description line; False when the line is past the table."""
    if TABLE_END.search(line.text):
        return False
    first = line.spans[0]
    if first.x0 < table.code_x1 and _code_match(table.system, first.text):
        table.rows.append([line])
        return True
    if table.rows and first.x0 >= table.desc_x0 - 6:
        table.rows[-1].append(line)
        return True
    # a row spanning both columns (a group label) or text after the table
    return first.x0 < table.desc_x0 and line.bold and len(line.spans) == 1 and len(line.text) < 80


def _code_match(system: CodeSystem, text: str) -> re.Match[str] | None:
    token = CODE_TOKEN[system]
    cell = rf"(?:{token})(?:{RANGE_SEP}(?:{token}))?"
    return re.fullmatch(rf"{cell}(?:\s*,\s*{cell})*(?:\s*\*+)?", _code_cell(text))


def _code_cell(text: str) -> str:
    return text.split("  ")[0].strip()


def _table_to_codes(table: _Table) -> Iterator[Code]:
    for row in table.rows:
        first = row[0]
        code = _code_cell(first.spans[0].text)
        description = " ".join(s.text for s in first.spans[1:])
        for line in row[1:]:
            description = join_wrapped(description, line.text) if description else line.text
        yield _code(table, code.rstrip("*").strip(), description.strip(), row)


def _code(table: _Table, code: str, description: str, row: list[Line]) -> Code:
    is_range = re.search(RANGE_SEP, code) is not None or "," in code
    x0 = min(line.bbox[0] for line in row)
    x1 = max(line.bbox[2] for line in row)
    last = row[-1] if row[-1].page == row[0].page else row[0]
    bbox = (x0, row[0].bbox[1], x1, last.bbox[3])
    return Code(
        system=table.system,
        code=code,
        description=description,
        page=row[0].page,
        provenance=Provenance(page=row[0].page, bbox=bbox),
        table=table.header,
        is_range=is_range,
        icd10=_icd10(code) if table.system == "ICD-10-CM" and not is_range else None,
    )


@cache
def _icd10_codeset() -> ModuleType:
    """The ICD-10-CM code set, loaded on first use (it takes a second)."""
    with warnings.catch_warnings():
        # simple-icd-10-cm loads its data through deprecated importlib.resources calls.
        warnings.filterwarnings("ignore", "(read|open)_text is deprecated", DeprecationWarning)
        import simple_icd_10_cm

    return simple_icd_10_cm  # type: ignore[no-any-return]


def _icd10(code: str) -> Icd10Check:
    icd = _icd10_codeset()
    if not icd.is_valid_item(code):
        return Icd10Check(valid=False, billable=False)
    return Icd10Check(
        valid=True,
        billable=icd.is_leaf(code),
        official_description=icd.get_description(code),
    )


def _icd10_issues(code: Code) -> Iterator[Issue]:
    check = code.icd10
    if check is None:
        return
    if not check.valid:
        yield Issue(kind="icd10_invalid", page=code.page,
                    message=f"{code.code} is not in the current ICD-10-CM code set")
    elif not check.billable:
        yield Issue(kind="icd10_not_billable", page=code.page,
                    message=f"{code.code} is not billable in the current ICD-10-CM code set "
                            "(it has been split into more specific codes)")
