"""What a user waits for: fresh-process commands timed against references in the same run.

Usage: python benchmarks/startup.py ../shared/corpus [--rounds 5]

Each command and its reference run alternately in new processes; the medians are compared as
ratios, so a busy machine slows both sides alike:

- `policy-rules --help` against `python -c "import pdfplumber"`;
- `policy-rules extract` of a 3-page policy against a process that opens it with pdfplumber
  and reads its characters;
- `policy-rules diff` of two PDFs against pdfplumber reading both.

The reference index (ICD-10-CM, drug lexicon) is built before timing, as it is once per machine.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

READ_CHARS = ("import pdfplumber, sys\n"
              "for name in sys.argv[1:]:\n"
              "    with pdfplumber.open(name) as pdf:\n"
              "        sum(len(page.chars) for page in pdf.pages)\n")


def seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def compare(label: str, command: list[str], reference: list[str], rounds: int) -> float:
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(seconds(command))
        theirs.append(seconds(reference))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"{label:<28} {a:6.2f} s   reference {b:6.2f} s   ratio {a / b:5.2f}")
    return a / b


def three_page_policies(corpus: Path) -> list[Path]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [corpus / r["file"] for r in rows
            if r["file"].startswith("uhc-") and r["pages"] == "3"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tool = [sys.executable, "-m", "extractor"]
    small = three_page_policies(args.corpus)[:2]
    subprocess.run([*tool, "extract", str(small[0])], check=True, stdout=subprocess.DEVNULL)
    compare("--help", [*tool, "--help"], [sys.executable, "-c", "import pdfplumber"],
            args.rounds)
    compare(f"extract ({small[0].stat().st_size // 1024} KB, 3 pages)",
            [*tool, "extract", str(small[0])],
            [sys.executable, "-c", READ_CHARS, str(small[0])], args.rounds)
    compare("diff of two 3-page PDFs", [*tool, "diff", *map(str, small)],
            [sys.executable, "-c", READ_CHARS, *map(str, small)], args.rounds)


if __name__ == "__main__":
    main()
