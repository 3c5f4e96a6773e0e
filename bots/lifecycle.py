"""Process plumbing every bot shares: SIGTERM/SIGINT as a graceful stop, content-free library logs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

log = logging.getLogger(__name__)


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGTERM (a deploy, `docker stop`) and SIGINT (Ctrl-C) set `stop` instead of killing us mid-review."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, _on_signal, sig, stop)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
            continue
        installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def keep_library_logs_content_free(*library_loggers: str) -> None:
    """Hold a platform SDK's loggers at INFO or above: at DEBUG they log request and response
    bodies, i.e. users' messages, job descriptions and the resume lines quoted in our replies."""
    root_level = logging.getLogger().getEffectiveLevel()
    for name in library_loggers:
        library = logging.getLogger(name)
        library.setLevel(max(logging.INFO, library.level, root_level))


def _on_signal(sig: signal.Signals, stop: asyncio.Event) -> None:
    log.info("%s received: finishing reviews in flight, then stopping", sig.name)
    stop.set()
