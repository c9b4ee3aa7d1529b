"""Account for every printed item of the Coverage Rationale of every UHC policy in a corpus.

Usage: python -m benchmarks.coverage_accounting ../shared/corpus [--cache /tmp/doccache]

Each item the Coverage Rationale prints (a paragraph or list item, as `lines_to_items` joins
its lines; stand-alone "and"/"or" connectors aside) must end up in exactly one place: a node of
a coverage tree or a statement's own text, a non-criterion block of `coverage_notes`, or an
`unplaced_item` issue. An item in none of them is dropped silently. Items are matched to what
the rule file holds by where they are printed (page and bounding box), not by their text.

--cache reads the layout of each PDF from `<cache>/<pdf name>.pkl` (a pickled
`(Document, sha256)`) instead of extracting it, and writes it there when it is missing: clear
the folder after a change to the layout code. Documents are read one after the other.

Example:
    python -m benchmarks.coverage_accounting ../shared/corpus --cache /tmp/doccache
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import pickle
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractor.errors import PolicyRulesError
from extractor.items import lines_to_items
from extractor.layout import Document, lines_to_provenance
from extractor.model import Criterion, Provenance, RuleSet, Source
from extractor.pipeline import COVERAGE_SECTIONS, document_to_ruleset
from extractor.sections import document_to_sections

Key = tuple[int, tuple[float, ...]]


@dataclass
class Account:
    """Where the Coverage Rationale items of one document ended up."""

    file: str
    items: int = 0
    bullets: int = 0
    in_trees: int = 0
    bullets_in_trees: int = 0
    non_criterion: int = 0
    unplaced: int = 0
    dropped: list[str] = field(default_factory=list)
    unplaced_texts: list[str] = field(default_factory=list)
    duplicate_ids: int = 0
    error: str = ""


def key(provenance: Provenance) -> Key:
    return provenance.page, tuple(round(v, 1) for v in provenance.bbox)


def walk(node: Criterion) -> Iterator[Criterion]:
    yield node
    for child in node.children:
        yield from walk(child)


def tree_keys(rules: RuleSet) -> set[Key]:
    found = {key(s.provenance) for s in rules.coverage}
    return found | {key(n.provenance) for s in rules.coverage if s.criteria
                    for n in walk(s.criteria)}


def note_keys(rules: RuleSet) -> set[Key]:
    return {key(b.provenance) for b in getattr(rules, "coverage_notes", [])}


def duplicate_ids(rules: RuleSet) -> int:
    ids = Counter(s.id for s in rules.coverage)
    ids.update(n.id for s in rules.coverage if s.criteria for n in walk(s.criteria))
    return sum(n - 1 for n in ids.values() if n > 1)


def account(name: str, doc: Document, sha: str) -> Account:
    """Run the pipeline on a document and place each of its Coverage Rationale items."""
    result = Account(name)
    rules = document_to_ruleset(doc, Source(file=name, sha256=sha, pages=doc.pages,
                                            format=doc.format))
    trees, notes = tree_keys(rules), note_keys(rules)
    reported = Counter((i.page, i.message) for i in rules.issues if i.kind == "unplaced_item")
    for block in document_to_sections(doc).find(COVERAGE_SECTIONS):
        for item in lines_to_items(list(block.lines)):
            if item.connector:
                continue
            result.items += 1
            result.bullets += item.bulleted
            where = key(lines_to_provenance(item.lines))
            if where in trees:
                result.in_trees += 1
                result.bullets_in_trees += item.bulleted
            elif where in notes:
                result.non_criterion += 1
            elif _reported(reported, item.first.page, item.text):
                result.unplaced += 1
                result.unplaced_texts.append(item.text)
            else:
                result.dropped.append(item.text)
    result.duplicate_ids = duplicate_ids(rules)
    return result


def _reported(reported: Counter[tuple[int | None, str]], page: int, text: str) -> bool:
    """An unplaced_item issue on the item's page whose message is the item's text, shortened."""
    for (p, message), n in reported.items():
        if p == page and n and text.startswith(message.rstrip("…").rstrip()):
            reported[(p, message)] -= 1
            return True
    return False


def uhc_policies(corpus: Path) -> list[Path]:
    """The UHC policies of a corpus folder, as its MANIFEST.tsv lists them."""
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return [corpus / r["file"] for r in csv.DictReader(handle, delimiter="\t")
                if r["payer"] == "UnitedHealthcare"]


def load(path: Path, cache: Path | None) -> tuple[Document, str]:
    """A PDF's layout and sha256: from the cache when it holds the file, else read now."""
    from extractor.layout.pdf import pdf_to_document

    cached = cache / f"{path.name}.pkl" if cache is not None else None
    if cached is not None and cached.exists():
        doc, sha = pickle.loads(cached.read_bytes())
        return doc, sha
    doc, sha = pdf_to_document(path), hashlib.sha256(path.read_bytes()).hexdigest()
    if cached is not None:  # the next run of a later stage's code reads the same layout
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(pickle.dumps((doc, sha)))
    return doc, sha


def summarize(accounts: list[Account]) -> list[str]:
    ok = [a for a in accounts if not a.error]
    total = sum(a.items for a in ok)
    lines = [
        f"UHC documents: {len(accounts)}, read: {len(ok)}",
        f"Coverage Rationale items: {total}",
        f"  placed in trees:       {sum(a.in_trees for a in ok)}",
        f"  of them bulleted:      {sum(a.bullets_in_trees for a in ok)} in trees of "
        f"{sum(a.bullets for a in ok)} bulleted items",
        f"  non-criterion blocks:  {sum(a.non_criterion for a in ok)}",
        f"  unplaced_item issues:  {sum(a.unplaced for a in ok)}",
        f"  silently dropped:      {sum(len(a.dropped) for a in ok)} "
        f"in {sum(1 for a in ok if a.dropped)} documents",
        f"duplicate node ids: {sum(a.duplicate_ids for a in ok)} "
        f"in {sum(1 for a in ok if a.duplicate_ids)} documents",
    ]
    lines += [f"ERROR {a.file}: {a.error}" for a in accounts if a.error]
    lines += ["documents with unplaced items:"] + [
        f"  {a.file}: {a.unplaced}" for a in ok if a.unplaced]
    lines += ["documents with silently dropped items:"] + [
        f"  {a.file}: {len(a.dropped)}" for a in ok if a.dropped]
    lines += ["documents with duplicate ids:"] + [
        f"  {a.file}: {a.duplicate_ids}" for a in ok if a.duplicate_ids]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cache", type=Path, help="folder of pickled layouts (<pdf>.pkl)")
    parser.add_argument("--details", type=Path, help="write every unplaced and dropped item "
                        "here, one per line")
    args = parser.parse_args()
    accounts: list[Account] = []
    for path in uhc_policies(args.corpus):
        try:
            accounts.append(account(path.name, *load(path, args.cache)))
        except PolicyRulesError as exc:
            accounts.append(Account(path.name, error=str(exc)))
    print("\n".join(summarize(accounts)))
    if args.details:
        args.details.write_text("".join(
            f"{a.file}\t{what}\t{text}\n" for a in accounts
            for what, texts in (("unplaced", a.unplaced_texts), ("dropped", a.dropped))
            for text in texts), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
