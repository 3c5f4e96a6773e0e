"""Discord shards: DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS make this process one or more shards
(discord.py's AutoShardedClient); the conversation is the same as unsharded."""

from __future__ import annotations

import discord
import pytest

from core.config import load_settings
from tests.discord.conftest import Running, running_bot
from tests.discord.test_e2e import RESUME_TXT
from tests.fakes.discord import is_defer, is_followup


async def test_a_shard_identifies_as_its_shard_and_answers() -> None:
    async with running_bot(discord_shard_count=2, discord_shard_ids=[1]) as running:
        assert isinstance(running.client, discord.AutoShardedClient)
        assert running.fake.identify["shard"] == [1, 2]
        fake = running.fake
        await fake.dispatch(
            "INTERACTION_CREATE", fake.optimize(fake.attachment("cv.txt", RESUME_TXT))
        )
        await fake.wait_for(is_defer)
        (followup,) = await fake.wait_for(is_followup)
        assert "/100" in followup.text()


def test_shard_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_SHARD_COUNT", "4")
    monkeypatch.setenv("DISCORD_SHARD_IDS", "2, 3")
    settings = load_settings(env_file=None)
    assert settings.discord_shard_count == 4 and settings.discord_shard_ids == (2, 3)


async def test_no_shard_settings_is_one_plain_connection(bot: Running) -> None:
    assert type(bot.client) is discord.Client
    assert "shard" not in bot.fake.identify
