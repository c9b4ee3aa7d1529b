"""Random cases for a rule file, and the check that an independent JSON Logic library agrees with
`check` on them (used by tests/test_export.py and benchmarks/check_agreement.py).

A complete case decides every leaf: by its answer, by its fact, or both (the answer wins). A
partial case leaves some unanswered; JSON Logic is then compared on the statements `check`
decides. Fact values are drawn around each threshold, bounds included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st
from json_logic import jsonLogic

from extractor.cases import Case, JsonLogicExport
from extractor.evaluation import evaluate
from extractor.facts import FactTest, criterion_fact
from extractor.model import Criterion, RuleSet


@dataclass
class Leaves:
    """The ids a case can answer, and for those a fact decides, the fact's test."""

    ids: list[str] = field(default_factory=list)
    facts: dict[str, FactTest] = field(default_factory=dict)


def leaves_of(rules: RuleSet) -> Leaves:
    found = Leaves()
    for statement in rules.coverage:
        if statement.criteria is None:
            found.ids.append(statement.id)
            continue
        stack = [statement.criteria]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if not node.children:
                _add_leaf(found, node)
    return found


def _add_leaf(found: Leaves, node: Criterion) -> None:
    found.ids.append(node.id)
    test = criterion_fact(node)
    if test is not None:
        found.facts[node.id] = test


def fact_values(test: FactTest) -> st.SearchStrategy[float]:
    edges = [test.value, *([test.value_max] if test.value_max is not None else [])]
    near = [v + d for v in edges for d in (-1.0, -0.5, 0.0, 0.5, 1.0)]
    return st.sampled_from(near) | st.floats(min_value=-1, max_value=max(edges) * 2 + 2,
                                             allow_nan=False)


@st.composite
def cases(draw: st.DrawFn, leaves: Leaves, complete: bool) -> Case:
    answers: dict[str, bool] = {}
    facts: dict[str, float] = {}
    for leaf_id in leaves.ids:
        if not complete and draw(st.booleans()):
            continue  # unanswered (a fact drawn for another leaf may still decide it)
        test = leaves.facts.get(leaf_id)
        how = draw(st.sampled_from(["answer", "fact", "both"])) if test else "answer"
        if how != "fact":
            answers[leaf_id] = draw(st.booleans())
        if test is not None and how != "answer" and test.name not in facts:
            facts[test.name] = draw(fact_values(test))
    return Case(answers=answers, facts=facts)


@dataclass
class Tally:
    compared: int = 0  # statement verdicts compared
    undecided: int = 0  # statements check left unknown (partial cases only)
    disagreements: list[str] = field(default_factory=list)


def compare(rules: RuleSet, exported: JsonLogicExport, case: Case, complete: bool,
            tally: Tally) -> None:
    data = case.model_dump(mode="json")
    rule_of = {s.id: s.rule for s in exported.statements}
    for result in evaluate(rules, case).statements:
        if result.result == "unknown":
            if complete:
                tally.disagreements.append(f"{result.id}: a complete case left it unknown")
            tally.undecided += 1
            continue
        tally.compared += 1
        logic = bool(jsonLogic(rule_of[result.id], data))
        if logic != (result.result == "met"):
            tally.disagreements.append(
                f"{rules.source.file} {result.id}: check {result.result}, JSON Logic {logic} "
                f"on {data}")
