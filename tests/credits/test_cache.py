"""The model answer cache: the same question never costs a second model call within
MODEL_CACHE_HOURS; the answer is guarded and scored again; forget and retention empty it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from core.config import Settings
from core.conversation import Conversations, Upload, review_markdown
from core.queue import ReviewQueue
from core.serial import to_json
from core.state.keys import ConversationKey
from core.state.schema import model_cache
from core.state.store import StateStore, open_state
from tests.credits.conftest import MODEL_A, MODEL_B, Clock, Recorder
from tests.huggingface.conftest import RESUME
from tests.huggingface.fake_openai import FakeOpenAI

KEY = ConversationKey("slack", "T1", "D1", None, "U1")
OTHER = ConversationKey("slack", "T1", "D2", None, "U2")


def settings(model: FakeOpenAI, url: str, key: str | None, **extra: object) -> Settings:
    values: dict[str, object] = {
        "huggingface_api_key": "hf_test",
        "huggingface_base_url": model.base_url,
        "huggingface_model": MODEL_A,
        "state_url": url,
        "state_key": key,
        **extra,
    }
    return Settings(**values)


@pytest.fixture
async def store_for() -> AsyncIterator[list[StateStore]]:
    """The stores a test opens, closed after it."""
    opened: list[StateStore] = []
    yield opened
    for store in opened:
        await store.close()


async def conversations(opened: list[StateStore], config: Settings, clock: Clock) -> Conversations:
    store = await open_state(config, clock=clock)
    opened.append(store)
    return Conversations(config, ReviewQueue(2, 10), state=store)


def upload(text: str = RESUME) -> Upload:
    async def fetch() -> tuple[bytes, str]:
        return text.encode(), "cv.txt"

    return Upload(name="cv.txt", size=len(text), fetch=fetch)


async def review(
    flow: Conversations, key: ConversationKey = KEY, *, job: str | None = None, text: str = RESUME
):
    seen = Recorder()
    await flow.handle(upload(text), seen, user=key.person, job=job, conversation=key)
    assert not seen.failures
    [result] = seen.results
    return result


async def test_a_repeated_review_makes_no_second_call_and_is_guarded_again(
    model: FakeOpenAI, state_url: str, state_key: str, clock: Clock, store_for: list[StateStore]
) -> None:
    flow = await conversations(store_for, settings(model, state_url, state_key), clock)
    first = await review(flow)
    second = await review(flow)
    assert model.calls == 1
    assert (first.model_cache, second.model_cache) == ("miss", "hit")
    assert second.engine == first.engine == f"huggingface:{MODEL_A}"
    # the fake invents "Initech" and 37 %: the guard removes them from the cached answer too
    assert "Initech" not in second.rewritten and "37%" not in second.rewritten
    assert second.rewritten == first.rewritten
    assert second.rewrite_score == first.rewrite_score and second.score == first.score
    assert "jane.doe@example.com" in second.rewritten  # placeholders restored
    # the person is not told; --json and the logs are
    assert "cache" not in review_markdown(second).lower()
    assert '"model_cache":"hit"' in to_json(second)


async def test_another_job_or_model_misses_the_cache(
    model: FakeOpenAI, state_url: str, state_key: str, clock: Clock, store_for: list[StateStore]
) -> None:
    config = settings(model, state_url, state_key)
    flow = await conversations(store_for, config, clock)
    await review(flow)
    await review(flow, job="Python developer with PostgreSQL and Kafka experience.\nRemote.")
    assert model.calls == 2
    other_model = replace(config, huggingface_model=MODEL_B)
    flow_b = Conversations(other_model, ReviewQueue(2, 10), state=flow.state)
    result = await review(flow_b)
    assert model.calls == 3 and result.model_cache == "miss"
    assert result.engine == f"huggingface:{MODEL_B}"
    assert (await review(flow_b)).model_cache == "hit" and model.calls == 3


async def test_forget_empties_the_cache(
    model: FakeOpenAI, state_url: str, state_key: str, clock: Clock, store_for: list[StateStore]
) -> None:
    flow = await conversations(store_for, settings(model, state_url, state_key), clock)
    await review(flow)
    await review(flow, OTHER, text=RESUME + "\nLanguages\nGerman\n")
    assert model.calls == 2
    await flow.forget(KEY.person)
    async with flow.state.engine.connect() as conn:  # type: ignore[union-attr]
        people = (await conn.execute(select(model_cache.c.person))).scalars().all()
    assert people == [OTHER.person]  # only the other person's answer is left
    assert (await review(flow)).model_cache == "miss"
    assert model.calls == 3


async def test_retention_and_cache_age_empty_the_cache(
    model: FakeOpenAI, state_url: str, state_key: str, clock: Clock, store_for: list[StateStore]
) -> None:
    config = settings(model, state_url, state_key, model_cache_hours=2, retention_hours=72)
    flow = await conversations(store_for, config, clock)
    await review(flow)
    clock.now += 3600
    assert (await review(flow)).model_cache == "hit"
    clock.now += 3601  # past MODEL_CACHE_HOURS: asked again
    assert (await review(flow)).model_cache == "miss" and model.calls == 2
    clock.now += 3 * 3600
    await flow.state.purge()  # type: ignore[union-attr]
    async with flow.state.engine.connect() as conn:  # type: ignore[union-attr]
        assert (await conn.execute(select(model_cache))).first() is None


async def test_stored_sealed_never_as_text(
    model: FakeOpenAI, state_url: str, state_key: str, clock: Clock, store_for: list[StateStore]
) -> None:
    flow = await conversations(store_for, settings(model, state_url, state_key), clock)
    await review(flow)
    async with flow.state.engine.connect() as conn:  # type: ignore[union-attr]
        [payload] = (await conn.execute(select(model_cache.c.payload))).scalars().all()
    assert payload and b"Acme" not in payload and b"billing" not in payload


async def test_without_a_key_the_answer_is_kept_in_memory_only(
    model: FakeOpenAI, state_url: str, clock: Clock, store_for: list[StateStore]
) -> None:
    flow = await conversations(store_for, settings(model, state_url, None), clock)
    await review(flow)
    assert (await review(flow)).model_cache == "hit" and model.calls == 1
    async with flow.state.engine.connect() as conn:  # type: ignore[union-attr]
        assert (await conn.execute(select(model_cache.c.payload))).scalars().all() == [None]


async def test_zero_hours_turns_the_cache_off(
    model: FakeOpenAI, state_url: str, state_key: str, clock: Clock, store_for: list[StateStore]
) -> None:
    config = settings(model, state_url, state_key, model_cache_hours=0)
    flow = await conversations(store_for, config, clock)
    await review(flow)
    await review(flow)
    assert model.calls == 2
