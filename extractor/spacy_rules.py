"""spaCy's rule-based parts, imported without spaCy's command line.

``import spacy`` runs ``from .cli.info import info``, which loads the whole spaCy command line
(typer, weasel, httpx, requests): about 0.3-0.4 s of every fresh process, for a function a
pipeline built from rules never calls. While spaCy is first imported, ``spacy.cli`` is a stand-in
module whose ``info`` says so; the stand-in is then taken out of ``sys.modules``, so an explicit
``import spacy.cli`` later loads the real command line.

English's tokenizer is given its special cases on demand (SpecialCasesOnDemand).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

CLI_MODULES = ("spacy.cli", "spacy.cli.info")


def _cli_not_loaded(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("spacy.info is not loaded here: run `python -m spacy info`")


def _import_spacy() -> types.ModuleType:
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stand_ins = {name: types.ModuleType(name) for name in CLI_MODULES}
    stand_ins["spacy.cli.info"].info = _cli_not_loaded  # type: ignore[attr-defined]
    stand_ins["spacy.cli"].info = stand_ins["spacy.cli.info"]  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


spacy = _import_spacy()

from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.matcher import Matcher, PhraseMatcher  # noqa: E402
from spacy.tokenizer import Tokenizer  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.util import filter_spans  # noqa: E402


class SpecialCasesOnDemand:
    """A tokenizer given each of its special cases ("cannot", "e.g.", "8)") once a text holds it.

    spaCy's English tokenizer adds its 1,347 special cases one by one when it is built, a tenth
    of a second of every process, of which a policy's texts hold a few dozen. A special case
    applies only where its string occurs in the text, within one whitespace-delimited chunk (as
    the chunk, or as what is left once prefixes and suffixes are split off): a tokenizer that
    holds every special case its text contains tokenizes it as the one that holds them all.
    The few special cases that are whitespace are given from the start; a chunk is looked at
    once (policies repeat their words).
    """

    def __init__(self, tokenizer: Tokenizer, special_cases: Mapping[str, Any]) -> None:
        self.tokenizer = tokenizer
        self._pending = {key: cases for key, cases in special_cases.items()
                         if not any(c.isspace() for c in key)}
        self._longest = max(map(len, self._pending), default=0)
        self._seen: set[str] = set()
        for key in special_cases.keys() - self._pending.keys():
            tokenizer.add_special_case(key, special_cases[key])

    def __call__(self, text: str) -> Doc:
        self._give(text)
        doc: Doc = self.tokenizer(text)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        texts = list(texts)
        self._give(" ".join(texts))
        yield from self.tokenizer.pipe(texts, batch_size=batch_size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)

    def _give(self, text: str) -> None:
        for chunk in set(text.split()) - self._seen:
            self._seen.add(chunk)
            for key in _substrings(chunk, self._longest) & self._pending.keys():
                self.tokenizer.add_special_case(key, self._pending.pop(key))


def _substrings(text: str, longest: int) -> set[str]:
    return {text[i:j] for i in range(len(text))
            for j in range(i + 1, min(i + longest, len(text)) + 1)}


__all__ = ["STOP_WORDS", "Doc", "Language", "Matcher", "PhraseMatcher", "Span",
           "SpecialCasesOnDemand", "Tokenizer", "filter_spans", "spacy"]
