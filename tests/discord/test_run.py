"""`run(settings)`: the process entry point, and configuration paths (gateway override, model down)."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from bots.discord.run import run
from core.config import Settings
from core.errors import ConfigError
from tests.discord.conftest import running_bot
from tests.discord.test_e2e import RESUME_TXT
from tests.fakes.discord import FakeDiscord, is_channel_message, is_followup


async def test_run_without_a_token_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="DISCORD_BOT_TOKEN"):
        await run(settings)


async def test_run_with_a_rejected_token_is_a_config_error() -> None:
    fake = FakeDiscord()
    await fake.start()
    try:
        bad = Settings(discord_bot_token="wrong", discord_api_url=fake.api_url)
        with pytest.raises(ConfigError, match="rejected"):
            await asyncio.wait_for(run(bad), timeout=10)
    finally:
        await fake.close()


async def test_run_serves_until_cancelled() -> None:
    fake = FakeDiscord()
    await fake.start()
    settings = Settings(discord_bot_token=fake.token, discord_api_url=fake.api_url)
    task = asyncio.create_task(run(settings))
    try:
        await asyncio.wait_for(fake.ready.wait(), timeout=60)
        await fake.dispatch("MESSAGE_CREATE", fake.message("hello", dm=True))
        await fake.wait_for(is_channel_message(fake.dm_channel_id))
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        await fake.close()


async def test_gateway_url_setting_skips_the_lookup() -> None:
    async with running_bot(gateway_from_settings=True) as running:
        assert running.settings.discord_gateway_url == running.fake.gateway_url
        assert not running.fake.find("GET", "/gateway")
        assert running.fake.identify is not None


async def test_model_unavailable_still_answers_with_the_offline_review_and_says_why(
    refused_port: int,
) -> None:
    async with running_bot(
        huggingface_api_key="hf_test",
        huggingface_deadline_s=2.0,
        huggingface_base_url=f"http://127.0.0.1:{refused_port}/v1",
    ) as running:
        fake = running.fake
        await fake.dispatch(
            "INTERACTION_CREATE", fake.optimize(fake.attachment("cv.txt", RESUME_TXT))
        )
        (followup,) = await fake.wait_for(is_followup, within_s=60)
        assert "/100" in followup.content and followup.filenames
        assert "Warnings" in followup.text()
        assert (
            "AI rewrite is missing" in followup.text()
        )  # core's ModelError wording, in plain words
        assert "Engine: offline" in followup.text()
