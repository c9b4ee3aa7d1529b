"""The pipeline's time against pdfplumber's own reading of the characters, in one process.

Usage: python benchmarks/speed.py ../shared/corpus [--files 30] [--engine pdfium|pdfplumber]

For each of the first N PDFs (sorted by name, UnitedHealthcare only when a MANIFEST.tsv says so),
in one run: the time pdfplumber takes to open the file and read page.chars of every page, and
the time extract() takes for the whole pipeline on the same file with the given engine. Each is
the best of --repeat runs. Prints both totals and their ratio.
"""

from __future__ import annotations

import argparse
import csv
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from extractor.engines import DEFAULT_ENGINE, ENGINES
from extractor.pipeline import extract


def read_chars(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars  # noqa: B018


def best_of(repeat: int, fn: Callable[[Path], object], path: Path) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - start)
    return min(times)


def pick(corpus: Path, count: int) -> list[Path]:
    manifest = corpus / "MANIFEST.tsv"
    if manifest.exists():
        with manifest.open(encoding="utf-8") as handle:
            rows = csv.DictReader(handle, delimiter="\t")
            names = sorted(r["file"] for r in rows if r["payer"] == "UnitedHealthcare")
        return [corpus / n for n in names][:count]
    return sorted(corpus.glob("*.pdf"))[:count]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE)
    args = parser.parse_args()
    pipeline = functools.partial(extract, engine=args.engine)
    base = pipe = 0.0
    files = pick(args.corpus, args.files)
    for path in files:
        b = best_of(args.repeat, read_chars, path)
        p = best_of(args.repeat, pipeline, path)
        base, pipe = base + b, pipe + p
        print(f"{path.name[:60]:<60} chars {b:6.2f}s  pipeline {p:6.2f}s  x{p / b:.2f}")
    print(f"{len(files)} files: pdfplumber chars {base:.1f}s, pipeline ({args.engine}) "
          f"{pipe:.1f}s, ratio {pipe / base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
