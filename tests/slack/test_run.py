"""`run()`: HTTP mode serves /slack/events and /healthz on $PORT; Socket Mode connects with the app token."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket

import httpx
import pytest

from bots.slack.run import run
from core.config import Settings
from core.errors import ConfigError
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, LOCALHOST, SIGNING_SECRET, FakeSlack, sign


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        return int(s.getsockname()[1])


async def test_http_mode_serves_health_and_verified_events(fake_slack: FakeSlack) -> None:
    port = _free_port()
    settings = Settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        port=port,
    )
    task = asyncio.create_task(run(settings, host=LOCALHOST))
    try:
        async with httpx.AsyncClient(base_url=f"http://{LOCALHOST}:{port}") as client:
            for _ in range(100):
                with contextlib.suppress(httpx.ConnectError):
                    health = await client.get("/healthz")
                    break
                await asyncio.sleep(0.05)
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
        _env_file=None,
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
        await run(Settings(_env_file=None))
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        await run(Settings(_env_file=None, slack_bot_token=BOT_TOKEN))
