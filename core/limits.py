"""Named limits in one place: ours and the platforms' (python-telegram-bot's constants.py style).

`core` owns these numbers so both adapters and the tests agree on them; nothing
here imports a platform SDK.
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

# --- Slack (https://api.slack.com/reference/block-kit/blocks) -------------------
SLACK_ACK_SECONDS = 3
SLACK_MAX_BLOCKS = 50
SLACK_SECTION_TEXT_MAX = 3000
SLACK_HEADER_TEXT_MAX = 150
SLACK_FIELD_TEXT_MAX = 2000
SLACK_MAX_FIELDS = 10
SLACK_MESSAGE_TEXT_MAX = 40_000

# --- Discord (https://discord.com/developers/docs/resources/message) -------------
DISCORD_INTERACTION_ACK_SECONDS = 3
DISCORD_TOKEN_LIFETIME_SECONDS = 15 * 60
DISCORD_CONTENT_MAX = 2000
DISCORD_EMBED_TITLE_MAX = 256
DISCORD_EMBED_DESCRIPTION_MAX = 4096
DISCORD_EMBED_FIELDS_MAX = 25
DISCORD_EMBED_FIELD_NAME_MAX = 256
DISCORD_EMBED_FIELD_VALUE_MAX = 1024
DISCORD_EMBED_TOTAL_MAX = 6000
DISCORD_EMBEDS_PER_MESSAGE = 10
DISCORD_DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024

# --- Discord adapter (bots/discord; appended by the Discord adapter) -------------
DISCORD_THREAD_NAME_MAX = 100  # https://discord.com/developers/docs/resources/channel
DISCORD_FILES_PER_MESSAGE = 10

# --- Slack adapter (bots/slack) ----------------------------------------------------
SLACK_PLAIN_TEXT_INPUT_MAX = 3000  # plain_text_input max_length ceiling in modals
SLACK_EVENT_RETRY_WINDOW_SECONDS = 15 * 60  # Slack retries a missed event ~now, +1 min, +5 min
SLACK_FILE_HOST = "files.slack.com"  # the only non-API host the bot token may be sent to

# --- load and shutdown (bots/slack, bots/discord; issue 7) -------------------------
SHUTDOWN_DRAIN_SECONDS = 25  # reviews in flight get this long to finish after SIGTERM
SHUTDOWN_EXIT_SECONDS = 30  # hard bound from SIGTERM to exit (PaaS send SIGKILL at ~30 s)
SLACK_RATE_LIMIT_RETRIES = 3  # 429 + Retry-After on our own Web API calls, then give up
SLACK_CONNECTION_RETRIES = 2  # a reset connection to slack.com, retried

# --- hostile-input guards (core/reading/; appended for issue 7's isolation work) ---
# Text far past `max_pages` pages is not a resume and is refused, not silently cut:
# the review's cost grows with lines (the DOCX export quadratically; a 20k-line DOCX
# took 20 s), and 300 short lines or 20,000 characters is already a crammed page.
RESUME_CHARS_PER_PAGE_MAX = 20_000
RESUME_LINES_PER_PAGE_MAX = 300
