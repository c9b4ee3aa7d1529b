"""Which criteria a fact by name decides, and how.

A leaf criterion is decidable by a fact when its whole claim is one measure of the patient:
exactly one entity of label age, weight, lab or count, with a number and a comparator or a
range, that ends the criterion ("Patient is 18 years of age or older", "Six or more swollen
joints", "Documented platelet count < 30 x 10⁹ / L"). Before it, an age, weight or count may
have only words that add no condition ("patient", "is", "must be", "aged", "weighs", ...); a
lab value may have the test's name (up to 8 words, none of "and", "or", "with", "in", "at",
"for"). Anything else, or a negation anywhere outside the measure ("not", "no", "without",
"unless", "except"), leaves the criterion to its answer: "Males ≤ 9 years of age", "History of
failure ... to at least one TNF inhibitor", "Hematocrit is less than 30% at initiation of
therapy" say more than the number. The fact is named after the measure:

- `age`: in years (an entity printed in months is converted);
- `weight`: in kg (printed in another unit: not decidable);
- `lab_<test>`: the test as printed, lowercased, runs of other characters as `_`, from its
  abbreviation on where it prints one ("Clinical Disease Activity Index (CDAI) score" ->
  `lab_cdai_score`), in the unit the criterion prints;
- `count_<thing>`: the thing counted, likewise ("swollen joint" -> `count_swollen_joint`).

Durations are not facts: a duration says how long something the criterion names lasted (a
trial, a history, a remission), so one `duration` fact could not decide them. Everything else is
decided by its answer alone; an answer by criterion id overrides the fact.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

from extractor.measures import ABBREVIATION
from extractor.model import Comparator, Criterion, Entity, Model

MEASURES = ("age", "weight", "lab", "count")
_NEGATION = re.compile(r"\b(?:not|no|without|unless|except)\b", re.IGNORECASE)
# words before an age, weight or count that add no condition to it
_FILLER = frozenset([
    "patient", "patients", "individual", "individuals", "member", "is", "are", "must", "be",
    "aged", "age", "weighs", "weight", "the", "a", "an", "has", "have", "who", "documented"])
# words that join a second condition to a lab value's name
_JOINERS = frozenset(["and", "or", "with", "in", "at", "for"])
_MAX_TEST_NAME_WORDS = 8
_WORD = re.compile(r"[a-z0-9]+")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# a test named in full and then by its abbreviation: "... Index (CDAI) score"
_ABBREVIATED = re.compile(rf"{ABBREVIATION}(.*)$")
# factor from the printed unit to the fact's unit
_AGE_UNITS = {"a": 1.0, "mo": 1 / 12, None: 1.0}
_WEIGHT_UNITS = {"kg": 1.0}


class FactTest(Model):
    """What a fact must be for its criterion to hold: `comparator value`, or within
    [value, value_max] for a range (bounds included)."""

    name: str
    comparator: Comparator | None = None
    value: float
    value_max: float | None = None


def criterion_fact(node: Criterion) -> FactTest | None:
    """The fact that decides a leaf, or None when only an answer can."""
    if node.children:
        return None
    measures = [e for e in node.entities if e.label in MEASURES]
    if len(measures) != 1 or not _whole_claim(node.text, measures[0]):
        return None
    return entity_to_fact(measures[0])


def entity_to_fact(entity: Entity) -> FactTest | None:
    name, factor = _name_and_factor(entity)
    if name is None or factor is None or entity.value is None:
        return None
    if entity.comparator is None and entity.value_max is None:
        return None  # a plain number ("IgG 400") says nothing of which side holds
    value_max = entity.value_max * factor if entity.value_max is not None else None
    return FactTest(name=name, comparator=entity.comparator, value=entity.value * factor,
                    value_max=value_max)


def _name_and_factor(entity: Entity) -> tuple[str | None, float | None]:
    if entity.label == "age":
        return "age", _AGE_UNITS.get(entity.unit)
    if entity.label == "weight":
        return "weight", _WEIGHT_UNITS.get(entity.unit or "")
    thing = entity.name if entity.label == "lab" else entity.unit
    abbreviated = _ABBREVIATED.search(thing or "") if entity.label == "lab" else None
    if abbreviated:
        thing = abbreviated.group(1) + abbreviated.group(2)
    slug = _NON_WORD.sub("_", (thing or "").lower()).strip("_")
    return (f"{entity.label}_{slug}" if slug else None), 1.0


def _whole_claim(text: str, entity: Entity) -> bool:
    """Whether the measure is all the criterion says (see the module's docstring)."""
    before, after = text[:entity.start], text[entity.end:]
    if _NEGATION.search(before + " " + after) or _WORD.search(after.lower()):
        return False
    words = _WORD.findall(before.lower())
    if entity.label == "lab":
        return len(words) <= _MAX_TEST_NAME_WORDS and not _JOINERS.intersection(words)
    return set(words) <= _FILLER


def fact_holds(test: FactTest, value: float) -> bool:
    if test.value_max is not None:
        return test.value <= value <= test.value_max
    return {
        "<": value < test.value, "<=": value <= test.value, "=": value == test.value,
        ">=": value >= test.value, ">": value > test.value,
    }[test.comparator or "="]


def fact_to_json_logic(test: FactTest) -> JsonValue:
    """The test as JSON Logic over `facts.<name>`; false when the fact is absent."""
    var: JsonValue = {"var": f"facts.{test.name}"}
    if test.value_max is not None:
        check: JsonValue = {"<=": [_number(test.value), var, _number(test.value_max)]}
    else:
        op = "==" if test.comparator in (None, "=") else test.comparator
        check = {op: [var, _number(test.value)]}
    return {"if": [{"missing": [f"facts.{test.name}"]}, False, check]}


def _number(value: float) -> float | int:
    return int(value) if value.is_integer() else value
