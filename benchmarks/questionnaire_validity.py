"""Every corpus rule file as a FHIR Questionnaire: does fhir.resources (R4B) accept it, with one
item per criterion id?

Usage: python -m benchmarks.questionnaire_validity [../shared/corpus] [--rules DIR] [--payer P]

Rule files come from --rules DIR (named like the PDFs, with .json), else through the rule-file
cache. Each is exported with to_questionnaire (which validates with the R4B models), written
out as JSON and read back with Questionnaire.model_validate_json; its linkIds must be unique and
be exactly the criterion ids, the statement ids and (with several statements) the selector.
Prints the counts and every failure; exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.check_agreement import ROOT, corpus_rules
from extractor.export_fhir import SELECTOR, questionnaire_to_json, to_questionnaire
from extractor.model import Criterion, RuleSet


def expected_link_ids(rules: RuleSet) -> list[str]:
    ids = [s.id for s in rules.coverage] + ([SELECTOR] if len(rules.coverage) > 1 else [])
    stack: list[Criterion] = [s.criteria for s in rules.coverage if s.criteria]
    while stack:
        node = stack.pop()
        ids.append(node.id)
        stack.extend(node.children)
    return sorted(ids)


def link_ids(items: list[dict[str, Any]]) -> list[str]:
    return [id_ for item in items
            for id_ in (item["linkId"], *link_ids(item.get("item", [])))]


def problem(rules: RuleSet) -> str | None:
    from fhir.resources.R4B.questionnaire import Questionnaire

    try:
        text = questionnaire_to_json(to_questionnaire(rules))
        Questionnaire.model_validate_json(text)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        return f"invalid: {str(exc)[:300]}"
    found = link_ids(json.loads(text).get("item", []))
    if len(found) != len(set(found)):
        return "a linkId is used twice"
    if sorted(found) != expected_link_ids(rules):
        return "linkIds are not the criterion ids"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--rules", type=Path, help="a folder of the corpus's rule files")
    parser.add_argument("--payer", default="", help="only this payer's documents")
    args = parser.parse_args()
    start = time.perf_counter()
    files = corpus_rules(args.corpus, args.rules, args.payer or None)
    failures = [(r.source.file, p) for r in files if (p := problem(r)) is not None]
    items = sum(1 for r in files for i in expected_link_ids(r) if i != SELECTOR)
    print(f"{len(files)} rule files, {len(files) - len(failures)} valid Questionnaires with one "
          f"item per criterion, {items} items (statements and criteria), "
          f"{time.perf_counter() - start:.0f} s")
    for name, reason in failures:
        print(f"  {name}: {reason}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
