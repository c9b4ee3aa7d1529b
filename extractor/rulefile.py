"""RuleSet ↔ bytes: deterministic JSON (or YAML), and the published JSON Schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from extractor.errors import InputError
from extractor.model import RuleSet

_NUMBER = r"-?\d[\d.]*(?:[eE][-+]?\d+)?"
_NUMBER_ARRAY = re.compile(rf"\[\s*({_NUMBER}(?:,\s*{_NUMBER})*)\s*\]")
_SPACES = re.compile(r",\s+")


def ruleset_to_json(rules: RuleSet) -> str:
    """The rule file as JSON: keys in model order, fixed indentation, trailing newline.

    Arrays of numbers (bounding boxes) stay on one line so that diffs of rule files stay short.
    """
    text = rules.model_dump_json(indent=2)  # pydantic's serializer: the model's order, UTF-8
    return _NUMBER_ARRAY.sub(lambda m: "[" + _SPACES.sub(", ", m.group(1)) + "]", text) + "\n"


def ruleset_to_yaml(rules: RuleSet) -> str:
    return yaml.safe_dump(_plain(rules), sort_keys=False, allow_unicode=True, width=100)


def json_to_ruleset(text: str | bytes, path: Path | str | None = None) -> RuleSet:
    """A rule file read back, or an InputError naming the first thing wrong with it."""
    try:
        return RuleSet.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(f"not a rule file ({first_error(exc)})", path) from exc


def first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    if not errors:
        return "invalid"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first['msg']}"[:200] if where else first["msg"][:200]


def _plain(rules: RuleSet) -> Any:
    return rules.model_dump(mode="json")


SchemaOf = Literal["ruleset", "changeset", "case", "check", "jsonlogic"]
SCHEMA_FILES: dict[str, str] = {
    "ruleset": "schema.json", "changeset": "changeset.schema.json",
    "case": "case.schema.json", "check": "check.schema.json",
    "jsonlogic": "jsonlogic.schema.json"}


def json_schema(of: SchemaOf = "ruleset") -> str:
    """The JSON Schema of the rule file (rules_out/schema.json), of the ChangeSet that
    `diff --format json` writes, of the case `check` reads, of what `check --format json`
    writes, or of what `export --to json-logic` writes (rules_out/SCHEMA_FILES[of])."""
    from extractor.cases import Case, CheckResult, JsonLogicExport
    from extractor.changes import ChangeSet

    models: dict[str, type[BaseModel]] = {
        "ruleset": RuleSet, "changeset": ChangeSet, "case": Case, "check": CheckResult,
        "jsonlogic": JsonLogicExport}
    schema = models[of].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://policy-rules.dev/schema/{of}.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
