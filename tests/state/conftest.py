"""A real database per test: an SQLite file, and PostgreSQL when a server is given.

`.ci/run` starts Debian's PostgreSQL and sets RESUME_BOT_TEST_POSTGRES_URL; without
it the PostgreSQL cases skip. Each test gets a database of its own, dropped after.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

POSTGRES_ENV = "RESUME_BOT_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


async def _postgres_database(admin_url: str) -> AsyncIterator[str]:
    import asyncpg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    name = f"resume_bot_test_{uuid.uuid4().hex[:12]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


@pytest.fixture(params=BACKENDS)
async def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A STATE_URL as an operator writes it: sqlite:///file or postgresql://…"""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
        return
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(f"{POSTGRES_ENV} is not set (.ci/run starts a PostgreSQL server)")
    async for url in _postgres_database(admin_url):
        yield url


@pytest.fixture
def state_key() -> str:
    return Fernet.generate_key().decode()
