"""Admission control: global limit, FIFO positions, one review per user at a time, hourly quota, shutdown.

No fixed sleeps: each test waits for the queue to report what it did (a slot entered, a place
told) before asserting, so "nothing else happened" is checked once the queue has settled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from core.errors import RateLimitedError, ShuttingDownError
from core.queue import ReviewQueue


class Signal:
    """An event that is set once `ready()` holds, re-checked whenever the test pokes it."""

    def __init__(self, ready: Callable[[], bool]) -> None:
        self._ready = ready
        self._event = asyncio.Event()

    def poke(self) -> None:
        if self._ready():
            self._event.set()

    async def wait(self) -> None:
        self.poke()
        await asyncio.wait_for(self._event.wait(), 10)


async def test_global_limit_and_positions_in_line() -> None:
    queue = ReviewQueue(max_concurrent=2, per_user_per_hour=10)
    release = asyncio.Event()
    positions: dict[str, int] = {}
    order: list[str] = []
    settled = Signal(lambda: len(order) == 2 and len(positions) == 3)

    async def review(user: str) -> None:
        async def told(position: int) -> None:
            positions[user] = position
            settled.poke()

        async with queue.slot(user, on_wait=told):
            order.append(user)
            settled.poke()
            await release.wait()

    tasks = [asyncio.create_task(review(f"u{i}")) for i in range(5)]
    await settled.wait()
    assert queue.in_flight == 2 and queue.waiting == 3
    assert positions == {"u2": 1, "u3": 2, "u4": 3}
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["u0", "u1", "u2", "u3", "u4"] and queue.in_flight == 0


async def test_one_review_at_a_time_per_user_lets_others_pass() -> None:
    queue = ReviewQueue(max_concurrent=2, per_user_per_hour=10)
    gate = asyncio.Event()
    started: list[str] = []
    waiting: list[str] = []
    settled = Signal(lambda: len(started) == 2 and waiting == ["a2"])

    async def review(user: str, tag: str) -> None:
        async def told(_: int) -> None:
            waiting.append(tag)
            settled.poke()

        async with queue.slot(user, on_wait=told):
            started.append(tag)
            settled.poke()
            await gate.wait()

    tasks = [
        asyncio.create_task(review("alice", "a1")),
        asyncio.create_task(review("alice", "a2")),
        asyncio.create_task(review("bob", "b1")),
    ]
    await settled.wait()
    assert started == ["a1", "b1"]  # alice's second file waits; bob isn't stuck behind it
    gate.set()
    await asyncio.gather(*tasks)
    assert started == ["a1", "b1", "a2"]


async def test_hourly_quota_says_when_to_retry() -> None:
    now = [1000.0]
    queue = ReviewQueue(max_concurrent=4, per_user_per_hour=2, clock=lambda: now[0])
    for _ in range(2):
        async with queue.slot("carol"):
            pass
    with pytest.raises(RateLimitedError) as info:
        async with queue.slot("carol"):
            pass
    assert "about 60 minutes" in info.value.for_user()
    async with queue.slot("dave"):
        pass  # other users are unaffected
    now[0] += 3601
    async with queue.slot("carol"):
        pass


async def test_cancelled_waiter_leaves_the_line() -> None:
    queue = ReviewQueue(max_concurrent=1, per_user_per_hour=10)
    gate, holding, in_line = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with queue.slot("a"):
            holding.set()
            await gate.wait()

    async def told(_: int) -> None:
        in_line.set()

    async def wait_then_run() -> None:
        async with queue.slot("b", on_wait=told):
            pass

    holder = asyncio.create_task(hold())
    await holding.wait()
    waiter = asyncio.create_task(wait_then_run())
    await in_line.wait()
    assert queue.waiting == 1
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    assert queue.waiting == 0
    gate.set()
    await holder
    assert queue.in_flight == 0


async def test_close_refuses_new_work_cancels_waiters_and_waits_for_running() -> None:
    queue = ReviewQueue(max_concurrent=1, per_user_per_hour=10)
    gate = asyncio.Event()
    outcomes: list[str] = []
    entered, in_line = asyncio.Event(), asyncio.Event()

    async def told(_: int) -> None:
        in_line.set()

    async def review(user: str) -> None:
        try:
            async with queue.slot(user, on_wait=told):
                entered.set()
                await gate.wait()
                outcomes.append(f"{user} done")
        except ShuttingDownError:
            outcomes.append(f"{user} told")

    running = asyncio.create_task(review("a"))
    await entered.wait()
    waiting = asyncio.create_task(review("b"))
    await in_line.wait()
    closing = asyncio.create_task(queue.close(timeout_s=5))
    await asyncio.gather(waiting)  # close() turned the waiter away: "b told"
    assert outcomes == ["b told"]
    with pytest.raises(ShuttingDownError):
        async with queue.slot("c"):
            pass
    gate.set()
    assert await closing is True
    await asyncio.gather(running, waiting)
    assert sorted(outcomes) == ["a done", "b told"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, (None, None)),
        ("   ", (None, None)),
        ("Senior Data Analyst", (None, "Senior Data Analyst")),
        ("please review my resume", (None, None)),
        ("Can you check this?", (None, None)),
        ("hi!", (None, None)),
        (
            "We are hiring a backend engineer\nRequirements: Python, SQL",
            ("We are hiring a backend engineer\nRequirements: Python, SQL", None),
        ),
        (
            "one two three four five six seven eight nine ten",
            ("one two three four five six seven eight nine ten", None),
        ),
    ],
)
def test_text_sent_with_a_file_is_a_role_or_a_job_description(
    text: str | None, expected: tuple[str | None, str | None]
) -> None:
    from core.review import split_job_and_role

    assert split_job_and_role(text) == expected
