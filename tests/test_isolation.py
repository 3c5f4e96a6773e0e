"""Parsing runs in a forked child with hard time and memory limits: a hostile file can't hang or kill the bot."""

from __future__ import annotations

import asyncio
import time

import pytest

from core.errors import EncryptedFileError, ParseLimitError, ProcessingError
from core.isolation import run_isolated


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
    with pytest.raises(ParseLimitError):
        await run_isolated(_sleep_forever, timeout_s=0.5, memory_mb=512)
    assert time.perf_counter() - started < 3


async def test_memory_bomb_is_stopped_by_the_memory_limit() -> None:
    with pytest.raises(ParseLimitError):
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
        *(run_isolated(_sleep_forever, timeout_s=0.6, memory_mb=256) for _ in range(4)), return_exceptions=True
    )
    parsing = False
    other.cancel()
    assert all(isinstance(r, ParseLimitError) for r in results)
    assert turns_while_parsing >= 2, "the loop was blocked while the children parsed"
