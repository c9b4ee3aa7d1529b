"""Change reports: HTML checked for structure with lxml, Markdown, JSON and the diff command."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from extractor.ci import PolicyChange, comment
from extractor.diff import Change, ChangeSet, Claim, Redline, diff
from extractor.model import Criterion, RuleSet
from extractor.pipeline import extract
from extractor.report import markdown_escape, render
from tests.conftest import ROOT, SAMPLE
from tests.test_cli import assert_error, run

OLD, NEW = SAMPLE / "zentorimab-v1.pdf", SAMPLE / "zentorimab-v2.pdf"


@cache
def sample(path: Path) -> RuleSet:
    return extract(path)


def sample_changes() -> ChangeSet:
    return diff(sample(OLD), sample(NEW))


def test_html_report_has_summary_areas_badges_and_redline() -> None:
    doc = lxml.html.fromstring(render(sample_changes(), "html"))
    assert doc.findtext(".//title").startswith("Policy changes: 2026D9901A")
    assert not doc.xpath("//script | //link | //img")  # standalone: no external assets
    areas = [h.get("id") for h in doc.xpath("//h2[@id]")]
    assert areas[0] == "summary" and areas[-1] == "cross-check"
    assert {"codes", "coverage", "drugs"} <= set(areas)
    assert doc.xpath("//span[contains(@class, 'badge') and contains(@class, 'breaking')]")
    coverage = doc.xpath("//h2[@id='coverage']/following-sibling::table[1]//tr[td]")
    threshold = [tr for tr in coverage if "threshold" in tr.xpath("string(td[2])")]
    assert [tr.xpath("string(.//del)") for tr in threshold] == ["4"]
    assert [tr.xpath("string(.//ins)") for tr in threshold] == ["8"]


def test_policy_text_cannot_inject_markup() -> None:
    changes = sample_changes()
    evil = '<script>alert("x")</script> **bold** [link](http://x)'
    first = changes.changes[0].model_copy(update={"where": evil, "new": evil})
    tampered = changes.model_copy(update={"changes": [first, *changes.changes[1:]]})
    html = render(tampered, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    markdown = render(tampered, "markdown")
    assert "<script>" not in markdown and "**bold**" not in markdown
    assert markdown_escape("a | b <i>") == r"a \| b \<i\>"


def test_markdown_puts_the_summary_first_and_folds_the_details() -> None:
    text = render(sample_changes(), "markdown")
    assert text.index("| area |") < text.index("<details>")
    assert text.count("<details>") == text.count("</details>") == len(sample_changes().summary)


def test_json_report_is_the_changeset() -> None:
    data = json.loads(render(sample_changes(), "json"))
    assert set(data) == {"old", "new", "summary", "changes", "undocumented", "unmatched_claims",
                         "warnings"}
    assert data["summary"]["codes"] == {"minor": 1}  # G35 split by the FY2026 code set
    assert {c["area"] for c in data["changes"]} <= {
        "metadata", "coverage", "drugs", "codes", "revision_history", "text"}


def test_diff_command_exit_code_and_rule_file_inputs(tmp_path: Path) -> None:
    old_json = tmp_path / "old.json"
    result = run("extract", OLD, "-o", old_json)
    assert result.returncode == 0, result.stderr
    changed = run("diff", old_json, NEW, "--format", "json", "--exit-code")
    assert changed.returncode == 1 and json.loads(changed.stdout)["changes"]
    same = run("diff", old_json, OLD, "--exit-code", "-o", tmp_path / "report.md")
    assert same.returncode == 0, same.stderr
    assert "No changes." in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_diff_command_rejects_a_broken_rule_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"policy": ', encoding="utf-8")
    assert_error(run("diff", broken, NEW), 2, broken, "not a rule file")


def test_html_report_shows_changed_criteria_inline_in_their_tree() -> None:
    doc = lxml.html.fromstring(render(sample_changes(), "html", sample(NEW)))
    tree = doc.xpath("//h2[@id='criteria']/following::ul[@class='tree'][1]")[0]
    changed = tree.xpath(".//li[contains(@class, 'changed')]")
    assert len(changed) == 3
    threshold = changed[0]
    assert threshold.xpath("string(span[@class='op'])") == "at least 2"
    assert threshold.xpath("string(span[@class='text']/del)") == "4"
    assert "threshold changed" in threshold.xpath("string(span[contains(@class, 'badge')])")
    assert len(tree.xpath(".//li")) == sum(
        1 for _ in _nodes(sample(NEW).coverage[0].criteria))


def _nodes(node: Criterion | None) -> Iterator[Criterion]:
    if node is not None:
        yield node
        for child in node.children:
            yield from _nodes(child)


def lemtrada_markdown() -> str:
    from tests.test_diff import lemtrada, lemtrada_x

    return render(diff(lemtrada_x(), lemtrada()), "markdown")


def test_markdown_shows_the_changed_word_of_a_long_section_not_two_cut_copies() -> None:
    text = lemtrada_markdown()
    background = text[text.index("· Background"):].splitlines()[1]
    assert "~~cytotoxicity~~ **cytolysis**" in background
    assert background.startswith("  - … ") and len(background) < 200


def test_markdown_summary_rows_use_plain_area_names_and_a_headline() -> None:
    text = lemtrada_markdown()
    assert "| Applicable codes |" in text and "| Other sections |" in text
    assert "| revision_history |" not in text and "| text |" not in text
    assert "**No breaking change: 8 minor, 3 cosmetic.**" in text


def test_revision_items_after_a_lead_in_colon_run_on() -> None:
    text = lemtrada_markdown()
    assert "annual edits: Added G35.A" in text and ":;" not in text


def test_markdown_keeps_a_whole_criterion_and_shows_a_split() -> None:
    text = render(sample_changes(), "markdown")
    assert "**or a physician who specializes in the treatment of multiple sclerosis**" in text
    assert "split (code-set update)" in text and "G35.D Multiple sclerosis, unspecified" in text


def test_html_shows_only_the_changed_passages_of_a_long_section() -> None:
    from tests.test_diff import lemtrada, lemtrada_x

    doc = lxml.html.fromstring(render(diff(lemtrada_x(), lemtrada()), "html"))
    rows = doc.xpath("//h2[@id='text']/following-sibling::table[1]//tr[td]")
    references = next(tr for tr in rows if tr.xpath("string(td[3])") == "References")
    passages = references.xpath(".//p[@class='passage']")
    # the REMS address corrected; "relapsing- remitting" is only spacing and not shown
    assert [p.xpath("string(del)") for p in passages] == ["https://www.lemtradahcp.com/remis."]
    assert len(references.xpath("string(td[4])")) < 400
    assert doc.xpath("string(//h2[@id='text'])") == "Other sections"


def test_json_report_follows_the_published_changeset_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "rules_out" / "changeset.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads(render(sample_changes(), "json")), schema)


def test_a_long_inserted_run_is_shown_by_its_ends_in_both_reports() -> None:
    from tests.test_diff import lemtrada

    old = lemtrada()
    longer = " ".join(f"word{i}" for i in range(100))
    sections = [s.model_copy(update={"text": s.text + " " + longer})
                if s.title == "Background" else s for s in old.sections]
    changes = diff(old, old.model_copy(update={"sections": sections}))
    markdown = render(changes, "markdown")
    line = markdown[markdown.index("· Background"):].splitlines()[1]
    assert "**word0 word1" in line and "\\[…70 words…\\] word90" in line and len(line) < 400
    doc = lxml.html.fromstring(render(changes, "html"))
    inserted = doc.xpath("string(//h2[@id='text']/following-sibling::table[1]//ins)")
    assert inserted.startswith("word0 word1") and "[…70 words…] word90" in inserted


EVIL = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) `x` **b** | @team"


def hostile_changes() -> ChangeSet:
    """Every text of a change set is markup a crafted document could have put there."""
    change = Change(area="coverage", kind="modified", severity="breaking", where=EVIL, old=EVIL,
                    new=EVIL, redline=[Redline(op="delete", text=EVIL),
                                       Redline(op="insert", text=EVIL)],
                    page=1, documented_by=EVIL, criterion="c1")
    dated = change.model_copy(update={"area": "revision_history", "redline": []})
    return ChangeSet(old=EVIL, new=EVIL, summary={"coverage": {"breaking": 1},
                                                  "revision_history": {"breaking": 1}},
                     changes=[change, dated], undocumented=[0],
                     unmatched_claims=[Claim(date=EVIL, section=EVIL, item=EVIL)])


def test_a_crafted_revision_date_cannot_put_markup_in_the_markdown_report() -> None:
    text = render(hostile_changes(), "markdown")
    assert "documented \\<img" in text  # documented_by, once printed raw
    for raw in ("<img", "[click]", "`x`", "**b**", "| @"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), text), raw
    assert text.count(str(markdown_escape(EVIL))) >= 12  # every value, escaped


def test_no_value_of_a_change_set_reaches_the_html_report_as_markup() -> None:
    doc = lxml.html.fromstring(render(hostile_changes(), "html"))
    assert not doc.xpath("//img | //script | //a[starts-with(@href, 'javascript')]")
    assert EVIL in doc.text_content()


def test_the_ci_comment_escapes_titles_and_paths() -> None:
    rules = sample(OLD)
    evil = rules.model_copy(update={"policy": rules.policy.model_copy(update={"title": EVIL})})
    text = comment([PolicyChange("rules_out/a`<img src=x>`\n# b.json", None, evil)])
    heading = next(line for line in text.splitlines() if line.startswith("####"))
    path, title = re.fullmatch(r"#### `([^`]*)` — (.*)", heading).groups()  # type: ignore[union-attr]
    assert path == "rules_out/a'<img src=x>' # b.json" and "\n# b" not in text
    assert title == markdown_escape(EVIL)
