"""Which policy a rule file is a version of, and whether two versions can be compared.

A UnitedHealthcare policy number is the year of the version, the policy's letter and serial,
and a revision letter ("2025D0023Y"): the serial ("D0023") names the policy across versions.
Where a number has another shape the title names it.
"""

from __future__ import annotations

import re

from extractor.model import RuleSet
from extractor.text import normalize

# year, policy letter and serial, revision letter
UHC_NUMBER = re.compile(r"^(\d{4})([A-Z]\d{4})([A-Z]{1,2})$")


def identity(rules: RuleSet) -> str:
    """What stays the same from one version of a policy to the next."""
    number = (rules.policy.number or "").strip().upper()
    match = UHC_NUMBER.match(number)
    if match:
        return f"number:{match.group(2)}"
    return f"title:{normalize(rules.policy.title or rules.source.file)}"


def same_policy(old: RuleSet, new: RuleSet) -> bool:
    """By the policy number's serial, or by the title where a number does not say."""
    if identity(old) == identity(new):
        return True
    titles = normalize(old.policy.title or ""), normalize(new.policy.title or "")
    numbered = identity(old).startswith("number:") and identity(new).startswith("number:")
    return not numbered and bool(titles[0]) and titles[0] == titles[1]


def comparability_warnings(old: RuleSet, new: RuleSet) -> list[str]:
    """Why old → new may not be one policy's earlier and later versions; empty when it is."""
    found: list[str] = []
    if not same_policy(old, new):
        found.append(f"two different policies: {_name(old)} and {_name(new)}")
    a, b = old.policy.effective_date, new.policy.effective_date
    if a and b and a > b:
        found.append(f"backwards in time: the old version is effective {a}, the new one {b}")
    return found


def _name(rules: RuleSet) -> str:
    title = rules.policy.title or rules.source.file
    return f"{rules.policy.number} ({title})" if rules.policy.number else title
