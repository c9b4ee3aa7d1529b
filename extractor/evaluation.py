"""A case against a rule file: three-valued (Kleene) logic over the coverage trees.

A leaf holds, fails or is unknown by its answer, else by the fact that decides it (see
extractor.facts), else it is unknown. An inner node: `all` - every child holds; `any` - one
does; `at_least` N - N do; `none` - no child does; a node with children and no operator is read
as `all`. Unknown children leave a node unknown only when their values could change it.
A statement without a criteria tree is a leaf of its own, answered by the statement id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from extractor.cases import Case, CheckResult, StatementResult, Verdict, policy_ref
from extractor.errors import InputError
from extractor.facts import criterion_fact, fact_holds
from extractor.model import CoverageStatement, Criterion, RuleSet

Truth = bool | None
Truths = dict[str, Truth]


def evaluate(rules: RuleSet, case: Case, about: Sequence[str] = ()) -> CheckResult:
    """The verdict on the statements the case is `about` (statement ids; by default every
    statement), and overall: on those, or by default on the proven ones (on every statement
    when none is proven)."""
    results = [evaluate_statement(statement, case) for statement in rules.coverage]
    verdict = overall(results, about)
    if about:
        results = [r for r in results if r.id in about]
    return CheckResult(policy=policy_ref(rules), result=verdict, statements=results)


def overall(results: list[StatementResult], about: Sequence[str] = ()) -> Verdict:
    """met when a statement the case is about is met, not_met when every one is not met."""
    unknown_ids = set(about) - {r.id for r in results}
    if unknown_ids:
        raise InputError(f"no statement {', '.join(sorted(unknown_ids))} in the rule file")
    chosen = ([r for r in results if r.id in about] if about
              else [r for r in results if r.kind == "proven"] or results)
    verdicts = {r.result for r in chosen}
    if "met" in verdicts:
        return "met"
    return "not_met" if verdicts == {"not_met"} else "unknown"


def evaluate_statement(statement: CoverageStatement, case: Case) -> StatementResult:
    root = statement.criteria or _statement_leaf(statement)
    truths: Truths = {}
    value = node_truth(root, case, truths)
    if value is None:
        return StatementResult(id=statement.id, kind=statement.kind, result="unknown",
                               unanswered=_unique(unanswered(root, truths)))
    return StatementResult(id=statement.id, kind=statement.kind,
                           result="met" if value else "not_met",
                           deciding=_unique(deciding(root, truths)))


def _statement_leaf(statement: CoverageStatement) -> Criterion:
    return Criterion(id=statement.id, text=statement.text, provenance=statement.provenance)


def node_truth(node: Criterion, case: Case, truths: Truths) -> Truth:
    """The node's value, with every node's value under it recorded in `truths` by id."""
    if not node.children:
        value = leaf_truth(node, case)
    else:
        value = combine(node, [node_truth(child, case, truths) for child in node.children])
    truths[node.id] = value
    return value


def leaf_truth(node: Criterion, case: Case) -> Truth:
    if node.id in case.answers:
        return case.answers[node.id]
    test = criterion_fact(node)
    if test is not None and test.name in case.facts:
        return fact_holds(test, case.facts[test.name])
    return None


def combine(node: Criterion, values: list[Truth]) -> Truth:
    """Kleene: a node is decided when no value of its unknown children could change it."""
    held, unknown = values.count(True), values.count(None)
    if node.op == "any":
        return True if held else (None if unknown else False)
    if node.op == "at_least":
        need = node.min or 1
        return True if held >= need else (None if held + unknown >= need else False)
    if node.op == "none":
        return False if held else (None if unknown else True)
    return False if False in values else (None if unknown else True)  # all


def deciding(node: Criterion, truths: Truths) -> Iterable[str]:
    """The decided leaves that fix a decided node's value."""
    value = truths[node.id]
    if not node.children:
        yield node.id
        return
    # the children whose value carries the node's: a `none` holds by its children failing
    carrier = (not value) if node.op == "none" else value
    for child in node.children:
        if truths[child.id] is carrier:
            yield from deciding(child, truths)


def unanswered(node: Criterion, truths: Truths) -> Iterable[str]:
    """The unknown leaves under an unknown node: answering them decides it."""
    if not node.children:
        yield node.id
        return
    for child in node.children:
        if truths[child.id] is None:
            yield from unanswered(child, truths)


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))
