"""The queue and event claims every replica shares, against a real Redis server.

Two clients stand for two bot processes; a killed replica is a real process killed
with SIGKILL; a Redis restart is the server killed and started again (empty).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from redis.asyncio import Redis

from core.config import Settings
from core.conversation import Conversations
from core.errors import ConfigError, RateLimitedError
from core.queue import ReviewQueue
from core.scale import coordination
from core.scale.clock import RedisClock
from core.scale.shared import RedisClaims, RedisReviewQueue
from tests.scale.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
KEY = Fernet.generate_key().decode()


def ten_minutes_ahead() -> float:
    return time.time() + 600.0  # twenty 30 s leases


@pytest.mark.parametrize("clock_ahead", [False, True], ids=["same clocks", "clock ahead"])
async def test_places_in_line_are_shared_by_replicas(
    replicas: tuple[Redis, Redis], clock_ahead: bool
) -> None:
    """With its machine's clock ten minutes ahead, the second replica would see the first's
    lease as run out on its first look at the line and take the slot: leases are timed on
    Redis's clock (core/scale/clock.py), so it waits its turn all the same."""
    clock = RedisClock(replicas[1], local=ten_minutes_ahead if clock_ahead else time.time)
    await clock.sync()
    one = RedisReviewQueue(replicas[0], max_concurrent=1, per_user_per_hour=10)
    two = RedisReviewQueue(replicas[1], max_concurrent=1, per_user_per_hour=10, clock=clock)
    places: list[int] = []
    release, holding, queued = asyncio.Event(), asyncio.Event(), asyncio.Event()

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
    await queued.wait()
    assert places == [1] and not waiter.done()  # the other replica's review holds the one slot
    assert await two.depth() == (1, 1)
    release.set()
    await asyncio.wait_for(asyncio.gather(holder, waiter), 10)
    assert await one.depth() == (0, 0)


async def test_one_review_at_a_time_per_person_across_replicas(
    replicas: tuple[Redis, Redis],
) -> None:
    one, two = (RedisReviewQueue(r, max_concurrent=4, per_user_per_hour=10) for r in replicas)
    release, holding = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def review(queue: RedisReviewQueue, name: str, user: str) -> None:
        async with queue.slot(user):
            order.append(name)
            if name == "first":
                holding.set()
                await release.wait()

    first = asyncio.create_task(review(one, "first", "discord:ann"))
    await holding.wait()
    same = asyncio.create_task(review(two, "same person", "discord:ann"))
    other = asyncio.create_task(review(two, "other person", "discord:bob"))
    await asyncio.wait_for(other, 10)
    assert order == ["first", "other person"] and not same.done()
    release.set()
    await asyncio.wait_for(asyncio.gather(first, same), 10)
    assert order[-1] == "same person"


async def test_hourly_quota_counts_every_replica(replicas: tuple[Redis, Redis]) -> None:
    one, two = (RedisReviewQueue(r, max_concurrent=4, per_user_per_hour=2) for r in replicas)
    for queue in (one, two):
        async with queue.slot("slack:T:ann"):
            pass
    with pytest.raises(RateLimitedError) as refused:
        async with one.slot("slack:T:ann"):
            pass
    assert "2 reviews in the last hour" in refused.value.for_user()
    assert "about 60 minutes" in refused.value.for_user()
    async with two.slot("slack:T:bob"):  # someone else is not affected
        pass


async def test_event_claimed_once_across_replicas(replicas: tuple[Redis, Redis]) -> None:
    claims = [RedisClaims(r) for r in replicas]
    won = await asyncio.gather(*(c.claim("slack:event:Ev1") for c in claims * 5))
    assert won.count(True) == 1
    assert await claims[1].claim("slack:event:Ev2")


HOLDER = """
import asyncio, sys
from core.scale.shared import RedisReviewQueue, connect

async def main():
    queue = RedisReviewQueue(connect(sys.argv[1]), 1, 10, lease_s=1.5)
    async with queue.slot("slack:T:gone"):
        print("holding", flush=True)
        await asyncio.Event().wait()

asyncio.run(main())
"""


async def test_a_killed_replica_frees_its_slot(redis_server: RedisServer) -> None:
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLDER,
        redis_server.url,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None
        line = await asyncio.wait_for(holder.stdout.readline(), 30)
        assert line.strip() == b"holding"
        os.kill(holder.pid, signal.SIGKILL)
        await holder.wait()
        settings = Settings(redis_url=redis_server.url, state_key=KEY, max_concurrent_reviews=1)
        async with coordination(settings) as shared:
            assert await shared.queue.depth() == (0, 1)  # type: ignore[attr-defined]
            places: list[int] = []

            async def on_wait(place: int) -> None:
                places.append(place)

            async with asyncio.timeout(10):
                async with shared.queue.slot("slack:T:next", on_wait=on_wait):
                    pass  # admitted once the dead replica's lease ran out
            assert places == [1]
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()


async def test_redis_restart_delays_reviews_and_never_blocks_acks(
    redis_server: RedisServer,
) -> None:
    settings = Settings(redis_url=redis_server.url, state_key=KEY)
    async with coordination(settings) as shared:
        assert shared.distributed
        conversations = Conversations(settings, shared.queue, claims=shared.claims)
        assert await conversations.claim_event("slack:event:Ev1")
        redis_server.stop()
        # Redis gone: an event is still claimed (answered rather than dropped), at once
        assert await asyncio.wait_for(conversations.claim_event("slack:event:Ev2"), 10)
        waiting = asyncio.create_task(_one_review(shared.queue))
        await asyncio.sleep(0)  # the review is waiting for Redis, not refused
        assert not waiting.done()
        redis_server.start()  # back, empty
        await asyncio.wait_for(waiting, 20)
        assert await shared.queue.depth() == (0, 0)  # type: ignore[attr-defined]


async def _one_review(queue: object) -> None:
    async with queue.slot("slack:T:ann"):  # type: ignore[attr-defined]
        pass


async def test_nothing_configured_is_the_embedded_queue() -> None:
    async with coordination(Settings()) as shared:
        assert isinstance(shared.queue.inner, ReviewQueue)  # type: ignore[attr-defined]
        assert shared.claims is None and not shared.distributed


async def test_redis_without_a_key_refuses_to_start(redis_server: RedisServer) -> None:
    with pytest.raises(ConfigError, match="STATE_KEY"):
        async with coordination(Settings(redis_url=redis_server.url)):
            pass
