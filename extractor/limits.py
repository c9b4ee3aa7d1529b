"""Limits on what one input may cost, with their defaults."""

from __future__ import annotations

# A downloaded policy document larger than this is refused (bytes).
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
