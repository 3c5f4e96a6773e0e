"""Fixtures: a real Redis server per test (skips when redis-server is absent), workers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from redis.asyncio import Redis

from core.config import Settings
from core.scale.shared import connect
from core.scale.worker import run_worker
from tests.fakes.model import API_KEY, MODEL, SlowModel
from tests.fakes.slack import LOCALHOST
from tests.scale.redis_server import RedisServer


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def replicas(redis_server: RedisServer) -> AsyncIterator[tuple[Redis, Redis]]:
    """Two clients, as two bot processes hold them."""
    first, second = connect(redis_server.url), connect(redis_server.url)
    yield first, second
    await first.aclose()
    await second.aclose()


@pytest.fixture
async def model() -> AsyncIterator[SlowModel]:
    """The model fake, held until `model.gate.set()`, answering at once when let go."""
    fake = SlowModel(delay_s=0.0, gated=True)
    await fake.start()
    yield fake
    await fake.close()


def model_settings(redis: RedisServer, key: str, model: SlowModel, **more: object) -> Settings:
    """Distributed-mode settings with the model engine pointed at the model fake."""
    return Settings(
        redis_url=redis.url,
        state_key=key,
        huggingface_api_key=API_KEY,
        huggingface_model=MODEL,
        huggingface_base_url=model.base_url,
        **more,  # type: ignore[arg-type]
    )


@pytest.fixture
def state_key() -> str:
    return Fernet.generate_key().decode()


@dataclass
class RunningWorker:
    """A `resume-bot worker` in this process (its parse processes are real ones)."""

    url: str  # its /healthz and /metrics
    stop: asyncio.Event
    task: asyncio.Task[None]


@contextlib.asynccontextmanager
async def running_worker(settings: Settings) -> AsyncIterator[RunningWorker]:
    stop = asyncio.Event()
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        run_worker(replace(settings, port=0), host=LOCALHOST, stop=stop,
                   listening=listening)
    )  # fmt: skip
    port = await asyncio.wait_for(listening, 60)
    try:
        yield RunningWorker(f"http://{LOCALHOST}:{port}", stop, task)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
