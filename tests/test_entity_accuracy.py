"""The hand-checked entity set: the development part holds a floor; the set-aside part is only
reported by benchmarks/entity_accuracy.py, never asserted or tuned on."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import CORPUS, ROOT, corpus_file

DATA = ROOT / "tests" / "data" / "entities"
EXACT_FLOOR = 0.95


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


def test_development_entities_are_exact() -> None:
    corpus_file(json.loads((DATA / "split.json").read_text(encoding="utf-8"))["dev"][0])
    bench = scorer()
    checked = bench.load("dev", DATA)
    result = bench.score(checked, bench.from_rule_files(checked, Path(CORPUS)))
    assert result.exact_share >= EXACT_FLOOR, "\n".join(result.misses)
