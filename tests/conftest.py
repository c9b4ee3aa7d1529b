"""Shared fixtures: the real corpus (skipped when absent) and golden-file handling."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("POLICY_RULES_CORPUS", ROOT.parent / "shared" / "corpus"))
SEEDS = CORPUS.parent / "seeds"
SAMPLE = ROOT / "corpus" / "sample"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true",
        help="rewrite the golden files from the current output (refused under CI)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--update-golden") and os.environ.get("CI"):
        raise pytest.UsageError("--update-golden is refused under CI: golden files are reviewed")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def corpus_file(name: str) -> Path:
    """A real policy PDF from ../shared/corpus, or a skip when the corpus is not there."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"real corpus not available ({CORPUS}): tests on real PDFs skipped")
    return path
