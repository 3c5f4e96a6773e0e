"""Fair admission for reviews: a global limit on reviews in flight, a FIFO line with
positions users can be told, one review at a time per user, and an hourly per-user quota.

Adapters wrap each review in `async with queue.slot(user, on_wait=...)`. The platform
ack/defer happens before this, so waiting here never delays it.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

from core.errors import RateLimitedError, ShuttingDownError

HOUR_S = 3600.0


class Admission(Protocol):
    """What a conversation needs from a queue: this process's `ReviewQueue`, or the one every
    replica shares on Redis (core/scale/shared.py)."""

    @property
    def in_flight(self) -> int: ...

    @property
    def waiting(self) -> int: ...

    def slot(
        self, user: str, *, on_wait: Callable[[int], Awaitable[None]] | None = None
    ) -> AbstractAsyncContextManager[None]: ...

    async def close(self, timeout_s: float) -> bool: ...


@dataclass(eq=False)
class _Waiter:
    user: str
    future: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class ReviewQueue:
    """Admission control shared by every adapter in one process."""

    def __init__(
        self,
        max_concurrent: int,
        per_user_per_hour: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_concurrent = max_concurrent
        self.per_user_per_hour = per_user_per_hour
        self._clock = clock
        self._active: dict[str, int] = defaultdict(int)
        self._running = 0
        self._waiting: deque[_Waiter] = deque()
        self._history: dict[str, deque[float]] = defaultdict(deque)
        self._closed = False
        self._idle = asyncio.Event()
        self._idle.set()

    # --- what adapters ask ---------------------------------------------------------

    @property
    def in_flight(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def check_quota(self, user: str) -> None:
        """Raise `RateLimitedError` (with when to retry) if `user` used up this hour's reviews."""
        now = self._clock()
        history = self._history[user]
        while history and now - history[0] >= HOUR_S:
            history.popleft()
        if len(history) >= self.per_user_per_hour:
            minutes = max(1, round((HOUR_S - (now - history[0])) / 60))
            raise RateLimitedError(
                f"You've had {self.per_user_per_hour} reviews in the last hour, which is the limit.",
                hint=f"You can send another in about {minutes} minute{'s' if minutes != 1 else ''}.",
            )

    @asynccontextmanager
    async def slot(
        self, user: str, *, on_wait: Callable[[int], Awaitable[None]] | None = None
    ) -> AsyncIterator[None]:
        """Hold one review slot for `user`; `on_wait(position)` is awaited if they must queue."""
        if self._closed:
            raise ShuttingDownError()
        self.check_quota(user)
        self._history[user].append(self._clock())
        waiter = _Waiter(user)
        self._waiting.append(waiter)
        self._admit()
        if not waiter.future.done():
            try:
                if (
                    on_wait is not None
                ):  # inside the try: a failing or cancelled callback must not strand the waiter
                    await on_wait(self.position(waiter))
                await waiter.future
            except BaseException:
                if waiter in self._waiting:
                    self._waiting.remove(waiter)
                elif (
                    waiter.future.done()
                    and not waiter.future.cancelled()
                    and waiter.future.exception() is None
                ):
                    self._finish(user)  # admitted just as we were cancelled: give the slot back
                raise
        try:
            yield
        finally:
            self._finish(user)

    def position(self, waiter: _Waiter) -> int:
        """1-based place in line among those waiting."""
        return list(self._waiting).index(waiter) + 1

    async def close(self, timeout_s: float) -> bool:
        """Stop admitting; cancel those still waiting; wait for reviews in flight. True if all finished."""
        self._closed = True
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.future.done():
                waiter.future.set_exception(ShuttingDownError())
        try:
            await asyncio.wait_for(self._idle.wait(), timeout_s)
            return True
        except TimeoutError:
            return False

    # --- bookkeeping ------------------------------------------------------------------

    def _start(self, user: str) -> None:
        self._running += 1
        self._active[user] += 1
        self._idle.clear()

    def _finish(self, user: str) -> None:
        self._running -= 1
        self._active[user] -= 1
        if self._active[user] <= 0:
            del self._active[user]
        self._admit()
        if self._running == 0:
            self._idle.set()

    def _admit(self) -> None:
        """Start the earliest waiters whose user has nothing running (FIFO, one per user)."""
        for waiter in list(self._waiting):
            if self._running >= self.max_concurrent:
                break
            if waiter.future.done():
                self._waiting.remove(waiter)
                continue
            if self._active.get(waiter.user, 0) == 0:
                self._waiting.remove(waiter)
                self._start(waiter.user)
                waiter.future.set_result(None)
