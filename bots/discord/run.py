"""`resume-bot discord`: connect to the gateway and serve until stopped.

SIGTERM/SIGINT start a graceful stop while the gateway stays connected: new
reviews are answered "restarting, send it again", people in line are told their
review was cancelled, reviews in flight get SHUTDOWN_DRAIN_SECONDS (then are
stopped with a message), and the process exits within SHUTDOWN_EXIT_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
import httpx

from bots.discord.client import DiscordBot, build_bot
from bots.lifecycle import stop_on_signals
from core.config import Settings
from core.errors import ConfigError
from core.limits import SHUTDOWN_DRAIN_SECONDS, SHUTDOWN_EXIT_SECONDS
from core.queue import ReviewQueue
from core.scale import coordination
from core.scale.metrics import serving as serving_metrics
from core.state.store import running_state

log = logging.getLogger(__name__)

PRIVILEGED_INTENT_HINT = (
    "REVIEW_CHANNELS needs the Message Content intent: Developer Portal → your app → Bot → "
    "Privileged Gateway Intents → turn on Message Content Intent (or unset REVIEW_CHANNELS)."
)
CLOSE_MARGIN_S = 2  # of SHUTDOWN_EXIT_SECONDS, kept for closing the gateway and HTTP clients


METRICS_HOST = "0.0.0.0"  # a container routes METRICS_PORT from outside


async def shut_down(bot: DiscordBot, drain_s: float = SHUTDOWN_DRAIN_SECONDS) -> bool:
    """Stop admitting, tell those in line, let reviews in flight finish within `drain_s`."""
    return await bot.conversations.shut_down(
        drain_s=drain_s, exit_s=SHUTDOWN_EXIT_SECONDS, close_margin_s=CLOSE_MARGIN_S
    )


async def run(
    settings: Settings, *, stop: asyncio.Event | None = None, queue: ReviewQueue | None = None
) -> None:
    """Run the Discord bot with `settings` (DISCORD_BOT_TOKEN required) until `stop` is set or cancelled."""
    if settings.discord_bot_token is None or not settings.discord_bot_token.get_secret_value():
        raise ConfigError("DISCORD_BOT_TOKEN is not set.")
    token = settings.discord_bot_token.get_secret_value()
    stop = stop or asyncio.Event()
    with stop_on_signals(stop):
        async with (
            running_state(settings) as state,
            coordination(settings) as shared,  # in-process, or on Redis with REDIS_URL
            serving_metrics(METRICS_HOST, settings.metrics_port),  # /metrics and /healthz
            httpx.AsyncClient() as http,
        ):
            bot = build_bot(settings, http=http, queue=queue or shared.queue, state=state)
            bot.conversations.claims = shared.claims
            bot.conversations.reviewer = shared.reviewer
            bot.conversations.handover = shared.handover  # answers a killed replica owed
            async with bot.client:
                serving = asyncio.create_task(bot.client.start(token))
                stopping = asyncio.create_task(stop.wait())
                try:
                    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
                    if serving.done():
                        serving.result()  # a login failure or a fatal gateway error
                    else:
                        await shut_down(bot)  # still connected: new requests are answered
                except discord.LoginFailure:
                    raise ConfigError("Discord rejected DISCORD_BOT_TOKEN.") from None
                except discord.PrivilegedIntentsRequired:
                    raise ConfigError(PRIVILEGED_INTENT_HINT) from None
                finally:
                    stopping.cancel()
                    await bot.client.close()
                    if not serving.done():
                        serving.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await serving
