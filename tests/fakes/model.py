"""A slow OpenAI-compatible model on 127.0.0.1, for load and shutdown tests: the same fake
as the model engine's tests (tests/huggingface/fake_openai.py), slowed down and gated."""

from __future__ import annotations

from tests.huggingface.fake_openai import FakeOpenAI

MODEL = "openai/gpt-oss-20b"
API_KEY = "hf_test_load"


class SlowModel(FakeOpenAI):
    """Each call takes `delay_s`; with `gated`, answers wait until `model.gate.set()`."""

    def __init__(self, delay_s: float = 0.3, *, gated: bool = False) -> None:
        super().__init__(models=(MODEL,), delay_s=delay_s, gated=gated)
