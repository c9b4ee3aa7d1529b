"""What a user waits for: fresh-process commands timed against references in the same run.

Usage: python benchmarks/startup.py ../shared/corpus [--rounds 5] [--jobs] [--engines]

Each command and its reference run alternately in new processes; the medians are compared as
ratios, so a busy machine slows both sides alike:

- `policy-rules --help` against `python -c "import pdfplumber"`;
- `policy-rules extract` of a 3-page policy against a process that opens it with pdfplumber
  and reads its characters;
- the floor of that extract: a process that only imports spaCy and builds the rule pipeline
  (what any extraction needs before its first criterion is read), against the same reference;
- `policy-rules diff` of the two versions of the shipped sample against pdfplumber reading both;
- a second `policy-rules extract DIR` of an unchanged folder against the first (the rule-file
  cache), in a cache directory of its own;
- with `--jobs`: `extract DIR --jobs 2` against `--jobs 1` (no cache), same output checked;
- with `--engines`: `extract DIR` of the same 30 PDFs with each engine, one and two jobs, no
  cache, against one process in which pdfplumber opens them and reads their characters.

The reference index (ICD-10-CM, drug lexicon) is built before timing, as it is once per machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extractor.reference import index_path

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample"
READ_CHARS = ("import pdfplumber, sys\n"
              "for name in sys.argv[1:]:\n"
              "    with pdfplumber.open(name) as pdf:\n"
              "        sum(len(page.chars) for page in pdf.pages)\n")
PIPELINE_ONLY = "from extractor.nlp import annotator; annotator()"


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


def linked_folder(pdfs: list[Path], root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    for pdf in pdfs:
        (folder / pdf.name).symlink_to(pdf.resolve())
    return folder


def extract_dir(tool: list[str], folder: Path, out: Path, *options: str,
                env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    # a document that is not a policy exits non-zero; the others are still written
    subprocess.run([*tool, "extract", str(folder), "-o", str(out), *options], check=False,
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def same_files(a: Path, b: Path) -> bool:
    return sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir()) and all(
        (a / f.name).read_bytes() == f.read_bytes() for f in b.iterdir())


def cached_rerun(tool: list[str], pdfs: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder, cache = linked_folder(pdfs, root), root / "cache"
        cache.mkdir()
        shutil.copy(index_path(), cache / index_path().name)  # built once per machine
        env = {**os.environ, "POLICY_RULES_CACHE": str(cache)}
        first = extract_dir(tool, folder, root / "first", env=env)
        second = extract_dir(tool, folder, root / "second", env=env)
        print(f"extract DIR ({len(pdfs)} PDFs)      first {first:6.2f} s   second {second:6.2f} s"
              f"   {first / second:5.1f}x faster, same output: "
              f"{same_files(root / 'first', root / 'second')}")


def jobs_speedup(tool: list[str], pdfs: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = linked_folder(pdfs, root)
        one = extract_dir(tool, folder, root / "one", "--no-cache", "--jobs", "1")
        two = extract_dir(tool, folder, root / "two", "--no-cache", "--jobs", "2")
        print(f"extract DIR ({len(pdfs)} PDFs)      --jobs 1 {one:6.2f} s   --jobs 2 {two:6.2f} s"
              f"   {one / two:4.2f}x faster, same output: "
              f"{same_files(root / 'one', root / 'two')}")


def engines(tool: list[str], pdfs: list[Path]) -> None:
    """extract DIR with each engine (one job, no cache) against pdfplumber reading the chars."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = linked_folder(pdfs, root)
        reference = seconds([sys.executable, "-c", READ_CHARS, *map(str, sorted(folder.iterdir()))])
        for engine in ("pdfium", "pdfplumber"):
            for jobs in ("1", "2"):
                took = extract_dir(tool, folder, root / f"{engine}{jobs}", "--no-cache",
                                   "--engine", engine, "--jobs", jobs)
                print(f"extract DIR ({len(pdfs)} PDFs) --engine {engine:<10} --jobs {jobs} "
                      f"{took:6.2f} s   reference {reference:6.2f} s   "
                      f"ratio {took / reference:5.2f}")


def three_page_policies(corpus: Path) -> list[Path]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [corpus / r["file"] for r in rows
            if r["file"].startswith("uhc-") and r["pages"] == "3"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", action="store_true", help="also time --jobs 2 against 1")
    parser.add_argument("--engines", action="store_true",
                        help="also time extract DIR with each engine against pdfplumber")
    args = parser.parse_args()
    tool = [sys.executable, "-m", "extractor"]
    small = three_page_policies(args.corpus)[:2]
    subprocess.run([*tool, "extract", str(small[0])], check=True, stdout=subprocess.DEVNULL)
    compare("--help", [*tool, "--help"], [sys.executable, "-c", "import pdfplumber"],
            args.rounds)
    compare(f"extract ({small[0].stat().st_size // 1024} KB, 3 pages)",
            [*tool, "extract", str(small[0])],
            [sys.executable, "-c", READ_CHARS, str(small[0])], args.rounds)
    compare("  floor: spaCy + pipeline", [sys.executable, "-c", PIPELINE_ONLY],
            [sys.executable, "-c", READ_CHARS, str(small[0])], args.rounds)
    versions = [str(SAMPLE / "zentorimab-v1.pdf"), str(SAMPLE / "zentorimab-v2.pdf")]
    compare("diff of two 4-page versions", [*tool, "diff", *versions],
            [sys.executable, "-c", READ_CHARS, *versions], args.rounds)
    uhc = sorted(p for p in args.corpus.glob("uhc-*.pdf"))
    sample = uhc[:: max(1, len(uhc) // 30)][:30]
    cached_rerun(tool, sample)
    if args.jobs:
        jobs_speedup(tool, sample)
    if args.engines:
        engines(tool, sample)


if __name__ == "__main__":
    main()
