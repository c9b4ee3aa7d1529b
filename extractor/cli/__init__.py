"""The policy-rules command line: the only package that prints, reads argv or exits.

`cli` is the click group; `main` runs it and turns library errors into one line and an exit
code. The commands live in modules by what they work on.
"""

from extractor.cli import archive, documents, rules  # noqa: F401 - each registers its commands
from extractor.cli.common import cli, main

__all__ = ["cli", "main"]
