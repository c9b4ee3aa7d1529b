"""Limits on what one input may cost, with their defaults."""

from __future__ import annotations

# A downloaded policy document larger than this is refused (bytes).
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024

# A download not complete after this long is abandoned, however slowly bytes keep coming (s).
DOWNLOAD_DEADLINE_SECONDS = 300.0
