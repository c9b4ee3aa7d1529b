"""How much a change matters for coverage: one table of rules, read top to bottom.

Every change the diff finds is named by a subject and an event (an option added to an
`at_least` list, a clause removed from a criterion, a code split by the code set) and the table
gives its effect on coverage; the effect gives the severity. Under a negated list (`none`) a
change's effect on coverage turns around: a criterion that must not hold, made harder to meet,
lets more patients through.
"""

from __future__ import annotations

import re
from typing import Literal

from extractor.changes import SEVERITIES, Hunk, Severity

Effect = Literal["narrows", "widens", "changes", "keeps", "form"]

SEVERITY_OF_EFFECT: dict[Effect, Severity] = {
    "narrows": "breaking",   # fewer patients or services can be covered
    "widens": "material",    # more can be covered
    "changes": "material",   # the substance changes, in no clear direction
    "keeps": "minor",        # the same coverage in other words or codes
    "form": "cosmetic",      # spacing, hyphenation, punctuation, case, trademark marks
}

RULES: dict[tuple[str, str], Effect] = {
    # a child added to or removed from a list, by the list's operator
    ("all", "added"): "narrows",            # one more condition to meet
    ("all", "removed"): "widens",
    ("any", "added"): "widens",             # one more way to qualify
    ("any", "removed"): "narrows",
    ("at_least", "added"): "widens",        # one more option that counts towards the minimum
    ("at_least", "removed"): "narrows",
    ("none", "added"): "narrows",           # one more thing that must not hold
    ("none", "removed"): "widens",
    # a list's operator
    ("operator", "stricter"): "narrows",    # any → all, at least 2 → at least 3
    ("operator", "looser"): "widens",
    ("operator", "negated"): "narrows",     # a list negated or no longer negated turns around
    # a bound of a criterion (age, dose, duration, lab value, count, limit)
    ("threshold", "tightened"): "narrows",  # a higher minimum, a lower maximum
    ("threshold", "loosened"): "widens",
    ("threshold", "changed"): "changes",
    # the words of a criterion, from the word redline
    ("clause", "added"): "narrows",         # "… and is not a candidate for a PICC line"
    ("clause", "removed"): "widens",
    ("alternative", "added"): "widens",     # "… or has a contraindication to X"
    ("alternative", "removed"): "narrows",
    ("example", "added"): "keeps",          # "(e.g., relapsing-remitting MS)": no new condition
    ("example", "removed"): "keeps",
    ("negation", "changed"): "changes",     # "not" added or removed
    ("drug", "added"): "widens",            # a drug or brand named: as in the drug list
    ("drug", "removed"): "narrows",
    ("words", "reworded"): "keeps",
    ("words", "respaced"): "form",
    # a criterion's place
    ("criterion", "moved"): "changes",      # under another list: another logic
    ("criterion", "reordered"): "keeps",    # the same list, another order
    # a coverage statement
    ("proven statement", "added"): "widens",
    ("proven statement", "removed"): "narrows",
    ("unproven statement", "added"): "narrows",
    ("unproven statement", "removed"): "widens",
    ("other statement", "added"): "changes",
    ("other statement", "removed"): "changes",
    ("statement", "now unproven"): "narrows",
    ("statement", "now proven"): "widens",
    # the drug list: the same drug or brand judged as in a criterion
    ("brand", "added"): "widens",
    ("brand", "removed"): "narrows",
    # the code tables
    ("code", "added"): "widens",
    ("code", "removed"): "narrows",
    ("code", "split, all kept"): "keeps",   # every billable child of the old code is listed
    ("code", "split, some lost"): "narrows",
    ("code", "replaced"): "keeps",          # a replacement the revision history states
    ("code", "renamed by the code set"): "keeps",
    ("code", "redescribed"): "keeps",
    # what every revision changes, and the sections that are not rules
    ("metadata", "changed"): "keeps",
    ("metadata", "read from one version only"): "form",  # the document did not change
    ("section", "printed apart"): "form",   # a heading one version sets apart
    ("revision entry", "added"): "keeps",
    ("section", "added"): "keeps",
    ("section", "removed"): "keeps",
    ("section", "reworded"): "keeps",
}

TURNED_AROUND: dict[Effect, Effect] = {"narrows": "widens", "widens": "narrows"}
# Words only deleted or only inserted at one place of a criterion: an alternative begins with
# "or", examples with "e.g." or "such as"; other runs of CLAUSE_WORDS words or more are a
# qualifying clause; a shorter run matters when it holds a negation.
ALTERNATIVE = re.compile(r"^(or|and/or|either)\b", re.I)
EXAMPLE = re.compile(r"^\(?\s*(e\.g\.|i\.e\.|such as|including|for example|for instance)",
                     re.I)
NEGATION = re.compile(r"\b(not|no|never|without|none|neither|nor|except|unless)\b", re.I)
CLAUSE_WORDS = 3


def severity(subject: str, event: str, negated: bool = False) -> Severity:
    """The severity of a change, from the table; negated: under an odd number of `none` lists."""
    effect = RULES[(subject, event)]
    if negated:
        effect = TURNED_AROUND.get(effect, effect)
    return SEVERITY_OF_EFFECT[effect]


def hunk_event(hunk: Hunk) -> tuple[str, str]:
    """What one place of a criterion's word redline does to its meaning."""
    if hunk.cosmetic:
        return "words", "respaced"
    if hunk.removed and hunk.inserted:
        return _replaced(hunk)
    words = hunk.removed or hunk.inserted
    event = "removed" if hunk.removed else "added"
    if ALTERNATIVE.match(words):
        return "alternative", event
    if EXAMPLE.match(words):
        return "example", event
    if len(words.split()) >= CLAUSE_WORDS:
        return "clause", event
    return ("negation", "changed") if NEGATION.search(words) else ("words", "reworded")


def _replaced(hunk: Hunk) -> tuple[str, str]:
    if bool(NEGATION.search(hunk.removed)) != bool(NEGATION.search(hunk.inserted)):
        return "negation", "changed"
    return "words", "reworded"


def strongest(severities: list[Severity]) -> Severity:
    """The most severe of some severities (cosmetic for none)."""
    return next((s for s in SEVERITIES if s in severities), "cosmetic")
