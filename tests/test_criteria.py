"""The Coverage Rationale logic tree, on the sample, on Lemtrada and on hand-made lines."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractor.criteria import block_to_statements, lead_in_operator, stable_id, statement_kind
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
    initial, continuation, ra, unproven = rules(SAMPLE / "zentorimab-v1.pdf").coverage
    assert [s.kind for s in (initial, ra, unproven)] == ["proven", "proven", "unproven"]
    assert initial.criteria is not None and continuation.criteria is not None
    assert [shape(initial.criteria.children[1]), shape(continuation.criteria.children[1])] == [
        ("all", None, 5), ("all", None, 4)]
    assert continuation.criteria.children[1].children[-1].text == (
        "Reauthorization is for no more than 12 months")
    assert ra.criteria is not None and shape(ra.criteria.children[1]) == ("at_least", 2, 3)


def test_ids_are_stable_across_versions_and_differ_for_reworded_criteria() -> None:
    old, new = (rules(SAMPLE / n).coverage[2] for n in ("zentorimab-v1.pdf", "zentorimab-v2.pdf"))
    assert old.id == new.id
    assert old.criteria is not None and new.criteria is not None
    assert old.criteria.children[0].id == new.criteria.children[0].id
    ms_old, ms_new = (rules(SAMPLE / n).coverage[0].criteria
                      for n in ("zentorimab-v1.pdf", "zentorimab-v2.pdf"))
    assert ms_old is not None and ms_new is not None
    weeks_old, weeks_new = (t.children[1].children[0] for t in (ms_old, ms_new))
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


@pytest.mark.parametrize(("text", "expected"), [
    ("Two or more of the following symptoms:", ("at_least", 2)),
    ("Confirmation that five of the following are present:", ("at_least", 5)),
    ("when all the following criteria are met:", ("all", None)),
    ("when the following criterion is met:", ("all", None)),
])
def test_lead_in_operators_in_other_words(
        text: str, expected: tuple[str, int | None] | None) -> None:
    assert lead_in_operator(text) == expected


@pytest.mark.parametrize(("text", "kind"), [
    ("Spinraza is not proven or medically necessary for:", "unproven"),
    ("GnRH analogs may be covered for the treatment of gender dysphoria when all of the following "
     "criteria are met:", "other"),
    ("Authorization for continued use will be approved based on all of the following criteria:",
     "other"),
    ("The information below indicates requirements for indications in the list of proven "
     "indications", None),
    ("For analysis of specimens, the program requires that the number tested be significant.",
     None),
    ("Unproven", None),
])
def test_statement_kinds_need_a_verb(text: str, kind: str | None) -> None:
    assert statement_kind(text) == kind


def test_bulleted_statements_and_kind_headings() -> None:
    found, _ = statements(
        line("Unproven", bold=True, size=12, top=88),
        line("Fasenra is unproven for the treatment of:", x0=54, level=1, bullet="image", top=100),
        line("Asthma in children", x0=72, level=2, bullet="image", top=112),
        line("Nasal polyps", x0=72, level=2, bullet="image", top=124),
    )
    assert [(s.kind, s.heading_path) for s in found] == [("unproven", ["Unproven"])]
    assert found[0].criteria is not None and shape(found[0].criteria) == ("any", None, 2)


def test_phase_lists_under_unbulleted_headings_belong_to_the_statement_above() -> None:
    found, _ = statements(
        line("Drug is proven and medically necessary in patients who meet all of the following:",
             top=100),
        line("Initial Therapy", bold=True, top=120),
        line("Diagnosis of SMA; and", x0=54, level=1, bullet="image", top=128),
        line("Initial authorization is for 4 doses", x0=54, level=1, bullet="image", top=140),
        line("Continuation Therapy", bold=True, top=156),
        line("Previously received the drug; and", x0=54, level=1, bullet="image", top=168),
        line("Reauthorization is for 12 months", x0=54, level=1, bullet="image", top=180),
    )
    assert [s.heading_path for s in found] == [["Initial Therapy"], ["Continuation of Therapy"]]
    assert all(s.criteria is not None and shape(s.criteria) == ("all", None, 2) for s in found)


def test_a_heading_over_a_list_without_a_statement_is_a_statement_of_its_own() -> None:
    found, _ = statements(
        line("General Requirements", bold=True, size=12, top=100),
        line("Patient is enrolled; and", x0=54, level=1, bullet="image", top=112),
        line("Prescribed by a neurologist", x0=54, level=1, bullet="image", top=124),
    )
    assert [(s.kind, s.text) for s in found] == [("other", "General Requirements")]
    assert found[0].criteria is not None and shape(found[0].criteria) == ("all", None, 2)


def test_notes_are_not_criteria_and_one_criterion_needs_no_operator() -> None:
    found, issues = statements(
        line("Drug is medically necessary for:", top=100),
        line("Dosage does not exceed 5 monthly doses", x0=54, level=1, bullet="image", top=112),
        line("Note: Infants in intensive care may receive a dose.", x0=54, level=1, top=130),
    )
    root = found[0].criteria
    assert root is not None and [c.text for c in root.children] == [
        "Dosage does not exceed 5 monthly doses"]
    assert root.op == "all" and issues == []


def test_a_line_ending_early_before_a_long_word_wraps_into_the_next() -> None:
    coverage = rules(corpus_file("uhc-comm-drug_ustekinumab_2026-01-01.pdf")).coverage

    def texts(node: Criterion) -> list[str]:
        return [node.text] + [t for c in node.children for t in texts(c)]

    every = [t for s in coverage if s.criteria for t in texts(s.criteria)]
    assert not [t for t in every if t.startswith("(tildrakizumab)")]
    assert any("Ilumya (tildrakizumab), Otezla (apremilast)" in t for t in every)


def test_indications_printed_as_headings_answer_a_bare_proven_for() -> None:
    found, _ = statements(
        line("Drug is proven for the treatment of:", top=100),
        line("Multiple Sclerosis", bold=True, x0=54, level=1, bullet="image", top=120),
        line("Drug is medically necessary for MS when all of the following are met:", x0=54,
             level=1, top=140),
        line("Diagnosis of MS", x0=72, level=2, bullet="image", top=152),
        line("Crohn's Disease", bold=True, x0=54, level=1, bullet="image", top=172),
        line("Drug is medically necessary for CD when all of the following are met:", x0=54,
             level=1, top=192),
        line("Diagnosis of CD", x0=72, level=2, bullet="image", top=204),
        line("Drug is unproven for other conditions.", top=224),
    )
    proven_for, ms, cd, unproven = found
    assert proven_for.criteria is not None and shape(proven_for.criteria) == ("any", None, 2)
    assert [c.text for c in proven_for.criteria.children] == ["Multiple Sclerosis",
                                                              "Crohn's Disease"]
    assert [ms.heading_path, cd.heading_path] == [["Multiple Sclerosis"], ["Crohn's Disease"]]
    assert unproven.heading_path == []


def test_a_paragraph_of_two_statements_is_two_statements() -> None:
    found, _ = statements(
        line("Rystiggo is the preferred product. Rystiggo is proven for the treatment of gMG. "
             "Rystiggo is medically necessary when all of the following criteria are met:",
             top=100),
        line("Diagnosis of gMG; and", x0=54, level=1, bullet="image", top=112),
        line("Prescribed by a neurologist", x0=54, level=1, bullet="image", top=124),
        line("Coverage for Vyvgart will be provided contingent on the criteria below.", top=144),
    )
    assert [(s.kind, s.text, s.criteria is not None) for s in found] == [
        ("proven", "Rystiggo is proven for the treatment of gMG.", False),
        ("proven", "Rystiggo is medically necessary when all of the following criteria are met:",
         True),
        ("other", "Coverage for Vyvgart will be provided contingent on the criteria below.", False),
    ]


@pytest.mark.parametrize(("text", "op"), [
    ("Patient is not receiving Ocrevus or Ocrevus Zunovo in combination with any of the "
     "following:", "none"),
    ("Patient is not dependent on either of the following:", "none"),
    ("The dose does not exceed EITHER of the following:", "none"),
    ("Patient has none of the following:", "none"),
    ("Patient does not have any of the following contraindications:", "none"),
    ("High risk for fractures include, but are not limited to, one or more of the following:",
     "any"),
    ("Presence of dysglycemia without overt hyperglycemia defined by one of the following:",
     "any"),
    ("Patient is not pregnant and has any of the following:", "any"),
])
def test_a_lead_in_that_negates_its_list_is_none_of(text: str, op: str) -> None:
    found = lead_in_operator(text)
    assert found is not None and found[0] == op


def test_briumvi_not_in_combination_with_any_is_a_none_node() -> None:
    coverage = rules(corpus_file("uhc-comm-drug_briumvi_2026-01-01.pdf")).coverage
    negated = [n for s in coverage if s.criteria for n in walk(s.criteria)
               if n.text.startswith("Patient is not receiving Briumvi in combination with")]
    assert len(negated) == 2 and all(n.op == "none" and len(n.children) == 3 for n in negated)


def test_phases_one_statement_each_whatever_their_print_form() -> None:
    """A "One of the following:" over phase items (the sample) and phase bullets with their
    own lead-in directly under the statement (Briumvi) give one statement per phase."""
    sample = rules(SAMPLE / "zentorimab-v1.pdf").coverage
    assert [s.heading_path for s in sample[:2]] == [["Initial Therapy"],
                                                   ["Continuation of Therapy"]]
    assert sample[0].text == sample[1].text and sample[0].id != sample[1].id
    briumvi = rules(corpus_file("uhc-comm-drug_briumvi_2026-01-01.pdf")).coverage
    phased = [s for s in briumvi if s.heading_path]
    assert [s.heading_path for s in phased] == [["Initial Therapy"], ["Continuation of Therapy"]]
    for statement in phased:
        root = statement.criteria
        assert root is not None and root.text == statement.text
        assert root.op == "all" and not any(c.text.startswith("For ") for c in root.children)


def walk(node: Criterion) -> list[Criterion]:
    return [node, *(n for child in node.children for n in walk(child))]


def test_footnote_wrapped_under_its_text_past_the_mark_is_one_note() -> None:
    """Breast imaging: "*Screening can begin ..." wraps its second line under the "S", past the
    asterisk; the wrapped line is the footnote's, not a criterion of the list above it."""
    ruleset = rules(corpus_file("uhc-comm-medical_breast-imaging-screening-diagnosing-cancer_"
                                "2026-02-01.pdf"))
    nodes = [n.text for s in ruleset.coverage if s.criteria for n in walk(s.criteria)]
    assert not any(text.startswith("has been diagnosed") for text in nodes)
    assert any(n.text.startswith("*Screening can begin") and n.text.endswith("before age 25.")
               for n in ruleset.coverage_notes)


def test_and_or_ending_an_item_is_a_connector() -> None:
    """Transcatheter valves: "Moderate or greater pulmonary regurgitation; and/or"."""
    coverage = rules(corpus_file("uhc-comm-medical_transcatheter-heart-valve-procedures_"
                                 "2026-01-01.pdf")).coverage
    nodes = [n.text for s in coverage if s.criteria for n in walk(s.criteria)]
    assert "Moderate or greater pulmonary regurgitation" in nodes


def test_the_following_criteria_are_met_leaves_the_operator_to_the_connectors() -> None:
    """Colony-stimulating factors: "... are medically necessary when the following criteria are
    met:" over lists joined by a stand-alone "or" is one of them; "A and B or C or D" groups A
    and B, as "and" binds tighter than "or"."""
    coverage = rules(corpus_file("uhc-comm-drug_white-blood-cell-colony-stimulating-factors_"
                                 "2025-10-01.pdf")).coverage
    primary, secondary = (next(s.criteria for s in coverage if s.criteria and s.heading_path
                               and s.heading_path[-1].startswith(name))
                          for name in ("Primary Prophylaxis", "Secondary Prophylaxis"))
    assert primary is not None and shape(primary) == ("any", None, 2)
    assert secondary is not None and shape(secondary) == ("any", None, 3)
    grouped = secondary.children[0]
    assert shape(grouped) == ("all", None, 2)
    assert [c.text for c in grouped.children] == ["One of the following:"] * 2


def test_mixed_connectors_without_a_count_bind_and_before_or() -> None:
    found, issues = statements(
        line("Drug is medically necessary when the following criteria are met:", bold=True,
             top=100),
        line("A; and", x0=54, level=1, bullet="image", top=112),
        line("B", x0=54, level=1, bullet="image", top=124),
        line("or", x0=54, level=1, top=136),
        line("C", x0=54, level=1, bullet="image", top=148),
    )
    root = found[0].criteria
    assert root is not None and shape(root) == ("any", None, 2)
    assert [c.text for c in root.children[0].children] == ["A", "B"]
    assert root.children[1].text == "C" and issues == []


def test_sub_headings_under_one_of_the_following_are_its_alternatives() -> None:
    """Immune globulin, feto-neonatal alloimmune thrombocytopenia: "when one of the following
    criteria are met:" over "For Pregnant Women" and "For Newborns", each a list joined by
    "and": one statement per heading, each list all of its items."""
    coverage = rules(corpus_file("uhc-comm-drug_immune-globulin-ivig-scig_2026-01-01.pdf")).coverage
    found = {s.heading_path[-1]: s.criteria for s in coverage
             if s.heading_path and s.heading_path[-1] in ("For Pregnant Women", "For Newborns")}
    assert sorted(found) == ["For Newborns", "For Pregnant Women"]
    assert all(root is not None and root.op == "all" for root in found.values())


@pytest.mark.parametrize(("lead", "issues"), [
    # a verdict on each listed item: any of them is a case it covers
    ("The following devices are unproven and not medically necessary for any indication:", []),
    ("The following procedures may be considered reconstructive and medically necessary:", []),
    ("This policy addresses the following erythropoiesis-stimulating agents (ESAs):", []),
    # a list of requirements without connectors: read as any, and said so
    ("The following are required:", ["operator_inferred"]),
    ("Histopathological evidence of:", ["operator_inferred"]),
])
def test_a_list_the_verdict_is_about_needs_no_connectors(lead: str, issues: list[str]) -> None:
    found, said = statements(
        line(lead, top=100),
        line("First item", x0=54, level=1, bullet="image", top=112),
        line("Second item", x0=54, level=1, bullet="image", top=124),
    )
    assert found[0].criteria is not None and found[0].criteria.op == "any"
    assert said == issues
