"""What a rule engine sends and gets back: a case, the verdict on it, and the JSON Logic export.

The shapes are fixed and published as JSON Schemas (rules_out/case.schema.json,
check.schema.json, jsonlogic.schema.json), so that engines and tests can rely on them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, JsonValue, StrictBool, StrictFloat, ValidationError

from extractor.errors import InputError
from extractor.model import CoverageStatement, Model, RuleSet

Verdict = Literal["met", "not_met", "unknown"]
VERDICTS: tuple[Verdict, ...] = ("met", "not_met", "unknown")


class Case(Model):
    """A patient's case: answers per criterion id, and facts by name.

    An answer decides its criterion (and overrides any fact). A fact decides the criteria whose
    entities make them decidable (see extractor.facts): `age` in years, `weight` in kg,
    `lab_<test>` and `count_<thing>` in the unit the criterion prints.
    """

    answers: dict[str, StrictBool] = Field(
        default={}, description="criterion id (or statement id) -> true (holds) / false")
    facts: dict[str, StrictFloat] = Field(
        default={}, description="fact name -> number: age (years), weight (kg), "
        "lab_<test> and count_<thing> in the unit the criterion prints")


def json_to_case(text: str | bytes, path: Path | str | None = None) -> Case:
    """A case read from JSON, or an InputError naming the first thing wrong with it."""
    from extractor.rulefile import first_error

    try:
        return Case.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(f"not a case ({first_error(exc)})", path) from exc


class PolicyRef(Model):
    """Which policy version a verdict or an export is of."""

    number: str | None = None
    title: str | None = None
    effective_date: str | None = Field(default=None, description="ISO 8601 date")
    file: str = Field(description="the document the rule file was read from")


def policy_ref(rules: RuleSet) -> PolicyRef:
    policy = rules.policy
    return PolicyRef(number=policy.number, title=policy.title,
                     effective_date=policy.effective_date, file=rules.source.file)


class StatementResult(Model):
    """The verdict on one coverage statement."""

    id: str = Field(description="the statement id")
    kind: str = Field(description="proven | unproven | other | products")
    result: Verdict
    deciding: list[str] = Field(
        default=[], description="criterion ids whose answers or facts decide the result")
    unanswered: list[str] = Field(
        default=[], description="with unknown: criterion ids to answer to decide it")


class CheckResult(Model):
    """The verdict on a case: per statement (those the case is about, when told), and overall
    (see extractor.evaluation.overall)."""

    policy: PolicyRef
    result: Verdict = Field(description="overall: met when a statement the case is about is "
                            "met; not_met when all are not met; unknown otherwise")
    statements: list[StatementResult]


class JsonLogicRule(Model):
    id: str = Field(description="the statement id")
    rule: JsonValue = Field(description="JSON Logic over answers.<criterion id> and "
                            "facts.<name>: true when the statement's criteria hold")


class JsonLogicExport(Model):
    """One JSON Logic rule per coverage statement."""

    policy: PolicyRef
    statements: list[JsonLogicRule]


def statement_label(statement: CoverageStatement) -> str:
    """The statement's sub-headings and text, shortened: how an analyst tells them apart."""
    text = " ".join(statement.text.split())
    text = text if len(text) <= 160 else text[:159].rstrip() + "…"
    return " › ".join([*statement.heading_path, text])
