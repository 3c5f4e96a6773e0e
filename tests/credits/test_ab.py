"""A/B: each person is held to one model by a hash of their platform id; the share of people
given model B is near MODEL_B_SHARE; the engine name says which model answered."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.ab import model_for, settings_for
from core.config import Settings
from core.conversation import Conversations
from core.queue import ReviewQueue
from core.state.keys import ConversationKey
from tests.credits.conftest import MODEL_A, MODEL_B, Recorder
from tests.credits.test_cache import upload
from tests.huggingface.fake_openai import FakeOpenAI

AB = Settings(huggingface_model=MODEL_A, huggingface_model_b=MODEL_B, model_b_share=0.3)


def test_a_person_is_held_to_one_model() -> None:
    for n in range(200):
        person = f"slack:T1:U{n}"
        assert len({model_for(person, AB) for _ in range(3)}) == 1


@pytest.mark.parametrize("share", [0.1, 0.3, 0.5, 0.9])
def test_the_split_is_near_the_share(share: float) -> None:
    config = replace(AB, model_b_share=share)
    people = [f"discord:-:{10**17 + n * 7919}" for n in range(20_000)]
    given_b = sum(model_for(p, config) == MODEL_B for p in people) / len(people)
    assert abs(given_b - share) < 0.015


def test_no_second_model_or_a_zero_share_means_model_a() -> None:
    assert model_for("slack:T1:U1", Settings(huggingface_model=MODEL_A)) == MODEL_A
    nobody = replace(AB, model_b_share=0.0)
    everybody = replace(AB, model_b_share=1.0)
    people = [f"slack:T1:U{n}" for n in range(300)]
    assert {model_for(p, nobody) for p in people} == {MODEL_A}
    assert {model_for(p, everybody) for p in people} == {MODEL_B}
    assert settings_for("slack:T1:U1", nobody) is nobody


def test_raising_the_share_only_moves_people_from_a_to_b() -> None:
    low, high = (replace(AB, model_b_share=s) for s in (0.2, 0.4))
    people = [f"slack:T1:U{n}" for n in range(2000)]
    assert all(model_for(p, high) == MODEL_B for p in people if model_for(p, low) == MODEL_B)


async def test_each_person_gets_their_model_and_the_engine_says_which(
    model: FakeOpenAI,
) -> None:
    config = Settings(
        huggingface_api_key="hf_test",
        huggingface_base_url=model.base_url,
        huggingface_model=MODEL_A,
        huggingface_model_b=MODEL_B,
        model_b_share=0.5,
    )
    flow = Conversations(config, ReviewQueue(2, 10))
    people = [ConversationKey("slack", "T1", "D1", None, f"U{n}") for n in range(40)]
    a = next(k for k in people if model_for(k.person, config) == MODEL_A)
    b = next(k for k in people if model_for(k.person, config) == MODEL_B)
    for key, expected in ((a, MODEL_A), (b, MODEL_B), (b, MODEL_B)):
        seen = Recorder()
        await flow.handle(upload(), seen, user=key.person, conversation=key)
        assert seen.results[0].engine == f"huggingface:{expected}"
        assert model.requests[-1]["model"] == expected
