"""Workers keep the model answer cache (MODEL_CACHE_HOURS) in the state store when they have
one (STATE_URL), as the bots do: the same question costs one model call, whichever worker
reviews it, and forgetting the person deletes what their reviews cached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.review import ReviewRequest
from core.scale import coordination
from core.state.cache import ModelCache
from core.state.store import open_state
from tests.fakes.model import SlowModel
from tests.scale.conftest import model_settings, running_worker
from tests.scale.redis_server import RedisServer
from tests.slack.conftest import RESUME_TXT

REQUEST = ReviewRequest(data=RESUME_TXT.encode(), filename="jane.txt")
PERSON = "slack:T0001:U0JANE"


@pytest.fixture
async def model() -> AsyncIterator[SlowModel]:
    fake = SlowModel(delay_s=0.0)
    await fake.start()
    yield fake
    await fake.close()


async def test_workers_with_a_state_store_ask_the_model_once_for_the_same_resume(
    redis_server: RedisServer, state_key: str, model: SlowModel, tmp_path: Path
) -> None:
    settings = model_settings(
        redis_server, state_key, model, state_url=f"sqlite:///{tmp_path / 'state.db'}"
    )  # the store the bots use
    store = await open_state(settings)  # the bot's
    try:
        cache = ModelCache(store, PERSON)
        async with coordination(settings) as shared:
            async with running_worker(settings):
                _, first = await shared.reviewer(REQUEST, settings, cache=cache)
            async with running_worker(settings):  # another worker, the same store
                _, again = await shared.reviewer(REQUEST, settings, cache=cache)
            assert (first.model_cache, again.model_cache) == ("miss", "hit")
            assert model.calls == 1
            assert again.engine == first.engine and again.score == first.score
            await store.forget_all(PERSON)  # what their reviews cached goes with them
            async with running_worker(settings):
                _, after = await shared.reviewer(REQUEST, settings, cache=cache)
            assert after.model_cache == "miss" and model.calls == 2
    finally:
        await store.close()


async def test_a_worker_without_a_state_store_asks_the_model_every_time(
    redis_server: RedisServer, state_key: str, model: SlowModel, tmp_path: Path
) -> None:
    settings = model_settings(redis_server, state_key, model)
    bot = await open_state(replace(settings, state_url=f"sqlite:///{tmp_path}/b.db"))
    try:
        cache = ModelCache(bot, PERSON)
        async with coordination(settings) as shared, running_worker(settings):
            for _ in range(2):
                _, result = await shared.reviewer(REQUEST, settings, cache=cache)
                assert result.model_cache != "hit"
        assert model.calls == 2
    finally:
        await bot.close()
