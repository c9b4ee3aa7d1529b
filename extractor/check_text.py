"""A verdict as text that reads like the policy: each statement's criteria, indented as printed,
marked ✓ (holds), ✗ (fails) or ? (unknown), with the criterion id to answer it by."""

from __future__ import annotations

from collections.abc import Iterator

from extractor.cases import Case, CheckResult, StatementResult, statement_label
from extractor.evaluation import Truth, Truths, node_truth
from extractor.facts import criterion_fact
from extractor.model import CoverageStatement, Criterion, RuleSet

MARKS = {True: "✓", False: "✗", None: "?"}
VERDICT_MARKS = {"met": "✓", "not_met": "✗", "unknown": "?"}
WORDS = {"met": "met", "not_met": "not met", "unknown": "unknown"}


def check_to_text(rules: RuleSet, case: Case, result: CheckResult) -> str:
    policy = rules.policy
    title = f"{policy.title or rules.source.file} ({policy.number or 'no number'}, effective " \
            f"{policy.effective_date or '?'})"
    lines = [title, ""]
    by_id = {s.id: s for s in rules.coverage}
    for verdict in result.statements:
        lines.extend(statement_lines(by_id[verdict.id], case, verdict))
        lines.append("")
    lines.append(f"Overall: {WORDS[result.result]}")
    return "\n".join(lines) + "\n"


def statement_lines(statement: CoverageStatement, case: Case,
                    verdict: StatementResult) -> Iterator[str]:
    heading = " › ".join(statement.heading_path)
    yield (f"{VERDICT_MARKS[verdict.result]} {statement.kind} statement "
           f"[{statement.id}]{': ' + heading if heading else ''} — {WORDS[verdict.result]}")
    if statement.criteria is None:
        yield f"  {statement_label(statement)}"
    else:
        truths: Truths = {}
        node_truth(statement.criteria, case, truths)
        yield from node_lines(statement.criteria, case, truths, 1)
    if verdict.unanswered:
        yield f"  answer these to decide: {', '.join(verdict.unanswered)}"
    elif verdict.deciding:
        yield f"  decided by: {', '.join(verdict.deciding)}"


def node_lines(node: Criterion, case: Case, truths: Truths, level: int) -> Iterator[str]:
    value: Truth = truths[node.id]
    text = " ".join(node.text.split())
    yield f"{'  ' * level}{MARKS[value]} {text} [{node.id}]{fact_note(node, case)}"
    for child in node.children:
        yield from node_lines(child, case, truths, level + 1)


def fact_note(node: Criterion, case: Case) -> str:
    """Which fact decided a leaf, or which one would: how a reader learns the fact names."""
    test = criterion_fact(node)
    if test is None or node.id in case.answers:
        return ""
    if test.name in case.facts:
        return f" ({test.name} = {case.facts[test.name]:g})"
    return f" (or fact {test.name})"
