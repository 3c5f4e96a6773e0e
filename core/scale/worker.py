"""`resume-bot worker`: runs review jobs from Redis (arq) until SIGTERM.

Each worker reviews with the same code and parsing isolation as a bot (its own pool of
parse processes, the same time and memory limits), WORKER_JOBS at a time. It needs
REDIS_URL and STATE_KEY (to open the sealed files), and the model key if the model is
used; never a platform token. With STATE_URL (the bots' store) it keeps the model answer
cache there. `/healthz` and `/metrics` are served on PORT.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx

from core.config import Settings
from core.errors import ConfigError
from core.limits import REDIS_RETRY_SECONDS
from core.scale.jobs import (
    KEEP_RESULT_S,
    QUEUE_NAME,
    Sealer,
    announce_done,
    worker_functions,
)
from core.scale.metrics import MeasuredReviews, serving
from core.scale.shared import UNREACHABLE

if TYPE_CHECKING:
    from core.state.store import StateStore

log = logging.getLogger(__name__)

HOST = "0.0.0.0"  # a container routes PORT from outside; tests bind 127.0.0.1
POLL_SECONDS = 0.01  # how often an idle worker looks for a job (a review is ~40 ms of CPU)
ARQ_IN_PROGRESS_MARGIN_S = 10.0  # arq's own margin past a job's time limit, at most


async def run_worker(
    settings: Settings,
    *,
    host: str = HOST,
    stop: asyncio.Event | None = None,
    listening: asyncio.Future[int] | None = None,
) -> None:
    """Review jobs until `stop` is set (SIGTERM/SIGINT) or the task is cancelled.

    A job still running at the stop is cancelled and left to arq, which runs it again on
    another worker (within JOB_TRIES): the person still gets one answer.
    """
    from arq.connections import RedisSettings
    from arq.worker import Worker

    if settings.redis_url is None:
        raise ConfigError("REDIS_URL is not set: a worker takes its reviews from Redis.")
    sealer = Sealer.from_settings(settings)
    stop = stop or asyncio.Event()
    async with (
        httpx.AsyncClient() as http,
        serving(host, settings.port) as port,
        _model_cache(settings) as state,
    ):
        from core.review import review_with_document, warm_up

        warm_up()  # once, before the parse processes fork
        ctx = {
            "sealer": sealer,
            "settings": replace(settings, max_concurrent_reviews=settings.worker_jobs),
            "http": http,
            "reviewer": MeasuredReviews(review_with_document),
            "state": state,
        }
        log.info("worker ready: %d review(s) at a time", settings.worker_jobs)
        if listening is not None and port is not None and not listening.done():
            listening.set_result(port)
        while not stop.is_set():
            worker = Worker(
                functions=worker_functions(settings),
                redis_settings=RedisSettings.from_dsn(settings.redis_url.get_secret_value()),
                queue_name=QUEUE_NAME,
                max_jobs=settings.worker_jobs,
                keep_result=KEEP_RESULT_S,
                poll_delay=POLL_SECONDS,
                after_job_end=announce_done,
                handle_signals=False,
                log_results=False,
                ctx=ctx,
            )
            # a killed worker's job goes to another once its in-progress mark expires: arq sets
            # it to the time limit + 10 s; a live worker is done or cancelled at the limit, so a
            # shorter margin is enough to write the result (a 2 s limit: retried after 3 s, not 12)
            if hasattr(worker, "in_progress_timeout_s"):
                worker.in_progress_timeout_s = settings.job_timeout_s + _margin(settings)
            if not await _until_stopped(worker, stop):
                log.warning("redis unreachable: the worker connects again shortly")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), REDIS_RETRY_SECONDS)


def _margin(settings: Settings) -> float:
    return min(ARQ_IN_PROGRESS_MARGIN_S, max(1.0, settings.job_timeout_s / 4))


@contextlib.asynccontextmanager
async def _model_cache(settings: Settings) -> AsyncIterator[StateStore | None]:
    """The bots' state store when STATE_URL is set, for its model answer cache (MODEL_CACHE_HOURS):
    a worker then asks the model once for the same question, like a bot. Unset: no cache (a
    worker's own SQLite file would be a cache no other worker sees). The bots purge it."""
    if settings.state_url is None or settings.model_cache_hours <= 0:
        yield None
        return
    from core.state.store import open_state

    store = await open_state(settings)
    try:
        yield store
    finally:
        await store.close()


async def _until_stopped(worker: Any, stop: asyncio.Event) -> bool:
    """Run arq's loop until `stop` (True) or until Redis goes away (False: start again)."""
    running = asyncio.create_task(worker.async_run())
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if running.done():
            error = running.exception()
            if isinstance(error, UNREACHABLE):
                return False
            running.result()  # anything else is a bug: let it surface
        return True
    finally:
        stopping.cancel()
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await running
        with contextlib.suppress(Exception):
            await worker.close()
