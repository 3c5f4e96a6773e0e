"""Which channel messages the Slack bot reviews: review channels, and mentions sent as `message`.

With the optional `message.channels`/`message.groups` events the bot hears every
message in the channels it was invited to. It reviews:

* a new message carrying a file in a channel listed in REVIEW_CHANNELS (no mention
  needed), answered in that message's thread;
* a message carrying a file that mentions the bot anywhere: Slack sometimes sends only
  a `message` event for a file shared with a mention, no `app_mention`
  (slack-bolt-python #925), so it is handled like one; when both arrive the
  per-message claim in app.py makes it one review.

Everything else (unlisted channels, edits, file-less comments in a reviewed thread) is
ignored, and nothing of it is logged.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


def mentions(text: str | None, bot_user_id: str | None) -> bool:
    return bool(bot_user_id) and f"<@{bot_user_id}" in (text or "")


def reviews_channel_message(
    event: dict[str, Any], bot_user_id: str | None, review_channels: Collection[str]
) -> bool:
    """True when a `message` event outside a DM is a resume to review (see the module doc)."""
    if not event.get("files"):
        return False  # chatter, or a comment without a file in a thread already reviewed
    return event.get("channel") in review_channels or mentions(event.get("text"), bot_user_id)
