"""Discord's 429s counted for /metrics (discord.py waits them out; the answer arrives once)."""

from __future__ import annotations

from prometheus_client import REGISTRY

from tests.discord.conftest import running_bot
from tests.discord.test_e2e import RESUME_TXT
from tests.fakes.discord import is_followup

DISCORD_429 = {"platform": "discord", "kind": "rate_limited"}


def _count() -> float:
    return REGISTRY.get_sample_value("resume_bot_platform_api_errors_total", DISCORD_429) or 0.0


async def test_a_discord_429_is_counted() -> None:
    before = _count()
    async with running_bot() as running:
        fake = running.fake
        fake.rate_limit_once[("POST", "/webhooks/")] = 0.05
        payload = fake.optimize(fake.attachment("a.txt", RESUME_TXT))
        await fake.dispatch("INTERACTION_CREATE", payload)
        await fake.wait_for(is_followup)
        await running.bot.conversations.tasks.drain()
        assert len(fake.rate_limited) == 1
    assert _count() == before + 1
