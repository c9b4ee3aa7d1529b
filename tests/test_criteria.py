"""The Coverage Rationale logic tree, on the sample, on Lemtrada and on hand-made lines."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractor.criteria import block_to_statements, lead_in_operator, stable_id
from extractor.model import CoverageStatement, Criterion, RuleSet
from extractor.pipeline import extract
from extractor.sections import Block
from tests.conftest import SAMPLE, corpus_file
from tests.lines import line


@cache
def rules(path: Path) -> RuleSet:
    return extract(path)


def shape(node: Criterion) -> tuple[object, ...]:
    return (node.op, node.min, len(node.children))


def test_lemtrada_tree_is_the_tree_a_reader_sees() -> None:
    coverage = rules(corpus_file("uhc-comm-drug_lemtrada-alemtuzumab_2025-10-01.pdf")).coverage
    proven, unproven = coverage
    root = proven.criteria
    assert proven.kind == "proven" and root is not None
    assert shape(root) == ("all", None, 2)
    one_of = root.children[1]
    assert shape(one_of) == ("any", None, 2)
    naive, experienced = one_of.children
    assert naive.text == "Treatment-naïve to alemtuzumab:"
    assert experienced.text == "Treatment-experienced with alemtuzumab:"
    at_least = naive.children[0]
    assert shape(at_least) == ("at_least", 2, 16)
    assert at_least.children[-1].text == "ublituximab (Briumvi®)"
    assert [shape(n) for n in (naive, experienced)] == [("all", None, 6), ("all", None, 6)]
    assert naive.children[-1].text == (
        "Initial authorization is for no more than 12 months and no more than 5 doses")
    assert unproven.kind == "unproven" and unproven.criteria is not None
    assert shape(unproven.criteria) == ("any", None, 7)


def test_sample_statements_with_continuation_over_a_page_break() -> None:
    ms, ra, unproven = rules(SAMPLE / "zentorimab-v1.pdf").coverage
    assert [s.kind for s in (ms, ra, unproven)] == ["proven", "proven", "unproven"]
    assert ms.criteria is not None
    initial, continuation = ms.criteria.children[1].children
    assert [shape(initial), shape(continuation)] == [("all", None, 5), ("all", None, 4)]
    assert continuation.children[-1].text == "Reauthorization is for no more than 12 months"
    assert ra.criteria is not None and shape(ra.criteria.children[1]) == ("at_least", 2, 3)


def test_ids_are_stable_across_versions_and_differ_for_reworded_criteria() -> None:
    old, new = (rules(SAMPLE / n).coverage[1] for n in ("zentorimab-v1.pdf", "zentorimab-v2.pdf"))
    assert old.id == new.id
    assert old.criteria is not None and new.criteria is not None
    assert old.criteria.children[0].id == new.criteria.children[0].id
    ms_old, ms_new = (rules(SAMPLE / n).coverage[0].criteria
                      for n in ("zentorimab-v1.pdf", "zentorimab-v2.pdf"))
    assert ms_old is not None and ms_new is not None
    weeks_old, weeks_new = (t.children[1].children[0].children[0] for t in (ms_old, ms_new))
    assert "4 weeks" in weeks_old.text and "8 weeks" in weeks_new.text
    assert weeks_old.id != weeks_new.id


def test_every_leaf_is_clean_of_connectors() -> None:
    def leaves(node: Criterion) -> list[str]:
        return [node.text] if not node.children else [t for c in node.children for t in leaves(c)]

    for statement in rules(SAMPLE / "zentorimab-v2.pdf").coverage:
        assert statement.criteria is not None
        for text in leaves(statement.criteria):
            assert not text.endswith(("; and", "; or", " and", " or", ";")), text


@pytest.mark.parametrize(("text", "expected"), [
    ("when all of the following criteria are met:", ("all", None)),
    ("Both of the following:", ("all", None)),
    ("One of the following:", ("any", None)),
    ("either of the following", ("any", None)),
    ("history of intolerance to at least two of the following:", ("at_least", 2)),
    ("at least 3 of the following", ("at_least", 3)),
    ("at least one of the following", ("any", None)),
    ("Diagnosis of multiple sclerosis", None),
])
def test_lead_in_operators(text: str, expected: tuple[str, int | None] | None) -> None:
    assert lead_in_operator(text) == expected


def statements(*lines: object) -> tuple[list[CoverageStatement], list[str]]:
    block = Block(title="Coverage Rationale", heading=None, lines=tuple(lines))  # type: ignore[arg-type]
    found, issues = block_to_statements(block)
    return found, [i.kind for i in issues]


def test_standalone_connector_between_sub_lists_is_not_a_criterion() -> None:
    found, issues = statements(
        line("Drug is medically necessary when one of the following is met:", bold=True, top=100),
        line("Group A criterion", x0=54, level=1, bullet="image", top=112),
        line("or", x0=54, level=1, bold=True, top=124),
        line("Group B criterion", x0=54, level=1, bullet="image", top=136),
    )
    root = found[0].criteria
    assert root is not None and shape(root) == ("any", None, 2)
    assert [c.text for c in root.children] == ["Group A criterion", "Group B criterion"]
    assert issues == []


def test_lead_in_wins_over_disagreeing_connectors_and_is_recorded() -> None:
    found, issues = statements(
        line("Drug is medically necessary when all of the following are met:", bold=True, top=100),
        line("First; or", x0=54, level=1, bullet="image", top=112),
        line("Second", x0=54, level=1, bullet="image", top=124),
    )
    assert found[0].criteria is not None and found[0].criteria.op == "all"
    assert issues == ["operator_conflict"]


def test_stable_id_ignores_case_marks_and_spacing() -> None:
    assert stable_id("Rituxan®  (rituximab)") == stable_id("rituxan (Rituximab)")
    assert stable_id("a", "b") != stable_id("a", "c")
