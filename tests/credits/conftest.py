"""Issue 17 (model credits): a real state database per test and the local model fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import pytest

from core.conversation import Progress
from core.models import ReviewResult
from tests.huggingface.fake_openai import FakeOpenAI
from tests.state.conftest import state_key, state_url  # noqa: F401 (fixtures)

MODEL_A = "openai/gpt-oss-20b"
MODEL_B = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.fixture
async def model() -> AsyncIterator[FakeOpenAI]:
    fake = FakeOpenAI(models=(MODEL_A, MODEL_B))
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@dataclass
class Clock:
    """The store's wall clock, moved by the test (retention and cache age without waiting)."""

    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@dataclass
class Recorder:
    """A platform that writes down what the person would see."""

    results: list[ReviewResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    async def progress(self, update: Progress) -> None:
        pass

    async def deliver(self, result: ReviewResult, notes: Sequence[str]) -> None:
        self.results.append(result)

    async def fail(self, text: str) -> None:
        self.failures.append(text)
