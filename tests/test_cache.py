"""The content-addressed cache of rule files."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extractor.cache import Reader, RuleCache
from extractor.cli import cli
from extractor.layout import Document, read
from extractor.model import RuleSet
from extractor.reference import CACHE_ENV, index_path, reference
from extractor.rulefile import RuleFile, ruleset_to_json
from tests.conftest import SAMPLE

V1 = SAMPLE / "zentorimab-v1.pdf"
# extract DIR in a fresh process, then the heavy modules it imported
HEAVY = ("spacy", "pydantic", "pypdfium2", "pdfplumber", "pdfminer", "yaml", "extractor.pipeline",
         "extractor.model", "extractor.nlp", "extractor.layout")
PROBE = f"""
import atexit, runpy, sys
sys.argv = ["policy-rules", *sys.argv[1:]]
atexit.register(lambda: print(sorted(m for m in {HEAVY!r} if m in sys.modules)))
runpy.run_module("extractor", run_name="__main__")
"""


def test_a_second_read_of_the_same_content_comes_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = Reader(cache=RuleCache(tmp_path / "cache"))
    first = reader.rules(V1)
    copy = tmp_path / "renamed.pdf"
    shutil.copyfile(V1, copy)

    def no_extraction(path: Path, *args: object) -> RuleSet:
        raise AssertionError(f"{path} was extracted again")

    monkeypatch.setattr(read, "bytes_to_document", no_extraction)
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


def test_an_entry_changed_into_another_valid_rule_file_is_read_anew(tmp_path: Path) -> None:
    reader = Reader(cache=RuleCache(tmp_path))
    rules = reader.rules(V1)
    [entry] = list(tmp_path.glob("*/*.json"))
    kept = json.loads(entry.read_text(encoding="utf-8"))
    kept["policy"]["title"] = "Something else"
    entry.write_text(json.dumps(kept), encoding="utf-8")  # still a valid rule file
    assert reader.rules(V1) == rules
    assert entry.read_text(encoding="utf-8") == ruleset_to_json(rules)


def test_an_entry_without_its_seal_is_read_anew(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = Reader(cache=RuleCache(tmp_path))
    rules = reader.rules(V1)
    [seal] = list(tmp_path.glob("*/*.sha256"))
    seal.unlink()
    parse, marker = read.bytes_to_document, tmp_path / "read"

    def reading(path: Path, *args: Any) -> Document:
        marker.write_text(path.name)  # read in a child process: told through a file
        return parse(path, *args)

    monkeypatch.setattr(read, "bytes_to_document", reading)
    assert reader.rules(V1) == rules
    assert marker.read_text() == V1.name and seal.exists()


def test_a_hit_is_the_text_kept_and_a_renamed_copy_names_itself(tmp_path: Path) -> None:
    reader = Reader(cache=RuleCache(tmp_path / "cache"))
    rules = reader.rules(V1)
    assert reader.rule_file(V1).text == ruleset_to_json(rules)
    copy = tmp_path / "renamed.pdf"
    shutil.copyfile(V1, copy)
    renamed = rules.model_copy(update={"source": rules.source.model_copy(
        update={"file": "renamed.pdf"})})
    assert reader.rule_file(copy).text == ruleset_to_json(renamed)
    assert reader.rule_file(V1).text == ruleset_to_json(rules)  # the entry still names V1


def test_a_rule_file_travels_as_its_text_and_reads_back_the_same(tmp_path: Path) -> None:
    rules = Reader().rules(V1)
    sent = pickle.loads(pickle.dumps(RuleFile(text=ruleset_to_json(rules))))
    assert sent.rules == rules
    fresh = RuleFile(rules=rules)
    assert pickle.loads(pickle.dumps(fresh)).text == ruleset_to_json(rules)
    assert fresh.text == ruleset_to_json(rules)
    assert len(pickle.dumps(fresh)) < len(fresh.text) + 200  # the text alone, once it is made


def test_a_folder_read_again_is_written_from_the_cache_byte_for_byte_without_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in ("zentorimab-v1.pdf", "zentorimab-v2.pdf"):
        shutil.copyfile(SAMPLE / pdf, folder / pdf)
    reference()  # the index this process has open, before the cache moves
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy(index_path(), cache / index_path().name)
    monkeypatch.setenv(CACHE_ENV, str(cache))

    def written(out: str, *options: str) -> dict[str, bytes]:
        result = CliRunner().invoke(cli, ["extract", str(folder), "-o", str(tmp_path / out),
                                          *options])
        assert result.exit_code == 0, result.output
        return {p.name: p.read_bytes() for p in sorted((tmp_path / out).iterdir())}

    fresh = written("fresh", "--no-cache")
    assert list(cache.glob("rules/*/*.json")) == []
    assert written("first") == fresh
    assert len(list(cache.glob("rules/*/*.json"))) == 2
    again = subprocess.run(
        [sys.executable, "-c", PROBE, "extract", str(folder), "-o", str(tmp_path / "again")],
        capture_output=True, text=True, check=True, env=os.environ | {CACHE_ENV: str(cache)})
    assert again.stdout.strip() == "[]", again.stderr
    assert {p.name: p.read_bytes() for p in sorted((tmp_path / "again").iterdir())} == fresh


def test_trim_removes_the_least_recently_used_first(tmp_path: Path) -> None:
    cache = RuleCache(tmp_path, max_bytes=2500)
    entries = []
    for i, key in enumerate(("aa01", "bb02", "cc03")):
        path = tmp_path / key[:2] / f"{key}.json"
        path.parent.mkdir()
        path.write_text("x" * 1000)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
        entries.append(path)
    seals = [path.with_suffix(".sha256") for path in entries]
    for seal in seals:
        seal.write_text("{}")
    os.utime(entries[0])  # the oldest written, but just used
    cache.trim()
    assert [p.exists() for p in entries] == [True, False, True]
    assert [p.exists() for p in seals] == [True, False, True]  # a seal goes with its entry


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

    monkeypatch.setattr(read, "bytes_to_document", no_extraction)
    with pytest.raises(NotAPolicyError) as again:
        reader.rules(prose)
    assert str(again.value) == str(first.value)
    with pytest.raises(NotAPolicyError):
        reader.known(prose)
