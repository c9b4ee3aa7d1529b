"""The structural diff: real version pairs, and one mutation at a time of a real rule file."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extractor.diff import Change, diff, redline
from extractor.model import Code, Criterion, RuleSet
from extractor.text import normalize
from tests.conftest import SEEDS, corpus_file
from tests.test_criteria import rules

LEMTRADA_Y = "uhc-comm-drug_lemtrada-alemtuzumab_2025-10-01.pdf"


def lemtrada() -> RuleSet:
    return rules(corpus_file(LEMTRADA_Y))


def above_cosmetic(changes: list[Change]) -> list[tuple[str, str, str]]:
    return [(c.area, c.kind, c.severity) for c in changes if c.severity != "cosmetic"]


def with_tree(ruleset: RuleSet, edit: Callable[[Criterion], Criterion]) -> RuleSet:
    first = ruleset.coverage[0]
    assert first.criteria is not None
    statement = first.model_copy(update={"criteria": edit(first.criteria)})
    return ruleset.model_copy(update={"coverage": [statement, *ruleset.coverage[1:]]})


def at(node: Criterion, path: tuple[int, ...], edit: Callable[[Criterion], Criterion]
       ) -> Criterion:
    """The tree with the node at path (child indexes from the root) replaced by edit(node)."""
    if not path:
        return edit(node)
    children = list(node.children)
    children[path[0]] = at(children[path[0]], path[1:], edit)
    return node.model_copy(update={"children": children})


# root → [diagnosis, one-of → [naive → [at-least-2 → 16 drugs, ...5 leaves], experienced]]
NAIVE = (1, 0)
AT_LEAST = (1, 0, 0)


def test_the_same_rules_give_no_change() -> None:
    assert diff(lemtrada(), lemtrada()).changes == []


@pytest.mark.parametrize(("name", "edit", "expected"), [
    ("drop a leaf", lambda t: at(t, NAIVE, lambda n: n.model_copy(
        update={"children": n.children[:-1]})), [("coverage", "removed", "material")]),
    ("at least 2 → 3", lambda t: at(t, AT_LEAST, lambda n: n.model_copy(update={"min": 3})),
     [("coverage", "operator_changed", "breaking")]),
    ("any → all", lambda t: at(t, (1,), lambda n: n.model_copy(update={"op": "all"})),
     [("coverage", "operator_changed", "breaking")]),
    ("all → any", lambda t: at(t, NAIVE, lambda n: n.model_copy(update={"op": "any"})),
     [("coverage", "operator_changed", "material")]),
    ("swap two children", lambda t: at(t, AT_LEAST, lambda n: n.model_copy(update={
        "children": [n.children[1], n.children[0], *n.children[2:]]})),
     [("coverage", "moved", "minor")]),
    ("reword a leaf", lambda t: at(t, (1, 0, 1), lambda n: n.model_copy(update={
        "text": "Patient has never been treated with alemtuzumab before"})),
     [("coverage", "modified", "minor")]),
    ("add a criterion to an all-of", lambda t: at(t, NAIVE, lambda n: n.model_copy(update={
        "children": [*n.children, n.children[1].model_copy(update={
            "id": "new", "text": "Patient is at least 18 years of age"})]})),
     [("coverage", "added", "breaking")]),
    ("tighten a limit", lambda t: at(t, (1, 0, 5), lambda n: n.model_copy(update={
        "text": n.text.replace("no more than 12 months", "no more than 6 months"),
        "entities": [e.model_copy(update={"value": 6.0}) if e.text == "no more than 12 months"
                     else e for e in n.entities]})),
     [("coverage", "threshold_changed", "breaking")]),
    ("add an option to an at-least-2", lambda t: at(t, AT_LEAST, lambda n: n.model_copy(
        update={"children": [*n.children, n.children[0].model_copy(update={
            "id": "new", "text": "Ofatumumab (Kesimpta)", "entities": []})]})),
     [("coverage", "added", "material")]),
    ("remove an option from an at-least-2", lambda t: at(t, AT_LEAST, lambda n: n.model_copy(
        update={"children": n.children[:-1]})), [("coverage", "removed", "breaking")]),
    ("negate a list", lambda t: at(t, AT_LEAST, lambda n: n.model_copy(
        update={"op": "none", "min": None})), [("coverage", "operator_changed", "breaking")]),
    ("add to a none-of", lambda t: at(t, AT_LEAST, lambda n: n.model_copy(update={
        "op": "none", "min": None, "children": [*n.children, n.children[0].model_copy(
            update={"id": "new", "text": "Ofatumumab (Kesimpta)", "entities": []})]})),
     [("coverage", "operator_changed", "breaking"), ("coverage", "added", "breaking")]),
])
def test_one_mutation_gives_exactly_that_change(
        name: str, edit: Callable[[Criterion], Criterion],
        expected: list[tuple[str, str, str]]) -> None:
    assert above_cosmetic(diff(lemtrada(), with_tree(lemtrada(), edit)).changes) == expected


def test_codes_added_removed_and_redescribed() -> None:
    old = lemtrada()
    extra = old.codes[0].model_copy(update={"code": "J9999", "description": "Injection, test"})
    renamed = old.codes[1].model_copy(update={"description": old.codes[1].description + " x"})
    new = old.model_copy(update={"codes": [extra, renamed, *old.codes[2:]]})
    found = [(c.area, c.kind, c.severity, _code(c.old) or _code(c.new))
             for c in diff(old, new).changes]
    assert found == [("codes", "removed", "breaking", old.codes[0].code),
                     ("codes", "modified", "minor", old.codes[1].code),
                     ("codes", "added", "material", "J9999")]


def _code(value: object) -> str | None:
    return Code.model_validate(value).code if isinstance(value, dict) else None


def test_cosmetic_and_redline() -> None:
    assert normalize("Rituxan® (rituximab);  and") == normalize("rituxan (Rituximab) and")
    runs = [(r.op, r.text) for r in redline("no more than 12 months", "no more than 6 months")]
    assert runs == [("equal", "no more than"), ("delete", "12"), ("insert", "6"),
                    ("equal", "months")]


@pytest.mark.parametrize(("stem", "saves"), [
    ("uhc-comm-drug_botulinum-toxins-a-and-b_2026-01-01", ("379747bb", "8de6d64b")),
    ("cigna_rituximab-intravenous-products-for-non-oncology-in_2026-02-01",
     ("811f62a9", "a32038c9")),
])
def test_same_version_saved_twice_gives_nothing_above_cosmetic(
        stem: str, saves: tuple[str, str]) -> None:
    a, b = (rules(corpus_file(f"{stem}_{h}.pdf")) for h in saves)
    assert above_cosmetic(diff(a, b).changes) == []


def lemtrada_x() -> RuleSet:
    seed = SEEDS / "lemtrada-2025D0023X.md"
    if not seed.exists():
        pytest.skip(f"seed rendition not available ({seed})")
    return rules(seed)


def test_lemtrada_g35_split_by_the_fy2026_code_set_is_one_minor_split() -> None:
    changes = diff(lemtrada_x(), lemtrada())
    codes = [c for c in changes.changes if c.area == "codes"]
    assert [(c.kind, c.severity, c.old["code"], c.documented_by) for c in codes] == [
        ("split", "minor", "G35", "2025-10-01")]
    assert [c["code"] for c in codes[0].new] == [
        "G35.A", "G35.B0", "G35.B1", "G35.B2", "G35.C0", "G35.C1", "G35.C2", "G35.D"]
    assert codes[0].note == "code-set update"
    assert not [c for c in changes.changes if c.severity == "breaking"]
    assert not [c for c in changes.changes if c.area == "coverage"]
    assert [c.new["date"] for c in changes.changes if c.area == "revision_history"] == [
        "2025-10-01"]
    background = next(i for i, c in enumerate(changes.changes) if c.where == "Background")
    assert background in changes.undocumented
    assert changes.unmatched_claims == []
    assert changes.warnings == []


def test_lemtrada_rendition_differences_that_are_not_document_changes_are_cosmetic() -> None:
    # the Markdown rendition prints no line of business or policy type, and runs the Clinical
    # Evidence section into Benefit Considerations
    changes = diff(lemtrada_x(), lemtrada()).changes
    cosmetic = [(c.area, c.kind, c.where) for c in changes if c.severity == "cosmetic"]
    assert cosmetic == [("metadata", "modified", "line of business"),
                        ("metadata", "modified", "policy type"),
                        ("text", "moved", "Clinical Evidence")]
    benefit = next(c for c in changes if c.where == "Benefit Considerations")
    deleted = " ".join(r.text for r in benefit.redline if r.op == "delete")
    assert deleted.startswith("Benefit coverage for an otherwise unproven service")
    assert "Havrdova" not in deleted


def test_a_split_that_leaves_out_a_billable_child_is_breaking() -> None:
    old, new = lemtrada_x(), lemtrada()
    kept = [c for c in new.codes if c.code != "G35.B1"]
    changes = diff(old, new.model_copy(update={"codes": kept}))
    split = next(c for c in changes.changes if c.kind == "split")
    assert split.severity == "breaking" and split.note == "code-set update; not listed: G35.B1"


def test_revision_notes_without_a_change_and_changes_without_a_note() -> None:
    old = lemtrada()
    entry = old.revision_history[0]
    claim = entry.model_copy(update={"date": "2026-01-01", "date_text": "01/01/2026", "changes": [
        entry.changes[0].model_copy(update={"section": "Applicable Codes",
                                            "items": ["Added HCPCS code J9999"]})]})
    reworded = with_tree(old, lambda t: at(t, (1, 0, 1), lambda n: n.model_copy(update={
        "text": "Patient has never been treated with alemtuzumab before"})))
    new = reworded.model_copy(update={"revision_history": [claim, *old.revision_history]})
    changes = diff(old, new)
    assert [(c.date, c.item) for c in changes.unmatched_claims] == [
        ("01/01/2026", "Added HCPCS code J9999")]
    coverage = [i for i, c in enumerate(changes.changes) if c.area == "coverage"]
    assert coverage and coverage == changes.undocumented
