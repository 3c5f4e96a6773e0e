"""Fixtures for the Hugging Face engine: a virtual clock for retries, a small resume, settings."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from core import ai_engine as huggingface
from core.config import Settings

BASE = "https://hf.test/v1"
EMAIL = "jane.doe@example.com"
PHONE = "+1 (555) 123-4567"
LINKEDIN = "linkedin.com/in/janedoe"

RESUME = f"""Jane Doe
{EMAIL} | {PHONE} | {LINKEDIN}
221B Baker Street, London

Summary
Backend engineer who builds reliable payment systems.

Experience
Software Engineer, Acme Corp, 2019 - 2023
• Responsible for the billing service used by three product teams
• Reduced build time by 30% by caching dependencies

Education
BSc Computer Science, University of Leeds, 2018

Skills
Python, PostgreSQL, Kubernetes
"""


def load_fake_module() -> ModuleType:
    """The fake server module, loaded by path (tests are not a package)."""
    path = Path(__file__).with_name("fake_openai.py")
    spec = importlib.util.spec_from_file_location("hf_fake_openai", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class VirtualTime:
    """A clock that only moves when the code under test sleeps: retries run instantly."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    @property
    def policy(self) -> huggingface.RetryPolicy:
        return huggingface.RetryPolicy(jitter=0.0, sleep=self.sleep, clock=self.clock)


@pytest.fixture(autouse=True)
def fresh_engine() -> VirtualTime:
    """A virtual clock for backoff (pass `vt.policy` as `retry=`: the engine has no global to
    swap; which response_format a server took is remembered per httpx client, new per test)."""
    return VirtualTime()


@pytest.fixture
def vtime(fresh_engine: VirtualTime) -> VirtualTime:
    return fresh_engine


def hf_settings(base_url: str = BASE, **overrides: object) -> Settings:
    return Settings(huggingface_api_key="hf_test", huggingface_base_url=base_url, **overrides)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=huggingface.REQUEST_TIMEOUT) as client:
        yield client


@dataclass(frozen=True)
class Kit:
    """Constants and helpers the test modules share (tests are not a package, so no imports)."""

    base: str = BASE
    resume: str = RESUME
    email: str = EMAIL
    phone: str = PHONE
    linkedin: str = LINKEDIN

    vt: VirtualTime = field(default_factory=VirtualTime)

    @property
    def retry(self) -> huggingface.RetryPolicy:
        return self.vt.policy

    @staticmethod
    def settings(base_url: str = BASE, **overrides: object) -> Settings:
        return hf_settings(base_url, **overrides)

    @staticmethod
    def fake_module() -> ModuleType:
        return load_fake_module()


@pytest.fixture
def kit(fresh_engine: VirtualTime) -> Kit:
    return Kit(vt=fresh_engine)
