"""policy-rules: health-insurance policy documents as versioned, machine-readable rules.

The library is the whole pipeline; the command line is a thin wrapper around it::

    from extractor import extract, diff, render
    old, new = extract("v1.pdf"), extract("v2.pdf")
    print(render(diff(old, new), "markdown"))

    rules = extract("v1.pdf", engine="pdfplumber")     # the reference PDF engine
    rules = Reader(cache=RuleCache()).rules(Path("v1.pdf"))  # through the rule-file cache

    result = evaluate(rules, Case(answers={"1a266279209a": True}, facts={"age": 34}))
    logic, form = to_json_logic(rules), to_questionnaire(rules)   # for other engines

Names are imported on first use, so ``import extractor`` (and every command that needs only a
part of it) does not pay for pdfplumber, spaCy or GitPython up front.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractor.archive import Archive
    from extractor.cache import Reader, RuleCache
    from extractor.cases import Case, CheckResult, JsonLogicExport
    from extractor.diff import ChangeSet, diff
    from extractor.errors import PolicyRulesError
    from extractor.evaluation import evaluate
    from extractor.export_fhir import to_questionnaire
    from extractor.export_jsonlogic import to_json_logic
    from extractor.model import RuleSet
    from extractor.pipeline import extract
    from extractor.report import render
    from extractor.rulefile import json_to_ruleset, ruleset_to_json

_EXPORTS = {
    "Archive": "extractor.archive",
    "Reader": "extractor.cache",
    "RuleCache": "extractor.cache",
    "Case": "extractor.cases",
    "CheckResult": "extractor.cases",
    "JsonLogicExport": "extractor.cases",
    "evaluate": "extractor.evaluation",
    "to_questionnaire": "extractor.export_fhir",
    "to_json_logic": "extractor.export_jsonlogic",
    "ChangeSet": "extractor.diff",
    "diff": "extractor.diff",
    "PolicyRulesError": "extractor.errors",
    "RuleSet": "extractor.model",
    "extract": "extractor.pipeline",
    "render": "extractor.report",
    "json_to_ruleset": "extractor.rulefile",
    "ruleset_to_json": "extractor.rulefile",
}

__all__ = [
    "Archive", "Case", "ChangeSet", "CheckResult", "JsonLogicExport", "PolicyRulesError", "Reader",
    "RuleCache", "RuleSet", "diff", "evaluate", "extract", "json_to_ruleset", "render",
    "ruleset_to_json", "to_json_logic", "to_questionnaire",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)


class _Package(types.ModuleType):
    """The package, whose exported names stay the library's functions: importing the module
    extractor.diff would otherwise set the package's `diff` to that module."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
