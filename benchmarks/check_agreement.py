"""`check` against an independent JSON Logic library, on random cases for every UHC rule file.

Usage: python -m benchmarks.check_agreement [../shared/corpus] [--rules DIR] [--cases 50]
                                           [--payer UnitedHealthcare]

For each PDF of the corpus whose MANIFEST.tsv payer is --payer, its rule file (from --rules DIR,
named like the PDF with .json, else read through the rule-file cache) is exported with
to_json_logic, and hypothesis draws --cases complete and --cases partial cases. On a complete
case `check` must decide every statement and panzi-json-logic must give its verdict; on a
partial case, JSON Logic is compared on the statements `check` decides. Prints the counts and
every disagreement; exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from extractor.cache import Reader, RuleCache
from extractor.errors import PolicyRulesError
from extractor.export_jsonlogic import to_json_logic
from extractor.model import RuleSet
from extractor.rulefile import json_to_ruleset
from tests.agreement import Tally, cases, compare, leaves_of

ROOT = Path(__file__).resolve().parent.parent


def corpus_rules(corpus: Path, rules_dir: Path | None, payer: str | None) -> list[RuleSet]:
    """The rule files of the corpus's documents (of one payer), in file order."""
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        rows = [r for r in csv.DictReader(manifest, delimiter="\t")
                if payer is None or r["payer"] == payer]
    reader = Reader(cache=RuleCache())
    found = []
    for row in sorted(rows, key=lambda r: r["file"]):
        saved = rules_dir / Path(row["file"]).with_suffix(".json").name if rules_dir else None
        try:
            found.append(json_to_ruleset(saved.read_bytes(), saved) if saved and saved.exists()
                         else reader.rules(corpus / row["file"]))
        except PolicyRulesError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
    return found


def agree(rules: RuleSet, count: int, complete: bool, tally: Tally) -> int:
    """Draw `count` cases and compare every statement; the number of cases drawn."""
    if not rules.coverage:
        return 0  # nothing to compare
    exported, leaves = to_json_logic(rules), leaves_of(rules)
    drawn = 0

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              derandomize=True,  # the same cases on every run: figures that can be reproduced
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data: st.DataObject) -> None:
        nonlocal drawn
        drawn += 1
        compare(rules, exported, data.draw(cases(leaves, complete)), complete, tally)

    run()
    return drawn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--rules", type=Path, help="a folder of the corpus's rule files")
    parser.add_argument("--cases", type=int, default=50,
                        help="per rule file: complete and partial, each")
    parser.add_argument("--payer", default="UnitedHealthcare", help="'' for every payer")
    args = parser.parse_args()
    start = time.perf_counter()
    files = corpus_rules(args.corpus, args.rules, args.payer or None)
    totals = {True: Tally(), False: Tally()}
    drawn = {True: 0, False: 0}
    for rules in files:
        for complete in (True, False):
            drawn[complete] += agree(rules, args.cases, complete, totals[complete])
    statements = sum(len(r.coverage) for r in files)
    print(f"{len(files)} rule files, {sum(1 for r in files if r.coverage)} with statements, "
          f"{statements} statements, "
          f"{time.perf_counter() - start:.0f} s")
    for complete, label in ((True, "complete"), (False, "partial")):
        tally = totals[complete]
        print(f"{label}: {drawn[complete]} cases, {tally.compared} statement verdicts compared, "
              f"{tally.undecided} left unknown by check, {len(tally.disagreements)} disagreements")
        for line in tally.disagreements[:20]:
            print(f"  {line[:300]}")
    return 1 if any(t.disagreements for t in totals.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
