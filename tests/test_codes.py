from extractor.codes import blocks_to_codes
from extractor.sections import Block
from tests.lines import line

CODES = r"^Applicable Codes"


def block(*lines, title="Applicable Codes"):  # type: ignore[no-untyped-def]
    return Block(title=title, heading=None, lines=tuple(lines))


def header(code: str, top: float = 100, page: int = 1):  # type: ignore[no-untyped-def]
    return line("", bold=True, top=top, page=page, cells=((code, 48.0), ("Description", 321.8)))


def row(code: str, desc: str, top: float, page: int = 1):  # type: ignore[no-untyped-def]
    return line("", top=top, page=page, cells=((code, 65.0), (desc, 128.0)))


def wrapped(text: str, top: float, page: int = 1):  # type: ignore[no-untyped-def]
    return line(text, x0=128.0, top=top, page=page)


def test_rows_with_wrapped_descriptions_and_a_table_over_a_page_break() -> None:
    codes, _ = blocks_to_codes([block(
        header("Diagnosis Code", 100),
        row("G35.A", "Relapsing-remitting multiple", 112),
        wrapped("sclerosis", 124),
        header("Diagnosis Code", 40, page=2),
        row("G35.D", "Multiple sclerosis, unspecified", 52, page=2),
    )], CODES)
    assert [(c.code, c.description, c.page) for c in codes] == [
        ("G35.A", "Relapsing-remitting multiple sclerosis", 1),
        ("G35.D", "Multiple sclerosis, unspecified", 2),
    ]
    assert {c.system for c in codes} == {"ICD-10-CM"}


def test_system_comes_from_header_and_from_the_code_shape() -> None:
    codes, _ = blocks_to_codes([block(
        header("CPT Code"),
        row("0019M", "Cardiovascular disease panel", 112),
        row("J0202", "Injection, alemtuzumab, 1 mg", 124),
    )], CODES)
    assert [(c.code, c.system) for c in codes] == [("0019M", "CPT"), ("J0202", "HCPCS")]


def test_table_ends_at_the_cpt_trademark_note() -> None:
    codes, _ = blocks_to_codes([block(
        header("CPT Code"),
        row("64633", "Destruction by neurolytic agent", 112),
        line("CPT® is a registered trademark of the American Medical Association", x0=304, top=124),
        wrapped("not a description", 136),
    )], CODES)
    assert [c.description for c in codes] == ["Destruction by neurolytic agent"]


def test_headerless_rows_only_in_the_codes_section() -> None:
    rows = (row("A9513", "Lutetium lu 177, dotatate", 112),)
    assert len(blocks_to_codes([block(*rows)], CODES)[0]) == 1
    assert blocks_to_codes([block(*rows, title="Background")], CODES)[0] == []


def test_ranges_asterisks_and_icd10_checks() -> None:
    codes, issues = blocks_to_codes([block(
        header("Diagnosis Code"),
        row("C50.011-C50.929", "Malignant neoplasm of breast", 112),
        row("*Z31.84", "Encounter for fertility preservation procedure", 124),
        row("G35", "Multiple sclerosis", 136),
    )], CODES)
    assert [(c.code, c.is_range) for c in codes] == [
        ("C50.011-C50.929", True), ("Z31.84", False), ("G35", False)]
    assert codes[0].icd10 is None
    assert codes[1].icd10 is not None and codes[1].icd10.billable
    g35 = codes[2].icd10
    assert g35 is not None and g35.valid and not g35.billable
    assert [i.kind for i in issues] == ["icd10_not_billable"]


def test_prose_codes_are_not_table_rows() -> None:
    text = line("Refer to J0202 for billing.", top=112)
    assert blocks_to_codes([block(header("HCPCS Code"), text)], CODES)[0] == []


def test_fy2026_chapter_q_codes_with_a_letter_second() -> None:
    codes, _ = blocks_to_codes([block(
        header("Diagnosis Code"),
        row("QA0.8", "Other neurodevelopmental disorders", 112),
    )], CODES)
    assert [(c.code, c.system) for c in codes] == [("QA0.8", "ICD-10-CM")]


def test_an_unknown_code_shape_under_a_header_is_kept_and_flagged() -> None:
    codes, issues = blocks_to_codes([block(
        header("HCPCS Code"),
        row("ZZ99-1", "Something new", 112),
    )], CODES)
    assert [c.code for c in codes] == ["ZZ99-1"]
    assert [i.kind for i in issues] == ["code_unrecognized"]


def test_matrix_columns_are_keyed_by_their_header() -> None:
    codes, _ = blocks_to_codes([block(
        header("Diagnosis Code"),
        line("", bold=True, top=112, cells=(("J0585", 372.9), ("J0586", 415.4), ("J0587", 457.4))),
        line("", top=124, cells=(("G24.5", 66.0), ("Blepharospasm", 128.0), ("X", 383.4),
                                 ("X", 467.9))),
    )], CODES)
    assert codes[0].columns == {"J0585": "X", "J0587": "X"}


def test_header_cells_centred_at_staggered_heights_and_wrapped_group_labels() -> None:
    codes, _ = blocks_to_codes([block(
        line("CPT/HCPCS", bold=True, x0=50.1, top=37.8),
        line("Description", bold=True, x0=321.7, top=43.5),
        line("Code", bold=True, x0=66.6, top=49.3),
        line("The following codes may be Cosmetic; review is required", bold=True, x0=41.4, top=63),
        line("Reconstructive.", bold=True, x0=41.4, top=74.5),
        row("11920", "Tattooing, intradermal introduction", 89.3),
    )], CODES)
    assert [(c.table, c.group, c.system) for c in codes] == [(
        "CPT/HCPCS Code",
        "The following codes may be Cosmetic; review is required Reconstructive.",
        "CPT",
    )]
