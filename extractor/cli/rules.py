"""The commands for rule engines and schemas: check, export and schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click

from extractor.cli.common import (
    check_output,
    cli,
    emit,
    reading_options,
    rules_of,
)

if TYPE_CHECKING:
    from extractor.cache import Reader
    from extractor.rulefile import SchemaOf


CHECK_EXIT_CODES = {"met": 0, "not_met": 1, "unknown": 3}


@cli.command("check")
@click.argument("rules_path", metavar="RULES", type=click.Path(path_type=Path))
@click.argument("case_file", metavar="CASE", type=click.File("rb"))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Indented like the policy, or JSON for machines.")
@click.option("--statement", "about", multiple=True, metavar="ID",
              help="A statement the case is about (repeatable) [default: the proven ones].")
@reading_options
def check_command(rules_path: Path, case_file: BinaryIO, fmt: str, about: tuple[str, ...],
                  reader: Reader) -> None:
    """Evaluate a case against a policy's coverage criteria.

    RULES is a rule file (.json) or a policy document. CASE is a JSON file (- for stdin):
    {"answers": {"<criterion id>": true, ...}, "facts": {"age": 34, ...}}. Exit 0 when a
    statement the case is about is met, 1 when all are not met, 3 when undecided.

    Example:

        \b
        policy-rules check corpus/sample/zentorimab-v2.pdf \\
            corpus/sample/cases/ra-met.json --format json
    """
    from extractor.cases import json_to_case
    from extractor.check_text import check_to_text
    from extractor.evaluation import evaluate

    rules = rules_of(rules_path, reader)
    case = json_to_case(case_file.read(), getattr(case_file, "name", "-"))
    result = evaluate(rules, case, about)
    emit(check_to_text(rules, case, result) if fmt == "text"
          else result.model_dump_json(indent=2) + "\n", None)
    sys.exit(CHECK_EXIT_CODES[result.result])


@cli.command("export")
@click.argument("rules_path", metavar="RULES", type=click.Path(path_type=Path))
@click.option("--to", "target", type=click.Choice(["json-logic", "fhir-questionnaire"]),
              required=True, help="JSON Logic rules, or a FHIR R4 Questionnaire.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write here instead of stdout.")
@reading_options
def export_command(rules_path: Path, target: str, output: Path | None,
                   reader: Reader) -> None:
    """Export a policy's coverage criteria for a rule engine or a prior-authorization form.

    RULES is a rule file (.json) or a policy document.

    Example:

        \b
        policy-rules export corpus/sample/zentorimab-v2.pdf \\
            --to fhir-questionnaire -o q.json
    """
    check_output(output, rules_path)
    rules = rules_of(rules_path, reader)
    if target == "json-logic":
        from extractor.export_jsonlogic import export_to_json, to_json_logic

        emit(export_to_json(to_json_logic(rules)), output)
    else:
        from extractor.export_fhir import questionnaire_to_json, to_questionnaire

        emit(questionnaire_to_json(to_questionnaire(rules)), output)


@cli.command("schema")
@click.option("--of", "of", type=click.Choice(["ruleset", "changeset", "case", "check",
                                               "jsonlogic"]),
              default="ruleset", show_default=True,
              help="The rule file, the change report `diff --format json` writes, the case "
                   "`check` reads, what `check --format json` writes, or what `export --to "
                   "json-logic` writes.")
@click.option("--changeset", is_flag=True, help="Same as --of changeset.")
def schema_command(of: SchemaOf, changeset: bool) -> None:
    """Print the JSON Schema of the rule file (or of another published shape).

    Example:

        policy-rules schema > rules_out/schema.json
        policy-rules schema --of changeset > rules_out/changeset.schema.json
        policy-rules schema --of case > rules_out/case.schema.json
    """
    from extractor.rulefile import json_schema

    emit(json_schema("changeset" if changeset else of), None)
