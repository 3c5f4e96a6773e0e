"""Hostile-inputs benchmark: every nasty through `review_resume`, four at a time, with the loop lag measured.

Run from the project root:  python benchmarks/hostile.py [--concurrency 4] [--engine offline]

Inputs are the generated ones in tests/abuse/nasties.py (bombs are built in
memory, nothing is written) plus every file in ../shared/corpus/hostile when
present. Each goes through the real `review_resume` with default settings
(parse limits: PARSE_TIMEOUT_S=30, PARSE_MEMORY_MB=1024). Prints a Markdown
table: input, upload size, outcome (score or error class), the message a user
sees, elapsed ms; then the worst event-loop lag while they ran, the bot
process' peak RSS and the largest parse child's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from core.errors import ResumeBotError  # noqa: E402
from core.review import ReviewRequest, review_resume  # noqa: E402
from tests.abuse.nasties import NASTIES, Nasty, corpus_nasties  # noqa: E402

TICK_S = 0.005
LOOP_LAG_GOAL_S = (
    0.1  # issue 7: the event loop never stalls longer than this (was an assert in tests)
)
MESSAGE_WIDTH = 150


@dataclass
class Row:
    name: str
    size: int
    outcome: str
    message: str
    elapsed_ms: float
    expected: bool


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


async def _one(
    nasty: Nasty, data: bytes, settings: Settings, engine: str, gate: asyncio.Semaphore
) -> Row:
    request = ReviewRequest(
        data=data, filename=nasty.filename, job_description=nasty.job_description, engine=engine
    )  # type: ignore[arg-type]
    async with gate:
        started = time.perf_counter()
        try:
            result = await review_resume(request, settings)
        except ResumeBotError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            ok = nasty.expect is not None and isinstance(exc, nasty.expect)
            return Row(nasty.name, len(data), type(exc).__name__, exc.for_user(), elapsed, ok)
        elapsed = (time.perf_counter() - started) * 1000
    shown = f"review: {len(result.findings)} findings" + (
        f"; {result.warnings[0]}" if result.warnings else ""
    )
    return Row(
        nasty.name, len(data), f"score {result.score}/100", shown, elapsed, nasty.expect is None
    )


async def main(concurrency: int, engine: str) -> int:
    settings = Settings()
    inputs = [*NASTIES, *corpus_nasties()]
    print(f"building {len(inputs)} inputs…", file=sys.stderr)
    made = [(n, n.make()) for n in inputs]
    worst_lag = 0.0

    async def ticker() -> None:
        nonlocal worst_lag
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK_S)
            worst_lag = max(worst_lag, time.perf_counter() - before - TICK_S)

    gate = asyncio.Semaphore(concurrency)
    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    rows = await asyncio.gather(*(_one(n, data, settings, engine, gate) for n, data in made))
    wall = time.perf_counter() - started
    tick.cancel()

    print("| input | size | outcome | what the user sees | ms |")
    print("|---|---:|---|---|---:|")
    for r in rows:
        message = (
            r.message if len(r.message) <= MESSAGE_WIDTH else r.message[: MESSAGE_WIDTH - 1] + "…"
        )
        flag = "" if r.expected else " (unexpected)"
        print(
            f"| {r.name} | {_size(r.size)} | {r.outcome}{flag} | {message} | {r.elapsed_ms:.0f} |"
        )
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print()
    print(
        f"{len(rows)} inputs, {concurrency} at a time, engine={engine}: wall {wall:.1f} s, "
        f"slowest {max(r.elapsed_ms for r in rows):.0f} ms (parse limit {settings.parse_timeout_s:g} s)"
    )
    verdict = "met" if worst_lag < LOOP_LAG_GOAL_S else "MISSED"
    print(
        f"worst event-loop lag: {worst_lag * 1000:.1f} ms (ticks every {TICK_S * 1000:g} ms; "
        f"goal < {LOOP_LAG_GOAL_S * 1000:.0f} ms: {verdict})"
    )
    print(
        f"peak RSS: bot process {self_mb:.0f} MB (includes building the bombs), "
        f"largest parse child {child_mb:.0f} MB (limit {settings.parse_memory_mb} MB address space)"
    )
    unexpected = [r.name for r in rows if not r.expected]
    if unexpected:
        print("unexpected outcomes: " + ", ".join(unexpected))
    return 1 if unexpected else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--engine", choices=["offline", "auto"], default="offline")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.concurrency, args.engine)))
