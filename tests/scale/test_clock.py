"""Redis's clock read through a local offset, against a real Redis server.

A wrong machine clock is a local clock set ten minutes ahead. That such a replica still waits
its turn in the shared line is tests/scale/test_shared.py's first test.
"""

from __future__ import annotations

import time

from redis.asyncio import Redis

from core.scale.clock import RedisClock

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
