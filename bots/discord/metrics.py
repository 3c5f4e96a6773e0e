"""Discord API 429s for /metrics (core/scale/metrics.py).

discord.py waits out a 429 inside its HTTP clients and says so only in a warning ("We are
being rate limited…" from `discord.http`, "Webhook ID … is rate limited…" from the webhook
client interactions answer through); a filter on those loggers counts them (and lets them
through). They are warnings, so LOG_LEVEL=ERROR hides them from the count too.
"""

from __future__ import annotations

import logging

from core.scale.metrics import platform_error

RATE_LIMITED = "rate limited"  # in both warnings; "Global rate limit has been hit" follows one
LOGGERS = ("discord.http", "discord.webhook.async_")


class _CountRateLimits(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if RATE_LIMITED in message:
            platform_error("discord", rate_limited=True)
        return True


_FILTER = _CountRateLimits()


def count_rate_limits() -> None:
    """Attach the counter to discord.py's HTTP loggers (once, however many bots are built)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
