"""A worker says when a review is done (Redis pub/sub), so a bot waiting on a job doesn't ask
Redis every tenth of a second: with the bot's own looks set an hour apart, answers still come."""

from __future__ import annotations

import asyncio
import pickle
import zlib

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from cryptography.fernet import Fernet, InvalidToken

from core.config import Settings
from core.review import ReviewRequest
from core.scale.jobs import QUEUE_NAME, Sealer, WorkerReviews
from tests.scale.conftest import running_worker
from tests.scale.redis_server import RedisServer
from tests.slack.conftest import RESUME_TXT

REQUEST = ReviewRequest(data=RESUME_TXT.encode(), filename="jane.txt")
DEADLINE_S = 60  # a bound on failure, not a goal: without the notes this waits an hour


async def test_answers_come_on_the_worker_s_note_not_on_the_bot_s_next_look(
    redis_server: RedisServer, state_key: str
) -> None:
    settings = Settings(redis_url=redis_server.url, state_key=state_key)
    pool = await create_pool(
        RedisSettings.from_dsn(redis_server.url), default_queue_name=QUEUE_NAME
    )
    reviews = WorkerReviews(pool, Sealer(state_key), timeout_s=30, look_s=3600)
    try:
        async with running_worker(settings):
            outcomes = await asyncio.wait_for(
                asyncio.gather(*(reviews(REQUEST, settings) for _ in range(3))), DEADLINE_S
            )
    finally:
        await reviews.aclose()
        await pool.aclose()
    for document, result in outcomes:
        assert "Jane" in document.text and result.engine == "offline" and result.rewritten


def test_a_sealed_job_opens_only_with_the_key_and_old_compressed_ones_still_open(
    state_key: str,
) -> None:
    """Jobs travel sealed (Fernet) and no longer compressed; a job an earlier version sealed
    compressed, still in Redis during an upgrade, opens the same."""
    sealer, value = Sealer(state_key), (REQUEST, None, "slack:T1:U1")
    token = sealer.seal(value)
    assert RESUME_TXT.encode()[:40] not in token and sealer.open(token) == value
    earlier = Fernet(state_key.encode()).encrypt(zlib.compress(pickle.dumps(value), 3))
    assert sealer.open(earlier) == value
    with pytest.raises(InvalidToken):
        Sealer(Fernet.generate_key().decode()).open(token)
