"""Reviews per second with 1, 2 and 4 `resume-bot worker` processes on one Redis.

Run from the project root:  python benchmarks/workers.py [REVIEWS]

Starts Debian's redis-server on a Unix socket in a temporary directory, then for each
worker count: starts that many real worker processes (WORKER_JOBS=1: one review at a time
each), warms them up, and times REVIEWS offline reviews of examples/resume.pdf enqueued at
once by one bot-side client (sealed, as a bot sends them). The baseline, in the same run,
is the same reviews one after another in this process (`review_with_document`, what the
embedded bot does with MAX_CONCURRENT_REVIEWS=1). Goal: 2 workers >= 1.8x one worker. A
review is CPU work (parsing in the isolation, rules, the DOCX/PDF export), so workers
beyond the machine's cores (printed) cannot add throughput. The bot side allows 4 reviews in
flight per worker (MAX_CONCURRENT_REVIEWS), so a worker never waits for the bot to hand it one.

It also prints the CPU time one review costs in a worker (with its parsing child) and in the bot
process (sealing, Redis, waiting for the result), from /proc, and the ceiling they put on two
workers on this machine: with C cores, n workers can't go past C / (worker + bot + Redis CPU)
reviews per second, however the work is spread.
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
SLOTS_PER_WORKER = 4
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its descendants, live or reaped (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = sum(int(f) for f in fields[11:15]) / TICK  # utime, stime, cutime, cstime
    return own + sum(cpu_seconds(int(c)) for c in children)


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
    local = Settings(max_concurrent_reviews=1)
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
            settings = Settings(
                redis_url=server.url,
                state_key=key,
                max_concurrent_reviews=SLOTS_PER_WORKER * max(COUNTS),
            )
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
            costs: dict[int, tuple[float, float, float]] = {}
            async with coordination(settings) as shared:
                for n in COUNTS:
                    procs = await workers(n, env)
                    try:
                        await asyncio.gather(
                            *(shared.reviewer(request, settings) for _ in range(4 * n))
                        )  # every worker up and warm
                        worker_cpu = sum(cpu_seconds(p.pid) for p in procs)
                        assert server.process is not None
                        bot_cpu, redis_cpu = time.process_time(), cpu_seconds(server.process.pid)
                        start = time.perf_counter()
                        await asyncio.gather(
                            *(shared.reviewer(request, settings) for _ in range(REVIEWS))
                        )
                        rates[n] = REVIEWS / (time.perf_counter() - start)
                        costs[n] = (
                            (sum(cpu_seconds(p.pid) for p in procs) - worker_cpu) / REVIEWS,
                            (time.process_time() - bot_cpu) / REVIEWS,
                            (cpu_seconds(server.process.pid) - redis_cpu) / REVIEWS,
                        )
                    finally:
                        for p in procs:
                            p.send_signal(signal.SIGTERM)
                        await asyncio.gather(*(p.wait() for p in procs))
                    w, b, r = (1000 * c for c in costs[n])
                    print(
                        f"{n} worker{'s' if n > 1 else ' '}: {rates[n]:6.2f} reviews/s "
                        f"({rates[n] / rates[1]:.2f}x one worker, {rates[n] / base:.2f}x baseline)"
                        f"  CPU per review: worker {w:.1f} ms, bot {b:.1f} ms, Redis {r:.1f} ms"
                    )
            verdict = "met" if rates[2] >= 1.8 * rates[1] else "NOT met"
            print(f"goal 2 workers >= 1.8x one: {rates[2] / rates[1]:.2f}x ({verdict})")
            worker, bot, redis = costs[2]
            cores = os.cpu_count() or 1
            one = min(1 / worker, cores / (worker + bot + redis))
            two = min(2 / worker, cores / (worker + bot + redis))
            print(
                f"ceiling on {cores} cores, from the CPU per review: 1 worker {one:.1f}/s, "
                f"2 workers {two:.1f}/s = {two / one:.2f}x (the bot and Redis share the cores)"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    asyncio.run(main())
