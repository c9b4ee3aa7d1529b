"""A ChangeSet → a report: standalone HTML for analysts, Markdown for a pull request, or JSON.

The HTML and Markdown come from the Jinja2 templates in templates/ (installed with the package);
policy text is escaped in both, so markup printed in a policy cannot reach the report as markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from extractor.diff import SEVERITIES, Change, ChangeSet
from extractor.model import CoverageStatement, Criterion, RuleSet

ReportFormat = Literal["html", "markdown", "json"]
TEMPLATES = {"html": "report.html.j2", "markdown": "report.md.j2"}
# installed: extractor/templates; from a source checkout: the top-level templates/ folder
TEMPLATE_DIRS = [Path(__file__).resolve().parent / "templates",
                 Path(__file__).resolve().parent.parent / "templates"]
# a pull-request comment holds 65,536 characters: list this many changes per area, then count
MARKDOWN_PER_AREA = 40
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def render(changes: ChangeSet, fmt: ReportFormat, new: RuleSet | None = None) -> str:
    """The report in the given format, ending with a newline.

    Given the new version's rules, the HTML report also shows each changed coverage statement's
    criteria tree with the changes inline.
    """
    if fmt == "json":
        return json.dumps(changes.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    at: dict[str, list[Change]] = {}
    for change in changes.changes:
        if change.criterion is not None:
            at.setdefault(change.criterion, []).append(change)
    template = _environment(fmt).get_template(TEMPLATES[fmt])
    text = template.render(changes=changes, severities=SEVERITIES, limit=MARKDOWN_PER_AREA,
                           undocumented=set(changes.undocumented), at=at,
                           trees=_changed_statements(new, at) if new is not None else [])
    return text.rstrip("\n") + "\n"


def _changed_statements(new: RuleSet, at: dict[str, list[Change]]) -> list[CoverageStatement]:
    def ids(node: Criterion) -> Iterator[str]:
        yield node.id
        for child in node.children:
            yield from ids(child)

    return [s for s in new.coverage
            if s.criteria is not None and any(i in at for i in ids(s.criteria))]


@cache
def _environment(fmt: ReportFormat) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(d) for d in TEMPLATE_DIRS if d.is_dir()]),
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    env.filters["brief"] = brief
    return env


def markdown_escape(value: object) -> str:
    """Text safe inside Markdown and in a GitHub comment: no markup, no HTML, one line."""
    text = " ".join(str(value if value is not None else "").split())
    text = text.replace("&", "&amp;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def brief(value: object, limit: int = 160) -> str:
    """A change's old or new value in a few words: a code with its description, a text cut."""
    if isinstance(value, dict):
        if "code" in value:
            return f"{value['code']} {value.get('description', '')}".strip()
        if "name" in value:
            brands = ", ".join(value.get("brands", []))
            return f"{value['name']} ({brands})" if brands else str(value["name"])
        if "date_text" in value:
            return f"{value['date_text']}: " + "; ".join(
                item for change in value.get("changes", []) for item in change.get("items", []))
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
