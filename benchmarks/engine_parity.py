"""Do both PDF engines give the same rule files? The check before PDFium reads by default.

Usage: python -m benchmarks.engine_parity ../shared/corpus [--jobs 2] [--details FILE]
                                           [--only FILE_WITH_NAMES]

Extracts every corpus PDF with ``--engine pdfium`` and ``--engine pdfplumber`` and compares the
two rule files: identical bytes; different only in provenance boxes, each edge within
``BOX_TOLERANCE`` points (pdfminer accumulates a line's glyph advances and drifts from where
PDFium places the last glyph by up to ~0.6 pt); or different in substance, for which it prints the
rule-file paths and the first layout lines (text, bullet, level, box) that differ. Prints the
three counts and each engine's total time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from extractor.engines import ENGINES
from extractor.errors import PolicyRulesError
from extractor.layout.pdf import pdf_to_document
from extractor.pipeline import extract
from extractor.rulefile import ruleset_to_json

BOX_TOLERANCE = 1.0


def read(path: Path, engine: str) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        text = ruleset_to_json(extract(path, engine))  # type: ignore[arg-type]
    except PolicyRulesError as exc:
        text = f"error: {exc}"
    return text, time.perf_counter() - started


def compare(path: Path) -> dict[str, Any]:
    texts, seconds = {}, {}
    for engine in ENGINES:
        texts[engine], seconds[engine] = read(path, engine)
    found: dict[str, Any] = {"file": path.name, "seconds": seconds,
                             "same": texts["pdfium"] == texts["pdfplumber"]}
    if not found["same"]:
        differing = list(json_paths_differing(*(_load(texts[e]) for e in ENGINES)))
        found["boxes_only"] = all(_box_within_tolerance(d) for d in differing)
        found["rules"] = [d for d in differing if not _box_within_tolerance(d)][:20] or \
            differing[:5]
        found["lines"] = [] if found["boxes_only"] else line_differences(path)[:10]
    return found


def _box_within_tolerance(difference: str) -> bool:
    at, _, values = difference.partition(": pdfium ")
    if ".bbox[" not in at:
        return False
    a, _, b = values.partition(" | pdfplumber ")
    try:
        return abs(float(a) - float(b)) <= BOX_TOLERANCE
    except ValueError:
        return False


def _load(text: str) -> Any:
    return text if text.startswith("error:") else json.loads(text)


def json_paths_differing(a: Any, b: Any, at: str = "") -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            yield from json_paths_differing(a.get(key), b.get(key), f"{at}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from json_paths_differing(x, y, f"{at}[{i}]")
    elif a != b:
        yield f"{at}: pdfium {_short(a)} | pdfplumber {_short(b)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "..."


def line_differences(path: Path) -> list[str]:
    try:
        docs = [pdf_to_document(path, engine) for engine in ENGINES]  # type: ignore[arg-type]
    except PolicyRulesError as exc:
        return [f"error: {exc}"]
    keys = [[(x.page, x.text, x.bullet, x.level, x.bbox) for x in d.lines] for d in docs]
    out = []
    for a, b in zip(*keys, strict=False):
        if a != b:
            out.append(f"pdfium {a} | pdfplumber {b}")
    if len(keys[0]) != len(keys[1]):
        out.append(f"lines: pdfium {len(keys[0])}, pdfplumber {len(keys[1])}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--details", type=Path, help="Write every difference here (JSON).")
    parser.add_argument("--only", type=Path, help="A file of PDF names: compare only these.")
    args = parser.parse_args(argv)
    files = sorted(args.corpus.glob("*.pdf"))
    if args.only:
        wanted = set(args.only.read_text(encoding="utf-8").split())
        files = [f for f in files if f.name in wanted]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = []
        for r in pool.map(compare, files):
            results.append(r)
            if not r["same"] and not r["boxes_only"]:
                print(f"\n{r['file']}")
                for line in r["rules"][:5] + r["lines"][:3]:
                    print(f"  {line}")
            sys.stdout.flush()
    same = sum(r["same"] for r in results)
    boxes = sum(r.get("boxes_only", False) for r in results)
    totals = {e: sum(r["seconds"][e] for r in results) for e in ENGINES}
    print(f"\n{len(results)} PDFs: {same} identical rule files, {boxes} differing only in boxes "
          f"(each edge within {BOX_TOLERANCE} pt), {len(results) - same - boxes} differ in "
          "substance; " + ", ".join(f"{e} {t:.0f}s" for e, t in totals.items())
          + f" (pdfium/pdfplumber {totals['pdfium'] / totals['pdfplumber']:.2f})")
    if args.details:
        args.details.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
