"""Deliveries on a real Redis (core/scale/handover.py): an expired one is adopted by exactly
one replica of its platform, its late first owner stands down, and Redis holds it sealed."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from core.scale.handover import Handover
from core.scale.jobs import Sealer, WorkerReviews

LEASE_S = 30.0
RECORD = {"reply_to": {"channel": "D0JANE", "ts": "17.1"}, "job": "Data engineer at Acme"}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def handover(redis: Redis, key: str, clock: Clock) -> Handover:
    sealer = Sealer(key)
    reviews = WorkerReviews(redis, sealer, timeout_s=5)  # type: ignore[arg-type]
    return Handover(redis, sealer, reviews, lease_s=LEASE_S, clock=clock)


async def test_an_expired_delivery_is_adopted_once_and_its_late_owner_stands_down(
    replicas: tuple[Redis, Redis], state_key: str
) -> None:
    first, second = replicas
    clock = Clock()
    owner, survivors = (
        handover(first, state_key, clock),
        [handover(second, state_key, clock) for _ in range(3)],
    )
    delivery = owner.new()
    delivery.record = RECORD
    await owner.begin(delivery, "slack")
    stored = b"".join(await first.hvals(f"resume-bot:delivery:{delivery.id}"))
    assert b"D0JANE" not in stored and b"Acme" not in stored  # sealed with STATE_KEY
    assert await survivors[0].sweep("slack") == []  # its lease is alive
    clock.now += LEASE_S + 1  # not renewed: its replica was killed (or paused)
    assert await survivors[0].sweep("discord") == []  # not a Discord bot's to answer
    found = await asyncio.gather(*(s.sweep("slack") for s in survivors))
    [(adopter, [adopted])] = [(s, f) for s, f in zip(survivors, found, strict=True) if f]
    assert adopted.id == delivery.id and adopted.record == RECORD
    assert not await owner.finish(delivery)  # back from its pause: another one answers
    assert await adopter.finish(adopted)
    # the winner claims again before posting (it claimed before keeping the version); the late
    # owner still may not: it neither keeps the version nor answers
    assert await adopter.finish(adopted) and not await owner.finish(delivery)
    assert await owner.known([delivery.id, "lost-with-redis"]) == {delivery.id}  # answered
    clock.now += LEASE_S + 1
    assert [await s.sweep("slack") for s in survivors] == [[], [], []]  # answered: gone
    for h in (owner, *survivors):
        await h.aclose()


async def test_a_delivery_handed_off_at_shutdown_is_adopted_at_the_next_sweep(
    replicas: tuple[Redis, Redis], state_key: str
) -> None:
    first, second = replicas
    clock = Clock()
    leaving, staying = handover(first, state_key, clock), handover(second, state_key, clock)
    delivery = leaving.new()
    delivery.record = RECORD
    await leaving.begin(delivery, "slack")
    assert await leaving.hand_off(delivery)
    [adopted] = await staying.sweep("slack")  # at once: no lease to wait out
    assert adopted.id == delivery.id
    assert await staying.finish(adopted)
    for h in (leaving, staying):
        await h.aclose()
