"""Score the policy-level drug lists against hand-made gold lists.

Usage: python benchmarks/drug_accuracy.py ../shared/corpus [--gold benchmarks/gold/drugs.json]

The gold lists (benchmarks/gold/drugs.json) were written by reading each policy's Coverage
Rationale on the page. Names are compared as the rule file writes them: the lexicon's
canonical generic name (salts and spellings folded, "cyclosporin a" is cyclosporine) without a
biosimilar's suffix, case-, mark- and Greek-letter-insensitively; brands as (generic, brand)
pairs. Prints precision, recall and F1 overall, the misses and extras per document, and the
count of drugs per role.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

from extractor.drug_names import fold_greek
from extractor.drugs import canonical
from extractor.pipeline import extract

GOLD = Path(__file__).parent / "gold" / "drugs.json"


def norm(name: str) -> str:
    name = canonical(fold_greek(unicodedata.normalize("NFKC", name)).lower())[0]
    name = fold_greek(name).lower()
    return re.sub(r"[\s\-]+", " ", re.sub(r"[®™©*]", "", name)).strip()


def f1(tp: int, got: int, want: int) -> tuple[float, float, float]:
    precision = tp / got if got else 1.0
    recall = tp / want if want else 1.0
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args()
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    counts = {"names": [0, 0, 0], "brands": [0, 0, 0]}
    roles: Counter[str] = Counter()
    for file, entry in sorted(gold.items()):
        rules = extract(args.corpus / file)
        roles.update(d.role for d in rules.drugs)
        want = {norm(d["name"]) for d in entry["drugs"]}
        got = {norm(d.name) for d in rules.drugs}
        want_b = {(norm(d["name"]), norm(b)) for d in entry["drugs"] for b in d["brands"]}
        got_b = {(norm(d.name), norm(b)) for d in rules.drugs for b in d.brands}
        for key, w, g in (("names", want, got), ("brands", want_b, got_b)):
            counts[key][0] += len(w & g)
            counts[key][1] += len(g)
            counts[key][2] += len(w)
        p, r, f = f1(len(want & got), len(got), len(want))
        print(f"{file}: {len(want)} drugs, P {p:.2f} R {r:.2f} F1 {f:.2f}")
        if want - got:
            print(f"  missed: {', '.join(sorted(want - got))}")
        if got - want:
            print(f"  extra:  {', '.join(sorted(got - want))}")
    print("roles: " + ", ".join(f"{r} {n}" for r, n in sorted(roles.items())))
    for key, (tp, got_n, want_n) in counts.items():
        p, r, f = f1(tp, got_n, want_n)
        print(f"{key}: {want_n} in gold, {got_n} found, {tp} right: "
              f"precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")


if __name__ == "__main__":
    main()
