"""Slack ack latency: 50 concurrent signed file_share events against the real app in HTTP mode.

    python benchmarks/slack_ack.py [--events 50] [--rounds 3]

Starts the fake Slack (tests/fakes/slack.py) here and the real Bolt app in a
child process (as in production, the app has its own event loop), both on
127.0.0.1, then measures the time from sending each signed request to its HTTP response
(Slack's limit is 3 s). Baselines in the same run: Bolt's answer to
`url_verification` (no listener) and to an event the app ignores (an edit).
Reviews keep running after the acks; each round waits (bounded) until every
review has uploaded its files, so later rounds don't overlap earlier ones.
Loopback only; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import httpx  # noqa: E402
from aiohttp import web  # noqa: E402

from bots.slack.app import build_bot  # noqa: E402
from bots.slack.limits import SLACK_ACK_SECONDS  # noqa: E402
from bots.slack.run import EVENTS_PATH, build_web_app  # noqa: E402
from core.config import Settings  # noqa: E402
from tests.fakes.slack import (  # noqa: E402
    BOT_TOKEN,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    dm_file_share,
    event_callback,
    sign,
)

DRAIN_TIMEOUT_S = 300
RESUME = (
    "Jane Doe\njane.doe@example.com | +1 555 123 4567\n\nSummary\nBackend engineer, six years of Python.\n\n"
    "Experience\nSenior Engineer, Acme Corp (2019 - Present)\n- Responsible for the payments API\n"
    "- Led the migration of 40 services to Kubernetes, cutting deploy time by 60%\n\n"
    "Education\nBSc Computer Science, State University, 2016\n\nSkills\nPython, Go, PostgreSQL, AWS\n"
)


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    median = statistics.median(ordered) * 1000
    return f"median {median:7.1f} ms   p99 {p99 * 1000:7.1f} ms   max {ordered[-1] * 1000:7.1f} ms"


async def _fire(client: httpx.AsyncClient, url: str, payloads: list[dict]) -> list[float]:
    return [elapsed for _, elapsed in await _fire_timed(client, url, payloads)]


async def _fire_timed(
    client: httpx.AsyncClient, url: str, payloads: list[dict]
) -> list[tuple[float, float]]:
    """Send all payloads at once; (start, seconds to the HTTP response) for each."""

    async def one(payload: dict) -> tuple[float, float]:
        body = json.dumps(payload)
        headers = {**sign(body), "Content-Type": "application/json"}
        start = time.perf_counter()
        resp = await client.post(url, content=body.encode(), headers=headers)
        elapsed = time.perf_counter() - start
        resp.raise_for_status()
        return start, elapsed

    return list(await asyncio.gather(*(one(p) for p in payloads)))


async def serve(api_url: str) -> None:
    """The app under test, alone in its process (as in production): prints its port, serves until killed."""
    settings = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
    )
    async with httpx.AsyncClient(timeout=30) as http, aiohttp.ClientSession() as session:
        bot = build_bot(settings, http=http, session=session, socket_mode=False)
        await bot.warm_up()  # as run() does
        runner = web.AppRunner(build_web_app(bot.app), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, LOCALHOST, 0)
        await site.start()
        print(site._server.sockets[0].getsockname()[1], flush=True)  # type: ignore[union-attr]
        await asyncio.Event().wait()


async def main(events: int, rounds: int) -> None:
    """Fake Slack and the load in this process; the app in a child process on its own CPU time."""
    fake = FakeSlack()
    await fake.start()
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", fake.api_url, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        port = int(await asyncio.wait_for(child.stdout.readline(), DRAIN_TIMEOUT_S))
        url = f"http://{LOCALHOST}:{port}{EVENTS_PATH}"
        limits = httpx.Limits(max_connections=events * 2)
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            # warm-up: the first event makes Bolt call auth.test once
            await _fire(
                client, url, [event_callback({**dm_file_share([]), "subtype": "message_changed"})]
            )
            verify: list[float] = []
            ignored: list[float] = []
            files: list[float] = []
            progress: list[float] = []
            for r in range(rounds):
                challenges = [
                    {"type": "url_verification", "challenge": str(i)} for i in range(events)
                ]
                verify += await _fire(client, url, challenges)
                edits = [
                    event_callback(
                        {
                            **dm_file_share([], ts=f"17{r:02d}{i:04d}.1"),
                            "subtype": "message_changed",
                        }
                    )
                    for i in range(events)
                ]
                ignored += await _fire(client, url, edits)
                shares = [
                    event_callback(
                        dm_file_share(  # one user each: one person's files queue behind each other
                            [fake.add_file(f"cv{r}-{i}.txt", RESUME.encode())],
                            ts=f"18{r:02d}{i:04d}.1",
                            user=f"UB{r:02d}{i:04d}",
                            channel=f"DB{r:02d}{i:04d}",
                        )
                    )
                    for i in range(events)
                ]
                started = time.perf_counter()
                timed = await _fire_timed(client, url, shares)
                files += [elapsed for _, elapsed in timed]
                done = events * (r + 1)
                await fake.wait_for(
                    lambda done=done: len(fake.api_calls("files.completeUploadExternal")) >= done,
                    within_s=DRAIN_TIMEOUT_S,
                )
                for payload, (start, _) in zip(shares, timed, strict=True):
                    ts = payload["event"]["ts"]
                    [msg] = [m for m in fake.messages if m.thread_ts == ts]
                    progress.append(msg.posted_at - start)
                print(
                    f"round {r + 1}: {events} reviews answered (with uploads) in {time.perf_counter() - started:.1f} s"
                )
    finally:
        child.terminate()
        await child.wait()
        await fake.close()
    print(
        f"\nack latency, {events} concurrent signed requests x {rounds} rounds (Slack's limit: {SLACK_ACK_SECONDS} s)"
    )
    print(f"  baseline url_verification : {_ms(verify)}")
    print(f"  baseline ignored event    : {_ms(ignored)}")
    print(f"  file_share events         : {_ms(files)}")
    print(f"request sent → 'Reviewing…' posted in the thread: {_ms(progress)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", metavar="API_URL", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    asyncio.run(serve(args.serve) if args.serve else main(args.events, args.rounds))
