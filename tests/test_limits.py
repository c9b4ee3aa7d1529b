"""Resource limits: each input past one gives one clear error, never a crash or a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.deadline import check_deadline, time_limit
from extractor.errors import InputError, LimitError
from extractor.limits import MAX_TREE_DEPTH
from extractor.pipeline import extract
from extractor.rulefile import json_to_ruleset, ruleset_to_json
from tests.test_archive_integrity import rule_set

HEAD = ("<html><body><p>Zentorimab</p><p>Policy Number: 2026D0001A</p>"
        "<p>Effective Date: January 1, 2026</p><h2>Coverage Rationale</h2>"
        "<p>Zentorimab is proven and medically necessary when all of the following criteria "
        "are met:</p>")


def nested_list_html(depth: int) -> str:
    opened = "".join(f"<ul><li>level {i}, all of the following:" for i in range(depth))
    return f"{HEAD}{opened}{'</li></ul>' * depth}<h2>Applicable Codes</h2></body></html>"


def deep_criterion(depth: int) -> str:
    """A criteria tree as JSON text, built as text: too deep for json.dumps to write."""
    where = '"provenance": {"page": 1, "bbox": [0, 0, 1, 1]}'
    opened = "".join(f'{{"id": "n{i}", "text": "t", "op": "all", {where}, "children": ['
                     for i in range(depth - 1))
    return f'{opened}{{"id": "leaf", "text": "t", {where}}}{"]}" * (depth - 1)}'


def rule_file_with_tree(depth: int) -> str:
    text = ruleset_to_json(rule_set())
    statement = ('[{"id": "s", "kind": "proven", "text": "x", "provenance": {"page": 1, '
                 f'"bbox": [0, 0, 1, 1]}}, "criteria": {deep_criterion(depth)}}}]')
    return text.replace('"coverage": []', f'"coverage": {statement}')


def test_extract_never_writes_a_tree_deeper_than_its_reader_accepts(tmp_path: Path) -> None:
    shallow, deep = tmp_path / "shallow.html", tmp_path / "deep.html"
    shallow.write_text(nested_list_html(5), encoding="utf-8")
    deep.write_text(nested_list_html(MAX_TREE_DEPTH + 20), encoding="utf-8")
    json_to_ruleset(ruleset_to_json(extract(shallow)))  # a written tree reads back
    with pytest.raises(LimitError, match=f"deeper than {MAX_TREE_DEPTH} levels") as raised:
        extract(deep)
    assert raised.value.path == str(deep) and raised.value.exit_code == 9


@pytest.mark.parametrize("depth", [MAX_TREE_DEPTH + 1, 90, 1000, 20_000])
def test_a_rule_file_with_a_deep_tree_is_refused_in_one_line(depth: int) -> None:
    with pytest.raises(InputError, match="not a rule file") as raised:
        json_to_ruleset(rule_file_with_tree(depth), "deep.json")
    assert "\n" not in str(raised.value)


def test_a_rule_file_at_the_depth_limit_is_read() -> None:
    rules = json_to_ruleset(rule_file_with_tree(MAX_TREE_DEPTH))
    assert json_to_ruleset(ruleset_to_json(rules)) == rules


def test_a_deep_rule_file_cannot_poison_the_archive(tmp_path: Path) -> None:
    deep, good = tmp_path / "deep.json", tmp_path / "good.json"
    deep.write_text(rule_file_with_tree(MAX_TREE_DEPTH + 5), encoding="utf-8")
    good.write_text(ruleset_to_json(rule_set()), encoding="utf-8")
    root = tmp_path / "archive"
    runner = CliRunner()
    refused = runner.invoke(cli, ["archive", "add", str(deep), "--archive", str(root)])
    assert refused.exit_code == 2  # the one input failed, nothing archived
    added = runner.invoke(cli, ["archive", "add", str(good), "--archive", str(root)])
    assert added.exit_code == 0, added.output
    policy = "hostile-policy"
    logged = runner.invoke(cli, ["archive", "log", policy, "--archive", str(root)])
    assert logged.exit_code == 0 and logged.output.startswith("2026D0001A\t")


def test_a_document_not_read_within_the_timeout_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "slow.html"
    path.write_text(nested_list_html(30), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--timeout", "0.001"])
    assert isinstance(result.exception, LimitError) and result.exception.exit_code == 9
    assert str(result.exception) == f"{path}: not read within 0.001 s (--timeout)"
    assert extract(path, timeout=60).coverage  # the timer is gone once the document is read


def test_the_deadline_is_checked_within_its_block_only() -> None:
    with pytest.raises(LimitError, match=r"not read within 0\.01 s"), time_limit(0.01):
        check_deadline()
        time.sleep(0.05)
        check_deadline()
    check_deadline()  # no limit outside the block
    with time_limit(None):
        time.sleep(0.02)
        check_deadline()
