"""Fixed limits of what an instance may declare and of what a reader reads.

They are part of the format (``docs/limits.md``): a file within them is read the same way by
every tool of the project, and no file, however written, can make a reader allocate without
bound, recurse without bound or compute an infinite time.
"""

from __future__ import annotations

# What an instance (a file, an Instance, an OnlineDDP) may declare.
MAX_EVENTS = 10_000_000
MAX_DEVICES = 1_000_000
MAX_CLOUD_UNITS = 1_000_000

# What a reader reads: a larger file is refused before it is parsed.
MAX_FILE_BYTES = 1 << 30  # 1 GiB
# Nesting of JSON arrays and objects in a file (the format itself needs 3: object, rows, row).
MAX_JSON_DEPTH = 64
# The overflow rule: the last arrival plus the sum over events of each event's largest
# front + trans + cloud time must stay below this, well inside float64's range (1.8e308) so that
# no sum of those times, taken in any order, overflows.
MAX_TOTAL_TIME = 1e300
