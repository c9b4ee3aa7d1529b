"""Coverage trees as JSON Logic (jsonlogic.com): one rule per statement.

Variables are `answers.<criterion id>` and `facts.<name>`, read from a case as `check` takes it.
A leaf is its answer when given, else its fact test when a fact decides it (extractor.facts),
else false; `all` is `and`, `any` is `or`, `none` is `!` of `or`, and `at_least` N counts the
children that hold (`+` of `if`s) against N. JSON Logic has two values: an unanswered criterion
counts as not holding, so a rule's value is the verdict of `check` whenever `check` decides the
statement (and says nothing when `check` says unknown).
"""

from __future__ import annotations

from pydantic import JsonValue

from extractor.cases import JsonLogicExport, JsonLogicRule, policy_ref
from extractor.facts import criterion_fact, fact_to_json_logic
from extractor.model import Criterion, RuleSet


def to_json_logic(rules: RuleSet) -> JsonLogicExport:
    statements = [JsonLogicRule(id=s.id, rule=criterion_to_json_logic(s.criteria) if s.criteria
                                else answer(s.id, False))
                  for s in rules.coverage]
    return JsonLogicExport(policy=policy_ref(rules), statements=statements)


def criterion_to_json_logic(node: Criterion) -> JsonValue:
    if not node.children:
        test = criterion_fact(node)
        return answer(node.id, fact_to_json_logic(test) if test is not None else False)
    parts = [criterion_to_json_logic(child) for child in node.children]
    if node.op == "any":
        return {"or": parts} if len(parts) > 1 else {"!!": parts}
    if node.op == "none":
        return {"!": [{"or": parts} if len(parts) > 1 else parts[0]]}
    if node.op == "at_least":
        count: JsonValue = {"+": [{"if": [part, 1, 0]} for part in parts]}
        return {">=": [count, node.min or 1]}
    return {"and": parts} if len(parts) > 1 else {"!!": parts}


def answer(criterion_id: str, otherwise: JsonValue) -> JsonValue:
    """The criterion's answer when the case gives one, else `otherwise`."""
    var = f"answers.{criterion_id}"
    if otherwise is False:
        return {"var": [var, False]}
    return {"if": [{"missing": [var]}, otherwise, {"var": var}]}


def export_to_json(export: JsonLogicExport) -> str:
    import json

    return json.dumps(export.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
