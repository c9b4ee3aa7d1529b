"""A ChangeSet → a report: standalone HTML for analysts, Markdown for a pull request, or JSON.

The HTML and Markdown come from the Jinja2 templates in templates/ (installed with the package);
every value is escaped in both, by default and not field by field (HTML autoescape; for
Markdown a `finalize` that escapes whatever the template did not already pass through `md`), so
markup printed in a policy cannot reach the report, or a pull-request comment, as markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from extractor.changes import AREA_LABELS, Redline, redline_to_hunks
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
# words of unchanged text shown on each side of a change
CONTEXT_WORDS = 6
# a removed or inserted run longer than this is shown by its ends
LONG_RUN_WORDS = 40
# an added or removed section is shown this far; a criterion or code is shown whole
SECTION_CHARS = 300


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
                           labels=AREA_LABELS, headline=headline(changes),
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
        finalize=markdown_escape if fmt == "markdown" else None,
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    env.filters["brief"] = brief
    env.filters["passages"] = redline_to_passages
    env.filters["md_passage"] = passage_to_markdown
    env.filters["shown"] = shown
    env.filters["shorten"] = shorten
    env.filters["label"] = lambda area: AREA_LABELS.get(area, area)
    return env


class MarkdownText(str):
    """Text already escaped for Markdown: the template's finalize leaves it as it is."""


def markdown_escape(value: object) -> MarkdownText:
    """Text safe inside Markdown and in a GitHub comment: no markup, no HTML, one line."""
    if isinstance(value, MarkdownText):
        return value
    text = " ".join(str(value if value is not None else "").split())
    text = text.replace("&", "&amp;")
    return MarkdownText(MARKDOWN_SPECIAL.sub(r"\\\1", text))


def brief(value: object, limit: int = 160) -> str:
    """A change's old or new value in a few words: a code with its description, a text cut."""
    if isinstance(value, dict):
        if "code" in value:
            return f"{value['code']} {value.get('description', '')}".strip()
        if "name" in value:
            brands = ", ".join(value.get("brands", []))
            return f"{value['name']} ({brands})" if brands else str(value["name"])
        if "date_text" in value:
            return f"{value['date_text']}: " + join_items(
                [item for change in value.get("changes", []) for item in change.get("items", [])])
    if isinstance(value, list):
        value = ", ".join(brief(v) for v in value)
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shown(value: object, area: str) -> str:
    """A change's old or new value whole: a criterion, code or note; a section's beginning."""
    return brief(value, SECTION_CHARS if area == "text" else len(str(value)) + 1)


def join_items(items: list[str]) -> str:
    """Revision items as one line: a lead-in ending in a colon runs into the items it leads."""
    text = ""
    for item in items:
        text += ("" if not text else " " if text.endswith(":") else "; ") + item
    return text


def headline(changes: ChangeSet) -> str:
    """One line: the breaking changes first, else that there is none, and the counts."""
    counts = ", ".join(f"{n} {s}" for s in SEVERITIES
                       if (n := sum(c.severity == s for c in changes.changes)))
    breaking = [c for c in changes.changes if c.severity == "breaking"]
    if not breaking:
        return f"No breaking change: {counts}." if counts else "No changes."
    first = breaking[0]
    what = (f"{first.kind.replace('_', ' ')} in {AREA_LABELS[first.area].lower()} "
            f"({brief(first.where, 80)})")
    more = f" and {len(breaking) - 1} more" if len(breaking) > 1 else ""
    return f"{len(breaking)} breaking change(s): {what}{more} ({counts})"


@dataclass(frozen=True)
class Passage:
    """A changed place of a redline with a few unchanged words each side."""

    runs: tuple[Redline, ...]
    cut_before: bool
    cut_after: bool


def redline_to_passages(runs: list[Redline], context: int = CONTEXT_WORDS) -> list[Passage]:
    """The changed places of a redline, each with context; long unchanged stretches left out."""
    if all(run.op == "equal" for run in runs):
        return []
    runs = _without_cosmetic(runs) or runs
    passages: list[Passage] = []
    current: list[Redline] = []
    cut_before = False
    for i, run in enumerate(runs):
        words = run.text.split()
        if run.op != "equal":
            current.append(run)
        elif not current and i == 0:
            cut_before = len(words) > context
            current.append(_words(words[-context:]))
        elif i == len(runs) - 1 or len(words) <= 2 * context:
            current.append(_words(words[:context]) if i == len(runs) - 1 else run)
        else:
            passages.append(Passage((*current, _words(words[:context])), cut_before, True))
            current, cut_before = [_words(words[-context:])], True
    if current:
        last = runs[-1]
        cut_after = last.op == "equal" and len(last.text.split()) > context
        passages.append(Passage(tuple(current), cut_before, cut_after))
    return passages


def _without_cosmetic(runs: list[Redline]) -> list[Redline]:
    """The runs with the places that differ only in spacing or punctuation kept as printed in
    the new version; empty when no other place differs."""
    kept: list[Redline] = []
    place: list[Redline] = []
    for run in [*runs, Redline(op="equal", text="")]:
        if run.op != "equal":
            place.append(run)
            continue
        hunks = redline_to_hunks([*place, run])
        if hunks and hunks[0].cosmetic:
            place = [Redline(op="equal", text=hunks[0].inserted)]
        kept += [*place, run] if run.text else place
        place = []
    if all(r.op == "equal" for r in kept):
        return []
    return _merged(kept)


def _merged(runs: list[Redline]) -> list[Redline]:
    """Adjacent runs of the same kind as one."""
    merged: list[Redline] = []
    for run in runs:
        if merged and merged[-1].op == run.op:
            merged[-1] = Redline(op=run.op, text=f"{merged[-1].text} {run.text}".strip())
        elif run.text:
            merged.append(run)
    return merged


def passage_to_markdown(passage: Passage) -> MarkdownText:
    """~~removed~~ **added** words in their context, the context's cuts marked with "…"; the
    words escaped, the marks kept."""
    marks = {"equal": "{}", "delete": "~~{}~~", "insert": "**{}**"}
    text = " ".join(marks[r.op].format(markdown_escape(shorten(r))) for r in passage.runs
                    if r.text)
    return MarkdownText(("… " if passage.cut_before else "") + text
                        + (" …" if passage.cut_after else ""))


def shorten(run: Redline) -> str:
    """A long removed or inserted run: its first and last words, with how many are left out."""
    words = run.text.split()
    if run.op == "equal" or len(words) <= LONG_RUN_WORDS:
        return run.text
    head, tail = words[:LONG_RUN_WORDS // 2], words[-LONG_RUN_WORDS // 4:]
    return f"{' '.join(head)} […{len(words) - len(head) - len(tail)} words…] {' '.join(tail)}"


def _words(words: list[str]) -> Redline:
    return Redline(op="equal", text=" ".join(words))
