"""Reviews per second with 1, 2 and 4 `resume-bot worker` processes on one Redis.

Run from the project root:  python benchmarks/workers.py [REVIEWS]

Starts Debian's redis-server on a Unix socket in a temporary directory, then for each
worker count: starts that many real worker processes (WORKER_JOBS=1: one review at a time
each), warms them up, and times REVIEWS offline reviews of examples/resume.pdf enqueued at
once by one bot-side client (sealed, as a bot sends them). The baseline, in the same run,
is the same reviews one after another in this process (`review_with_document`, what the
embedded bot does with MAX_CONCURRENT_REVIEWS=1). Goal: 2 workers >= 1.8x one worker. A
review is CPU work (parsing in the isolation, rules, the DOCX/PDF export), so workers
beyond the machine's cores (printed) cannot add throughput.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402

from core.config import Settings  # noqa: E402
from core.review import ReviewRequest, review_with_document  # noqa: E402
from core.scale import coordination  # noqa: E402
from tests.scale.redis_server import RedisServer  # noqa: E402

REVIEWS = int(sys.argv[1]) if len(sys.argv) > 1 else 24
RESUME = ROOT / "examples" / "resume.pdf"
COUNTS = (1, 2, 4)


async def workers(n: int, env: dict[str, str]) -> list[asyncio.subprocess.Process]:
    command = (sys.executable, "-m", "resume_bot", "worker")
    quiet = asyncio.subprocess.DEVNULL
    return [
        await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdout=quiet, stderr=quiet
        )
        for _ in range(n)
    ]


async def main() -> None:
    if shutil.which("redis-server") is None:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    request = ReviewRequest(data=RESUME.read_bytes(), filename=RESUME.name)
    key = Fernet.generate_key().decode()
    local = Settings(_env_file=None, max_concurrent_reviews=1)
    await review_with_document(request, local)  # warm-up
    start = time.perf_counter()
    for _ in range(REVIEWS):
        await review_with_document(request, local)
    base = REVIEWS / (time.perf_counter() - start)
    print(f"cores: {os.cpu_count()}; {REVIEWS} reviews of {RESUME.name} per run")
    print(f"in-process, one at a time (baseline): {base:6.2f} reviews/s")
    with tempfile.TemporaryDirectory() as tmp:
        server = RedisServer(Path(tmp))
        server.start()
        try:
            settings = Settings(_env_file=None, redis_url=server.url, state_key=key)
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "REDIS_URL": server.url,
                "STATE_KEY": key,
                "WORKER_JOBS": "1",
                "PORT": "0",
                "LOG_LEVEL": "WARNING",
            }
            env.pop("HUGGINGFACE_API_KEY", None)
            env.pop("HF_TOKEN", None)
            rates: dict[int, float] = {}
            async with coordination(settings) as shared:
                for n in COUNTS:
                    procs = await workers(n, env)
                    try:
                        await asyncio.gather(
                            *(shared.reviewer(request, settings) for _ in range(4 * n))
                        )  # every worker up and warm
                        start = time.perf_counter()
                        await asyncio.gather(
                            *(shared.reviewer(request, settings) for _ in range(REVIEWS))
                        )
                        rates[n] = REVIEWS / (time.perf_counter() - start)
                    finally:
                        for p in procs:
                            p.send_signal(signal.SIGTERM)
                        await asyncio.gather(*(p.wait() for p in procs))
                    print(
                        f"{n} worker{'s' if n > 1 else ' '}: {rates[n]:6.2f} reviews/s "
                        f"({rates[n] / rates[1]:.2f}x one worker, {rates[n] / base:.2f}x baseline)"
                    )
            verdict = "met" if rates[2] >= 1.8 * rates[1] else "NOT met"
            print(f"goal 2 workers >= 1.8x one: {rates[2] / rates[1]:.2f}x ({verdict})")
        finally:
            server.stop()


if __name__ == "__main__":
    asyncio.run(main())
