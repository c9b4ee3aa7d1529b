"""Dates as policies print them → ISO 8601."""

from __future__ import annotations

import re
from datetime import date, datetime

NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
LONG = re.compile(
    r"\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(\d{1,2}),?\s+(\d{4})\b"
)


def to_iso(text: str) -> str | None:
    """The first date in text ("10/01/2025", "October 1, 2025") as YYYY-MM-DD, or None."""
    found = [m for m in (NUMERIC.search(text), LONG.search(text)) if m]
    if not found:
        return None
    m = min(found, key=lambda m: m.start())
    try:
        if m.re is NUMERIC:
            return date(int(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
        month = datetime.strptime(m.group(1)[:3], "%b").month
        return date(int(m.group(3)), month, int(m.group(2))).isoformat()
    except ValueError:
        return None
