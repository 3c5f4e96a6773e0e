"""Fixtures: a real Redis server per test (skips when redis-server is absent)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from core.scale.shared import connect
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
