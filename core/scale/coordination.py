"""One small interface for what replicas must agree on, with two implementations.

- the review queue (places in line, reviews in flight, one at a time per person, the hourly
  quota): `core.queue.ReviewQueue` in one process, `core.scale.shared.RedisReviewQueue` on Redis;
- platform event claims (a retried event answered once): none in one process (the bots'
  own TTL caches and the state store do it), `RedisClaims` on Redis;
- who reviews a file: `review_with_document` in this process, or an arq job that a
  `resume-bot worker` runs (`core.scale.jobs.WorkerReviews`);
- answers owed (`core.scale.handover.Handover`, Redis only): what a replica needs to finish
  another's delivery, should that one die while its review is on a worker.

`coordination(settings)` picks by REDIS_URL; tests and benchmarks may build either directly.
Both are measured for /metrics (core/scale/metrics.py) without changing what they do.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from core.config import Settings
from core.queue import ReviewQueue

if TYPE_CHECKING:
    from core.models import Document, ReviewResult
    from core.queue import Admission
    from core.scale.handover import Handover

log = logging.getLogger(__name__)


class EventClaims(Protocol):
    """First-come claims on platform event ids, shared by every replica."""

    async def claim(self, key: str) -> bool:
        """True for the first caller with `key` (within the claim's lifetime), False after."""


@dataclass
class Coordination:
    """What one process shares with its peers: the queue, the claims, the reviewer, Redis."""

    queue: Admission
    reviewer: Callable[..., Awaitable[tuple[Document, ReviewResult]]]
    claims: EventClaims | None = None
    redis: Any = None  # arq's ArqRedis (a redis.asyncio.Redis) when distributed
    handover: Handover | None = None  # answers owed, that another replica can finish

    @property
    def distributed(self) -> bool:
        return self.redis is not None


@asynccontextmanager
async def coordination(settings: Settings) -> AsyncIterator[Coordination]:
    """The embedded queue and reviews, or (REDIS_URL set) Redis's queue, claims and workers."""
    from core.review import review_with_document
    from core.scale.metrics import MeasuredQueue, MeasuredReviews

    if settings.redis_url is None:
        queue = ReviewQueue(settings.max_concurrent_reviews, settings.user_reviews_per_hour)
        yield Coordination(MeasuredQueue(queue), MeasuredReviews(review_with_document))
        return
    from arq import create_pool
    from arq.connections import RedisSettings

    from core.scale.clock import RedisClock
    from core.scale.handover import Handover
    from core.scale.jobs import QUEUE_NAME, Sealer, WorkerReviews
    from core.scale.shared import RedisClaims, RedisReviewQueue

    sealer = Sealer.from_settings(settings)  # before connecting: a missing key fails fast
    redis_settings = RedisSettings.from_dsn(settings.redis_url.get_secret_value())
    redis_settings.conn_timeout = 2
    pool = await create_pool(redis_settings, default_queue_name=QUEUE_NAME)
    workers = WorkerReviews(pool, sealer, timeout_s=settings.job_timeout_s)
    clock = RedisClock(pool)  # every replica's leases on Redis's clock, not each machine's
    handover = Handover(pool, sealer, workers, lease_s=settings.redis_lease_s, clock=clock)
    try:
        async with clock.kept():
            shared = RedisReviewQueue(
                pool,
                settings.max_concurrent_reviews,
                settings.user_reviews_per_hour,
                lease_s=settings.redis_lease_s,
                clock=clock,
            )
            log.info("distributed mode: queue and event claims on Redis, reviews on workers")
            yield Coordination(
                MeasuredQueue(shared), MeasuredReviews(workers), RedisClaims(pool), pool, handover
            )
    finally:
        await handover.aclose()
        await workers.aclose()
        await pool.aclose()
