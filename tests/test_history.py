from extractor.history import blocks_to_history
from extractor.sections import Block
from tests.lines import line


def history(*lines):  # type: ignore[no-untyped-def]
    block = Block(title="Policy History/Revision Information", heading=None, lines=tuple(lines))
    return blocks_to_history([block])


def test_entries_sections_items_and_archived_version() -> None:
    entries = history(
        line("", bold=True, top=90, cells=(("Date", 69.0), ("Summary of Changes", 298.0))),
        line("", top=100, cells=(("10/01/2025", 54.4), ("Applicable Codes", 128.0, True))),
        line("Updated list of ICD-10 codes:", x0=146, top=112, bullet="image"),
        line("Added G35.A and", x0=164, top=124, bullet="o"),
        line("G35.B0", x0=164, top=136),
        line("Supporting Information", x0=128, top=148, bold=True),
        line("Archived previous policy version 2025D0023X", x0=146, top=160, bullet="image"),
        line("", top=180, cells=(("04/01/2025", 54.4), ("Routine review; no change", 128.0))),
    )
    assert [e.date for e in entries] == ["2025-10-01", "2025-04-01"]
    first = entries[0]
    assert [(c.section, c.items) for c in first.changes] == [
        ("Applicable Codes", ["Updated list of ICD-10 codes:", "Added G35.A and G35.B0"]),
        ("Supporting Information", ["Archived previous policy version 2025D0023X"]),
    ]
    assert first.archived_previous == "2025D0023X"
    assert entries[1].changes[0].section is None
    assert entries[1].archived_previous is None


def test_plural_archived_versions_take_the_first() -> None:
    entries = history(
        line("", top=100, cells=(("01/01/2026", 54.4), ("Supporting Information", 128.0, True))),
        line("Archived previous policy versions 2025T0001A and SURGERY 057.27", x0=146, top=112,
             bullet="image"),
    )
    assert entries[0].archived_previous == "2025T0001A"


def test_wrapped_sub_heading_and_oxford_style_versions() -> None:
    entries = history(
        line("", top=100, cells=(("03/01/2026", 54.4), ("Coverage Rationale", 128.0, True))),
        line("Polyarticular Juvenile Idiopathic Arthritis, Rheumatoid Arthritis, and Systemic",
             x0=128, top=112, bold=True, italic=True),
        line("Juvenile Idiopathic Arthritis", x0=128, top=124, bold=True, italic=True),
        line("Revised coverage criteria", x0=146, top=136, bullet="image"),
        line("Supporting Information", x0=128, top=148, bold=True),
        line("Archived previous policy versions MP.007.31 and SURGERY 035.52", x0=146, top=160,
             bullet="image"),
    )
    first = entries[0].changes[0]
    assert (first.section, first.subsection, first.items) == (
        "Coverage Rationale",
        "Polyarticular Juvenile Idiopathic Arthritis, Rheumatoid Arthritis, and Systemic "
        "Juvenile Idiopathic Arthritis",
        ["Revised coverage criteria"],
    )
    assert entries[0].archived_versions == ["MP.007.31", "SURGERY 035.52"]
    assert entries[0].archived_previous == "MP.007.31"
