"""What remembering costs a review: the state store's round trips and the comparison.

Run from the project root:  python benchmarks/state.py [POSTGRES_URL]

For examples/resume.pdf it times, median of RUNS after a warm-up:
  review     the offline review with its files (what a bot user waits for), the baseline;
  rescore    our score of the suggested rewrite (part of every review now);
  compare    core.compare.compare(v1, v2) on two reviews;
  store      per review, what core/conversation.py adds: accept, note the place, read the
             previous version, save this one, settle: on an SQLite file, and on PostgreSQL
             when a URL is given (or RESUME_BOT_TEST_POSTGRES_URL is set);
then each as a share of the review. Goal: the store adds under 10 % to a review.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402

from core.compare import compare, rewrite_score  # noqa: E402
from core.config import Settings  # noqa: E402
from core.review import ReviewRequest, review_with_document  # noqa: E402
from core.state.keys import ConversationKey  # noqa: E402
from core.state.store import open_state  # noqa: E402

RUNS = 30
RESUME = ROOT / "examples" / "resume.pdf"


async def timed(fn, runs: int = RUNS) -> float:
    await fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def store_round(url: str, document, result) -> float:
    settings = Settings(state_url=url, state_key=Fernet.generate_key().decode())
    store = await open_state(settings)
    n = iter(range(10**6))

    async def one() -> None:
        key = ConversationKey("slack", "T1", f"D{next(n)}", None, "U1")
        place = {"channel": key.channel, "thread_ts": None}
        pending = await store.accept(key, place, "resume.pdf")
        await store.update_reply_to(pending, place | {"ts": "1.2"})
        await store.latest(key)
        await store.save_version(key, result, document, job=None, role=None)
        await store.settle(pending)

    try:
        return await timed(one)
    finally:
        await store.close()


async def main() -> None:
    settings = Settings()
    request = ReviewRequest(data=RESUME.read_bytes(), filename=RESUME.name, engine="offline")
    document, result = await review_with_document(request, settings)

    async def review() -> None:
        await review_with_document(request, settings)

    async def rescore() -> None:
        rewrite_score(result, None, None, settings)

    async def comparison() -> None:
        compare(result, result, number=2)

    base = await timed(review)
    rows = [("review (baseline)", base), ("rescore the rewrite", await timed(rescore))]
    rows.append(("compare v1 → v2", await timed(comparison)))
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(
            ("store, SQLite file", await store_round(f"sqlite:///{tmp}/s.db", document, result))
        )
    pg = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("RESUME_BOT_TEST_POSTGRES_URL")
    if pg:
        rows.append(("store, PostgreSQL", await store_round(pg, document, result)))
    print(f"{'what':<22}{'median ms':>10}{'of a review':>13}")
    for name, seconds in rows:
        print(f"{name:<22}{seconds * 1000:>10.1f}{seconds / base:>12.1%}")


if __name__ == "__main__":
    asyncio.run(main())
