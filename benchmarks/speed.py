"""How much time the pipeline adds to pdfplumber's own reading of the characters.

Usage: python benchmarks/speed.py ../shared/corpus [--files 30]

For each of the first N PDFs (sorted by name, UnitedHealthcare only when a MANIFEST.tsv says so),
in one run: the time pdfplumber takes to open the file and read page.chars of every page, and
the time extract() takes for the whole pipeline on the same file. Each is the best of --repeat
runs. Prints both totals and the ratio of the pipeline's extra time to pdfplumber's time.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

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
    args = parser.parse_args()
    base = pipe = 0.0
    files = pick(args.corpus, args.files)
    for path in files:
        b = best_of(args.repeat, read_chars, path)
        p = best_of(args.repeat, extract, path)
        base, pipe = base + b, pipe + p
        print(f"{path.name[:60]:<60} chars {b:6.2f}s  pipeline {p:6.2f}s  x{p / b:.2f}")
    print(f"{len(files)} files: pdfplumber chars {base:.1f}s, pipeline {pipe:.1f}s, "
          f"pipeline adds {100 * (pipe - base) / base:.1f}% (ratio {pipe / base:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
