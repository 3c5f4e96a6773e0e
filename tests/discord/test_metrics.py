"""Discord's 429s counted for /metrics (discord.py waits them out; the answer arrives once)."""

from __future__ import annotations

from prometheus_client import REGISTRY

from bots.discord.metrics import error_kind
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


def _errors(kind: str) -> float:
    labels = {"platform": "discord", "kind": kind}
    return REGISTRY.get_sample_value("resume_bot_platform_api_errors_total", labels) or 0.0


async def test_a_discord_api_error_is_counted_by_kind() -> None:
    """Discord refusing the review's embeds (400) is counted, and the person still hears."""
    before, limited = _errors("bad_request"), _count()
    async with running_bot() as running:
        fake = running.fake
        fake.reject_if = lambda call: is_followup(call) and bool((call.json or {}).get("embeds"))
        payload = fake.optimize(fake.attachment("a.txt", RESUME_TXT))
        await fake.dispatch("INTERACTION_CREATE", payload)
        await fake.wait_for(is_followup)  # the apology, in words
        await running.bot.conversations.tasks.drain()
        assert len(fake.rejected) == 1
    assert _errors("bad_request") == before + 1
    assert _count() == limited  # not a 429


def test_error_kinds_are_a_few_fixed_words() -> None:
    kinds = {s: error_kind(s) for s in (200, 204, 400, 401, 403, 404, 418, 429, 500, 503)}
    assert kinds == {
        200: None, 204: None, 400: "bad_request", 401: "unauthorized", 403: "forbidden",
        404: "not_found", 418: "client_error", 429: None, 500: "server_error", 503: "server_error",
    }  # fmt: skip
