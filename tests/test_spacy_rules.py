"""spaCy's rule components load without spaCy's command line, which stays importable."""

from __future__ import annotations

import subprocess
import sys

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
