"""diff on statements built to be slow: tens of thousands of siblings, thousands of rewordings,
a criterion of hundreds of thousands of words. Each stays near linear and still finds the
changes."""

from __future__ import annotations

import random
import time

from extractor.coverage_diff import _increasing
from extractor.diff import diff, redline
from extractor.limits import MAX_REDLINE_WORDS
from extractor.model import CoverageStatement, Criterion, Provenance, RuleSet
from tests.test_archive_integrity import rule_set

AT = Provenance(page=1, bbox=(0, 0, 1, 1))
WORDS = [f"w{i}" for i in range(500)]


def statement_of(texts: list[str], ids: list[str] | None = None) -> RuleSet:
    ids = ids or [f"c{i}" for i in range(len(texts))]
    kids = [Criterion(id=i, text=t, provenance=AT) for i, t in zip(ids, texts, strict=True)]
    root = Criterion(id="root", text="all of the following", op="all", children=kids,
                     provenance=AT)
    return rule_set().model_copy(update={"coverage": [CoverageStatement(
        id="s", kind="proven", text="Proven when", criteria=root, provenance=AT)]})


def timed(old: RuleSet, new: RuleSet, seconds: float) -> list[str]:
    started = time.monotonic()
    kinds = [c.kind for c in diff(old, new).changes]
    assert time.monotonic() - started < seconds
    return kinds


def test_twenty_thousand_siblings_in_reverse_are_ordered_in_n_log_n() -> None:
    texts = [f"criterion {i}" for i in range(20_000)]
    ids = [f"c{i}" for i in range(20_000)]
    kinds = timed(statement_of(texts, ids), statement_of(texts[::-1], ids[::-1]), 30)
    assert kinds.count("moved") == 19_999


def test_longest_increasing_run() -> None:
    assert _increasing([3, 1, 2, 5, 4, 6]) in ({1, 2, 3, 5}, {1, 2, 4, 5})
    assert _increasing([]) == set() and len(_increasing(list(range(50_000))[::-1])) == 1


def test_three_thousand_rewordings_are_matched_in_bounded_time() -> None:
    rng = random.Random(1)
    texts = [" ".join(rng.choices(WORDS, k=12)) for _ in range(3_000)]
    new_ids = [f"n{i}" for i in range(3_000)]
    kinds = timed(statement_of(texts), statement_of([f"{t} reworded" for t in texts], new_ids),
                  60)
    assert kinds == ["modified"] * 3_000


def test_a_two_hundred_thousand_word_criterion_is_redlined_in_linear_time() -> None:
    rng = random.Random(2)
    words = rng.choices(WORDS[:20], k=200_000)
    changed = [*words[:1000], "inserted", *words[1000:]]
    kinds = timed(statement_of([" ".join(words)]), statement_of([" ".join(changed)]), 30)
    assert kinds == ["modified"]
    runs = redline(" ".join(words), " ".join(changed))
    assert [r.op for r in runs] == ["equal", "insert", "equal"] and runs[1].text == "inserted"


def test_a_short_text_keeps_its_word_level_redline() -> None:
    runs = redline("a b c d", "a x c d")
    assert [(r.op, r.text) for r in runs] == [("equal", "a"), ("delete", "b"), ("insert", "x"),
                                              ("equal", "c d")]
    assert MAX_REDLINE_WORDS >= 1000
