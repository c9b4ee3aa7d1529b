"""Code-table changes that know the code sets, on the real Lemtrada code tables."""

from __future__ import annotations

from extractor.diff import diff
from extractor.model import RevisionChange
from tests.test_diff import lemtrada


def test_a_description_the_code_set_renamed_is_a_code_set_update_not_a_removal() -> None:
    new = lemtrada()
    old_codes = [c.model_copy(update={"description": "Relapsing remitting MS"})
                 if c.code == "G35.A" else c for c in new.codes]
    changes = diff(new.model_copy(update={"codes": old_codes}), new).changes
    assert [(c.kind, c.severity, c.where, c.note) for c in changes] == [
        ("modified", "minor", "ICD-10-CM G35.A", "code-set update")]


def test_a_hcpcs_replacement_the_revision_history_states_is_one_replaced_change() -> None:
    new = lemtrada()
    entry = new.revision_history[0]
    note = RevisionChange(section="Applicable Codes",
                          items=["Replaced HCPCS code J0202 with J9999"])
    codes = [c.model_copy(update={"code": "J9999"}) if c.code == "J0202" else c
             for c in new.codes]
    new = new.model_copy(update={"codes": codes, "revision_history": [
        entry.model_copy(update={"changes": [note]}), *new.revision_history[1:]]})
    old = lemtrada().model_copy(update={"revision_history": lemtrada().revision_history[1:]})
    found = [(c.kind, c.severity, c.old["code"], c.new["code"], c.documented_by)
             for c in diff(old, new).changes if c.area == "codes"]
    assert found == [("replaced", "minor", "J0202", "J9999", "2025-10-01")]


def test_a_code_added_without_a_stated_replacement_stays_removed_and_added() -> None:
    old = lemtrada()
    codes = [c.model_copy(update={"code": "J9999", "description": "Injection, other drug"})
             if c.code == "J0202" else c for c in old.codes]
    found = [(c.kind, c.severity) for c in diff(old, old.model_copy(
        update={"codes": codes})).changes if c.area == "codes"]
    assert found == [("removed", "breaking"), ("added", "material")]


def test_a_continuation_page_code_table_keeps_its_label() -> None:
    old = lemtrada()
    extra = old.codes[0].model_copy(update={"code": "J9256", "table": "", "page": 8})
    changes = diff(old, old.model_copy(update={"codes": [*old.codes, extra]})).changes
    assert [(c.kind, c.where) for c in changes] == [("added", "HCPCS Code")]


def test_the_same_description_under_a_new_code_is_one_replaced_change() -> None:
    # FcRn blockers 2026-01-01: "Added J9256; Removed C9305", the temporary code made permanent
    old = lemtrada()
    codes = [c.model_copy(update={"code": "C9399"}) if c.code == "J0202" else c
             for c in old.codes]
    found = [(c.kind, c.severity, c.old["code"], c.new["code"], c.note)
             for c in diff(old.model_copy(update={"codes": codes}), old).changes]
    assert found == [("replaced", "minor", "C9399", "J0202",
                      "the same description under a new code")]
