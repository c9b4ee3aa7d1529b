"""The severity table, one rule at a time, on mutations of the real Lemtrada rule file."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extractor.changes import redline, redline_to_hunks
from extractor.diff import diff
from extractor.model import Criterion, Entity, RuleSet
from extractor.severity import RULES, SEVERITY_OF_EFFECT, severity
from tests.test_diff import AT_LEAST, above_cosmetic, at, lemtrada, lemtrada_x, with_tree

DIAGNOSIS = (0,)
RESPONSE = (1, 1, 1)  # "Documentation of positive clinical response to alemtuzumab therapy"
TECFIDERA = (1, 0, 0, 3)
# the clause the Site of Care policy deleted between 2026D0121S and 2026D0121T
VASCULAR = " and is not a viable candidate for long-term vascular access devices such as PICC " \
           "line or port-a-cath"


def text(path: tuple[int, ...], edit: Callable[[str], str]) -> Callable[[Criterion], Criterion]:
    return lambda t: at(t, path, lambda n: n.model_copy(update={"text": edit(n.text)}))


def changed(old: RuleSet, edit: Callable[[Criterion], Criterion]) -> list[tuple[str, str, str]]:
    return above_cosmetic(diff(old, with_tree(old, edit)).changes)


def test_every_rule_has_a_known_effect() -> None:
    assert set(RULES.values()) <= set(SEVERITY_OF_EFFECT)


def test_a_removed_qualifying_clause_widens_coverage() -> None:
    old = with_tree(lemtrada(), text(RESPONSE, lambda t: t + VASCULAR))
    assert changed(old, text(RESPONSE, lambda t: t.replace(VASCULAR, ""))) == [
        ("coverage", "modified", "material")]


def test_an_added_qualifying_clause_narrows_coverage() -> None:
    assert changed(lemtrada(), text(RESPONSE, lambda t: t + VASCULAR)) == [
        ("coverage", "modified", "breaking")]


def test_an_added_alternative_widens_and_a_removed_one_narrows() -> None:
    alternative = " or documented intolerance to alemtuzumab therapy"
    assert changed(lemtrada(), text(RESPONSE, lambda t: t + alternative)) == [
        ("coverage", "modified", "material")]
    old = with_tree(lemtrada(), text(RESPONSE, lambda t: t + alternative))
    assert changed(old, text(RESPONSE, lambda t: t.replace(alternative, ""))) == [
        ("coverage", "modified", "breaking")]


def test_a_clause_added_under_a_negated_list_widens_coverage() -> None:
    negated = with_tree(lemtrada(), lambda t: at(t, AT_LEAST, lambda n: n.model_copy(
        update={"op": "none", "min": None})))
    assert changed(negated, text((*AT_LEAST, 0), lambda t: t + VASCULAR)) == [
        ("coverage", "modified", "material")]


def test_an_option_added_under_a_negated_at_least_narrows_coverage() -> None:
    # none of [ at least 2 of [...] ]: one more option makes the excluded case likelier
    def negate_above(t: Criterion) -> Criterion:
        inner = t.children[1].children[0].children[0]
        return at(t, (1, 0, 0), lambda n: n.model_copy(update={
            "op": "none", "min": None, "children": [inner]}))

    old = with_tree(lemtrada(), negate_above)

    def add_option(t: Criterion) -> Criterion:
        return at(t, (1, 0, 0, 0), lambda n: n.model_copy(update={"children": [
            *n.children, n.children[0].model_copy(update={
                "id": "new", "text": "Ofatumumab (Kesimpta)", "entities": []})]}))

    assert changed(old, add_option) == [("coverage", "added", "breaking")]


def test_relapsing_hyphen_spacing_is_cosmetic() -> None:
    edit = text(DIAGNOSIS, lambda t: t.replace("relapsing-remitting", "relapsing- remitting"))
    tree = lemtrada().coverage[0].criteria
    assert tree is not None and "relapsing-remitting" in tree.children[0].text
    assert changed(lemtrada(), edit) == []


def test_lemtrada_references_hyphen_spacing_is_a_cosmetic_hunk() -> None:
    changes = diff(lemtrada_x(), lemtrada()).changes
    references = next(c for c in changes if c.where == "References")
    hunks = redline_to_hunks(references.redline)
    respaced = [h for h in hunks if "relapsing" in h.removed]
    assert respaced and all(h.cosmetic for h in respaced)
    assert not all(h.cosmetic for h in hunks)  # the REMS address was corrected too


def test_the_same_brand_added_is_judged_the_same_under_coverage_and_drugs() -> None:
    old = lemtrada()
    vumerity = Entity(label="drug", text="Vumerity", start=0, end=8, name="dimethyl fumarate")

    def add_brand(n: Criterion) -> Criterion:
        return n.model_copy(update={"text": n.text.replace("(Tecfidera®)",
                                                           "(Tecfidera® or Vumerity®)"),
                                    "entities": [*n.entities, vumerity]})

    new = with_tree(old, lambda t: at(t, TECFIDERA, add_brand))
    drugs = [d.model_copy(update={"brands": [*d.brands, "Vumerity"]})
             if d.name == "dimethyl fumarate" else d for d in new.drugs]
    found = above_cosmetic(diff(old, new.model_copy(update={"drugs": drugs})).changes)
    assert found == [("coverage", "modified", "material"), ("drugs", "modified", "material")]


@pytest.mark.parametrize(("subject", "event", "negated", "expected"), [
    ("at_least", "added", False, "material"),
    ("at_least", "removed", False, "breaking"),
    ("at_least", "added", True, "breaking"),
    ("none", "added", False, "breaking"),
    ("none", "added", True, "material"),
    ("words", "respaced", True, "cosmetic"),
    ("code", "split, all kept", False, "minor"),
])
def test_table_lookups(subject: str, event: str, negated: bool, expected: str) -> None:
    assert severity(subject, event, negated) == expected


def test_redline_hunks_pair_removed_and_inserted_words() -> None:
    hunks = redline_to_hunks(redline("mediated cytotoxicity of cells", "mediated cytolysis of"))
    assert [(h.removed, h.inserted) for h in hunks] == [("cytotoxicity", "cytolysis"),
                                                        ("cells", "")]


def with_statement_text(ruleset: RuleSet, edit: Callable[[str], str], kind: str) -> RuleSet:
    first = ruleset.coverage[0].model_copy(update={"text": edit(ruleset.coverage[0].text),
                                                   "kind": kind})
    return ruleset.model_copy(update={"coverage": [first, *ruleset.coverage[1:]]})


@pytest.mark.parametrize(("kind", "expected"), [("proven", "material"),
                                                ("unproven", "breaking")])
def test_a_clause_deleted_from_a_statement_is_judged_by_the_statement_kind(
        kind: str, expected: str) -> None:
    clause = " in patients who are not candidates for long-term vascular access devices"
    old = with_statement_text(lemtrada(), lambda t: t.replace(" when", clause + " when", 1),
                              kind)
    new = with_statement_text(lemtrada(), lambda t: t, kind)
    assert above_cosmetic(diff(old, new).changes) == [("coverage", "modified", expected)]


def test_examples_added_to_a_criterion_are_no_new_condition() -> None:
    examples = " (e.g., after a relapse within the first year of treatment)"
    assert changed(lemtrada(), text(RESPONSE, lambda t: t + examples)) == [
        ("coverage", "modified", "minor")]
    such_as = " such as PICC line or port-a-cath"
    old = with_tree(lemtrada(), text(RESPONSE, lambda t: t + such_as))
    assert changed(old, text(RESPONSE, lambda t: t.replace(such_as, ""))) == [
        ("coverage", "modified", "minor")]


@pytest.mark.parametrize(("old", "new", "cosmetic"), [
    ("relapsing-remitting", "relapsing- remitting", True),
    ("44 μ g", "44 μg", True),
    ("autoimmune pancytopenia.⁷", "autoimmune pancytopenia.", True),
    ("IFN-b-1a-treated", "IFN-b-1a–treated", True),
    ("ANC ≥ 1.5 × 10⁹/L", "ANC ≥ 1.5 × 10⁶/L", False),
    ("1.5 cm²", "1.5 cm", False),
    ("cytotoxicity", "cytolysis", False),
])
def test_spacing_punctuation_and_footnote_numbers_are_cosmetic(
        old: str, new: str, cosmetic: bool) -> None:
    assert [h.cosmetic for h in redline_to_hunks(redline(old, new))] == [cosmetic]
