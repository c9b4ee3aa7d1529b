"""The content-addressed cache of rule files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from extractor import pipeline
from extractor.cache import Reader, RuleCache
from extractor.model import RuleSet
from tests.conftest import SAMPLE

V1 = SAMPLE / "zentorimab-v1.pdf"


def test_a_second_read_of_the_same_content_comes_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = Reader(cache=RuleCache(tmp_path / "cache"))
    first = reader.rules(V1)
    copy = tmp_path / "renamed.pdf"
    shutil.copyfile(V1, copy)

    def no_extraction(path: Path, engine: str) -> RuleSet:
        raise AssertionError(f"{path} was extracted again")

    monkeypatch.setattr(pipeline, "extract", no_extraction)
    again = reader.rules(copy)
    assert again.source.file == "renamed.pdf"
    assert again.model_copy(update={"source": first.source}) == first


def test_other_content_or_engine_gets_another_key(tmp_path: Path) -> None:
    cache = RuleCache(tmp_path)
    data = V1.read_bytes()
    assert cache.key(data) == cache.key(bytes(data))
    assert cache.key(data) != cache.key(data + b"\n")
    assert cache.key(data, engine="pdfium") != cache.key(data, engine="pdfplumber")


def test_a_damaged_entry_is_read_anew(tmp_path: Path) -> None:
    reader = Reader(cache=RuleCache(tmp_path))
    rules = reader.rules(V1)
    [entry] = list(tmp_path.glob("*/*.json"))
    entry.write_text("{not json", encoding="utf-8")
    assert reader.rules(V1) == rules
    assert RuleSet.model_validate_json(entry.read_text(encoding="utf-8")) == rules


def test_trim_removes_the_least_recently_used_first(tmp_path: Path) -> None:
    cache = RuleCache(tmp_path, max_bytes=2500)
    entries = []
    for i, key in enumerate(("aa01", "bb02", "cc03")):
        path = tmp_path / key[:2] / f"{key}.json"
        path.parent.mkdir()
        path.write_text("x" * 1000)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
        entries.append(path)
    os.utime(entries[0])  # the oldest written, but just used
    cache.trim()
    assert [p.exists() for p in entries] == [True, False, True]


def test_each_engine_has_its_own_entries(tmp_path: Path) -> None:
    cache = RuleCache(tmp_path)
    Reader("pdfium", cache).rules(V1)
    assert Reader("pdfplumber", cache).known(V1) is None
    Reader("pdfplumber", cache).rules(V1)
    assert len(list(tmp_path.glob("*/*.json"))) == 2


def test_a_document_refused_once_is_refused_again_without_reading_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.errors import NotAPolicyError
    from tests import pdf_factory

    prose = pdf_factory.prose_pdf(tmp_path / "prose.pdf")
    reader = Reader(cache=RuleCache(tmp_path / "cache"))
    with pytest.raises(NotAPolicyError) as first:
        reader.rules(prose)

    def no_extraction(path: Path, *args: object) -> RuleSet:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(pipeline, "extract", no_extraction)
    with pytest.raises(NotAPolicyError) as again:
        reader.rules(prose)
    assert str(again.value) == str(first.value)
    with pytest.raises(NotAPolicyError):
        reader.known(prose)
