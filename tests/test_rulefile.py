import json

import pytest

from extractor.model import RuleSet
from extractor.pipeline import extract
from extractor.rulefile import (
    SCHEMA_FILES,
    SchemaOf,
    json_schema,
    json_to_ruleset,
    ruleset_to_json,
    ruleset_to_yaml,
)
from tests.conftest import ROOT, SAMPLE


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "rules_out" / "schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(), "run: policy-rules schema > rules_out/schema.json"


def test_the_schema_documents_every_entity_label_and_drug_role() -> None:
    definitions = json.loads(json_schema())["$defs"]
    labels = definitions["Entity"]["properties"]["label"]
    roles = definitions["Drug"]["properties"]["role"]
    for field in (labels, roles):
        for name in field["enum"]:
            assert f"\n- {name}: " in field["description"], name


def test_same_input_gives_same_bytes() -> None:
    path = SAMPLE / "zentorimab-v2.pdf"
    assert ruleset_to_json(extract(path)) == ruleset_to_json(extract(path))


def test_json_round_trips() -> None:
    rules = extract(SAMPLE / "zentorimab-v1.pdf")
    assert json_to_ruleset(ruleset_to_json(rules)) == rules


def test_keys_in_published_order() -> None:
    text = ruleset_to_json(extract(SAMPLE / "zentorimab-v1.pdf"))
    positions = [text.index(f'\n  "{key}"') for key in RuleSet.model_fields]
    assert positions == sorted(positions)


def test_yaml_has_the_same_content() -> None:
    import yaml

    rules = extract(SAMPLE / "zentorimab-v1.pdf")
    assert yaml.safe_load(ruleset_to_yaml(rules)) == rules.model_dump(mode="json")


def test_bounding_boxes_stay_on_one_line() -> None:
    text = ruleset_to_json(extract(SAMPLE / "zentorimab-v1.pdf"))
    assert '"bbox": [' in text
    assert '"bbox": [\n' not in text


def test_committed_changeset_schema_is_current() -> None:
    committed = (ROOT / "rules_out" / "changeset.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema("changeset"), (
        "run: policy-rules schema --changeset > rules_out/changeset.schema.json")


@pytest.mark.parametrize("of", ["case", "check", "jsonlogic"])
def test_committed_engine_schemas_are_current(of: SchemaOf) -> None:
    name = SCHEMA_FILES[of]
    committed = (ROOT / "rules_out" / name).read_text(encoding="utf-8")
    assert committed == json_schema(of), f"run: policy-rules schema --of {of} > rules_out/{name}"


def test_schema_command_prints_each_published_schema() -> None:
    from click.testing import CliRunner

    from extractor.cli import cli

    for of, name in SCHEMA_FILES.items():
        result = CliRunner().invoke(cli, ["schema", "--of", of])
        assert result.output == (ROOT / "rules_out" / name).read_text(encoding="utf-8"), of
