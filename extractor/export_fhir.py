"""Coverage trees as a FHIR R4 Questionnaire (validated by fhir.resources' R4B models).

One group per statement and per inner node (its lead-in as text), one boolean item per leaf with
`linkId` = criterion id; a statement without a criteria tree is one boolean item of its own.
When the policy has several statements (phases, indications), a first `choice` item asks which
one the request is about, and each statement's group is enabled by that answer. The policy
number (as identifier and version), title, payer, effective date and source document are carried
on the resource; every item carries its page in an extension.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from extractor.cases import statement_label
from extractor.model import CoverageStatement, Criterion, Provenance, RuleSet

if TYPE_CHECKING:
    from fhir.resources.R4B.questionnaire import Questionnaire

BASE = "https://policy-rules.dev/fhir"
PAGE_EXTENSION = f"{BASE}/StructureDefinition/page"
SOURCE_EXTENSION = f"{BASE}/StructureDefinition/source-file"
STATEMENT_SYSTEM = f"{BASE}/CodeSystem/statement"
SELECTOR = "statement"  # linkId of the question that chooses the statement
_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9\-.]+")


def to_questionnaire(rules: RuleSet) -> Questionnaire:
    """The rule file's Coverage Rationale as a Questionnaire an analyst can answer."""
    from fhir.resources.R4B.questionnaire import Questionnaire

    return Questionnaire.model_validate(questionnaire_json(rules))


def questionnaire_json(rules: RuleSet) -> dict[str, Any]:
    policy = rules.policy
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": _resource_id(policy.number or rules.source.file.rsplit(".", 1)[0]),
        "extension": [{"url": SOURCE_EXTENSION, "valueString": rules.source.file}],
        "status": "active",
        "title": policy.title,
        "publisher": policy.payer,
        "identifier": [{"system": f"{BASE}/policy-number", "value": policy.number}]
        if policy.number else None,
        "version": policy.number,
        "effectivePeriod": {"start": policy.effective_date} if policy.effective_date else None,
        "item": _items(rules.coverage),
    }
    return {key: value for key, value in resource.items() if value is not None}


def _items(statements: list[CoverageStatement]) -> list[dict[str, Any]]:
    groups = [statement_item(s) for s in statements]
    if len(statements) < 2:
        return groups
    for statement, group in zip(statements, groups, strict=True):
        group["enableWhen"] = [{"question": SELECTOR, "operator": "=",
                                "answerCoding": _statement_coding(statement)}]
    return [_selector(statements), *groups]


def _selector(statements: list[CoverageStatement]) -> dict[str, Any]:
    return {"linkId": SELECTOR, "type": "choice", "required": True,
            "text": "Which coverage statement is the request about?",
            "answerOption": [{"valueCoding": _statement_coding(s)} for s in statements]}


def _statement_coding(statement: CoverageStatement) -> dict[str, str]:
    return {"system": STATEMENT_SYSTEM, "code": statement.id,
            "display": statement_label(statement)}


def statement_item(statement: CoverageStatement) -> dict[str, Any]:
    if statement.criteria is None:
        return _item(statement.id, "boolean", statement.text, statement.provenance)
    group = _item(statement.id, "group", statement_label(statement), statement.provenance)
    group["item"] = [criterion_item(statement.criteria)]
    return group


def criterion_item(node: Criterion) -> dict[str, Any]:
    if not node.children:
        return _item(node.id, "boolean", node.text, node.provenance)
    group = _item(node.id, "group", node.text, node.provenance)
    group["item"] = [criterion_item(child) for child in node.children]
    return group


def _item(link_id: str, kind: str, text: str, provenance: Provenance) -> dict[str, Any]:
    return {"extension": [{"url": PAGE_EXTENSION, "valueInteger": provenance.page}],
            "linkId": link_id, "text": text, "type": kind}


def _resource_id(name: str) -> str:
    return _ID_CHARACTERS.sub("-", name).strip("-")[:64] or "policy"


def questionnaire_to_json(questionnaire: Questionnaire) -> str:
    import json

    data = json.loads(questionnaire.model_dump_json(exclude_none=True))
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
