"""Code tables (HCPCS, CPT, ICD-10, …) → one Code per printed row, checked against ICD-10-CM.

A table starts at a bold header row ("HCPCS Code | Description") in any section; inside the
Applicable Codes section, rows are also recognised without a header by the shape of a code in
the code column followed by a description. The system comes from the header when the code fits
it, otherwise from the code's shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from extractor.layout import Line, Span, lines_to_provenance
from extractor.model import Code, CodeSystem, Icd10Check, Issue
from extractor.reference import reference
from extractor.sections import Block
from extractor.text import join_wrapped

# Header words → the code system of the table; the first match wins.
HEADER_SYSTEMS: tuple[tuple[re.Pattern[str], CodeSystem], ...] = (
    (re.compile(r"ICD-?10[- ]?PCS", re.I), "ICD-10-PCS"),
    (re.compile(r"ICD-?10|Diagnos", re.I), "ICD-10-CM"),
    (re.compile(r"\bCDT\b", re.I), "CDT"),
    (re.compile(r"CPT", re.I), "CPT"),
    (re.compile(r"HCPCS", re.I), "HCPCS"),
    (re.compile(r"Revenue", re.I), "Revenue"),
    (re.compile(r"\bNDC\b", re.I), "NDC"),
)
# The shape of a single code of each system, most specific first (used to infer the system).
SHAPES: tuple[tuple[CodeSystem, str], ...] = (
    ("NDC", r"\d{4,5}-\d{3,4}-\d{1,2}"),
    # a letter, then two characters with at least one digit (FY2026 added QA0)
    ("ICD-10-CM", r"[A-TV-Z](?=[0-9A-Z]{0,1}\d)[0-9A-Z]{2}(?:\.[0-9A-Z]{1,4})?"),
    ("CPT", r"\d{4}[0-9FTUM]"),
    ("HCPCS", r"[A-V]\d{4}"),
    ("Revenue", r"0\d{3}"),
    ("ICD-10-PCS", r"[0-9A-HJ-NP-Z]{7}"),
)
SHAPE = dict(SHAPES) | {"CDT": r"D\d{4}", "Other": r"[A-Z0-9]{3,7}"}
HEADER_WORD = re.compile(r"\bCodes?\b|\bCPT\b|\bHCPCS\b", re.I)
RANGE_SEP = r"\s*(?:-|–|—|through|to)\s*"
TABLE_END = re.compile(r"registered trademark|^Coding Clarification", re.I)
CODE_COLUMN_MAX_X = 125.0
CODE_LIKE = re.compile(r"\*?(?=[A-Z.\-]*\d)[A-Z0-9.\-]{3,12}\*?")


@dataclass
class _Row:
    lines: list[Line]
    group: str | None  # the bold label row above it that spans the table, if any


@dataclass
class _Table:
    system: CodeSystem | None
    header: str
    desc_x: float = CODE_COLUMN_MAX_X
    rows: list[_Row] = field(default_factory=list)
    group: str | None = None
    labelling: bool = False  # the last line read was a group label
    # headers of the columns after the description: (x centre, name)
    heads: list[tuple[float, str]] = field(default_factory=list)


def blocks_to_codes(blocks: list[Block], code_sections: str) -> tuple[list[Code], list[Issue]]:
    """Every row of every code table, in printed order, and issues about ICD-10-CM codes."""
    rx = re.compile(code_sections, re.IGNORECASE)
    codes = [
        code
        for block in blocks
        for table in lines_to_tables(list(block.lines), headerless=bool(rx.search(block.title)))
        for code in _table_to_codes(table)
    ]
    return codes, [issue for code in codes for issue in _code_issues(code)]


def lines_to_tables(lines: list[Line], headerless: bool) -> Iterator[_Table]:
    table: _Table | None = None
    lines = merge_stacked_cells(lines)
    for line in lines:
        header = _header(line)
        if header is not None:
            if table is None or (header.system, header.header) != (table.system, table.header):
                if table is not None and table.rows:
                    yield table
                table = header
        elif _code_cell(line, table) is not None and (table is not None or headerless):
            table = table or _Table(None, "", line.spans[1].x0 if len(line.spans) > 1 else 128.0)
            table.rows.append(_Row([line], table.group))
            table.labelling = False
        elif table is not None and not _continues(table, line):
            if table.rows:
                yield table
            table = None
    if table is not None and table.rows:
        yield table


def _header(line: Line) -> _Table | None:
    cell = line.spans[0].text
    if not line.bold or not HEADER_WORD.search(cell) or len(cell.split()) > 4:
        return None
    first = line.spans[0].text
    system = next((s for rx, s in HEADER_SYSTEMS if rx.search(line.text)), None)
    desc = next((s for s in line.spans[1:] if "description" in s.text.lower()), None)
    desc_x = desc.x0 - 8 if desc is not None and desc.x0 < 200 else CODE_COLUMN_MAX_X
    table = _Table(system, first, desc_x)
    if desc is not None:
        table.heads = _heads([s for s in line.spans if s.x0 > desc.x1])
    return table


def _heads(spans: list[Span]) -> list[tuple[float, str]]:
    return [((s.x0 + s.x1) / 2, s.text) for s in spans]


def _code_cell(line: Line, table: _Table | None) -> str | None:
    """The code printed in the code column of this line, or None."""
    first = line.spans[0]
    limit = table.desc_x if table is not None else CODE_COLUMN_MAX_X
    if first.x0 >= limit or (len(line.spans) < 2 and first.x1 > limit + 10):
        return None
    text = first.text.strip()
    system = table.system if table is not None else None
    if _fits(text, system) or _fits(text, None):
        return text
    # under a header, a code-like cell beside a description is a row even in an unknown shape
    beside = len(line.spans) > 1 and abs(line.spans[1].x0 - limit) < 20
    return text if table is not None and beside and CODE_LIKE.fullmatch(text) else None


def _fits(text: str, system: CodeSystem | None) -> bool:
    shapes = [SHAPE[system]] if system else [s for _, s in SHAPES]
    token = "|".join(f"(?:{s})" for s in shapes)
    cell = rf"(?:{token})(?:{RANGE_SEP}(?:{token}))?"
    return re.fullmatch(rf"\*?{cell}\*?(?:\s*,\s*\*?{cell}\*?)*", text) is not None


def _continues(table: _Table, line: Line) -> bool:
    """A wrapped description line, a repeated group label, or a note: still the same table."""
    if TABLE_END.search(line.text):
        return False
    first = line.spans[0]
    if line.bold and first.x0 > table.desc_x + 100:
        table.heads = _heads(list(line.spans))  # a second header row naming further columns
        return True
    if table.rows and first.x0 >= table.desc_x - 6:
        table.rows[-1].lines.append(line)
        return True
    if line.bold and len(line.spans) == 1 and len(line.text) < 100:
        # a label row spanning the table names the rows below it; it may wrap
        table.group = join_wrapped(table.group or "", line.text) if table.labelling else line.text
        table.labelling = True
        return True
    return False


def merge_stacked_cells(lines: list[Line]) -> list[Line]:
    """Join bold header cells printed at staggered heights into one header line.

    A header whose cells are centred vertically ("CPT/HCPCS" over "Code", "Description" half a
    line lower) comes out as lines closer together than a line pitch.
    """
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and _stacked(prev, line):
            out[-1] = _merge(prev, line)
        else:
            out.append(line)
    return out


def _stacked(a: Line, b: Line) -> bool:
    return a.bold and b.bold and a.page == b.page and a.top < b.top < a.bbox[3] - 1


def _merge(a: Line, b: Line) -> Line:
    spans: list[Span] = []
    for span in sorted([*a.spans, *b.spans], key=lambda s: s.x0):
        if spans and span.x0 < spans[-1].x1 and spans[-1].x0 < span.x1:
            last = spans[-1]
            span = last.model_copy(update={"text": f"{last.text} {span.text}",
                                           "x1": max(last.x1, span.x1)})
            spans[-1] = span
        else:
            spans.append(span)
    bbox = (min(a.bbox[0], b.bbox[0]), a.bbox[1], max(a.bbox[2], b.bbox[2]), b.bbox[3])
    text = " ".join(s.text for s in spans)
    return a.model_copy(update={"spans": tuple(spans), "text": text, "bbox": bbox})


def _table_to_codes(table: _Table) -> Iterator[Code]:
    for row in table.rows:
        cells = _cells(row.lines)
        code = cells[0][1].strip("*").strip()
        description = cells[1][1] if len(cells) > 1 else ""
        extra = _extra_columns(table, cells[2:])
        yield _code(table, code, description, extra, row.lines, row.group)


def _cells(row: list[Line]) -> list[tuple[float, str]]:
    """(x centre, text) of the row's cells; wrapped lines join the cell of their column."""
    first = row[0].spans
    starts = [s.x0 for s in first]
    cells = [((s.x0 + s.x1) / 2, s.text) for s in first]
    for line in row[1:]:
        for span in line.spans:
            i = _column(span, starts)
            x, text = cells[i]
            cells[i] = (x, join_wrapped(text, span.text) if text else span.text)
    return cells


def _column(span: Span, starts: list[float]) -> int:
    return max([i for i, x in enumerate(starts) if x <= span.x0 + 6] or [0])


def _extra_columns(table: _Table, cells: list[tuple[float, str]]) -> dict[str, str]:
    """Cells after the description, keyed by the header of the column they stand under."""
    if not table.heads:
        return {f"column {i + 3}": text for i, (_, text) in enumerate(cells)}
    out: dict[str, str] = {}
    for x, text in cells:
        name = min(table.heads, key=lambda head: abs(head[0] - x))[1]
        out[name] = f"{out[name]} {text}" if name in out else text
    return out


def _code(
    table: _Table,
    code: str,
    description: str,
    extra: dict[str, str],
    row: list[Line],
    group: str | None,
) -> Code:
    is_range = re.search(RANGE_SEP, code) is not None or "," in code
    system = _system(code, table.system)
    return Code(
        system=system,
        code=code,
        description=description.strip(),
        page=row[0].page,
        provenance=lines_to_provenance(row),
        table=table.header,
        group=group,
        columns=extra,
        is_range=is_range,
        icd10=_icd10(code) if system == "ICD-10-CM" and not is_range else None,
    )


def _system(code: str, hint: CodeSystem | None) -> CodeSystem:
    first = re.split(rf"{RANGE_SEP}|,", code)[0].strip("* ")
    if hint is not None and _fits(first, hint):
        return hint
    return next((s for s, shape in SHAPES if re.fullmatch(shape, first)), hint or "Other")


def _icd10(code: str) -> Icd10Check:
    item = reference().icd10(code)
    if item is None:
        return Icd10Check(valid=False, billable=False)
    return Icd10Check(valid=True, billable=item.billable, official_description=item.description)


def _code_issues(code: Code) -> Iterator[Issue]:
    first = re.split(rf"{RANGE_SEP}|,", code.code)[0].strip("* ")
    if not _fits(first, code.system):
        yield Issue(kind="code_unrecognized", page=code.page,
                    message=f"{code.code!r} in the {code.table!r} table has no known code shape")
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
