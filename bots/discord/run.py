"""`resume-bot discord`: connect to the gateway and serve until stopped."""

from __future__ import annotations

import logging

import discord
import httpx

from bots.discord.client import build_client
from core.config import Settings
from core.errors import ConfigError

log = logging.getLogger(__name__)


async def run(settings: Settings) -> None:
    """Run the Discord bot with `settings` (DISCORD_BOT_TOKEN required) until cancelled."""
    if settings.discord_bot_token is None or not settings.discord_bot_token.get_secret_value():
        raise ConfigError("DISCORD_BOT_TOKEN is not set.")
    async with httpx.AsyncClient() as http:
        client = build_client(settings, http=http)
        async with client:
            try:
                await client.start(settings.discord_bot_token.get_secret_value())
            except discord.LoginFailure:
                raise ConfigError("Discord rejected DISCORD_BOT_TOKEN.") from None
