"""One clock for every replica's leases: Redis's own, read through a local offset.

A lease's end is a time one process writes and another reads: a place in line, a slot, an
answer owed (core/scale/shared.py, handover.py), and the hourly quota's timestamps. With each
machine's own clock, a replica whose clock runs ahead sees the others' leases as run out and
frees their places, or adopts answers still being given; one running behind holds a dead
replica's places too long. So every replica reads Redis's TIME, keeps the offset to its own
clock (taken at the round trip's midpoint, so the error is at most half a round trip) and
reads it again every REDIS_CLOCK_SYNC_SECONDS, which also follows a local clock that is
stepped (NTP) while running. A read that fails keeps the last offset.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from core.limits import REDIS_CLOCK_SYNC_SECONDS

log = logging.getLogger(__name__)


class RedisClock:
    """Callable like `time.time`, but on Redis's clock once `sync()` has run."""

    def __init__(self, redis: Any, local: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._local = local
        self.offset = 0.0  # Redis's time minus this machine's

    def __call__(self) -> float:
        return self._local() + self.offset

    async def sync(self) -> None:
        """Measure the offset to Redis's TIME now."""
        before = self._local()
        seconds, micros = await self._redis.time()
        after = self._local()
        self.offset = seconds + micros / 1e6 - (before + after) / 2

    @contextlib.asynccontextmanager
    async def kept(self, every_s: float = REDIS_CLOCK_SYNC_SECONDS) -> AsyncIterator[RedisClock]:
        """Synced now (a Redis that can't be read fails here, at start-up) and every `every_s`."""
        await self.sync()
        task = asyncio.create_task(self._resync(every_s))
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _resync(self, every_s: float) -> None:
        while True:
            await asyncio.sleep(every_s)
            try:
                await self.sync()
            except Exception as exc:  # Redis away: the last offset stays good for a long while
                log.warning("redis: could not read its clock: %s", type(exc).__name__)
