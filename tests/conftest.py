"""Shared fixtures. The environment is cleared for every test (httpx's conftest style),
so no developer's real tokens or .env can leak into a test or change its outcome."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import settings as hypothesis_settings

from core.config import Settings
from tests.fakes.discord import FakeDiscord
from tests.fakes.model import SlowModel
from tests.fakes.slack import FakeSlack

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples"

# Property tests explore the same examples on every run and machine: a red run is reproducible,
# and nothing passes or fails by the luck of the draw. (Each @settings inherits this profile.)
hypothesis_settings.register_profile("derandomized", derandomize=True, database=None)
hypothesis_settings.load_profile("derandomized")

_REVIEW_SHARE = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """The run's shared folder of corpus reviews (tests/corpus_reviews.py), made by the process
    that starts the xdist workers, before they start."""
    if not hasattr(config, "workerinput"):
        from tests.corpus_reviews import share_folder

        config.stash[_REVIEW_SHARE] = share_folder()


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_REVIEW_SHARE, None)
    if folder is not None:
        from tests.corpus_reviews import remove_share_folder

        remove_share_folder(folder)


_PREFIXES = (
    "HUGGINGFACE_",
    "HF_",
    "SLACK_",
    "DISCORD_",
    "MAX_",
    "PARSE_",
    "LOG_LEVEL",
    "PORT",
    "USER_REVIEWS",
    "REVIEW_CHANNELS",
    "STATE_",
    "RETENTION_",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read


@pytest.fixture
def settings() -> Settings:
    """Default settings, no keys, no .env."""
    return Settings()


def corpus_files(sub: str, pattern: str = "*") -> list[Path]:
    folder = CORPUS / sub
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def require_corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack Web API on 127.0.0.1 (tests/fakes/slack.py)."""
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """The fake Discord REST API and gateway on 127.0.0.1 (tests/fakes/discord.py)."""
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """A client for the test's own requests (Slack's side of the HTTP events, for one)."""
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
async def model() -> AsyncIterator[SlowModel]:
    """A slow, gated OpenAI-compatible model on 127.0.0.1: answers wait for `model.gate.set()`."""
    slow = SlowModel(delay_s=0.05, gated=True)
    await slow.start()
    yield slow
    await slow.close()


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A 127.0.0.1 port that refuses connections for the whole test.

    The socket is bound and held but never listens: connecting gets ECONNREFUSED,
    and no other process can take the port meanwhile (unlike bind, close, reuse).
    """
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]
