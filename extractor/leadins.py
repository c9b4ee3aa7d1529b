"""Lead-ins: what the words that introduce a list say of how many of its items must hold.

"all of the following" → all; "one of the following" → any; "at least two of the following" →
at_least 2; "is not receiving X with any of the following" → none.
"""

from __future__ import annotations

import re
from typing import Literal

Op = Literal["all", "any", "at_least", "none"]
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10}
LEAD_AT_LEAST = re.compile(
    r"\b(?:at least (\w+)|(\w+) or more|(two|three|four|five|six|seven|eight|nine|ten|\d+))"
    r" of the following", re.I)
LEAD_ALL = re.compile(
    r"\b(all|both|each) of the following|\ball the following|"
    r"(?<!of )\bthe following (criteria |criterion )?(are|is) met", re.I)
LEAD_ANY = re.compile(r"\b(one|either|any) of the following", re.I)
# A lead-in that negates its list: none of the children may hold ("is not receiving X in
# combination with any of the following", "does not exceed either of the following"). The
# negation must stand in the same clause; "include, but are not limited to," negates nothing.
LEAD_NONE = re.compile(
    r"\b(none|neither) of the following"
    r"|(\bnot\b(?! limited to)|\bnever\b|\bwithout\b|n't\b)"
    r"((?!\b(when|if|unless|who|which|and (has|is|was|does|the))\b)[^.;:])*?"
    r"\b(any|either) of the following", re.I)
# A list of indications, conditions or products: each item stands alone, so the list is "any".
# So is a list that is the subject of a coverage verdict ("The following devices are unproven
# and not medically necessary …:"): the verdict holds of each item; a list of what "is
# required" or "must be met" is no such list.
LEAD_BARE_LIST = re.compile(
    r"\b(treatment|prophylaxis|prevention|management) of( the following[\w\s,]*)?:\s*$"
    r"|\b(proven|unproven|necessary|covered|indicated)\s+(for|in)\b[^:]*:\s*$"
    r"|\bfollowing (conditions|indications|diagnoses|products|drugs|agents)\b[^:]*:\s*$"
    r"|^\W*the following\b[^:]*?\b(are|is|may be)\b[^:]*?\b(unproven|proven|medically "
    r"necessary|covered|excluded|cosmetic|reconstructive)\b[^:]*:\s*$"
    r"|\b(refers|applies|pertains) (only )?to the following\b|\baddresses the following\b"
    r"|\b(including|includes|such as)\s*:\s*$",
    re.I)
# A lead-in that says nothing but how many of its list must hold.
BARE_LEAD = re.compile(
    r"^(?:(?:one|all|any|either|both|at least (?:one|\w+)) of the following|the following)"
    r"(?: criteria)?\s*:?$", re.I)
# A phase of treatment, as a heading or as the item that holds the phase's criteria.
PHASE = re.compile(
    r"(?:for\s+)?(?:the\s+)?(initial|continuation|continued|renewal|re-?authori[sz]ation|"
    r"subsequent)(?:\s+(?:of\s+)?(?:therapy|treatment|authori[sz]ation|approval|coverage|"
    r"dosing))?(?:\s+requests?)?\s*(?:[,:]|$)", re.I)


def lead_in_operator(text: str) -> tuple[Op, int | None] | None:
    """The operator a lead-in names: "at least two of the following" → (at_least, 2).

    A negated list is "none": "is not receiving X with any of the following" → (none, None).
    """
    m = LEAD_AT_LEAST.search(text)
    if m:
        word = next(g for g in m.groups() if g).lower()
        count = NUMBERS.get(word) or (int(word) if word.isdigit() else None)
        if count is not None:
            return ("any", None) if count == 1 else ("at_least", count)
    if LEAD_NONE.search(text):
        return "none", None
    if LEAD_ALL.search(text):
        return "all", None
    if LEAD_ANY.search(text):
        return "any", None
    return None


def phase_name(text: str) -> str | None:
    """ "Initial Therapy", "For continuation of therapy, all of the following:" → the phase."""
    m = PHASE.match(text.strip())
    if m is None:
        return None
    return "Initial Therapy" if m.group(1).lower() == "initial" else "Continuation of Therapy"
