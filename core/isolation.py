"""Run blocking, untrusted-input work (file parsing) away from the event loop.

A hostile PDF must neither block the bot nor kill it, so parsing runs in a
forked child process with a hard time limit and an address-space limit; the
event loop only waits on a pipe. Forking (not spawning) keeps the cost to a
few milliseconds, since the child already has the parsers imported. Nothing
the child raises travels back except our own `ResumeBotError`s, whose texts
never quote the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import faulthandler
import os
import pickle
import resource
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from core.errors import ParseTimeoutError, ProcessingError, ResumeBotError

T = TypeVar("T")

CHILD_NICENESS = 10


_PR_SET_DUMPABLE = 4  # <linux/prctl.h>


def _no_crash_traces() -> None:
    """A parser that crashes on a hostile file leaves nothing behind.

    PDFium aborts when an allocation hits the memory limit; with core dumps
    on, the kernel would write the child's memory (the resume's bytes and
    text) to disk, and an inherited `faulthandler` would print a stack dump to
    the bot's stderr for an outcome we expect and report as ParseTimeoutError.
    """
    faulthandler.disable()
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)  # Linux: no core, no ptrace


def _child_main(write_fd: int, memory_mb: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Runs in the forked child; always ends in os._exit, never returns to the caller's stack."""
    code = 0
    try:
        _no_crash_traces()
        with contextlib.suppress(ValueError, OSError):
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        with contextlib.suppress(OSError):
            os.nice(CHILD_NICENESS)  # the bot's own loop (acks, defers) wins the CPU over reviews
        try:
            outcome: tuple[str, Any] = ("ok", fn(*args))
        except ResumeBotError as exc:
            outcome = ("error", exc)
        except MemoryError:
            outcome = ("error", ParseTimeoutError())
        except BaseException:  # a parser's traceback may quote the file: send nothing of it
            outcome = ("error", ProcessingError())
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            written = os.write(write_fd, view)
            view = view[written:]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


async def run_isolated(fn: Callable[..., T], *args: Any, timeout_s: float, memory_mb: int) -> T:
    """Run `fn(*args)` in a child process; its errors come back as `ResumeBotError`s.

    A child that runs past `timeout_s`, exceeds `memory_mb` or crashes becomes a
    `ParseTimeoutError`; the bot process is never at risk.
    """
    loop = asyncio.get_running_loop()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_fd)
        _child_main(write_fd, memory_mb, fn, args)
    os.close(write_fd)
    reader = asyncio.StreamReader(limit=2**26)
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(read_fd, "rb", buffering=0)
    )
    try:
        try:
            raw = await asyncio.wait_for(reader.read(), timeout=timeout_s)
        except TimeoutError:
            raise ParseTimeoutError() from None
    finally:
        transport.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        await asyncio.to_thread(os.waitpid, pid, 0)
    if not raw:  # killed by the memory limit, or crashed in C code
        raise ParseTimeoutError()
    status, payload = pickle.loads(raw)
    if status == "error":
        raise payload
    return payload
