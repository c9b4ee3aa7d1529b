"""spaCy's rule components load without spaCy's command line, which stays importable."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

PROBE = """
import sys
import extractor.nlp
print(sorted(m for m in ("weasel", "typer", "httpx", "spacy.cli") if m in sys.modules))
import spacy.cli
print(callable(spacy.cli.setup_cli), spacy.cli.info.__module__)
"""


def test_the_pipeline_loads_without_spacy_command_line_and_it_still_imports() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          check=True)
    loaded, real_cli = done.stdout.splitlines()
    assert loaded == "[]"
    assert real_cli == "True spacy.cli.info"


# Special cases of every kind, in the places spaCy applies them: a whole chunk, a chunk with
# prefixes and suffixes split off, several in one chunk, and strings that only contain one.
TEXTS = [
    "Patients who cannot tolerate it, e.g. those who don't respond (i.e., after 8) doses).",
    "a. Dr. Smith's note: <3 months, vs. 4 wks; C++ and :) and o.O aren't codes",
    "ANC ≥1,000/mm3 at 10a.m. (Jan. 5th) — y'all shouldn't've; Inc. Ltd. etc.",
    "\"ol' man\" isn't; youll wont; it's 8-) or :-( https://example.com/a.b?c=d",
    "cannot", "e.g.", "(e.g.", "e.g.,", "don't.", "Mt.Sinai",
]


def test_special_cases_given_on_demand_tokenize_as_all_of_them() -> None:
    from extractor.nlp import _policy_english
    from extractor.spacy_rules import SpecialCasesOnDemand, spacy

    exceptions = spacy.util.get_lang_class("en").Defaults.tokenizer_exceptions
    language = _policy_english()
    on_demand = SpecialCasesOnDemand(language().tokenizer, exceptions)
    full = language().tokenizer
    full.rules = exceptions  # what English builds when it is made

    def tokens(docs: Iterable[Doc]) -> list[list[tuple[str, str, str]]]:
        return [[(t.text, t.whitespace_, t.norm_) for t in doc] for doc in docs]

    assert len(on_demand.rules) < 10 and len(full.rules) == len(exceptions)
    assert tokens(on_demand.pipe(TEXTS[:2])) == tokens(full.pipe(TEXTS[:2]))
    assert tokens(on_demand(t) for t in TEXTS[2:]) == tokens(full(t) for t in TEXTS[2:])
    assert [t.text for t in on_demand("cannot")] == ["can", "not"]
