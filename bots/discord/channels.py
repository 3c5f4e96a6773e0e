"""Review channels on Discord: text or forum channels where every post with a resume is reviewed.

A post in a listed text channel gets a thread; a forum post (a thread whose parent is a
listed forum) and a comment with a file in a thread of a listed channel are answered
inside it. Each message is reviewed once: edits are never handled (`on_message` only)
and a gateway replay of the same message is skipped.
"""

from __future__ import annotations

import logging
import time

import discord
from cachetools import TTLCache

log = logging.getLogger(__name__)

SEEN_MAX_MESSAGES = 10_000
SEEN_TTL_SECONDS = 60 * 60


class ReviewChannels:
    """Which channels are review channels (REVIEW_CHANNELS), and which messages were answered."""

    def __init__(self, ids: frozenset[str] = frozenset(), client: discord.Client | None = None):
        self.ids = ids
        self._client = client
        self._seen: TTLCache[int, bool] = TTLCache(
            maxsize=SEEN_MAX_MESSAGES, ttl=SEEN_TTL_SECONDS, timer=time.monotonic
        )

    async def lists(self, channel: discord.abc.MessageableChannel) -> bool:
        """True for a listed channel, or a thread (forum post) whose parent is listed."""
        if not self.ids:
            return False
        if str(channel.id) in self.ids:
            return True
        parent = getattr(channel, "parent_id", None)
        if parent is None and isinstance(channel, discord.PartialMessageable) and self._client:
            try:  # a thread the cache doesn't hold (older than this connection): ask once
                fetched = await self._client.fetch_channel(channel.id)
            except discord.HTTPException as exc:
                log.warning("channel %s: could not look it up (HTTP %s)", channel.id, exc.status)
                return False
            parent = getattr(fetched, "parent_id", None)
        return parent is not None and str(parent) in self.ids

    def first_time(self, message_id: int) -> bool:
        """Record `message_id`; False when it was already answered."""
        if message_id in self._seen:
            log.info("message %s: already answered; skipping", message_id)
            return False
        self._seen[message_id] = True
        return True
