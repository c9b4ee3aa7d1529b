"""How closely the PDFium reader reproduces pdfplumber's page objects, and how much faster it is.

Usage: python -m benchmarks.pdfium_parity ../shared/corpus [--limit 30] [--show 20]

For every UnitedHealthcare PDF (or --limit of them, spread evenly over the sorted list), reads
each page with pdfplumber and with extractor.layout.pdfium, pairs the characters page by page
(in order, aligned on rounded position), and prints the share of pdfplumber's characters paired
and, of the paired ones, the share with equal text, font name, size (±0.01), box (every edge
within 0.05 pt) and fill colour; the share of pdfplumber's rects, filled curves and images with a
PDFium twin (same kind, edges within 0.05 pt, same fill); and each engine's reading time.
--show prints up to that many examples of each kind of difference.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pdfplumber

from extractor.layout.pdfium import open_pdfium

Obj = dict[str, Any]
BOX_TOLERANCE = 0.05
SIZE_TOLERANCE = 0.01
EDGES = ("x0", "x1", "top", "bottom")
CHAR_CHECKS = ("text", "fontname", "size", "box", "fill colour", "upright")
SHAPES = ("rects", "curves", "images")


class Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: defaultdict[str, list[str]] = defaultdict(list)
        self.seconds: Counter[str] = Counter()

    def note(self, kind: str, example: str, show: int) -> None:
        if len(self.examples[kind]) < show:
            self.examples[kind].append(example)


def pick(corpus: Path, limit: int | None) -> list[Path]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        names = sorted(r["file"] for r in rows if r["payer"] == "UnitedHealthcare")
    if limit is not None and limit < len(names):
        names = [names[i * len(names) // limit] for i in range(limit)]
    return [corpus / n for n in names]


def plumber_pages(path: Path) -> Iterator[Obj]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            yield {"chars": page.chars, "rects": page.rects, "curves": page.curves,
                   "images": page.images, "page_number": page.page_number}
            page.close()


def pdfium_pages(path: Path) -> Iterator[Obj]:
    with open_pdfium(path) as pdf:
        for page in pdf.iter_pages():
            yield {"chars": page.chars, "rects": page.rects, "curves": page.curves,
                   "images": page.images, "page_number": page.page_number}


def timed(pages: Iterator[Obj], tally: Tally, engine: str) -> list[Obj]:
    start = time.perf_counter()
    result = list(pages)
    tally.seconds[engine] += time.perf_counter() - start
    return result


def pair_chars(ours: Sequence[Obj], theirs: Sequence[Obj]) -> Iterator[tuple[Obj, Obj]]:
    """Align the two sequences on rounded positions; equal-length replaced runs pair in order."""
    def keys(chars: Sequence[Obj]) -> list[tuple[int, int]]:
        return [(round(c["x0"]), round(c["top"])) for c in chars]

    matcher = SequenceMatcher(None, keys(theirs), keys(ours), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            yield from zip(theirs[i1:i2], ours[j1:j2], strict=True)


def compare_chars(theirs: Obj, ours: Obj) -> dict[str, bool]:
    return {
        "text": theirs["text"] == ours["text"],
        "fontname": theirs["fontname"] == ours["fontname"],
        "size": abs(theirs["size"] - ours["size"]) <= SIZE_TOLERANCE,
        "box": all(abs(theirs[k] - ours[k]) <= BOX_TOLERANCE for k in EDGES),
        "fill colour": _colour(theirs) == _colour(ours),
        "upright": theirs["upright"] == ours["upright"],
    }


def _colour(obj: Obj) -> tuple[float, ...]:
    value = obj.get("non_stroking_color")
    values = value if isinstance(value, (tuple, list)) else (value,)
    return tuple(round(float(v), 3) if isinstance(v, (int, float)) else -1.0 for v in values)


def describe(c: Obj) -> str:
    box = ", ".join(f"{c[k]:.3f}" for k in EDGES)
    return (f"{c['text']!r} {c['fontname']} size {c['size']:.3f} [{box}] "
            f"colour {c.get('non_stroking_color')}")


def compare_page(theirs: Obj, ours: Obj, label: str, tally: Tally, show: int) -> None:
    tally.counts["pages"] += 1
    tally.counts["chars"] += len(theirs["chars"])
    tally.counts["pdfium chars"] += len(ours["chars"])
    paired = list(pair_chars(ours["chars"], theirs["chars"]))
    tally.counts["paired"] += len(paired)
    for a, b in paired:
        for check, equal in compare_chars(a, b).items():
            tally.counts[check] += equal
            if not equal:
                tally.note(check, f"{label}: {describe(a)}\n        pdfium: {describe(b)}", show)
    _note_unpaired(theirs["chars"], ours["chars"], paired, label, tally, show)
    for kind in SHAPES:
        _compare_shapes(kind, theirs[kind], ours[kind], label, tally, show)


def _note_unpaired(theirs: list[Obj], ours: list[Obj], paired: list[tuple[Obj, Obj]],
                   label: str, tally: Tally, show: int) -> None:
    used_a, used_b = {id(a) for a, _ in paired}, {id(b) for _, b in paired}
    for c in theirs:
        if id(c) not in used_a:
            tally.note("unpaired pdfplumber char", f"{label}: {describe(c)}", show)
    for c in ours:
        if id(c) not in used_b:
            tally.note("unpaired pdfium char", f"{label}: {describe(c)}", show)


def _compare_shapes(kind: str, theirs: list[Obj], ours: list[Obj], label: str,
                    tally: Tally, show: int) -> None:
    if kind == "curves":  # the layout reads filled curves only (vector bullets)
        theirs = [o for o in theirs if o.get("fill")]
        ours = [o for o in ours if o.get("fill")]
    left = list(ours)
    tally.counts[kind] += len(theirs)
    tally.counts[f"pdfium {kind}"] += len(ours)
    for obj in theirs:
        twin = next((o for o in left if _same_shape(obj, o)), None)
        if twin is None:
            tally.note(f"unmatched {kind}", f"{label}: {_shape(obj)}", show)
            continue
        left.remove(twin)
        tally.counts[f"{kind} matched"] += 1
    for obj in left:
        tally.note(f"extra pdfium {kind}", f"{label}: {_shape(obj)}", show)


def _same_shape(a: Obj, b: Obj) -> bool:
    return (all(abs(a[k] - b[k]) <= BOX_TOLERANCE for k in EDGES)
            and bool(a.get("fill")) == bool(b.get("fill")))


def _shape(o: Obj) -> str:
    return " ".join(f"{k}={o[k]:.2f}" for k in EDGES) + f" fill={o.get('fill')}"


def report(tally: Tally, files: int) -> str:
    n = tally.counts
    out = [f"{files} PDFs, {n['pages']} pages, {n['chars']} pdfplumber chars, "
           f"{n['pdfium chars']} PDFium chars"]
    out.append(f"  chars paired     {_pct(n['paired'], n['chars'])}")
    for check in CHAR_CHECKS:
        out.append(f"  {check + ' equal':<16} {_pct(n[check], n['paired'])}")
    for kind in SHAPES:
        out.append(f"  {kind + ' matched':<16} {_pct(n[f'{kind} matched'], n[kind])}"
                   f"  ({n[kind]} pdfplumber, {n[f'pdfium {kind}']} PDFium)")
    plumber, ours = tally.seconds["pdfplumber"], tally.seconds["pdfium"]
    out.append(f"  time: pdfplumber {plumber:.1f} s ({1000 * plumber / max(n['pages'], 1):.0f}"
               f" ms/page), PDFium {ours:.1f} s ({1000 * ours / max(n['pages'], 1):.0f} ms/page),"
               f" {plumber / max(ours, 1e-9):.1f}x faster")
    for kind, examples in sorted(tally.examples.items()):
        out.append(f"\n{kind}:")
        out.extend(f"  {e}" for e in examples)
    return "\n".join(out)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:8.3f} %  ({whole - part} differ)" if whole else "     n/a"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder of PDFs with a MANIFEST.tsv")
    parser.add_argument("--limit", type=int, help="read this many PDFs, spread over the list")
    parser.add_argument("--show", type=int, default=5, help="examples of each difference")
    args = parser.parse_args(argv)
    files = pick(args.corpus, args.limit)
    tally = Tally()
    for path in files:
        theirs = timed(plumber_pages(path), tally, "pdfplumber")
        ours = timed(pdfium_pages(path), tally, "pdfium")
        if len(theirs) != len(ours):
            tally.note("page count", f"{path.name}: {len(theirs)} vs {len(ours)}", args.show)
        for a, b in zip(theirs, ours, strict=False):
            compare_page(a, b, f"{path.name} p{a['page_number']}", tally, args.show)
    print(report(tally, len(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
