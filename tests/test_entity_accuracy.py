"""The hand-checked entity set: the development part holds a floor; the set-aside part is only
reported by benchmarks/entity_accuracy.py, never asserted or tuned on."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from extractor.model import RuleSet
from extractor.vocabulary import ENDOGENOUS, FORMS
from tests.conftest import CORPUS, ROOT, corpus_file

DATA = ROOT / "tests" / "data" / "entities"
EXACT_FLOOR = 0.97
# the labels with enough checked entities for a share to mean something (limits printed without
# a cap word, "in two to five fractions", "a single treatment", are not read as limits yet)
RECALL_FLOORS = {"drug": 0.98, "lab": 0.93, "route": 0.94, "duration": 0.95, "limit": 0.90}


Development = tuple[ModuleType, dict[tuple[str, str], Any], dict[str, RuleSet]]


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "entity_accuracy", ROOT / "benchmarks" / "entity_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_set_is_large_varied_and_split_by_document() -> None:
    split = json.loads((DATA / "split.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for part in ("dev", "set_aside")
            for line in (DATA / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()]
    entities = [r for r in rows if r["label"] is not None]
    assert len(entities) >= 400
    assert len({r["document"] for r in rows}) >= 20
    assert {r["document"] for r in rows if r["part"] == "set_aside"} == set(split["set_aside"])
    assert not set(split["dev"]) & set(split["set_aside"])
    for r in entities:
        start, end = r["span"]
        assert r["criterion"][start:end] == r["text"]


@pytest.fixture(scope="module")
def development() -> Development:
    """The scorer, the checked development entities and the rule files of their documents."""
    corpus_file(json.loads((DATA / "split.json").read_text(encoding="utf-8"))["dev"][0])
    bench = scorer()
    checked = bench.load("dev", DATA)
    return bench, checked, bench.rule_files(checked, Path(CORPUS))


def test_development_entities_are_exact(development: Development) -> None:
    bench, checked, rules = development
    result = bench.score(checked, bench.entities_of(checked, rules))
    assert result.exact_share >= EXACT_FLOOR, "\n".join(result.misses)
    for label, floor in RECALL_FLOORS.items():
        recall = result.hits[label] / result.gold[label]
        precision = result.hits[label] / result.found[label]
        assert min(recall, precision) >= floor, (label, recall, precision, result.misses)


def test_development_drug_lists_hold_no_substance_the_body_makes_and_a_role_each(
        development: Development) -> None:
    _, _, rules = development
    for document, ruleset in rules.items():
        for drug in ruleset.drugs:
            assert drug.role in drug.roles, (document, drug.name)
            assert drug.name not in ENDOGENOUS and drug.name not in FORMS, (document, drug.name)
