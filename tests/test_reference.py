"""The reference index answers exactly as the packages it is built from."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest

from extractor import reference as ref

TEXT = ("Patient is not receiving Rituxan or Ocrevus in combination with cyclosporine, "
         "methoxy polyethylene glycol-epoetin beta, vitamin D, insulin glargine or IVIG; "
         "has tried methotrexate and Humira (adalimumab) for 12 weeks")
WORDS = TEXT.split()


def test_icd10_answers_as_simple_icd_10_cm() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as icd
    index = ref.reference()
    codes = icd.get_all_codes(True)[::37]
    probes = [*codes, *(c.replace(".", "") for c in codes), "G35", "G35A", "G350", "Z78.310",
              "g35", "A00-A09", "XYZ", "S72.001A", "S72001A"]
    for code in probes:
        item = index.icd10(code)
        assert (item is not None) == icd.is_valid_item(code), code
        if item is not None:
            assert (item.billable, item.description) == (icd.is_leaf(code),
                                                         icd.get_description(code)), code
    assert index.icd10_children("G35") == ["G35.A", "G35.B", "G35.C", "G35.D"]


def test_drug_lookup_finds_what_the_lexicon_finds() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from drug_named_entity_recognition import find_drugs

    want = [(d["name"], s, e) for d, s, e in find_drugs(WORDS, is_ignore_case=True)]
    got = [(entry.name, s, e) for entry, s, e in ref.find_drugs(WORDS)]
    assert got == want
    assert ("Rituximab", 4, 5) in got and ("Methotrexate", 23, 24) in got


def test_index_is_built_once_then_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ref.CACHE_ENV, str(tmp_path))
    ref.reference.cache_clear()
    try:
        index = ref.reference()
        path = ref.index_path()
        assert path.parent == tmp_path and path.exists()
        assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary left behind
        assert index.icd10("G35.A") is not None
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM icd10").fetchone()[0] > 90_000
    finally:
        ref.reference.cache_clear()


def test_unwritable_cache_builds_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(ref.CACHE_ENV, str(blocker / "cache"))
    ref.reference.cache_clear()
    try:
        assert ref.reference().icd10("G35") is not None
    finally:
        ref.reference.cache_clear()
