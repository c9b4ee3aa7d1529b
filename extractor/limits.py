"""Limits on what one input may cost, with their defaults."""

from __future__ import annotations

# A downloaded policy document larger than this is refused (bytes).
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024

# A download not complete after this long is abandoned, however slowly bytes keep coming (s).
DOWNLOAD_DEADLINE_SECONDS = 300.0

# Levels of a criteria tree, from a statement's root down. The rule-file reader refuses deeper
# trees and extract refuses to write them: the same limit both ways, far above any policy
# printed (real ones reach 6) and well below what the JSON reader can parse (about 100).
MAX_TREE_DEPTH = 32

# Characters a Markdown emphasis, code span or comment may run before its closing marker: a
# bold run in a policy is a phrase, and the bound keeps an unclosed marker linear, not quadratic.
MAX_INLINE_SPAN = 500

# A PDF stream (content, image, font, object stream) may inflate to this many bytes: a page's
# content is kilobytes and a scanned image tens of megabytes; a Flate bomb is gigabytes.
MAX_STREAM_BYTES = 256 * 1024 * 1024

# Pages per document: the longest policy runs to a few hundred.
MAX_PAGES = 1000

# Form XObjects drawn inside one another on a page (content-stream recursion): policies nest
# one or two; past this a reader recurses without end or drops the text silently.
MAX_FORM_NESTING = 32

# diff: the criteria nearest a reworded one that are compared with it (a statement of
# thousands of criteria would otherwise compare every pair), and the words of a text past which
# its redline is its kept ends and its changed middle whole (word-level comparison is quadratic).
MAX_SIMILAR_CANDIDATES = 100
MAX_REDLINE_WORDS = 2000

# Seconds to read one document (`--timeout`): a long policy takes a few seconds.
DOCUMENT_TIMEOUT_SECONDS = 300.0

# Memory one document's reading may take beyond what the process holds before it (bytes,
# `--max-memory` in MiB): a long policy takes a few hundred megabytes.
MIB = 1024 * 1024
MAX_DOCUMENT_MEMORY_BYTES = 4096 * MIB
