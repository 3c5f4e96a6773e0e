"""Core's named limits (python-telegram-bot's constants.py style).

Each platform's own limits live with its adapter (`bots/<platform>/limits.py`):
core knows no platform.
"""

from __future__ import annotations

# --- reading files -------------------------------------------------------------
MIN_RESUME_CHARS = 80  # below this there is nothing to review
GARBLED_POOR_RATIO = 0.15  # share of unreadable glyphs that makes text unusable
GARBLED_FAIR_RATIO = 0.02
MAX_TEXT_CHARS = 200_000  # a resume never needs more; stops text bombs early
MAX_DOCX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # zip-bomb guard for DOCX

# --- review ---------------------------------------------------------------------
TARGET_PAGES = 2
BULLET_MAX_WORDS = 35
KEYWORD_TARGET_PERCENT = 80  # Jobscan's advice
TOP_FINDINGS_SHOWN = 5

# --- load and shutdown (every bot) --------------------------------------------------
SHUTDOWN_DRAIN_SECONDS = 25  # reviews in flight get this long to finish after SIGTERM
SHUTDOWN_EXIT_SECONDS = 30  # hard bound from SIGTERM to exit (PaaS send SIGKILL at ~30 s)

# --- hostile-input guards (core/reading/; appended for issue 7's isolation work) ---
# Text far past `max_pages` pages is not a resume and is refused, not silently cut:
# the review's cost grows with lines (the DOCX export quadratically; a 20k-line DOCX
# took 20 s), and 300 short lines or 20,000 characters is already a crammed page.
RESUME_CHARS_PER_PAGE_MAX = 20_000
RESUME_LINES_PER_PAGE_MAX = 300

# --- several processes on Redis (core/scale/) ------------------------------------------------
REDIS_LEASE_SECONDS = 30.0  # a place in line or a review slot not renewed this long is freed
REDIS_LEASE_RENEW_SECONDS = 10.0  # how often a live process renews its places and slots
REDIS_POLL_SECONDS = 0.05  # how often the first in line asks whether its turn has come
REDIS_POLL_MAX_SECONDS = 1.0  # ... and the rest: place × REDIS_POLL_SECONDS, at most this
REDIS_EVENT_TTL_SECONDS = 3600.0  # a claimed platform event is remembered this long (Slack: 1 h)
REDIS_RETRY_SECONDS = 1.0  # pause before asking Redis again after a lost connection
REDIS_CLOCK_SYNC_SECONDS = 60.0  # how often a replica re-reads Redis's clock (leases use it)
JOB_TRIES = 3  # a review job whose worker dies is tried on another worker, at most this often
JOB_POLL_SECONDS = 0.1  # how often arq looks for a result the bot knows is there (a note came)
JOB_LOOK_SECONDS = 1.0  # how often the bot looks for its job's result without a worker's note
JOB_KEEP_RESULT_SECONDS = 300  # a sealed result left in Redis (the bot deletes it when read)
DELIVERY_KEEP_SECONDS = 3600.0  # a delivery owed (core/scale/handover.py) outlives any job
DELIVERY_DONE_SECONDS = 600.0  # an answered delivery is remembered, so a late owner stands down
DELIVERY_SWEEP_MAX = 100  # deliveries a replica adopts in one sweep (the rest: the next sweep)
