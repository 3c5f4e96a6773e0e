"""`resume-bot worker`: the review worker of the distributed mode (core/scale/worker.py)."""

from __future__ import annotations

import asyncio

from bots.lifecycle import stop_on_signals
from core.config import Settings
from core.scale.worker import run_worker


async def run(settings: Settings) -> None:
    """Until SIGTERM/SIGINT: a job in flight then goes back to the queue for another worker."""
    stop = asyncio.Event()
    with stop_on_signals(stop):
        await run_worker(settings, stop=stop)
