"""`run()`: HTTP mode serves /slack/events and /healthz on $PORT; Socket Mode connects with the app token."""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx
import pytest

from bots.slack.run import run
from core.config import Settings
from core.errors import ConfigError
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, LOCALHOST, SIGNING_SECRET, FakeSlack, sign


async def test_http_mode_serves_health_and_verified_events(fake_slack: FakeSlack) -> None:
    settings = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        port=0,  # any free port: run() reports the one it holds
    )
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(run(settings, host=LOCALHOST, listening=listening))
    try:
        port = await asyncio.wait_for(listening, 60)
        async with httpx.AsyncClient(base_url=f"http://{LOCALHOST}:{port}") as client:
            health = await client.get("/healthz")
            assert health.status_code == 200
            body = json.dumps({"type": "url_verification", "challenge": "abc"})
            ok = await client.post(
                "/slack/events",
                content=body,
                headers={**sign(body), "Content-Type": "application/json"},
            )
            bad = await client.post(
                "/slack/events",
                content=body,
                headers={**sign(body, secret="nope"), "Content-Type": "application/json"},
            )
            assert ok.status_code == 200 and "abc" in ok.text
            assert bad.status_code == 401
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_socket_mode_when_app_token_is_set(fake_slack: FakeSlack) -> None:
    settings = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_api_url=fake_slack.api_url,
    )
    task = asyncio.create_task(run(settings, host=LOCALHOST))
    try:
        await fake_slack.wait_for(lambda: fake_slack.api_calls("apps.connections.open"))
        await fake_slack.wait_for(lambda: fake_slack.socket_connected)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_missing_settings_fail_with_one_clear_line() -> None:
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        await run(Settings())
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        await run(Settings(slack_bot_token=BOT_TOKEN))
