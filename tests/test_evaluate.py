"""evaluate(rules, case): Kleene logic over coverage trees, facts, and the verdict's shape."""

from __future__ import annotations

import functools

import pytest

from extractor.cache import Reader, RuleCache
from extractor.cases import Case
from extractor.evaluation import evaluate, overall
from extractor.facts import criterion_fact, entity_to_fact, fact_holds
from extractor.model import (
    CoverageStatement,
    Criterion,
    Entity,
    Policy,
    Provenance,
    RuleSet,
    Source,
)
from tests.conftest import SAMPLE

AT = Provenance(page=1, bbox=(0, 0, 1, 1))


def leaf(id_: str, text: str = "a criterion", entities: tuple[Entity, ...] = ()) -> Criterion:
    return Criterion(id=id_, text=text, entities=list(entities), provenance=AT)


def node(id_: str, op: str, *children: Criterion, min_: int | None = None) -> Criterion:
    return Criterion(id=id_, text=f"{op} of the following:", op=op,  # type: ignore[arg-type]
                     min=min_, children=list(children), provenance=AT)


def ruleset(*trees: Criterion | None, kind: str = "proven") -> RuleSet:
    statements = [CoverageStatement(id=f"s{i}", kind=kind, text="X is proven when:",  # type: ignore[arg-type]
                                    criteria=tree, provenance=AT)
                  for i, tree in enumerate(trees)]
    return RuleSet(policy=Policy(number="2099D0001A"), sections=[], coverage=statements,
                   source=Source(file="x.pdf", sha256="0" * 64, pages=1, format="pdf"))


def verdict(tree: Criterion | None, **answers: bool) -> str:
    return evaluate(ruleset(tree), Case(answers=answers)).statements[0].result


AGE_TEXT = "Patient is 18 years of age or older"
AGE_18 = Entity(label="age", text="18 years of age or older", start=11, end=len(AGE_TEXT),
                value=18, unit="a", comparator=">=")


@functools.cache
def sample() -> RuleSet:
    return Reader(cache=RuleCache()).rules(SAMPLE / "zentorimab-v2.pdf")


# --- Kleene logic ------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "answers", "want"), [
    ("all", {"a": True, "b": True}, "met"),
    ("all", {"a": True, "b": False}, "not_met"),
    ("all", {"a": True}, "unknown"),
    ("all", {"b": False}, "not_met"),  # b decides whatever a is
    ("any", {"a": True}, "met"),
    ("any", {"a": False}, "unknown"),
    ("any", {"a": False, "b": False}, "not_met"),
    ("none", {"a": False, "b": False}, "met"),
    ("none", {"a": True}, "not_met"),
    ("none", {"a": False}, "unknown"),
])
def test_two_children(op: str, answers: dict[str, bool], want: str) -> None:
    assert verdict(node("r", op, leaf("a"), leaf("b")), **answers) == want


@pytest.mark.parametrize(("answers", "want"), [
    ({"a": True, "b": True}, "met"),
    ({"a": True}, "unknown"),
    ({"a": True, "b": False}, "unknown"),
    ({"a": False, "b": False}, "not_met"),  # one left of three cannot make two
    ({"a": True, "b": False, "c": False}, "not_met"),
])
def test_at_least_two_of_three(answers: dict[str, bool], want: str) -> None:
    tree = node("r", "at_least", leaf("a"), leaf("b"), leaf("c"), min_=2)
    assert verdict(tree, **answers) == want


def test_a_negated_list_evaluates_as_negated() -> None:
    # "is not receiving X in combination with any of the following"
    tree = node("r", "all", leaf("dx"), node("n", "none", leaf("a"), leaf("b")))
    assert verdict(tree, dx=True, a=False, b=False) == "met"
    assert verdict(tree, dx=True, a=False, b=True) == "not_met"


def test_deciding_and_unanswered() -> None:
    tree = node("r", "all", leaf("a"), node("o", "any", leaf("b"), leaf("c")), leaf("d"))
    rules = ruleset(tree)
    unknown = evaluate(rules, Case(answers={"a": True, "b": False})).statements[0]
    assert (unknown.result, unknown.deciding, unknown.unanswered) == ("unknown", [], ["c", "d"])
    failed = evaluate(rules, Case(answers={"a": True, "d": False})).statements[0]
    assert (failed.result, failed.deciding, failed.unanswered) == ("not_met", ["d"], [])
    met = evaluate(rules, Case(answers={"a": True, "c": True, "d": True})).statements[0]
    assert met.deciding == ["a", "c", "d"]


def test_a_statement_without_criteria_is_answered_by_its_id() -> None:
    rules = ruleset(None)
    assert evaluate(rules, Case(answers={"s0": True})).statements[0].result == "met"
    assert evaluate(rules, Case()).statements[0].unanswered == ["s0"]


# --- facts -------------------------------------------------------------------------------------


def test_a_fact_decides_a_leaf_that_is_one_measure() -> None:
    tree = node("r", "all", leaf("age", AGE_TEXT, (AGE_18,)))
    assert evaluate(ruleset(tree), Case(facts={"age": 34})).statements[0].result == "met"
    assert evaluate(ruleset(tree), Case(facts={"age": 17})).statements[0].result == "not_met"
    assert evaluate(ruleset(tree), Case(facts={"weight": 70})).statements[0].result == "unknown"


def test_an_answer_overrides_the_fact() -> None:
    tree = leaf("age", AGE_TEXT, (AGE_18,))
    case = Case(answers={"age": False}, facts={"age": 34})
    assert evaluate(ruleset(tree), case).statements[0].result == "not_met"


def test_a_negated_measure_is_left_to_its_answer() -> None:
    text = "Patient is not 18 years of age or older"
    age = AGE_18.model_copy(update={"start": 15, "end": len(text)})
    assert text[age.start:age.end] == age.text
    assert criterion_fact(leaf("x", text, (age,))) is None


def test_months_are_converted_to_years_and_ranges_include_their_bounds() -> None:
    months = Entity(label="age", text="6 months to 17 years", start=0, end=20, value=6,
                    value_max=17 * 12, unit="mo")
    test = criterion_fact(leaf("x", "6 months to 17 years", (months,)))
    assert test is not None and test.name == "age"
    assert [fact_holds(test, age) for age in (0.4, 0.5, 17, 17.1)] == [False, True, True, False]


def test_sample_fact_names() -> None:
    rules = sample()
    names = {criterion_fact(n).name for s in rules.coverage if s.criteria  # type: ignore[union-attr]
             for n in _nodes(s.criteria) if criterion_fact(n)}
    assert names == {"count_swollen_joint", "lab_cdai_score"}


def _nodes(root: Criterion) -> list[Criterion]:
    return [root, *(n for child in root.children for n in _nodes(child))]


# --- overall -----------------------------------------------------------------------------------


def test_overall_is_about_the_proven_statements_unless_told() -> None:
    rules = ruleset(leaf("a"), leaf("b"))
    results = evaluate(rules, Case(answers={"a": True})).statements
    assert overall(results) == "met"
    assert overall(results, ["s1"]) == "unknown"
    assert evaluate(rules, Case(answers={"a": False, "b": False})).result == "not_met"


def test_an_unknown_statement_id_is_an_input_error() -> None:
    from extractor.errors import InputError

    with pytest.raises(InputError, match="no statement nope"):
        evaluate(ruleset(leaf("a")), Case(), ["nope"])


def measured(text: str, label: str, printed: str, **fields: object) -> Criterion:
    start = text.index(printed)
    entity = Entity(label=label, text=printed, start=start, end=start + len(printed),  # type: ignore[arg-type]
                    **fields)  # type: ignore[arg-type]
    return leaf("x", text, (entity,))


@pytest.mark.parametrize(("text", "label", "printed", "decidable"), [
    ("Patient is 18 years of age or older", "age", "18 years of age or older", True),
    ("Males ≤ 9 years of age", "age", "≤ 9 years of age", False),  # a second condition
    ("Breast Cancer diagnosed at age 50 or younger", "age", "50 or younger", False),
    ("Hematocrit is less than 30% at initiation of therapy", "lab", "less than 30%", False),
    ("Documented platelet count < 30 x 10⁹ / L", "lab", "< 30 x 10⁹ / L", True),
    ("Six or more swollen joints", "count", "Six or more swollen joints", True),
    ("History of failure to at least one TNF inhibitor", "count", "at least one TNF inhibitor",
     False),
])
def test_a_fact_decides_only_a_criterion_that_is_the_measure(
        text: str, label: str, printed: str, decidable: bool) -> None:
    node_ = measured(text, label, printed, value=10, comparator=">=", unit="a", name="test")
    assert (criterion_fact(node_) is not None) is decidable


def test_a_lab_fact_is_named_from_the_abbreviation_the_test_prints() -> None:
    def fact_name(analyte: str) -> str | None:
        lab = Entity(label="lab", text="< 40%", start=0, end=5, value=40.0, unit="%",
                     comparator="<", name=analyte)
        fact = entity_to_fact(lab)
        return fact.name if fact else None

    assert fact_name("left ventricular ejection fraction (LVEF)") == "lab_lvef"
    assert fact_name("Clinical Disease Activity Index (CDAI) score") == "lab_cdai_score"
    assert fact_name("Hemoglobin") == "lab_hemoglobin"
