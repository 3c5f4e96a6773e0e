"""Parsing runs in a worker process with hard time and memory limits: a hostile file can't hang or kill the bot.

Workers are reused from job to job; one that timed out, crashed, hit the memory
limit or grew too much is killed and replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core import isolation
from core.errors import EncryptedFileError, ParseTimeoutError, ProcessingError
from core.isolation import run_isolated

ROOT = Path(__file__).resolve().parent.parent


def _sleep_forever() -> None:
    time.sleep(3600)


def _eat_memory() -> bytes:
    return b"x" * (2 * 1024 * 1024 * 1024)


def _raise_with_secret() -> None:
    raise ValueError("CANARY-resume-text-7f3a")


def _raise_ours() -> None:
    raise EncryptedFileError("custom message", hint="custom hint")


async def test_hung_parser_is_killed_at_the_time_limit() -> None:
    started = time.perf_counter()
    with pytest.raises(ParseTimeoutError):
        await run_isolated(_sleep_forever, timeout_s=0.5, memory_mb=512)
    assert time.perf_counter() - started < 3


async def test_memory_bomb_is_stopped_by_the_memory_limit() -> None:
    with pytest.raises(ParseTimeoutError):
        await run_isolated(_eat_memory, timeout_s=20, memory_mb=256)


async def test_foreign_exceptions_never_leak_their_text() -> None:
    with pytest.raises(ProcessingError) as info:
        await run_isolated(_raise_with_secret, timeout_s=10, memory_mb=512)
    assert "CANARY" not in str(info.value) and "CANARY" not in info.value.for_user()


async def test_our_errors_cross_the_process_boundary_intact() -> None:
    with pytest.raises(EncryptedFileError) as info:
        await run_isolated(_raise_ours, timeout_s=10, memory_mb=512)
    assert info.value.for_user() == "custom message custom hint"


async def test_event_loop_keeps_running_while_children_parse() -> None:
    """Four hung parsers at once, and the loop still serves others while they run.

    Checked by order, not by a stopwatch: another coroutine keeps completing its turns
    while the parsers hang. (The lag figure, goal < 100 ms, is benchmarks/hostile.py's.)
    """
    turns = 0
    parsing = True
    turns_while_parsing = 0

    async def other_user() -> None:
        nonlocal turns, turns_while_parsing
        while True:
            await asyncio.sleep(0.01)
            turns += 1
            if parsing:
                turns_while_parsing = turns

    other = asyncio.create_task(other_user())
    results = await asyncio.gather(
        *(run_isolated(_sleep_forever, timeout_s=0.6, memory_mb=256) for _ in range(4)),
        return_exceptions=True,
    )
    parsing = False
    other.cancel()
    assert all(isinstance(r, ParseTimeoutError) for r in results)
    assert turns_while_parsing >= 2, "the loop was blocked while the children parsed"


# --- the worker pool: reused, replaced when it fails, confined like a one-off child ----


def _whoami() -> int:
    return os.getpid()


def _die_hard() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # what a crash in C code looks like from outside


_HOARD: list[bytes] = []


def _keep_300_mb() -> int:
    _HOARD.append(b"x" * (300 * 1024 * 1024))
    return os.getpid()


def _confinement() -> dict[str, object]:
    sockets = 0
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            sockets += stat.S_ISSOCK(os.fstat(int(name)).st_mode)
    return {
        "pid": os.getpid(),
        "nice": os.nice(0),
        "core": resource.getrlimit(resource.RLIMIT_CORE),
        "as_soft": resource.getrlimit(resource.RLIMIT_AS)[0],
        "sockets": sockets,
        "sigterm": signal.getsignal(signal.SIGTERM),
    }


def _gone(pid: int) -> bool:
    """Not running and reaped (a zombie still has a /proc entry)."""
    return not Path(f"/proc/{pid}").exists()


async def test_a_worker_takes_one_job_after_another() -> None:
    first = await run_isolated(_whoami, timeout_s=10, memory_mb=512)
    second = await run_isolated(_whoami, timeout_s=10, memory_mb=512)
    assert first == second != os.getpid()


@pytest.mark.parametrize(
    ("fn", "timeout_s", "memory_mb"),
    [
        (_sleep_forever, 0.5, 512),
        (_eat_memory, 20, 256),
        (_die_hard, 10, 512),
        (_keep_300_mb, 10, 1024),
    ],
    ids=["timed-out", "memory-limit", "crashed", "grew-past-the-rss-threshold"],
)
async def test_a_worker_that_failed_or_grew_is_killed_reaped_and_replaced(
    fn: Callable[[], object], timeout_s: float, memory_mb: int
) -> None:
    isolation.configure(1)  # one worker: the next job must get the replacement
    try:
        before = await run_isolated(_whoami, timeout_s=10, memory_mb=512)
        with contextlib.suppress(ParseTimeoutError):
            assert await run_isolated(fn, timeout_s=timeout_s, memory_mb=memory_mb) == before
        after = await run_isolated(_whoami, timeout_s=10, memory_mb=512)
        assert after != before and _gone(before)
    finally:
        isolation.configure(4)


async def test_workers_are_confined_like_the_one_off_children_were() -> None:
    isolation.shutdown()
    with socket.socket() as bot_connection:  # stands for a Slack/Discord socket the bot holds open
        bot_connection.bind(("127.0.0.1", 0))
        seen = await run_isolated(_confinement, timeout_s=10, memory_mb=700)
    assert seen["pid"] != os.getpid()
    assert seen["nice"] >= isolation.CHILD_NICENESS
    assert seen["core"] == (0, 0)
    assert seen["as_soft"] == 700 * 1024 * 1024
    assert seen["sockets"] == 1, "only its own socket to the bot"
    assert seen["sigterm"] == signal.SIG_IGN


async def test_unpicklable_jobs_and_a_full_pool_fall_back_to_one_off_children() -> None:
    assert await run_isolated(lambda: 41 + 1, timeout_s=10, memory_mb=512) == 42
    isolation.configure(2)
    try:
        pids = await asyncio.gather(
            *(run_isolated(_slow_whoami, timeout_s=10, memory_mb=512) for _ in range(5))
        )
        assert len(set(pids)) == 5  # two workers and three one-off children, at the same time
        assert len(isolation._POOL.idle) <= 2 and not isolation._POOL.busy
    finally:
        isolation.configure(4)


def _slow_whoami() -> int:
    time.sleep(0.3)
    return os.getpid()


async def test_shutdown_ends_every_worker_and_the_pool_starts_again_after() -> None:
    pid = await run_isolated(_whoami, timeout_s=10, memory_mb=512)
    isolation.shutdown()
    isolation.shutdown()  # twice is fine
    assert _gone(pid) and not isolation._POOL.idle
    assert await run_isolated(_whoami, timeout_s=10, memory_mb=512) != pid


def test_a_program_that_never_calls_shutdown_leaves_no_worker_behind(tmp_path: Path) -> None:
    script = (
        "import asyncio, os\n"
        "from core.isolation import run_isolated\n"
        "print(asyncio.run(run_isolated(os.getpid, timeout_s=10, memory_mb=512)), flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    worker = int(done.stdout)
    deadline = time.monotonic() + 5
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(worker)


async def test_a_worker_killed_while_idle_is_forgotten_not_handed_a_job() -> None:
    isolation.configure(1)
    try:
        idle = await run_isolated(_whoami, timeout_s=10, memory_mb=512)
        os.kill(idle, signal.SIGKILL)  # the OOM killer, say
        deadline = time.monotonic() + 5
        while (
            Path(f"/proc/{idle}/stat").exists()
            and "Z" not in Path(f"/proc/{idle}/stat").read_text().split()[2]
        ):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.01)
        fresh = await run_isolated(
            _whoami, timeout_s=10, memory_mb=512
        )  # an ordinary file: no error
        assert fresh != idle and _gone(idle)
    finally:
        isolation.configure(4)


async def test_prestart_forks_idle_workers_that_take_the_next_jobs() -> None:
    isolation.shutdown()
    isolation.configure(2)
    try:
        isolation.prestart()
        ready = {w.pid for w in isolation._POOL.idle}
        assert len(ready) == 2
        assert await run_isolated(_whoami, timeout_s=10, memory_mb=512) in ready
    finally:
        isolation.configure(4)


def _write_marker_to_fd2() -> None:
    os.write(2, b"worker-marker-5521\n")


async def test_a_worker_writes_to_the_fd_2_it_was_forked_with(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Why the privacy tests fork fresh workers: the capture only sees workers forked under it."""
    isolation.shutdown()
    await run_isolated(_write_marker_to_fd2, timeout_s=10, memory_mb=512)
    assert "worker-marker-5521" in capfd.readouterr().err
    isolation.shutdown()
