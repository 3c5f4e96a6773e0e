"""Prometheus metrics and the health check, the same on every bot and worker.

`/metrics` (Prometheus text format, prometheus_client's default registry) and `/healthz`
(`{"ok": true}`) are served by `health_app()`: the Slack bot in HTTP mode adds both routes
to its own server; a worker, the Discord bot and Socket Mode serve them on METRICS_PORT
(a worker: on PORT). Labels are small fixed sets (engine, outcome, reason, platform) —
never a person, a file name or any resume text.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from core.errors import ResumeBotError

if TYPE_CHECKING:
    import httpx

    from core.config import Settings
    from core.models import Document, ReviewResult
    from core.queue import Admission
    from core.review import ReviewRequest

REVIEWS = Counter(
    "resume_bot_reviews", "Reviews finished, by engine and outcome", ["engine", "outcome"]
)
REVIEW_SECONDS = Histogram(
    "resume_bot_review_seconds",
    "Time to review one file (download excluded), by engine",
    ["engine"],
    buckets=(0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300),
)
QUEUE_WAIT_SECONDS = Histogram(
    "resume_bot_queue_wait_seconds",
    "Time from joining the line to the review starting",
    buckets=(0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600),
)
QUEUE_WAITING = Gauge("resume_bot_queue_waiting", "Reviews waiting for a slot in this process")
IN_FLIGHT = Gauge("resume_bot_reviews_in_flight", "Reviews running in this process")
FALLBACKS = Counter(
    "resume_bot_model_fallbacks",
    "Reviews where the model was asked and the offline review was sent instead, by reason",
    ["reason"],
)
PLATFORM_ERRORS = Counter(
    "resume_bot_platform_api_errors",
    "Failed platform API calls, by platform and kind (rate_limited: HTTP 429)",
    ["platform", "kind"],
)


def platform_error(platform: str, *, rate_limited: bool = False, kind: str = "error") -> None:
    """Count one failed platform call (the bots call this where they see the error); `kind` is
    one of a small fixed set per platform (bots/<platform>/metrics.py)."""
    PLATFORM_ERRORS.labels(platform, "rate_limited" if rate_limited else kind).inc()


def fallback_reason(result: ReviewResult) -> str:
    """Why the model's rewrite is missing (core/ai_engine.py's FALLBACK_REASONS)."""
    return result.fallback or "other"


Reviewer = Callable[..., Awaitable[tuple["Document", "ReviewResult"]]]


class MeasuredReviews:
    """Wraps a reviewer (`review_with_document` or `WorkerReviews`): counts and times each."""

    def __init__(self, reviewer: Reviewer) -> None:
        self._reviewer = reviewer

    async def __call__(
        self,
        request: ReviewRequest,
        settings: Settings,
        http: httpx.AsyncClient | None = None,
        **options: Any,
    ) -> tuple[Document, ReviewResult]:
        from core.review import resolve_engine

        asked = resolve_engine(request.engine, settings)
        start = time.perf_counter()
        try:
            document, result = await self._reviewer(request, settings, http, **options)
        except ResumeBotError:
            REVIEWS.labels(asked, "refused").inc()
            raise
        except Exception:
            REVIEWS.labels(asked, "failed").inc()
            raise
        engine = result.engine.partition(":")[0]  # "huggingface:<model>" → "huggingface"
        REVIEW_SECONDS.labels(engine).observe(time.perf_counter() - start)
        REVIEWS.labels(engine, "ok").inc()
        if asked == "huggingface" and (result.fallback or engine != "huggingface"):
            FALLBACKS.labels(fallback_reason(result)).inc()
        return document, result


class MeasuredQueue:
    """Wraps an `Admission`: the wait before each review, and the line's length at scrape time."""

    def __init__(self, queue: Admission) -> None:
        self.inner = queue
        QUEUE_WAITING.set_function(lambda: queue.waiting)
        IN_FLIGHT.set_function(lambda: queue.in_flight)

    @property
    def in_flight(self) -> int:
        return self.inner.in_flight

    @property
    def waiting(self) -> int:
        return self.inner.waiting

    @asynccontextmanager
    async def slot(
        self, user: str, *, on_wait: Callable[[int], Awaitable[None]] | None = None
    ) -> AsyncIterator[None]:
        start = time.perf_counter()
        async with self.inner.slot(user, on_wait=on_wait):
            QUEUE_WAIT_SECONDS.observe(time.perf_counter() - start)
            yield

    async def close(self, timeout_s: float) -> bool:
        return await self.inner.close(timeout_s)

    def __getattr__(self, name: str) -> Any:  # depth(), check_quota(), ... of the inner queue
        return getattr(self.inner, name)


async def _metrics(_: web.Request) -> web.Response:
    body = generate_latest()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _health(_: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def add_routes(app: web.Application) -> None:
    """`/metrics` and `/healthz` on an existing aiohttp app (the Slack bot's HTTP server)."""
    app.router.add_get("/metrics", _metrics)
    if not any(getattr(r, "resource", None) and r.resource.canonical == "/healthz"
               for r in app.router.routes()):  # fmt: skip
        app.router.add_get("/healthz", _health)


@asynccontextmanager
async def serving(host: str, port: int | None) -> AsyncIterator[int | None]:
    """`/metrics` and `/healthz` on `port` (0: any free one, yielded) while the block runs."""
    if port is None:
        yield None
        return
    app = web.Application()
    add_routes(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        yield int(runner.addresses[0][1])
    finally:
        await runner.cleanup()
