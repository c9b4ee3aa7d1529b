"""Extract every PDF of a corpus folder and score metadata against its MANIFEST.tsv.

Usage: python benchmarks/corpus_report.py ../shared/corpus [--out report.tsv] [--jobs 2]

Prints one summary per payer and names every document where something is missing.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extractor.errors import PolicyRulesError
from extractor.model import Criterion
from extractor.pipeline import extract

FIELDS = ("number", "title", "effective_date")


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return " ".join(text.replace("®", "").replace("™", "").lower().split())


def one(args: tuple[Path, dict[str, str]]) -> dict[str, object]:
    path, row = args
    start = time.perf_counter()
    try:
        rules = extract(path)
    except PolicyRulesError as exc:
        return {"file": path.name, "payer": row["payer"], "error": str(exc)}
    got = {"number": rules.policy.number, "title": rules.policy.title,
           "effective_date": rules.policy.effective_date}
    want = {"number": row["policy_number"], "title": row["title"],
            "effective_date": row["effective_date"]}
    return {
        "file": path.name, "payer": row["payer"], "error": "",
        "seconds": round(time.perf_counter() - start, 2),
        **{f"{k}_ok": norm(got[k]) == norm(want[k]) for k in FIELDS},
        **{f"{k}_got": got[k] or "" for k in FIELDS},
        **{f"{k}_want": want[k] for k in FIELDS},
        "sections": len(rules.sections),
        "statements": len(rules.coverage),
        "nodes": sum(count_nodes(s.criteria) for s in rules.coverage if s.criteria),
        "codes": len(rules.codes),
        "history": len(rules.revision_history),
        "has_code_section": any(s.title.startswith("Applicable Codes") for s in rules.sections),
        "issues": ",".join(sorted(i.kind for i in rules.issues)),
        "history_rows_dated": all(e.date for e in rules.revision_history),
    }


def count_nodes(node: Criterion) -> int:
    return 1 + sum(count_nodes(child) for child in node.children)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=Path("corpus_report.tsv"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with (args.corpus / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    work = [(args.corpus / r["file"], r) for r in rows]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(one, work))
    write(results, args.out)
    summarize([r for r in results if r["payer"] == "UnitedHealthcare"])
    return 0


def write(results: list[dict[str, object]], out: Path) -> None:
    keys = sorted({k for r in results for k in r})
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, keys, delimiter="\t")
        writer.writeheader()
        writer.writerows(results)


def summarize(results: list[dict[str, object]]) -> None:
    ok = [r for r in results if not r["error"]]
    print(f"UnitedHealthcare documents: {len(results)}, extracted: {len(ok)}")
    for field in FIELDS:
        hits = sum(1 for r in ok if r[f"{field}_ok"])
        print(f"  {field}: {hits}/{len(ok)} agree with MANIFEST")
    print(f"  with sections: {sum(1 for r in ok if r['sections'])}")
    print(f"  with codes: {sum(1 for r in ok if r['codes'])} "
          f"(Applicable Codes section: {sum(1 for r in ok if r['has_code_section'])})")
    print(f"  with revision history: {sum(1 for r in ok if r['history'])}")
    drug = [r for r in ok if r["file"].startswith("uhc-comm-drug_")]
    print(f"  drug policies: {len(drug)}, statements "
          f"{sum(int(str(r['statements'])) for r in drug)}, criteria nodes "
          f"{sum(int(str(r['nodes'])) for r in drug)}, with no statement "
          f"{sum(1 for r in drug if not r['statements'])}")
    print(f"  codes: {sum(int(str(r['codes'])) for r in ok)}, "
          f"revision entries: {sum(int(str(r['history'])) for r in ok)}")
    kinds = Counter(k for r in ok for k in str(r["issues"]).split(",") if k)
    print("  issues: " + (", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none"))
    for r in results:
        problems = [f for f in FIELDS if not r["error"] and not r[f"{f}_ok"]]
        if r["error"]:
            print(f"  ERROR {r['file']}: {r['error']}")
        elif problems or not r["codes"] or not r["history"]:
            detail = "; ".join(f"{f}: got {r[f + '_got']!r} want {r[f + '_want']!r}"
                               for f in problems)
            print(f"  {r['file']}: codes={r['codes']} history={r['history']} {detail}")


if __name__ == "__main__":
    sys.exit(main())
