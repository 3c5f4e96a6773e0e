"""Slack's limits and our Slack-side knobs, owned by the Slack adapter (core knows no platform).

Block Kit: https://api.slack.com/reference/block-kit/blocks
"""

from __future__ import annotations

SLACK_ACK_SECONDS = 3
SLACK_MAX_BLOCKS = 50
SLACK_SECTION_TEXT_MAX = 3000
SLACK_HEADER_TEXT_MAX = 150
SLACK_FIELD_TEXT_MAX = 2000
SLACK_MAX_FIELDS = 10
SLACK_MESSAGE_TEXT_MAX = 40_000
SLACK_PLAIN_TEXT_INPUT_MAX = 3000  # plain_text_input max_length ceiling in modals
SLACK_EVENT_RETRY_WINDOW_SECONDS = 15 * 60  # Slack retries a missed event ~now, +1 min, +5 min
SLACK_FILE_HOST = "files.slack.com"  # the only non-API host the bot token may be sent to
SLACK_RATE_LIMIT_RETRIES = 3  # 429 + Retry-After on our own Web API calls, then give up
SLACK_CONNECTION_RETRIES = 2  # a reset connection to slack.com, retried
