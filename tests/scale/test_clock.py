"""Leases on Redis's clock: a replica whose own clock is wrong still keeps the others' places.

Against a real Redis server; a wrong machine clock is a local clock set ten minutes ahead.
"""

from __future__ import annotations

import asyncio
import time

from redis.asyncio import Redis

from core.scale.clock import RedisClock
from core.scale.shared import RedisReviewQueue

AHEAD_S = 600.0  # ten minutes: twenty leases of 30 s


def ahead() -> float:
    return time.time() + AHEAD_S


async def test_a_clock_running_ahead_reads_redis_time(replicas: tuple[Redis, Redis]) -> None:
    right, wrong = RedisClock(replicas[0]), RedisClock(replicas[1], local=ahead)
    await right.sync()
    await wrong.sync()
    assert abs(wrong() - right()) < 0.5 and abs(wrong.offset + AHEAD_S) < 0.5
    seconds, micros = await replicas[0].time()
    assert abs(right() - (seconds + micros / 1e6)) < 0.5


async def test_a_replica_whose_clock_runs_ahead_waits_its_turn(
    replicas: tuple[Redis, Redis],
) -> None:
    """Its own clock would say the first replica's lease ran out ten minutes ago: its first
    look at the line (which frees leases run out) would free ann's slot and take it."""
    clock = RedisClock(replicas[1], local=ahead)
    one = RedisReviewQueue(replicas[0], max_concurrent=1, per_user_per_hour=10)
    async with clock.kept():
        two = RedisReviewQueue(replicas[1], max_concurrent=1, per_user_per_hour=10, clock=clock)
        holding, release, queued = asyncio.Event(), asyncio.Event(), asyncio.Event()
        places: list[int] = []

        async def first() -> None:
            async with one.slot("slack:T:ann"):
                holding.set()
                await release.wait()

        async def on_wait(place: int) -> None:
            places.append(place)
            queued.set()

        async def second() -> None:
            async with two.slot("slack:T:bob", on_wait=on_wait):
                pass

        holder = asyncio.create_task(first())
        await holding.wait()
        waiter = asyncio.create_task(second())
        await asyncio.wait_for(queued.wait(), 10)
        assert places == [1] and not waiter.done()
        release.set()
        await asyncio.wait_for(asyncio.gather(holder, waiter), 10)
