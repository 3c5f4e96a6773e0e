"""Load runs shared by tests/load and benchmarks/load.py: the real Slack app and Discord client
against the fake platforms and a slow fake model, all on 127.0.0.1, in this process.

Each run:
1. sends every event at once (Slack: signed HTTP requests from N users; Discord:
   N `/optimize` interactions over the gateway) with the model held behind a gate,
   so `max_concurrent_reviews` start and everyone else is queued;
2. records the ack (HTTP 200) / defer (callback type 5) latency of each;
3. opens the gate (each model call then takes `model_delay_s`) and, while the
   queue drains, keeps probing ack/defer latency with cheap requests;
4. waits (bounded) until every user has an answer, and returns what each user saw,
   the queue's own order (recorded by the queue itself), loop lag and peak RSS.

The gate makes the positions deterministic: nobody leaves the line before everyone
has joined, so those waiting must be told exactly #1..#N in the order they joined.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from aiohttp import web

from bots.discord.client import build_bot as build_discord_bot
from bots.slack.app import build_bot as build_slack_bot
from bots.slack.run import EVENTS_PATH, build_web_app
from core.config import Settings
from core.queue import ReviewQueue
from tests.fakes.discord import FakeDiscord, is_defer, is_followup, is_original_edit
from tests.fakes.model import API_KEY, SlowModel
from tests.fakes.slack import (
    BOT_TOKEN,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    Message,
    dm_file_share,
    event_callback,
    sign,
)

MAX_CONCURRENT = 4
MODEL_DELAY_S = 0.3
DRAIN_TIMEOUT_S = 300.0  # bounds a failure, not a goal: generous for a loaded machine
TICK_S = 0.005  # the lag probe's period
PROBE_EVERY_S = 0.1  # cheap requests sent while the queue drains
STARTUP_TIMEOUT_S = 60.0  # a bound on failure, not a goal: generous for a loaded machine

RESUME = """{name}
{name_lower}@example.com | +1 555 123 4567 | Berlin

Summary
Backend engineer with six years of experience building payment APIs in Python.

Experience
Software Engineer, Acme Payments, 2019 - Present
- Responsible for the payments API serving card transactions
- Led the migration of 40 services to Kubernetes, cutting deploy time by 60%
- Worked on improving test coverage of the billing service

Education
BSc Computer Science, State University, 2018

Skills
Python, SQL, Docker, PostgreSQL, Kubernetes
"""


def resume(n: int) -> bytes:
    name = f"Jane Doe{n:03d}"
    return RESUME.format(name=name, name_lower=name.lower().replace(" ", ".")).encode()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fmt_ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    return (
        f"p50 {statistics.median(values) * 1000:6.1f} ms  p99 {percentile(values, 0.99) * 1000:6.1f} ms"
        f"  max {max(values) * 1000:6.1f} ms  (n={len(values)})"
    )


# --- process measurements ------------------------------------------------------------


def reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets VmHWM, so the peak is this run's, not earlier tests'."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status_mb(field_name: str) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    return None


def peak_rss_mb() -> float:
    """VmHWM (peak resident set) of this process; the forked parse children are not counted."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    return _status_mb("VmRSS") or 0.0


@dataclass
class LagProbe:
    """A ticker on the event loop: how much later than asked it wakes up is the loop's lag."""

    worst_s: float = 0.0
    samples: int = 0
    _task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(TICK_S)
            self.worst_s = max(self.worst_s, loop.time() - start - TICK_S)
            self.samples += 1

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[LagProbe]:
        self._task = asyncio.create_task(self._tick())
        try:
            yield self
        finally:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class RecordingQueue(ReviewQueue):
    """The real queue, recording its own story: who joined at which place, who started after waiting.

    Read from the queue itself, not from log lines: a reworded log message can't
    make the fairness check pass or fail.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.joined: list[tuple[str, int | None]] = []  # (user, position or None: started at once)
        self.started_after_wait: list[str] = []

    @contextlib.asynccontextmanager
    async def slot(
        self, user: str, *, on_wait: Callable[[int], Awaitable[None]] | None = None
    ) -> AsyncIterator[None]:
        position: int | None = None

        async def recording_wait(place: int) -> None:
            nonlocal position
            position = place
            self.joined.append((user, place))
            if on_wait is not None:
                await on_wait(place)

        async with super().slot(user, on_wait=recording_wait):
            if position is None:
                self.joined.append((user, None))
            else:
                self.started_after_wait.append(user)
            yield


@dataclass
class LoadReport:
    """What a load run measured and what each user saw."""

    platform: str
    users: int
    acks_s: list[float]  # the burst: request → HTTP 200 / interaction → defer
    probe_acks_s: list[float]  # while the queue drained
    statuses: list[int]
    worst_lag_s: float
    peak_rss_mb: float
    total_s: float
    queue: RecordingQueue
    model_calls: int
    model_peak_in_flight: int
    answers: dict[str, list[str]]  # user → the final answers they got (one each)
    told: dict[str, list[str]]  # user → every version of the message they were shown
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ack_limit_s(self) -> float:
        return max(self.acks_s + self.probe_acks_s)

    def summary(self) -> str:
        what = "ack (HTTP 200)" if self.platform == "slack" else "defer (type 5)"
        waited = sum(1 for _, p in self.queue.joined if p is not None)
        return "\n".join(
            [
                f"{self.platform}: {self.users} users, {MAX_CONCURRENT} at once, model {MODEL_DELAY_S:.1f} s/call",
                f"  {what}, burst:           {fmt_ms(self.acks_s)}",
                f"  {what}, while draining:  {fmt_ms(self.probe_acks_s)}",
                f"  queued: {waited} told #1..#{waited}; model calls {self.model_calls}, "
                f"peak in flight {self.model_peak_in_flight}",
                f"  worst event-loop lag {self.worst_lag_s * 1000:.1f} ms (while reviews run, after the"
                f" burst: {self.extra.get('drain_lag_s', 0) * 1000:.1f} ms); peak RSS {self.peak_rss_mb:.0f} MB"
                f" (RSS {self.extra.get('rss_before_mb', 0):.0f} MB before the run, peak"
                f" {'reset' if self.extra.get('peak_reset') else 'NOT reset: includes earlier work'});"
                f" total {self.total_s:.1f} s",
            ]
        )


async def _until(predicate: Callable[[], bool], within_s: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + within_s
    while not predicate():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def _probe(send: Callable[[], Any], stop: asyncio.Event, out: list[float]) -> None:
    """Every PROBE_EVERY_S, time one cheap request until `stop` is set."""
    while not stop.is_set():
        start = time.perf_counter()
        await send()
        out.append(time.perf_counter() - start)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), PROBE_EVERY_S)


# --- Slack ---------------------------------------------------------------------------------


async def slack_load(users: int = 100, *, model_delay_s: float = MODEL_DELAY_S) -> LoadReport:
    """`users` DMs with a file at once to the real Bolt app (HTTP mode, signed requests)."""
    peak_reset, rss_before = reset_peak_rss(), rss_mb()
    began = time.perf_counter()
    fake, model = FakeSlack(), SlowModel(model_delay_s, gated=True)
    await fake.start()
    await model.start()
    settings = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        huggingface_api_key=API_KEY,
        huggingface_base_url=model.base_url,
        max_concurrent_reviews=MAX_CONCURRENT,
    )
    queue = RecordingQueue(settings.max_concurrent_reviews, settings.user_reviews_per_hour)
    probe = LagProbe()
    drain_probe = LagProbe()
    async with (
        aiohttp.ClientSession() as session,
        httpx.AsyncClient(timeout=30) as http,
        # Slack's side: aiohttp, as httpx's pool is O(connections²) per request and stalled the loop
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=users * 2)) as slack_side,
    ):
        bot = build_slack_bot(settings, http=http, session=session, socket_mode=False, queue=queue)
        await bot.warm_up()  # as run() does
        runner = web.AppRunner(build_web_app(bot.app), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, LOCALHOST, 0)
        await site.start()
        url = f"http://{LOCALHOST}:{site._server.sockets[0].getsockname()[1]}{EVENTS_PATH}"  # type: ignore[union-attr]

        async def post(payload: dict[str, Any]) -> tuple[int, float]:
            body = json.dumps(payload)
            headers = {**sign(body), "Content-Type": "application/json"}
            start = time.perf_counter()
            async with slack_side.post(url, data=body.encode(), headers=headers) as resp:
                await resp.read()
                return resp.status, time.perf_counter() - start

        events = []
        for n in range(users):
            user = f"U{n:04d}"
            file = fake.add_file(f"cv{n:03d}.txt", resume(n))
            events.append(
                dm_file_share([file], user=user, channel=f"D{user}", ts=f"1700001000.{n:06d}")
            )

        async def probe_edit() -> None:  # an edit: acked and ignored, the cheapest event
            edit = {
                "type": "message",
                "subtype": "message_changed",
                "channel": "DPROBE",
                "channel_type": "im",
                "ts": f"{time.time():.6f}",
                "message": {"text": "x"},
            }
            await post(event_callback(edit))

        probe_acks: list[float] = []
        stop_probe = asyncio.Event()
        try:
            async with probe.running():
                results = await asyncio.gather(*(post(event_callback(e)) for e in events))
                await _until(
                    lambda: (
                        queue.in_flight + queue.waiting == users
                        and sum(1 for m in fake.messages if "in line" in m.text)
                        == users - MAX_CONCURRENT
                    ),
                    DRAIN_TIMEOUT_S,
                    "everyone to be in line and told so",
                )
                prober = asyncio.create_task(_probe(probe_edit, stop_probe, probe_acks))
                model.gate.set()

                def all_answered() -> bool:
                    return sum(1 for u in fake.uploads.values() if u.channel) >= 2 * users

                async with drain_probe.running():  # the reviews themselves, after the burst
                    await fake.wait_for(all_answered, DRAIN_TIMEOUT_S)
                    stop_probe.set()
                    await prober
                await bot.conversations.tasks.drain(DRAIN_TIMEOUT_S)
        finally:
            await runner.cleanup()
            await model.close()
            await fake.close()

    def thread(e: dict[str, Any]) -> list[Message]:
        return fake.thread(e["channel"], e["ts"])

    told = {e["user"]: [v for m in thread(e) for v in (*m.history, m.all_text())] for e in events}
    answers = {
        e["user"]: [m.all_text() for m in thread(e) if "/100" in m.all_text()] for e in events
    }
    return LoadReport(
        platform="slack",
        users=users,
        acks_s=[t for _, t in results],
        probe_acks_s=probe_acks,
        statuses=[s for s, _ in results],
        worst_lag_s=probe.worst_s,
        peak_rss_mb=peak_rss_mb(),
        total_s=time.perf_counter() - began,
        queue=queue,
        model_calls=model.calls,
        model_peak_in_flight=model.peak_in_flight,
        answers=answers,
        told=told,
        extra={
            "drain_lag_s": drain_probe.worst_s,
            "peak_reset": peak_reset,
            "rss_before_mb": rss_before,
            "messages_per_user": {e["user"]: len(thread(e)) for e in events},
            "uploads_per_user": {
                e["user"]: len(fake.uploads_in(e["channel"], e["ts"])) for e in events
            },
            "key": {e["user"]: f"slack:T0001:{e['user']}" for e in events},
        },
    )


# --- Discord -------------------------------------------------------------------------------


async def discord_load(users: int = 50, *, model_delay_s: float = MODEL_DELAY_S) -> LoadReport:
    """`users` `/optimize` interactions at once to the real discord.py client over the fake gateway."""
    peak_reset, rss_before = reset_peak_rss(), rss_mb()
    began = time.perf_counter()
    fake, model = FakeDiscord(), SlowModel(model_delay_s, gated=True)
    await fake.start()
    await model.start()
    settings = Settings(
        discord_bot_token=fake.token,
        discord_api_url=fake.api_url,
        huggingface_api_key=API_KEY,
        huggingface_base_url=model.base_url,
        max_concurrent_reviews=MAX_CONCURRENT,
    )
    queue = RecordingQueue(settings.max_concurrent_reviews, settings.user_reviews_per_hour)
    async with httpx.AsyncClient(timeout=30) as http:
        bot = build_discord_bot(settings, http=http, queue=queue)
        client = bot.client
        serving = asyncio.create_task(client.start(fake.token))
        probe, drain_probe = LagProbe(), LagProbe()
        probe_defers: list[float] = []
        try:
            async with asyncio.timeout(STARTUP_TIMEOUT_S):
                while client.get_guild(int(fake.guild_id)) is None:
                    if serving.done():
                        serving.result()
                    await asyncio.sleep(0.01)
            payloads = []
            for n in range(users):
                uid = fake.new_id()
                payloads.append(
                    fake.optimize(fake.attachment(f"cv{n:03d}.txt", resume(n)), user_id=uid)
                )

            async def defer_latency(payload: dict[str, Any]) -> float:
                sent = await fake.dispatch("INTERACTION_CREATE", payload)
                [defer] = await fake.wait_for(
                    lambda c: is_defer(c) and payload["id"] in c.path, within_s=DRAIN_TIMEOUT_S
                )
                return defer.at - sent

            async def probe_menu() -> (
                None
            ):  # "Review resume" on a message without a file: answered at once
                payload = fake.review_menu(fake.message("no file here"))
                sent = await fake.dispatch("INTERACTION_CREATE", payload)
                [answer] = await fake.wait_for(
                    lambda c: c.path.endswith("/callback") and payload["id"] in c.path,
                    within_s=DRAIN_TIMEOUT_S,
                )
                probe_defers.append(answer.at - sent)

            stop_probe = asyncio.Event()
            async with probe.running():
                defers = await asyncio.gather(*(defer_latency(p) for p in payloads))
                waiting_edits = lambda: [c for c in fake.calls if is_original_edit(c)]  # noqa: E731
                await _until(
                    lambda: (
                        queue.in_flight + queue.waiting == users
                        and len(waiting_edits()) == users - MAX_CONCURRENT
                    ),
                    DRAIN_TIMEOUT_S,
                    "everyone to be in line and told so",
                )
                prober = asyncio.create_task(_probe(probe_menu, stop_probe, []))
                model.gate.set()
                async with drain_probe.running():  # the reviews themselves, after the burst
                    await fake.wait_for(is_followup, count=users, within_s=DRAIN_TIMEOUT_S)
                    stop_probe.set()
                    await prober
                await bot.conversations.tasks.drain(DRAIN_TIMEOUT_S)
        finally:
            await client.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(serving, 5)
            await model.close()
            await fake.close()

    def on(payload: dict[str, Any], predicate: Callable[[Any], bool]) -> list[Any]:
        return [c for c in fake.calls if predicate(c) and payload["token"] in c.path]

    def uid(payload: dict[str, Any]) -> str:
        return str(payload["member"]["user"]["id"])

    told = {uid(p): [c.content for c in on(p, is_original_edit)] for p in payloads}
    answers = {uid(p): [c.text() for c in on(p, is_followup)] for p in payloads}
    return LoadReport(
        platform="discord",
        users=users,
        acks_s=list(defers),
        probe_acks_s=probe_defers,
        statuses=[200] * users,
        worst_lag_s=probe.worst_s,
        peak_rss_mb=peak_rss_mb(),
        total_s=time.perf_counter() - began,
        queue=queue,
        model_calls=model.calls,
        model_peak_in_flight=model.peak_in_flight,
        answers=answers,
        told=told,
        extra={
            "drain_lag_s": drain_probe.worst_s,
            "peak_reset": peak_reset,
            "rss_before_mb": rss_before,
            "key": {uid(p): f"discord:{uid(p)}" for p in payloads},
            "files_per_answer": {
                uid(p): [len(c.files) for c in on(p, is_followup)] for p in payloads
            },
        },
    )
