"""to_json_logic and to_questionnaire: an independent JSON Logic library agrees with `check`, and
fhir.resources' R4B models accept the Questionnaire, on the sample and a few real policies."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.cache import Reader, RuleCache
from extractor.cases import Case
from extractor.evaluation import evaluate
from extractor.export_fhir import SELECTOR, to_questionnaire
from extractor.export_jsonlogic import to_json_logic
from extractor.model import Criterion, RuleSet
from tests.agreement import Tally, cases, compare, leaves_of
from tests.conftest import ROOT, SAMPLE, corpus_file
from tests.test_evaluate import AGE_18, AGE_TEXT, leaf, node, ruleset

# real policies with negated lists, at-least lists and criteria that facts decide
CORPUS_FILES = ("uhc-comm-drug_rituxan-rituximab_2026-01-01.pdf",
                "uhc-comm-drug_lemtrada-alemtuzumab_2025-10-01.pdf")
RULE_FILES = ["sample-v1", "sample-v2", "synthetic", *CORPUS_FILES]


@functools.cache
def rules_named(name: str) -> RuleSet:
    if name == "synthetic":
        return synthetic()
    if name.startswith("sample-"):
        path = SAMPLE / f"zentorimab-{name.removeprefix('sample-')}.pdf"
    else:
        path = corpus_file(name)
    return Reader(cache=RuleCache()).rules(path)


def synthetic() -> RuleSet:
    """Every operator, a fact range and a statement without a tree."""
    age = leaf("age", AGE_TEXT, (AGE_18,))
    teen = AGE_18.model_copy(update={"comparator": None, "value": 12, "value_max": 17})
    tree = node("r", "all", age, node("n", "none", leaf("a"), leaf("b")),
                node("k", "at_least", leaf("c"), leaf("d"), leaf("e"), min_=2),
                node("o", "any", leaf("f"), leaf("teen", AGE_TEXT, (teen,))))
    return ruleset(tree, node("single", "any", leaf("g")), None)


@pytest.mark.parametrize("name", RULE_FILES)
@pytest.mark.parametrize("complete", [True, False], ids=["complete", "partial"])
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_json_logic_agrees_with_check(name: str, complete: bool, data: st.DataObject) -> None:
    rules = rules_named(name)
    case = data.draw(cases(leaves_of(rules), complete))
    tally = Tally()
    compare(rules, to_json_logic(rules), case, complete, tally)
    assert tally.disagreements == []


def test_json_logic_of_a_negated_list() -> None:
    from json_logic import jsonLogic

    rules = synthetic()
    rule = to_json_logic(rules).statements[0].rule
    case = {"answers": {"age": True, "a": False, "b": True, "c": True, "d": True, "f": True}}
    assert jsonLogic(rule, case) is False
    case["answers"]["b"] = False
    assert jsonLogic(rule, case) is True


# --- FHIR Questionnaire ------------------------------------------------------------------------


def criterion_ids(rules: RuleSet) -> list[str]:
    ids: list[str] = []
    for statement in rules.coverage:
        stack: list[Criterion] = [statement.criteria] if statement.criteria else []
        while stack:
            current = stack.pop()
            ids.append(current.id)
            stack.extend(current.children)
    return ids


def link_ids(items: list[dict[str, object]]) -> list[str]:
    found: list[str] = []
    for item in items:
        found.append(str(item["linkId"]))
        found.extend(link_ids(item.get("item", [])))  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize("name", RULE_FILES)
def test_questionnaire_has_one_item_per_criterion(name: str) -> None:
    rules = rules_named(name)
    resource = json.loads(to_questionnaire(rules).model_dump_json(exclude_none=True))
    items = link_ids(resource["item"])
    assert len(items) == len(set(items))
    statements = [s.id for s in rules.coverage]
    selector = [SELECTOR] if len(statements) > 1 else []
    assert sorted(items) == sorted([*criterion_ids(rules), *statements, *selector])


def test_questionnaire_of_the_sample() -> None:
    resource = json.loads(to_questionnaire(rules_named("sample-v2")).model_dump_json(
        exclude_none=True))
    assert (resource["id"], resource["version"], resource["effectivePeriod"]) == (
        "2026D9901B", "2026D9901B", {"start": "2026-04-01"})
    selector, initial, *_ = resource["item"]
    assert selector["type"] == "choice" and len(selector["answerOption"]) == 4
    assert initial["enableWhen"][0]["answerCoding"]["code"] == initial["linkId"]
    diagnosis = initial["item"][0]["item"][0]
    assert (diagnosis["linkId"], diagnosis["type"]) == ("e69c40659a89", "boolean")
    assert diagnosis["extension"][0]["valueInteger"] == 1


# --- published shapes --------------------------------------------------------------------------


def schema(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((ROOT / "rules_out" / name).read_text("utf-8"))
    return loaded


def test_outputs_follow_their_published_schemas() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    rules = rules_named("sample-v2")
    case = json.loads(Path(SAMPLE / "cases" / "ra-met.json").read_text("utf-8"))
    jsonschema.validate(case, schema("case.schema.json"))
    result = evaluate(rules, Case.model_validate(case))
    jsonschema.validate(result.model_dump(mode="json"), schema("check.schema.json"))
    jsonschema.validate(to_json_logic(rules).model_dump(mode="json"),
                        schema("jsonlogic.schema.json"))
