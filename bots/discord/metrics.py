"""Discord API errors and 429s for /metrics (core/scale/metrics.py).

discord.py waits out a 429 inside its HTTP clients and says so only in a warning ("We are
being rate limited…" from `discord.http`, "Webhook ID … is rate limited…" from the webhook
client interactions answer through); a filter on those loggers counts them (and lets them
through). They are warnings, so LOG_LEVEL=ERROR hides them from the count too.

Every other failed call is counted by an aiohttp trace on the client's one HTTP session
(`discord.Client(http_trace=...)`), which the REST calls and the interaction webhooks share:
`kind` says what failed in a few fixed words (ERROR_KINDS), never which message or person.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import aiohttp

from core.scale.metrics import platform_error

TOO_MANY_REQUESTS = 429
ERROR_KINDS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found"}
CLIENT_ERROR, SERVER_ERROR, CONNECTION = "client_error", "server_error", "connection"

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


def error_kind(status: int) -> str | None:
    """The `kind` label of an HTTP status (None: not an error, or a 429 counted above)."""
    if status < 400 or status == TOO_MANY_REQUESTS:
        return None
    if status >= 500:
        return SERVER_ERROR
    return ERROR_KINDS.get(status, CLIENT_ERROR)


async def _on_end(_: Any, __: SimpleNamespace, params: aiohttp.TraceRequestEndParams) -> None:
    kind = error_kind(params.response.status)
    if kind is not None:
        platform_error("discord", kind=kind)


async def _on_exception(_: Any, __: SimpleNamespace, ___: Any) -> None:
    platform_error("discord", kind=CONNECTION)


def error_trace() -> aiohttp.TraceConfig:
    """A trace counting failed Discord calls; one per client (a session freezes its traces)."""
    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(_on_end)
    trace.on_request_exception.append(_on_exception)
    return trace
