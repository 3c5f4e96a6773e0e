"""Defer latency of `/optimize` under 50 concurrent interactions, against the fake Discord.

Starts the fake Discord (tests/fakes/discord.py) on 127.0.0.1 and the real bot
client, then injects N INTERACTION_CREATE events at once and measures, per
interaction, the time from the gateway frame leaving the fake to the deferral
(callback type 5) arriving back. Discord's limit is 3 s.

Baseline, same run: the same number of "Review resume" menu clicks on a message
without a file, which the bot answers at once with a plain message (gateway →
discord.py → one REST callback, no review). The difference is what /optimize
adds before it defers.

    python benchmarks/discord_defer.py [--count 50]

Bounded (every wait has a timeout), loopback only, nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bots.discord.client import build_bot  # noqa: E402
from bots.discord.limits import DISCORD_INTERACTION_ACK_SECONDS  # noqa: E402
from core.config import Settings  # noqa: E402
from tests.fakes.discord import Call, FakeDiscord, is_followup  # noqa: E402

RESUME = b"""Jane Doe
jane.doe@example.com | 555-123-4567

Summary
Backend engineer with six years of experience building payment APIs in Python.

Experience
Software Engineer, Acme Payments, 2019 - Present
- Responsible for the payments API serving card transactions
- Helped with migration of services to Kubernetes

Education
BSc Computer Science, State University, 2018

Skills
Python, SQL, Docker, PostgreSQL
"""
WAIT_S = 120.0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (for 50 samples, p99 is the slowest one)."""
    ranked = sorted(values)
    index = max(0, min(len(ranked) - 1, round(pct / 100 * len(ranked) + 0.5) - 1))
    return ranked[index]


def callback_for(interaction_id: str) -> Callable[[Call], bool]:
    return lambda c: (
        c.method == "POST" and c.path.startswith(f"/api/v10/interactions/{interaction_id}/")
    )


async def burst(fake: FakeDiscord, payloads: list[dict[str, object]]) -> list[float]:
    """Send all payloads back to back; return each one's gateway-send → callback latency in ms."""
    sent = {p["id"]: await fake.dispatch("INTERACTION_CREATE", p) for p in payloads}
    latencies = []
    for interaction_id, at in sent.items():
        (call,) = await fake.wait_for(callback_for(str(interaction_id)), within_s=WAIT_S)
        latencies.append((call.at - at) * 1000)
    return latencies


def line(label: str, ms: list[float]) -> str:
    return (
        f"{label:<34} n={len(ms):<3} median={statistics.median(ms):7.1f} ms  "
        f"p99={percentile(ms, 99):7.1f} ms  max={max(ms):7.1f} ms"
    )


async def main(count: int) -> None:
    fake = FakeDiscord()
    await fake.start()
    settings = Settings(discord_bot_token=fake.token, discord_api_url=fake.api_url)
    client = build_bot(settings).client
    task = asyncio.create_task(client.start(fake.token))
    try:
        async with asyncio.timeout(30):
            while client.get_guild(int(fake.guild_id)) is None:
                if task.done():
                    task.result()  # surface a start-up error
                await asyncio.sleep(0.01)
        no_file = fake.message("no file here")
        await burst(fake, [fake.review_menu(no_file) for _ in range(5)])  # warm-up
        baseline = await burst(fake, [fake.review_menu(no_file) for _ in range(count)])

        before = len([c for c in fake.calls if is_followup(c)])
        started = time.monotonic()
        # one user each: one person's files queue behind each other and have an hourly quota
        payloads = [
            fake.optimize(fake.attachment(f"cv{i}.txt", RESUME), user_id=fake.new_id())
            for i in range(count)
        ]
        defers = await burst(fake, payloads)
        await fake.wait_for(is_followup, count=before + count, within_s=WAIT_S)
        all_done = time.monotonic() - started

        print(
            f"{count} concurrent interactions, fake Discord on 127.0.0.1, discord.py client, "
            f"max_concurrent_reviews={settings.max_concurrent_reviews}"
        )
        print(line("baseline: menu → immediate reply", baseline))
        print(line("/optimize → defer (type 5)", defers))
        print(f"{'all follow-ups (reviews) done in':<34} {all_done:.2f} s")
        limit_ms = DISCORD_INTERACTION_ACK_SECONDS * 1000
        verdict = "OK" if max(defers) < limit_ms else "OVER"
        print(f"{'slowest defer vs 3 s limit':<34} {max(defers):.1f} ms / {limit_ms} ms: {verdict}")
    finally:
        await client.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        await fake.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(parser.parse_args().count))
