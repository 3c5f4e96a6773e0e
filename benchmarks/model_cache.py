"""What the model answer cache saves: a review answered from the cache vs one that asks a model.

Run from the project root:  python benchmarks/model_cache.py [MODEL_DELAY_S]

examples/resume.pdf is reviewed RUNS times by the same person through core/conversation.py with
the AI engine on, against the local OpenAI-compatible fake (tests/huggingface/fake_openai.py)
answering after MODEL_DELAY_S (default 0: the fake answers at once, so "miss" is our own cost
of a model call, not a real model's tens of seconds), and a state database on an SQLite file:
  off     MODEL_CACHE_HOURS=0: every review asks the model (the baseline);
  on      the cache on: the first review asks, every later one is answered from the cache.
Printed: model calls, the median review time of each, and what a hit adds or saves.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402

from core.config import Settings  # noqa: E402
from core.conversation import Conversations, Upload  # noqa: E402
from core.queue import ReviewQueue  # noqa: E402
from core.state.keys import ConversationKey  # noqa: E402
from core.state.store import open_state  # noqa: E402
from tests.huggingface.fake_openai import FakeOpenAI  # noqa: E402

RUNS = 8
RESUME = ROOT / "examples" / "resume.pdf"
KEY = ConversationKey("slack", "T1", "D1", None, "U1")


class Quiet:
    async def progress(self, update) -> None:  # type: ignore[no-untyped-def]
        pass

    async def deliver(self, result, notes) -> None:  # type: ignore[no-untyped-def]
        self.result = result

    async def fail(self, text: str) -> None:
        raise SystemExit(f"review failed: {text}")


async def run(hours: float, delay_s: float, folder: Path) -> tuple[int, list[float], list[str]]:
    model = FakeOpenAI(delay_s=delay_s)
    await model.start()
    config = Settings(
        huggingface_api_key="hf_bench",
        huggingface_base_url=model.base_url,
        state_url=f"sqlite:///{folder / f'state-{hours:g}.db'}",
        state_key=Fernet.generate_key().decode(),
        model_cache_hours=hours,
    )
    store = await open_state(config)
    flow = Conversations(config, ReviewQueue(1, 1000), state=store)
    data = RESUME.read_bytes()

    async def fetch() -> tuple[bytes, str]:
        return data, RESUME.name

    times, kinds = [], []
    try:
        for _ in range(RUNS):
            seen = Quiet()
            started = time.perf_counter()
            await flow.handle(
                Upload(RESUME.name, len(data), fetch), seen, user="u", conversation=KEY
            )
            times.append(time.perf_counter() - started)
            kinds.append(seen.result.model_cache or "-")
    finally:
        await store.close()
        await model.close()
    return model.calls, times, kinds


async def main() -> None:
    delay = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    with tempfile.TemporaryDirectory() as tmp:
        await run(0, delay, Path(tmp))  # warm-up: workers, imports
        off_calls, off, _ = await run(0, delay, Path(tmp))
        on_calls, on, kinds = await run(24, delay, Path(tmp))
    hits = [t for t, k in zip(on, kinds, strict=True) if k == "hit"]
    ms = 1000 * statistics.median(off)
    hit_ms = 1000 * statistics.median(hits)
    print(f"{RUNS} reviews of {RESUME.name}, model answering after {delay:g} s")
    print(f"cache off: {off_calls} model calls, median review {ms:.0f} ms")
    print(f"cache on:  {on_calls} model call(s), median cached review {hit_ms:.0f} ms")
    print(f"a hit vs a model call: {hit_ms - ms:+.0f} ms ({hit_ms / ms:.2f}x)")


if __name__ == "__main__":
    asyncio.run(main())
