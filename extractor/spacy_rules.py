"""spaCy's rule-based parts, imported without spaCy's command line.

``import spacy`` runs ``from .cli.info import info``, which loads the whole spaCy command line
(typer, weasel, httpx, requests): about 0.3-0.4 s of every fresh process, for a function a
pipeline built from rules never calls. While spaCy is first imported, ``spacy.cli`` is a stand-in
module whose ``info`` says so; the stand-in is then taken out of ``sys.modules``, so an explicit
``import spacy.cli`` later loads the real command line.
"""

from __future__ import annotations

import sys
import types
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

from spacy.language import Language  # noqa: E402
from spacy.matcher import Matcher, PhraseMatcher  # noqa: E402
from spacy.tokenizer import Tokenizer  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.util import filter_spans  # noqa: E402

__all__ = ["Doc", "Language", "Matcher", "PhraseMatcher", "Span", "Tokenizer", "filter_spans",
           "spacy"]
