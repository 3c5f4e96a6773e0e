"""Slack Web API errors and 429s for /metrics (core/scale/metrics.py).

A retry handler sees every response and every connection error of the SDK's client before
the real handlers decide on a retry; this one only counts, and never asks for a retry.
"""

from __future__ import annotations

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from core.scale.metrics import platform_error

HTTP_ERROR = 400


class CountErrors(AsyncRetryHandler):
    """Counts failed Slack calls (429s apart); must come first in `retry_handlers()`."""

    def __init__(self) -> None:
        super().__init__(max_retry_count=2**31)  # it is asked about every attempt

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if error is not None:
            platform_error("slack", rate_limited=False)
        elif response is not None and response.status_code >= HTTP_ERROR:
            platform_error("slack", rate_limited=response.status_code == 429)
        return False
