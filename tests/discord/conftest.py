"""A fake Discord on 127.0.0.1 and the real bot client connected to it, per test."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest

from bots.discord.client import DiscordBot, build_bot
from core.config import Settings
from tests.fakes.discord import FakeDiscord

STARTUP_TIMEOUT_S = 60  # a bound on failure, not a goal: generous for a loaded machine


@dataclass
class Running:
    """The fake server and the connected bot."""

    fake: FakeDiscord
    client: discord.Client
    settings: Settings
    bot: DiscordBot


@contextlib.asynccontextmanager
async def running_bot(
    *,
    guild_sync: bool = False,
    gateway_from_settings: bool = False,
    interaction_window_s: float | None = None,
    **overrides: object,
) -> AsyncIterator[Running]:
    """Start the fake and the real client; wait until it has the guild; stop both afterwards.

    `gateway_from_settings` sets DISCORD_GATEWAY_URL instead of letting the bot ask `/gateway/bot`.
    `interaction_window_s` shortens how long the bot answers through an interaction's token
    (Discord's 15 minutes) so a test needn't wait that long. `review_channels` may name the
    fake's channels by attribute: "channel_id", "forum_id".
    """
    fake = FakeDiscord()
    await fake.start()
    if "review_channels" in overrides:
        overrides["review_channels"] = [getattr(fake, n) for n in overrides["review_channels"]]
    settings = Settings(
        discord_bot_token=fake.token,
        discord_api_url=fake.api_url,
        discord_guild_id=int(fake.guild_id) if guild_sync else None,
        discord_gateway_url=fake.gateway_url if gateway_from_settings else None,
        **overrides,
    )
    bot = (
        build_bot(settings)
        if interaction_window_s is None
        else build_bot(settings, interaction_window_s=interaction_window_s)
    )
    client = bot.client
    task = asyncio.create_task(client.start(fake.token))
    try:
        async with asyncio.timeout(STARTUP_TIMEOUT_S):
            while client.get_guild(int(fake.guild_id)) is None:
                if task.done():
                    task.result()  # surface the start-up error
                await asyncio.sleep(0.01)
        yield Running(fake, client, settings, bot)
    finally:
        await client.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        await fake.close()


@pytest.fixture
async def bot() -> AsyncIterator[Running]:
    async with running_bot() as running:
        yield running
