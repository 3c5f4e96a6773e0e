"""Fixtures: a fake Slack and a foreign host on 127.0.0.1, and the real Bolt app served over HTTP."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
import pytest
from aiohttp import web

from bots.slack.app import SlackBot, build_bot
from bots.slack.run import EVENTS_PATH, build_web_app
from core.config import Settings
from tests.fakes.slack import (
    BOT_TOKEN,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    ForeignServer,
    dm_file_share,
    event_callback,
    sign,
)

RESUME_TXT = """Jane Doe
jane.doe@example.com | +1 555 123 4567 | linkedin.com/in/janedoe

Summary
Backend engineer with six years of experience building Python services and data pipelines.

Experience
Senior Software Engineer, Acme Corp (2019 - Present)
- Responsible for the payments API used by 2 million customers
- Led the migration of 40 services to Kubernetes, cutting deploy time by 60%
- Worked on monitoring and alerting

Software Engineer, Initech (2016 - 2019)
- Built an internal reporting tool in Django
- Helped with on-call

Education
BSc Computer Science, State University, 2016

Skills
Python, Go, PostgreSQL, Kubernetes, AWS, Docker
"""


@pytest.fixture
async def foreign() -> AsyncIterator[ForeignServer]:
    server = ForeignServer()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def slack_settings(fake_slack: FakeSlack) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
    )


@dataclass
class BoltServer:
    """The real Bolt app in HTTP mode on a real socket, and a way to send it what Slack sends."""

    url: str
    bot: SlackBot
    http: httpx.AsyncClient

    async def post(
        self,
        body: str,
        *,
        content_type: str,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> httpx.Response:
        all_headers = {
            "Content-Type": content_type,
            **(sign(body) if signed else {}),
            **(headers or {}),
        }
        return await self.http.post(
            self.url + EVENTS_PATH, content=body.encode(), headers=all_headers
        )

    async def event(
        self, payload: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.post(
            json.dumps(payload), content_type="application/json", headers=headers
        )

    async def form(self, body: str) -> httpx.Response:
        return await self.post(body, content_type="application/x-www-form-urlencoded")

    async def settled(self, fake: FakeSlack) -> None:
        """Wait until everything sent so far has been handled: no fixed sleep before "nothing happened".

        A marker DM goes last and is answered with help; once that reply reaches the
        fake, the listeners of every earlier request (started before the marker was
        even sent) have run, and draining the tracked tasks waits out any work they
        started. The marker's reply is then taken out of the fake's record.
        """
        marker = marker_dm()
        await self.event(event_callback(marker))
        await fake.wait_for(lambda: fake.thread(MARKER_CHANNEL, marker["ts"]))
        await self.bot.conversations.tasks.drain()
        fake.messages[:] = [m for m in fake.messages if m.channel != MARKER_CHANNEL]


MARKER_CHANNEL = "D0MARKER"
_markers = itertools.count(1)


def marker_dm() -> dict[str, Any]:
    """A plain DM (no file) from a user of its own: the bot answers it with help, in its thread."""
    ts = f"1799999999.{next(_markers):06d}"
    event = dm_file_share([], text="hi", ts=ts, channel=MARKER_CHANNEL, user="U0MARKER")
    return {k: v for k, v in event.items() if k not in ("files", "subtype")}


@pytest.fixture
async def bolt(slack_settings: Settings, http: httpx.AsyncClient) -> AsyncIterator[BoltServer]:
    session = aiohttp.ClientSession()  # as run() does: one pool for the Web API
    bot = build_bot(slack_settings, http=http, session=session, socket_mode=False)
    runner = web.AppRunner(build_web_app(bot.app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, LOCALHOST, 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield BoltServer(url=f"http://{LOCALHOST}:{port}", bot=bot, http=http)
    await bot.conversations.tasks.drain()
    await runner.cleanup()
    await session.close()
