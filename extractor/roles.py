"""The role a drug plays where it is named: the policy's subject, a prerequisite, an exclusion...

A mention takes its role from the words before it in its own clause ("history of failure
to", "not in combination with", "must change therapy to"), else from the criteria above it
(a `none` list, a lead-in "trial of one of the following:"), else from where it stands: a
coverage statement or a product list names the policy's subject, anything else is mentioned.
A drug named several times takes the strongest of its roles, in ROLE_PRECEDENCE order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor.model import ROLE_PRECEDENCE, Criterion, DrugRole

EXCLUDED = re.compile(
    r"\b(?:in combination with|combined with|concomitant(?:ly)?(?: use)?(?: with)?|"
    r"concurrent(?:ly)?(?: use)?(?: with)?|together with|co-?administ\w+ with|along with)\b"
    r"(?![^;.]*\b(?:failure|intolerance|trial|tried)\b)", re.I)
NEGATED = re.compile(r"\b(?:not|never|no|without|n't)\b", re.I)
PREREQUISITE = re.compile(
    r"\b(?:failure|failed|fail|intoleran\w*|contraindicat\w*|inadequate(?:ly)? respon\w*|"
    r"trial(?:s)? (?:of|with)|tried|refractory|resistan\w*|step therapy|previously (?:treated|"
    r"received)|prior (?:treatment|therapy|use)|unable to (?:take|tolerate|use)|despite|"
    r"unresponsive|insufficient response|lack of (?:response|efficacy)|loss of response)\b",
    re.I)
ALTERNATIVE = re.compile(
    r"\b(?:change (?:of )?therapy to|switch(?:ed|ing)? to|transition(?:ed)? to|"
    r"preferred (?:product|drug|agent|biosimilar)s?|must (?:use|try|change)|instead of|"
    r"change to)\b", re.I)
SUBJECT = re.compile(r"\b(?:proven|medically necessary|covered|indicated|approved|unproven|"
                     r"coverage)\b", re.I)
# A clause ends at a semicolon, a full stop or a new sentence.
CLAUSE = re.compile(r"[;.]\s|\bor\b(?=\s+(?:has|is|was|had)\b)", re.I)


def strongest(roles: Iterable[DrugRole]) -> list[DrugRole]:
    """The roles seen, strongest first."""
    seen = set(roles)
    return [r for r in ROLE_PRECEDENCE if r in seen]


def mention_role(text: str, start: int, inherited: DrugRole | None, statement: bool) -> DrugRole:
    """The role of a drug named at text[start:] given the role its criteria lend it."""
    before = CLAUSE.split(text[:start])[-1]
    if EXCLUDED.search(before) and (NEGATED.search(before) or inherited == "excluded_combination"):
        return "excluded_combination"
    if ALTERNATIVE.search(before):
        return "alternative"
    if PREREQUISITE.search(before):
        return "prerequisite"
    if inherited is not None:
        return inherited
    return "subject" if statement else "mentioned"


def lent_role(node: Criterion, parent: DrugRole | None) -> DrugRole | None:
    """The role a node lends the drugs of its children: its lead-in, its operator, its parent's.

    A `none` list excludes what it names. A lead-in ending in ":" passes on the role its own
    words give a drug named after them ("History of failure to one of the following:").
    """
    if node.op == "none":
        return "excluded_combination"
    if not node.children:
        return parent
    lead = node.text
    if ALTERNATIVE.search(lead):
        return "alternative"
    if EXCLUDED.search(lead) and NEGATED.search(lead):
        return "excluded_combination"
    if PREREQUISITE.search(lead) and re.search(r"following|:\s*$", lead):
        return "prerequisite"
    return parent


def lists_products(node: Criterion) -> bool:
    """A lead-in of a list of the policy's own products or indications."""
    text = node.text
    if re.search(r"\b(?:following|these) (?:products|drugs|agents|medications)\b", text, re.I):
        return True
    # "X is proven for:" lists what X covers; "... when all of the following criteria are
    # met:" lists criteria, whose drugs are no products of the policy
    return bool(re.search(r"\b(?:proven|medically necessary|covered)\b[^:]*:\s*$", text, re.I)) \
        and not re.search(r"\b(?:criteria|criterion|met|when|if|who|unless)\b", text, re.I)


def statement_role(text: str) -> bool:
    """Whether a paragraph outside the criteria speaks of coverage (names the subject)."""
    return SUBJECT.search(text) is not None
