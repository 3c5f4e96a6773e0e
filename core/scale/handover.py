"""Deliveries any replica can finish: a bot replica killed mid-review loses no accepted request.

When a replica hands a review to the workers it first writes a *delivery* to Redis: where the
answer goes (platform ids: channel, thread, the "Reviewing…" message, the conversation key),
the arq job id, and what the answer needs around the review (the person's job description or
role, the notes) — sealed with STATE_KEY like the job itself, so Redis holds no resume text in
the clear. The delivery is a lease its replica renews while it waits on the job.

Every replica runs a sweeper. A delivery whose lease ran out (its replica was killed) is
adopted by exactly one survivor of the same platform: a Lua script moves the owner and the
lease atomically, so two survivors never both take it. The adopter waits on the same arq job
and posts the answer. Posting is claimed too (`finish`): the first owner to finish posts, and
a replica that was only slow (paused past its lease, then adopted) stands down instead of
answering a second time. A replica stopped with SIGTERM while a review is still on a worker
hands its delivery over at once (`hand_off`) rather than telling the person it stopped.

A review the dead replica had accepted but not yet handed over (waiting in line, downloading)
has no job to wait on: its state store row (core/state) is what is left. Each replica beats a
heartbeat on Redis with its store's owner id, and the rows of an owner without one are
recovered once (`claim`) by a survivor, as after a restart (core/conversation.py `recover`):
never the rows of a replica that is alive, and never one whose answer is a delivery here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.limits import DELIVERY_DONE_SECONDS, DELIVERY_KEEP_SECONDS, DELIVERY_SWEEP_MAX
from core.scale.shared import PREFIX, UNREACHABLE

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from core.models import Document, ReviewResult
    from core.scale.jobs import Sealer, WorkerReviews

log = logging.getLogger(__name__)

DONE = "done:"  # + who answered: kept a while, so a late owner stands down and the winner may
# claim again (it claims before keeping the version, then before posting)

# KEYS: leases  ARGV: now, lease until, me, delivery key prefix, how many, platform
# → {id, sealed record, id, sealed record, ...}: the deliveries this process now owns
_ADOPT = """
local out = {}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[5]))
for _, id in ipairs(due) do
  local key = ARGV[4] .. id
  local owner = redis.call('HGET', key, 'owner')
  if (not owner) or owner == 'done' or string.sub(owner, 1, 5) == 'done:' then
    redis.call('ZREM', KEYS[1], id)
  elseif redis.call('HGET', key, 'platform') == ARGV[6] then
    redis.call('HSET', key, 'owner', ARGV[3])
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    table.insert(out, id)
    table.insert(out, redis.call('HGET', key, 'record'))
  end
end
return out
"""

# KEYS: delivery, leases, the job's arq result  ARGV: me, id, how long to remember it was done
# → 1: post the answer now (nobody else will; again 1 for the same owner); 0: another owner took it
_FINISH = """
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner == 'done:' .. ARGV[1] then return 1 end
if owner and owner ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'owner', 'done:' .. ARGV[1])
redis.call('HDEL', KEYS[1], 'record')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
return 1
"""

# KEYS: delivery, leases  ARGV: me, id, now → 1 when handed over (lease ended now)
_HAND_OFF = """
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1
"""


@dataclass
class Delivery:
    """One answer owed: `id` is also the arq job's id; `record` what answering needs."""

    id: str
    record: dict[str, Any] = field(default_factory=dict)
    adopted: bool = False
    begun: bool = False  # written to Redis: from now on answering it is claimed (`finish`)


class Handover:
    """Deliveries on Redis, owned by a lease (see the module docstring); one per bot process."""

    def __init__(
        self,
        redis: Redis,
        sealer: Sealer,
        reviews: WorkerReviews,
        *,
        lease_s: float,
        prefix: str = PREFIX,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis, self._sealer, self._reviews = redis, sealer, reviews
        self._lease_ms = int(lease_s * 1000)
        self._clock = clock
        self._prefix = f"{prefix}delivery:"
        self._leases = f"{prefix}deliveries"
        self._alive = f"{prefix}alive:"
        self._claims = f"{prefix}recovered:"
        self.me = uuid.uuid4().hex  # this process
        self._adopt = redis.register_script(_ADOPT)
        self._finish = redis.register_script(_FINISH)
        self._hand_off = redis.register_script(_HAND_OFF)
        self._mine: set[str] = set()
        self._renewer: asyncio.Task[None] | None = None

    @property
    def lease_s(self) -> float:
        return self._lease_ms / 1000

    def new(self) -> Delivery:
        return Delivery(uuid.uuid4().hex)

    async def begin(self, delivery: Delivery, platform: str) -> None:
        """Write the delivery before its job is enqueued; renewed from now until `close`."""
        key = self._prefix + delivery.id
        sealed = self._sealer.seal(delivery.record)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(key, mapping={"owner": self.me, "platform": platform, "record": sealed})
                pipe.pexpire(key, int(DELIVERY_KEEP_SECONDS * 1000))
                pipe.zadd(self._leases, {delivery.id: self._until()})
                await pipe.execute()
        except UNREACHABLE as exc:  # the review still runs; only a crash now would lose it
            log.warning("redis: could not record a delivery: %s", type(exc).__name__)
        delivery.begun = True
        self._hold(delivery.id)

    async def finish(self, delivery: Delivery) -> bool:
        """Claim the answer: True means post it now; False, another replica adopted it."""
        keys = [self._prefix + delivery.id, self._leases, _result_key(delivery.id)]
        args = [self.me, delivery.id, int(DELIVERY_DONE_SECONDS * 1000)]
        try:
            won = bool(await self._finish(keys=keys, args=args))
        except UNREACHABLE as exc:  # better answer twice than never
            log.warning("redis: could not claim a delivery: %s", type(exc).__name__)
            won = True
        self._mine.discard(delivery.id)
        if not won:
            log.info("delivery %s was adopted by another replica: standing down", delivery.id)
        return won

    async def hand_off(self, delivery: Delivery) -> bool:
        """At shutdown: end the lease now, so another replica answers. False: keep it here."""
        self._mine.discard(delivery.id)
        keys = [self._prefix + delivery.id, self._leases]
        try:
            return bool(await self._hand_off(keys=keys, args=[self.me, delivery.id, 0]))
        except UNREACHABLE as exc:
            log.warning("redis: could not hand a delivery over: %s", type(exc).__name__)
            return False

    def close(self, delivery: Delivery) -> None:
        """Stop renewing (finished, handed off, or never begun: its lease runs out)."""
        self._mine.discard(delivery.id)

    async def outcome(self, delivery: Delivery) -> tuple[Document, ReviewResult]:
        """Wait on the delivery's job, as its first owner did (raises what the review raised)."""
        return await self._reviews.wait(delivery.id)

    async def sweep(self, platform: str) -> list[Delivery]:
        """Adopt every delivery of `platform` whose lease ran out (each by one process only)."""
        now = self._clock()
        found = await self._adopt(
            keys=[self._leases],
            args=[int(now * 1000), self._until(), self.me, self._prefix, DELIVERY_SWEEP_MAX,
                  platform],
        )  # fmt: skip
        adopted = []
        for raw_id, sealed in zip(found[::2], found[1::2], strict=True):
            delivery = Delivery(raw_id.decode(), adopted=True, begun=True)
            try:
                delivery.record = self._sealer.open(sealed)
            except Exception as exc:  # another STATE_KEY, or damaged: nothing to answer with
                log.error("delivery %s can't be opened: %s", delivery.id, type(exc).__name__)
                await self.finish(delivery)
                continue
            self._hold(delivery.id)
            adopted.append(delivery)
        if adopted:
            log.info("adopted %d delivery(ies) a stopped replica left", len(adopted))
        return adopted

    # --- which processes are alive (for the reviews they accepted, core/conversation.py) ---

    async def heartbeat(self, process: str) -> None:
        """`process` (a state store's owner id) is alive for one more lease."""
        await self._redis.set(self._alive + process, b"1", px=self._lease_ms)

    async def alive(self, processes: Iterable[str]) -> set[str]:
        """Those of `processes` whose heartbeat is recent."""
        names = sorted(set(processes))
        if not names:
            return set()
        beats = await self._redis.mget([self._alive + p for p in names])
        return {p for p, beat in zip(names, beats, strict=True) if beat}

    async def known(self, delivery_ids: Iterable[str]) -> set[str]:
        """Those deliveries Redis still has (owed, or answered a moment ago); the rest it lost
        (restarted empty), so their reviews are recovered like any other."""
        ids = sorted(set(delivery_ids))
        if not ids:
            return set()
        async with self._redis.pipeline(transaction=False) as pipe:
            for delivery_id in ids:
                pipe.exists(self._prefix + delivery_id)
            found = await pipe.execute()
        return {d for d, exists in zip(ids, found, strict=True) if exists}

    async def claim(self, key: str) -> bool:
        """True for the first process to claim `key` (a dead replica's review, recovered once)."""
        claimed = await self._redis.set(
            self._claims + key, b"1", nx=True, px=int(DELIVERY_KEEP_SECONDS * 1000)
        )
        return bool(claimed)

    # --- leases ---------------------------------------------------------------------------

    def _until(self) -> int:
        return int(self._clock() * 1000) + self._lease_ms

    def _hold(self, delivery_id: str) -> None:
        self._mine.add(delivery_id)
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.create_task(self._renew())

    async def _renew(self) -> None:
        """Keep this process's deliveries; stop when it holds none (restarted by `_hold`)."""
        while self._mine:
            await asyncio.sleep(self.lease_s / 3)
            mapping: dict[Any, Any] = {d: self._until() for d in self._mine}
            if not mapping:
                break
            try:
                await self._redis.zadd(self._leases, mapping, xx=True)
            except UNREACHABLE as exc:
                log.warning("redis: could not renew deliveries: %s", type(exc).__name__)

    async def aclose(self) -> None:
        if self._renewer is not None:
            self._renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewer


def _result_key(job_id: str) -> str:
    from arq.constants import result_key_prefix

    return result_key_prefix + job_id
