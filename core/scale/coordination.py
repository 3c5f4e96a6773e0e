"""One small interface for what replicas must agree on, with two implementations.

- the review queue (places in line, reviews in flight, one at a time per person, the hourly
  quota): `core.queue.ReviewQueue` in one process, `core.scale.shared.RedisReviewQueue` on Redis;
- platform event claims (a retried event answered once): none in one process (the bots'
  own TTL caches and the state store do it), `RedisClaims` on Redis.

`coordination(settings)` picks by REDIS_URL; tests and benchmarks may build either directly.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from core.config import Settings
from core.queue import ReviewQueue

if TYPE_CHECKING:
    from core.queue import Admission

log = logging.getLogger(__name__)


class EventClaims(Protocol):
    """First-come claims on platform event ids, shared by every replica."""

    async def claim(self, key: str) -> bool:
        """True for the first caller with `key` (within the claim's lifetime), False after."""


@dataclass
class Coordination:
    """What one process shares with its peers: the queue, the claims, the Redis client."""

    queue: Admission
    claims: EventClaims | None = None
    redis: Any = None  # redis.asyncio.Redis when distributed

    @property
    def distributed(self) -> bool:
        return self.redis is not None


@asynccontextmanager
async def coordination(settings: Settings) -> AsyncIterator[Coordination]:
    """The embedded queue, or (REDIS_URL set) the Redis-backed queue and claims."""
    if settings.redis_url is None:
        yield Coordination(
            ReviewQueue(settings.max_concurrent_reviews, settings.user_reviews_per_hour)
        )
        return
    from core.scale.shared import RedisClaims, RedisReviewQueue, connect

    redis = connect(settings.redis_url.get_secret_value())
    try:
        queue = RedisReviewQueue(
            redis, settings.max_concurrent_reviews, settings.user_reviews_per_hour
        )
        log.info("distributed mode: queue and event claims on Redis")
        yield Coordination(queue, RedisClaims(redis), redis)
    finally:
        await redis.aclose()
