"""RuleSet ↔ bytes: deterministic JSON (or YAML), and the published JSON Schema.

pydantic and PyYAML are imported by the functions that need them: a rule file found in the
cache is written out as the text it was stored as, without either.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from extractor.errors import InputError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from extractor.model import RuleSet

_NUMBER = r"-?\d[\d.]*(?:[eE][-+]?\d+)?"
_NUMBER_ARRAY = re.compile(rf"\[\s*({_NUMBER}(?:,\s*{_NUMBER})*)\s*\]")
_SPACES = re.compile(r",\s+")


class RuleFile:
    """One rule file, as a RuleSet and as the JSON text `extract` writes (ruleset_to_json),
    each made from the other only when asked for: a rule file kept as text is written out as
    those bytes, without being read into a RuleSet and serialized again."""

    def __init__(self, *, text: str | None = None, rules: RuleSet | None = None) -> None:
        if text is None and rules is None:
            raise ValueError("a RuleFile needs its text or its rules")
        self._text, self._rules = text, rules

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = ruleset_to_json(self.rules)
        return self._text

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            from extractor.model import RuleSet

            self._rules = RuleSet.model_validate_json(self.text)
        return self._rules

    def __getstate__(self) -> dict[str, Any]:
        # sent to another process as one of the two: the text when it is at hand (smaller)
        return {"_text": self._text, "_rules": None if self._text is not None else self._rules}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._text, self._rules = state["_text"], state["_rules"]


def rule_file_to(fmt: str, found: RuleFile) -> str:
    """The rule file in a format: JSON as kept, or YAML."""
    return found.text if fmt == "json" else ruleset_to_yaml(found.rules)


def ruleset_to_json(rules: RuleSet) -> str:
    """The rule file as JSON: keys in model order, fixed indentation, trailing newline.

    Arrays of numbers (bounding boxes) stay on one line so that diffs of rule files stay short.
    """
    text = rules.model_dump_json(indent=2)  # pydantic's serializer: the model's order, UTF-8
    return _NUMBER_ARRAY.sub(lambda m: "[" + _SPACES.sub(", ", m.group(1)) + "]", text) + "\n"


def ruleset_to_yaml(rules: RuleSet) -> str:
    import yaml

    return yaml.safe_dump(_plain(rules), sort_keys=False, allow_unicode=True, width=100)


def json_to_ruleset(text: str | bytes, path: Path | str | None = None) -> RuleSet:
    """A rule file read back, or an InputError naming the first thing wrong with it."""
    from pydantic import ValidationError

    from extractor.model import RuleSet

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
    from extractor.model import RuleSet

    models: dict[str, type[BaseModel]] = {
        "ruleset": RuleSet, "changeset": ChangeSet, "case": Case, "check": CheckResult,
        "jsonlogic": JsonLogicExport}
    schema = models[of].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://policy-rules.dev/schema/{of}.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
