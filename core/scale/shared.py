"""The review queue and event claims on Redis, shared by every bot replica.

The same promises as `core.queue.ReviewQueue` — a FIFO line with places people are told,
at most `max_concurrent` reviews in flight (now across every replica), one at a time per
person, an hourly quota per person — kept in Redis and changed only by Lua scripts, so
two replicas never both take the last slot.

A place in line or a slot is a lease: the process holding it renews it every
REDIS_LEASE_RENEW_SECONDS, and anything not renewed for REDIS_LEASE_SECONDS (a replica
killed) is freed by the next waiter. Redis holds only opaque ticket ids and the person's
queue key (platform ids, never resume text). When Redis is unreachable a waiter keeps
waiting and asks again; it is not turned away, and a ticket lost in a Redis restart
joins the line again.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

from core.errors import RateLimitedError, ShuttingDownError
from core.limits import (
    REDIS_EVENT_TTL_SECONDS,
    REDIS_LEASE_RENEW_SECONDS,
    REDIS_LEASE_SECONDS,
    REDIS_POLL_MAX_SECONDS,
    REDIS_POLL_SECONDS,
    REDIS_RETRY_SECONDS,
)
from core.queue import HOUR_S

log = logging.getLogger(__name__)

PREFIX = "resume-bot:"
# Redis away, or gone mid-transaction (arq enqueues under WATCH): wait and try again
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, WatchError, OSError)

# KEYS: quota, waiting, tickets, seq, leases  ARGV: now, hour, limit, ticket, user, lease, count
_ENTER = """
local now, hour, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if ARGV[7] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - hour)
  if redis.call('ZCARD', KEYS[1]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {0, tonumber(oldest[2])}
  end
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], hour)
end
local seq = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[2], seq, ARGV[4])
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
redis.call('ZADD', KEYS[5], ARGV[6], ARGV[4])
return {1, seq}
"""

# KEYS: waiting, tickets, leases, running  ARGV: ticket, now, max, lease
# → {1, 0} admitted, {0, place} still waiting, {-1, 0} the ticket is unknown (Redis restarted)
_TRY_ADMIT = """
local now, max = tonumber(ARGV[2]), tonumber(ARGV[3])
for _, t in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('ZREM', KEYS[1], t)
  redis.call('SREM', KEYS[4], t)
  redis.call('HDEL', KEYS[2], t)
  redis.call('ZREM', KEYS[3], t)
end
if not redis.call('ZSCORE', KEYS[3], ARGV[1]) then return {-1, 0} end
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then return {1, 0} end
local running = redis.call('SMEMBERS', KEYS[4])
local busy = {}
for _, t in ipairs(running) do
  local u = redis.call('HGET', KEYS[2], t)
  if u then busy[u] = true end
end
local free = max - #running
for i, t in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local u = redis.call('HGET', KEYS[2], t)
  local eligible = free > 0 and u and not busy[u]
  if t == ARGV[1] then
    if eligible then
      redis.call('ZREM', KEYS[1], t)
      redis.call('SADD', KEYS[4], t)
      return {1, 0}
    end
    return {0, i}
  end
  if eligible then
    free = free - 1
    busy[u] = true
  end
end
return {-1, 0}
"""


def connect(url: str) -> Redis:
    """A client that fails fast when Redis is away (callers retry; the bot keeps acking)."""
    return Redis.from_url(url, socket_connect_timeout=2.0, socket_timeout=5.0)


class RedisClaims:
    """`SET NX EX`: the first replica to see an event id answers it; the others skip it."""

    def __init__(
        self, redis: Redis, *, prefix: str = PREFIX, ttl_s: float = REDIS_EVENT_TTL_SECONDS
    ) -> None:
        self._redis, self._prefix, self._ttl_ms = redis, prefix, int(ttl_s * 1000)

    async def claim(self, key: str) -> bool:
        return bool(
            await self._redis.set(f"{self._prefix}claim:{key}", b"1", nx=True, px=self._ttl_ms)
        )


class RedisReviewQueue:
    """`ReviewQueue`'s promises for every replica at once (see the module docstring)."""

    def __init__(
        self,
        redis: Redis,
        max_concurrent: int,
        per_user_per_hour: int,
        *,
        prefix: str = PREFIX,
        clock: Callable[[], float] = time.time,
        lease_s: float = REDIS_LEASE_SECONDS,
        poll_s: float = REDIS_POLL_SECONDS,
    ) -> None:
        self.max_concurrent = max_concurrent
        self.per_user_per_hour = per_user_per_hour
        self._redis = redis
        self._clock = clock
        self._lease_ms = int(lease_s * 1000)
        self._poll_s = poll_s
        self._keys = {
            name: f"{prefix}queue:{name}"
            for name in ("waiting", "tickets", "seq", "leases", "running")
        }
        self._quota = f"{prefix}quota:"
        self._enter = redis.register_script(_ENTER)
        self._try_admit = redis.register_script(_TRY_ADMIT)
        self._mine: set[str] = set()  # this process's tickets, renewed while held
        self._running = 0
        self._waiting = 0
        self._closed = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._renewer: asyncio.Task[None] | None = None

    @property
    def in_flight(self) -> int:
        """Reviews in flight in this process (the shared count is in Redis)."""
        return self._running

    @property
    def waiting(self) -> int:
        return self._waiting

    async def depth(self) -> tuple[int, int]:
        """(waiting, in flight) across every replica."""
        k = self._keys
        waiting, running = await asyncio.gather(
            self._redis.zcard(k["waiting"]), self._redis.scard(k["running"])
        )
        return int(waiting), int(running)

    @asynccontextmanager
    async def slot(
        self, user: str, *, on_wait: Callable[[int], Awaitable[None]] | None = None
    ) -> AsyncIterator[None]:
        """Hold one review slot for `user` among every replica's; `on_wait(place)` if they queue."""
        if self._closed:
            raise ShuttingDownError()
        ticket = uuid.uuid4().hex
        await self._join(ticket, user, count=True)
        self._mine.add(ticket)
        self._ensure_renewer()
        self._waiting += 1
        try:
            told = False
            while True:
                if self._closed:
                    raise ShuttingDownError()
                status, place = await self._ask(ticket)
                if status == 1:
                    break
                if status == -1:  # Redis lost our place (restarted empty): join again
                    await self._join(ticket, user, count=False)
                    continue
                if not told and on_wait is not None:
                    told = True
                    await on_wait(place)
                # far back in line, ask less often: 200 waiters polling at once would keep
                # Redis and this event loop busy (and slow the platform's acks) for nothing
                await asyncio.sleep(min(self._poll_s * place, REDIS_POLL_MAX_SECONDS))
        except BaseException:
            self._waiting -= 1
            await self._release(ticket)
            raise
        self._waiting -= 1
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()
            await self._release(ticket)

    async def close(self, timeout_s: float) -> bool:
        """Stop admitting here; waiters give up at their next look; wait for reviews in flight."""
        self._closed = True
        try:
            await asyncio.wait_for(self._idle.wait(), timeout_s)
            return True
        except TimeoutError:
            return False
        finally:
            if self._running == 0 and self._renewer is not None:
                self._renewer.cancel()

    # --- Redis round trips, each retried while Redis is away ------------------------------

    async def _join(self, ticket: str, user: str, *, count: bool) -> None:
        k = self._keys
        while True:
            now = self._clock()
            try:
                ok, value = await self._enter(
                    keys=[self._quota + user, k["waiting"], k["tickets"], k["seq"], k["leases"]],
                    args=[
                        int(now * 1000),
                        int(HOUR_S * 1000),
                        self.per_user_per_hour,
                        ticket,
                        user,
                        self._lease_until(now),
                        "1" if count else "0",
                    ],
                )
                break
            except UNREACHABLE as exc:
                await self._unreachable(exc)
        if not ok:
            minutes = max(1, round((HOUR_S - (now - int(value) / 1000)) / 60))
            plural = "s" if minutes != 1 else ""
            raise RateLimitedError(
                f"You've had {self.per_user_per_hour} reviews in the last hour, "
                "which is the limit.",
                hint=f"You can send another in about {minutes} minute{plural}.",
            )

    async def _ask(self, ticket: str) -> tuple[int, int]:
        k = self._keys
        while True:
            now = self._clock()
            try:
                status, place = await self._try_admit(
                    keys=[k["waiting"], k["tickets"], k["leases"], k["running"]],
                    args=[ticket, int(now * 1000), self.max_concurrent, self._lease_until(now)],
                )
                return int(status), int(place)
            except UNREACHABLE as exc:
                await self._unreachable(exc)

    async def _release(self, ticket: str) -> None:
        self._mine.discard(ticket)
        k = self._keys
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zrem(k["waiting"], ticket).srem(k["running"], ticket)
                pipe.hdel(k["tickets"], ticket).zrem(k["leases"], ticket)
                await pipe.execute()
        except UNREACHABLE as exc:  # its lease runs out instead
            log.warning("redis: could not free a queue slot: %s", type(exc).__name__)

    def _lease_until(self, now: float) -> int:
        return int(now * 1000) + self._lease_ms

    async def _unreachable(self, exc: BaseException) -> None:
        log.warning("redis unreachable (%s): reviews wait until it is back", type(exc).__name__)
        await asyncio.sleep(REDIS_RETRY_SECONDS)

    def _ensure_renewer(self) -> None:
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.create_task(self._renew())

    async def _renew(self) -> None:
        """Keep this process's places and slots alive; stop when it holds none."""
        while self._mine:
            await asyncio.sleep(min(REDIS_LEASE_RENEW_SECONDS, self._lease_ms / 3000))
            mapping: dict[Any, Any] = {t: self._lease_until(self._clock()) for t in self._mine}
            if not mapping:
                break
            try:
                await self._redis.zadd(self._keys["leases"], mapping, xx=True)
            except UNREACHABLE as exc:
                log.warning("redis: could not renew queue leases: %s", type(exc).__name__)
