"""`resume-bot slack`: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on $PORT.

Socket Mode needs no public URL (the easy path for a small team). HTTP mode
serves Bolt's `/slack/events` (signatures verified by Bolt) and `GET /healthz`.
SIGTERM/SIGINT start a graceful stop: events keep being acknowledged (new
reviews are answered "restarting, send it again"), people in line are told
their review was cancelled, reviews in flight get SHUTDOWN_DRAIN_SECONDS, and
the process exits within SHUTDOWN_EXIT_SECONDS.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import httpx
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bots.lifecycle import stop_on_signals
from core.config import Settings
from core.limits import SHUTDOWN_DRAIN_SECONDS, SHUTDOWN_EXIT_SECONDS
from core.queue import ReviewQueue
from core.scale import coordination
from core.scale.metrics import add_routes as add_metrics_routes
from core.scale.metrics import serving
from core.state.store import running_state

from .app import DOWNLOAD_TIMEOUT_S, SlackBot, build_bot

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HTTP_HOST = "0.0.0.0"  # a container or PaaS routes $PORT from outside; tests bind 127.0.0.1


def build_web_app(app: AsyncApp) -> web.Application:
    """aiohttp app serving Slack's requests and a health check."""

    async def events(request: web.Request) -> web.Response:
        bolt_response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    web_app = web.Application()
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get(HEALTH_PATH, health)
    add_metrics_routes(web_app)  # /metrics for Prometheus
    return web_app


async def shut_down(bot: SlackBot, drain_s: float = SHUTDOWN_DRAIN_SECONDS) -> bool:
    """Stop admitting, tell those in line, let reviews in flight finish within `drain_s`."""
    return await bot.conversations.shut_down(drain_s=drain_s, exit_s=SHUTDOWN_EXIT_SECONDS)


async def run(
    settings: Settings,
    *,
    host: str = HTTP_HOST,
    stop: asyncio.Event | None = None,
    queue: ReviewQueue | None = None,
    listening: asyncio.Future[int] | None = None,
) -> None:
    """Run the Slack bot until `stop` is set (SIGTERM/SIGINT) or the task is cancelled.

    Either way reviews in flight are finished (or stopped with a message to their user) first.
    In HTTP mode `listening` gets the port the server holds (with PORT=0, any free one),
    so a caller never has to guess a free port and race others for it.
    """
    stop = stop or asyncio.Event()
    with stop_on_signals(stop):
        async with (
            running_state(settings) as state,
            coordination(settings) as shared,  # in-process, or on Redis with REDIS_URL
            serving(host, settings.metrics_port),  # /metrics, /healthz (Socket Mode has no server)
            httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT_S) as http,
            aiohttp.ClientSession() as session,
        ):
            queue = queue or shared.queue
            bot = build_bot(settings, http=http, session=session, queue=queue, state=state)
            bot.conversations.claims = shared.claims  # a retried event is answered by one replica
            bot.conversations.reviewer = shared.reviewer  # here, or on a worker (REDIS_URL)
            bot.conversations.handover = shared.handover  # answers a killed replica owed
            await bot.warm_up()
            await bot.recover()  # reviews a previous process accepted and never answered
            if settings.slack_app_token:
                handler = AsyncSocketModeHandler(
                    bot.app, settings.slack_app_token.get_secret_value()
                )
                log.info("Slack bot connecting in Socket Mode")
                await handler.connect_async()
                try:
                    await stop.wait()
                finally:
                    try:
                        await shut_down(bot)  # still connected: new events are acked and answered
                    finally:
                        await handler.close_async()
            else:
                runner = web.AppRunner(build_web_app(bot.app))
                await runner.setup()
                await web.TCPSite(runner, host=host, port=settings.port).start()
                port = int(runner.addresses[0][1])
                log.info("Slack bot listening on %s:%d%s", host, port, EVENTS_PATH)
                if listening is not None and not listening.done():
                    listening.set_result(port)
                try:
                    await stop.wait()
                finally:
                    try:
                        await shut_down(bot)  # still serving: new events are acked and answered
                    finally:
                        await runner.cleanup()
