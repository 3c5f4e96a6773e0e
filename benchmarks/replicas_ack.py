"""Slack ack latency of two replicas sharing Redis, under 200 concurrent events.

    python benchmarks/replicas_ack.py [--events 200] [--workers 2]

Starts Debian's redis-server (Unix socket, temp dir), the fake Slack here, two Slack replicas
in HTTP mode and `--workers` review workers, each a child process on its own event loop, as
in production. Sends `--events` signed file_share events at once, alternating replicas, and
every one of them again to the *other* replica as Slack's retry; times each HTTP response
(Slack's limit: 3 s), against `url_verification` on the same replicas in the same run (the
baseline: no listener, no Redis). Then waits until every review is answered and counts the
answers per thread: each must be exactly one. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import httpx  # noqa: E402
from aiohttp import web  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402

from benchmarks.slack_ack import RESUME, _ms  # noqa: E402
from bots.slack.app import build_bot  # noqa: E402
from bots.slack.limits import SLACK_ACK_SECONDS  # noqa: E402
from bots.slack.run import EVENTS_PATH, build_web_app  # noqa: E402
from core.config import Settings  # noqa: E402
from core.scale import coordination  # noqa: E402
from tests.fakes.slack import (  # noqa: E402
    BOT_TOKEN,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    dm_file_share,
    event_callback,
    sign,
)
from tests.scale.redis_server import RedisServer  # noqa: E402

DRAIN_TIMEOUT_S = 600


async def serve(api_url: str, redis_url: str, key: str, handover: str = "1") -> None:
    """One replica, wired as bots.slack.run.run does: prints its port, serves until killed.
    `handover` "0": without the answers owed on Redis (core/scale/handover.py), to compare."""
    settings = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
        redis_url=redis_url,
        state_key=key,
    )
    async with (
        coordination(settings) as shared,
        httpx.AsyncClient(timeout=30) as http,
        aiohttp.ClientSession() as session,
    ):
        bot = build_bot(settings, http=http, session=session, socket_mode=False, queue=shared.queue)
        bot.conversations.claims = shared.claims
        bot.conversations.reviewer = shared.reviewer
        if handover == "1":
            bot.conversations.handover = shared.handover
        await bot.warm_up()
        await bot.recover()  # with a handover: the sweeper, as a replica runs it
        runner = web.AppRunner(build_web_app(bot.app), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, LOCALHOST, 0)
        await site.start()
        print(site._server.sockets[0].getsockname()[1], flush=True)  # type: ignore[union-attr]
        await asyncio.Event().wait()


async def fire(client: httpx.AsyncClient, sends: list[tuple[str, dict, dict]]) -> list[float]:
    async def one(url: str, payload: dict, headers: dict) -> float:
        body = json.dumps(payload)
        start = time.perf_counter()
        response = await client.post(
            url,
            content=body.encode(),
            headers={**sign(body), "Content-Type": "application/json", **headers},
        )
        response.raise_for_status()
        return time.perf_counter() - start

    return list(await asyncio.gather(*(one(*s) for s in sends)))


async def main(events: int, workers: int, retries: bool, handover: bool) -> None:
    if shutil.which("redis-server") is None:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    key = Fernet.generate_key().decode()
    fake = FakeSlack()
    await fake.start()
    children: list[asyncio.subprocess.Process] = []
    with tempfile.TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp))
        redis.start()
        try:
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "REDIS_URL": redis.url,
                "STATE_KEY": key,
                "PORT": "0",
                "LOG_LEVEL": "WARNING",
            }
            for _ in range(workers):
                children.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-m",
                        "resume_bot",
                        "worker",
                        cwd=ROOT,
                        env=env,
                        stderr=asyncio.subprocess.DEVNULL,
                    )
                )
            urls = []
            for _ in range(2):
                child = await asyncio.create_subprocess_exec(
                    sys.executable,
                    __file__,
                    "--serve",
                    fake.api_url,
                    redis.url,
                    key,
                    "1" if handover else "0",
                    stdout=asyncio.subprocess.PIPE,
                )
                children.append(child)
                assert child.stdout is not None
                port = int(await asyncio.wait_for(child.stdout.readline(), 120))
                urls.append(f"http://{LOCALHOST}:{port}{EVENTS_PATH}")
            limits = httpx.Limits(max_connections=events * 4)
            async with httpx.AsyncClient(timeout=30, limits=limits) as client:
                warm = [{"type": "url_verification", "challenge": "w"}]
                await fire(client, [(u, warm[0], {}) for u in urls])
                verify = await fire(
                    client,
                    [
                        (urls[i % 2], {"type": "url_verification", "challenge": str(i)}, {})
                        for i in range(events)
                    ],
                )
                shares = [
                    event_callback(
                        dm_file_share(
                            [fake.add_file(f"cv{i}.txt", RESUME.encode())],
                            ts=f"1800{i:06d}.1",
                            user=f"UR{i:05d}",
                            channel=f"DR{i:05d}",
                        )
                    )
                    for i in range(events)
                ]
                retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
                started = time.perf_counter()
                acks = await fire(
                    client,
                    [(urls[i % 2], p, {}) for i, p in enumerate(shares)]
                    + [(urls[(i + 1) % 2], p, retry) for i, p in enumerate(shares) if retries],
                )
                await fake.wait_for(
                    lambda: len(fake.api_calls("files.completeUploadExternal")) >= events,
                    within_s=DRAIN_TIMEOUT_S,
                )
                answered = time.perf_counter() - started
                await asyncio.sleep(1.0)  # a duplicate would have posted by now (report only)
            counts = [len(fake.thread(p["event"]["channel"], p["event"]["ts"])) for p in shares]
        finally:
            for child in children:
                child.terminate()
            await asyncio.gather(*(c.wait() for c in children))
            redis.stop()
            await fake.close()
    also = f" + {events} retries to the other replica" if retries else ""
    owed = "answers owed on Redis" if handover else "no handover (--no-handover)"
    print(f"two replicas, {workers} workers, {events} events{also}, all at once; {owed}")
    print(f"(Slack's limit: {SLACK_ACK_SECONDS} s)")
    print(f"  baseline url_verification : {_ms(verify)}")
    print(f"  file_share and retries    : {_ms(acks)}")
    print(
        f"all {events} reviews answered in {answered:.1f} s; answers per thread: "
        f"min {min(counts)}, max {max(counts)} (goal: exactly 1)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-retries", dest="retries", action="store_false", help="events only")
    parser.add_argument(
        "--no-handover",
        dest="handover",
        action="store_false",
        help="replicas without the answers owed on Redis (to see what they cost)",
    )
    parser.add_argument("--serve", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(*args.serve))
    else:
        asyncio.run(main(args.events, args.workers, args.retries, args.handover))
