"""Score criterion entities against the hand-checked set in tests/data/entities/.

Usage: python benchmarks/entity_accuracy.py [--part dev|set_aside|all] [--corpus ../shared/corpus]

Each line of dev.jsonl and set_aside.jsonl is one entity of one criterion (or, with label
null, a checked criterion that has none), read on the page: document, page, criterion text,
span, label, value, value_max, unit, comparator, name. split.json says how the documents were
chosen and split; the set-aside part is reported, never tuned on.

With --corpus the entities are the rule file's (the whole pipeline on each PDF, the criterion
found by its text); without, each criterion text is annotated with the brand/generic pairs
the document's checked criteria print. Prints, per part, precision and recall per label
(a hit is the same label on the same characters) and the share of entities exact: label,
span, value, value_max, unit and comparator all as checked.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extractor.drugs import printed_pairs
from extractor.model import Criterion, Entity, RuleSet
from extractor.nlp import annotate

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "entities"
PARTS = ("dev", "set_aside")
Key = tuple[str, int, int]  # label, start, end


@dataclass(frozen=True)
class Checked:
    """One entity as read on the page."""

    label: str
    start: int
    end: int
    value: float | None
    value_max: float | None
    unit: str | None
    comparator: str | None

    def key(self) -> Key:
        return self.label, self.start, self.end


@dataclass
class Score:
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    exact: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def exact_share(self) -> float:
        total = sum(self.gold.values())
        return self.exact / total if total else 1.0


def load(part: str, data: Path = DATA) -> dict[tuple[str, str], list[Checked]]:
    """(document, criterion text) → its checked entities, for one part of the set."""
    checked: dict[tuple[str, str], list[Checked]] = defaultdict(list)
    for line in (data / f"{part}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        entities = checked[(row["document"], row["criterion"])]
        if row["label"] is not None:
            start, end = row["span"]
            entities.append(Checked(row["label"], start, end, row["value"], row["value_max"],
                                    row["unit"], row["comparator"]))
    return checked


def annotated(checked: dict[tuple[str, str], list[Checked]]) -> dict[tuple[str, str],
                                                                     list[Entity]]:
    """Each criterion's entities, with the pairs its document's criteria print."""
    by_document: dict[str, list[str]] = defaultdict(list)
    for document, text in checked:
        by_document[document].append(text)
    found: dict[tuple[str, str], list[Entity]] = {}
    for document, texts in sorted(by_document.items()):
        for text, entities in zip(texts, annotate(texts, printed_pairs(texts)), strict=True):
            found[(document, text)] = entities
    return found


def from_rule_files(checked: dict[tuple[str, str], list[Checked]],
                    corpus: Path) -> dict[tuple[str, str], list[Entity]]:
    """Each criterion's entities as the rule file of its document gives them."""
    return entities_of(checked, rule_files(checked, corpus))


def rule_files(checked: dict[tuple[str, str], list[Checked]], corpus: Path) -> dict[str, RuleSet]:
    """The rule file of every document of the checked criteria."""
    from extractor.pipeline import extract

    return {document: extract(corpus / document)
            for document in sorted({d for d, _ in checked})}


def entities_of(checked: dict[tuple[str, str], list[Checked]],
                rules: dict[str, RuleSet]) -> dict[tuple[str, str], list[Entity]]:
    """Each checked criterion's entities in its document's rule file, found by its text."""
    found: dict[tuple[str, str], list[Entity]] = {}
    for document, ruleset in rules.items():
        nodes = [n for s in ruleset.coverage if s.criteria for n in _walk(s.criteria)]
        by_text = {n.text: n.entities for n in reversed(nodes)}
        for d, text in checked:
            if d == document:
                found[(d, text)] = by_text.get(text, [])
    return found


def _walk(node: Criterion) -> Iterable[Criterion]:
    yield node
    for child in node.children:
        yield from _walk(child)


def score(checked: dict[tuple[str, str], list[Checked]],
          found: dict[tuple[str, str], list[Entity]]) -> Score:
    result = Score()
    for (document, text), gold in checked.items():
        got = {(e.label, e.start, e.end): e for e in found.get((document, text), [])}
        result.found.update(label for label, _, _ in got)
        for g in gold:
            result.gold[g.label] += 1
            e = got.get(g.key())
            if e is None:
                result.misses.append(f"{document}: {g.label} {text[g.start:g.end]!r} missed")
                continue
            result.hits[g.label] += 1
            if _exact(g, e):
                result.exact += 1
            else:
                result.misses.append(f"{document}: {g.label} {e.text!r} read as "
                                     f"{e.value}-{e.value_max} {e.unit} {e.comparator}")
        keys = {g.key() for g in gold}
        result.misses += [f"{document}: {e.label} {e.text!r} not an entity"
                          for k, e in got.items() if k not in keys]
    return result


def _exact(g: Checked, e: Entity) -> bool:
    return (g.value, g.value_max, g.unit, g.comparator) == (e.value, e.value_max, e.unit,
                                                           e.comparator)


def report(part: str, s: Score) -> list[str]:
    lines = [f"{part}: {sum(s.gold.values())} entities, {s.exact} exact "
             f"({100 * s.exact_share:.1f}%)"]
    for label in sorted(set(s.gold) | set(s.found)):
        p = s.hits[label] / s.found[label] if s.found[label] else 1.0
        r = s.hits[label] / s.gold[label] if s.gold[label] else 1.0
        lines.append(f"  {label:10} gold {s.gold[label]:4}  found {s.found[label]:4}  "
                     f"P {p:.3f}  R {r:.3f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=[*PARTS, "all"], default="all")
    parser.add_argument("--corpus", type=Path, help="score the rule files of these PDFs")
    parser.add_argument("--errors", action="store_true",
                        help="list every error of the development part")
    args = parser.parse_args()
    for part in PARTS if args.part == "all" else (args.part,):
        checked = load(part)
        found = from_rule_files(checked, args.corpus) if args.corpus else annotated(checked)
        result = score(checked, found)
        print("\n".join(report(part, result)))
        for draw, documents in draws(part):
            share = score({k: v for k, v in checked.items() if k[0] in documents}, found)
            print(f"  {draw}: {sum(share.gold.values())} entities, "
                  f"{100 * share.exact_share:.1f}% exact")
        if args.errors and part == "dev":  # the set-aside part is scored, never read
            print("\n".join(f"    {m}" for m in result.misses))


def draws(part: str, data: Path = DATA) -> list[tuple[str, set[str]]]:
    """The documents of each draw of a part, as split.json records them, in order: the
    development part's first draw and its later rounds together, each set-aside draw alone."""
    split = json.loads((data / "split.json").read_text(encoding="utf-8"))
    if part == "dev":
        later = split["added"]["documents"] + split["added_later"]["documents"]
        return [("first draw", set(split[part]) - set(later)), ("later draws", set(later))]
    added = split["added_set_aside"]
    found = [("first draw", set(split[part]) - set(added["documents"]))]
    at = 0
    for n, draw in enumerate(added["draws"], start=2):
        found.append((f"draw {n} (seed {draw['seed']})",
                      set(added["documents"][at:at + draw["documents"]])))
        at += draw["documents"]
    return found


if __name__ == "__main__":
    main()
