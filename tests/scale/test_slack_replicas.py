"""Two Slack replicas in HTTP mode sharing Redis, against the fake Slack: an event Slack
retries to the other replica is still answered once."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import pytest
from aiohttp import web

from bots.slack.app import SlackBot, build_bot
from bots.slack.run import EVENTS_PATH, build_web_app
from core.config import Settings
from core.scale import coordination
from tests.fakes.slack import (
    BOT_TOKEN,
    BOT_USER_ID,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    app_mention,
    channel_message,
    dm_file_share,
    event_callback,
    sign,
)
from tests.scale.conftest import running_worker
from tests.scale.redis_server import RedisServer
from tests.slack.conftest import RESUME_TXT


@contextlib.asynccontextmanager
async def replica(settings: Settings) -> AsyncIterator[tuple[str, SlackBot]]:
    """One bot process's wiring as `bots.slack.run.run` does it, on a port of its own."""
    async with (
        coordination(settings) as shared,
        httpx.AsyncClient(timeout=10) as http,
        aiohttp.ClientSession() as session,
    ):
        bot = build_bot(settings, http=http, session=session, socket_mode=False, queue=shared.queue)
        bot.conversations.claims = shared.claims
        bot.conversations.reviewer = shared.reviewer
        bot.conversations.handover = shared.handover
        await bot.recover()  # its sweeper for what a stopped replica owed
        runner = web.AppRunner(build_web_app(bot.app), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, LOCALHOST, 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            yield f"http://{LOCALHOST}:{port}", bot
        finally:
            await bot.conversations.shutdown(30)  # as SIGTERM: the sweeper stops too
            await runner.cleanup()


def replica_settings(fake: FakeSlack, redis: RedisServer, key: str, **more: Any) -> Settings:
    """A replica's settings: the fake Slack, Redis shared, no state store unless given."""
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        redis_url=redis.url,
        state_key=key,
        **more,
    )


async def post(url: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> int:
    body = json.dumps(payload)
    async with httpx.AsyncClient() as client:
        response = await client.post(
            url + EVENTS_PATH,
            content=body,
            headers={"Content-Type": "application/json", **sign(body), **(headers or {})},
        )
    return response.status_code


async def test_retried_event_reaching_another_replica_is_answered_once(
    redis_server: RedisServer, state_key: str, fake_slack: FakeSlack
) -> None:
    fake = fake_slack
    settings = replica_settings(fake, redis_server, state_key)  # no state store: only Redis
    async with (
        running_worker(settings) as worker,
        replica(settings) as (one, bot_one),
        replica(settings) as (two, bot_two),
    ):
        file = fake.add_file("jane.txt", RESUME_TXT.encode())
        event = dm_file_share([file])
        payload = event_callback(event)
        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        assert await post(one, payload) == 200
        assert await post(two, payload, retry) == 200
        assert await post(one, payload, {**retry, "X-Slack-Retry-Num": "2"}) == 200
        await fake.wait_for(lambda: fake.uploads_in("D0USER", event["ts"]))
        await bot_one.conversations.tasks.drain()
        await bot_two.conversations.tasks.drain()
        async with httpx.AsyncClient(base_url=worker.url) as client:
            assert (await client.get("/healthz")).json() == {"ok": True}
            metrics = (await client.get("/metrics")).text
        assert 'resume_bot_reviews_total{engine="offline",outcome="ok"}' in metrics
    assert len(fake.thread("D0USER", event["ts"])) == 1
    assert len(fake.api_calls("files.completeUploadExternal")) == 1
    assert len([c for c in fake.calls if c.method.startswith("GET /files/")]) == 1


async def test_redis_restarted_during_a_burst_every_request_is_answered_once(
    redis_server: RedisServer,
    state_key: str,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = fake_slack
    settings = replica_settings(fake, redis_server, state_key, max_concurrent_reviews=2)
    async with (
        running_worker(settings),
        replica(settings) as (one, bot_one),
        replica(settings) as (two, bot_two),
    ):
        events = [
            dm_file_share(
                [fake.add_file(f"cv{n}.txt", RESUME_TXT.encode())],
                user=f"U{n}",
                channel=f"DU{n}",
                ts=f"1700000200.{n:06d}",
            )
            for n in range(6)
        ]
        acks = [await post((one, two)[n % 2], event_callback(e)) for n, e in enumerate(events[:3])]
        redis_server.stop()  # mid-burst: reviews in line and in flight lose Redis
        acks += [await post((one, two)[n % 2], event_callback(e)) for n, e in enumerate(events[3:])]
        await fake.wait_for(lambda: "redis unreachable" in caplog.text)  # reviews wait
        redis_server.start()  # back, empty
        assert acks == [200] * 6  # every request acknowledged while Redis was away
        for e in events:
            await fake.wait_for(lambda e=e: fake.uploads_in(e["channel"], e["ts"]), 90)
        await bot_one.conversations.tasks.drain()
        await bot_two.conversations.tasks.drain()
    for e in events:
        [answer] = fake.thread(e["channel"], e["ts"])  # one answer each, no duplicate
        assert "/100" in answer.all_text()


async def test_one_upload_sent_as_message_and_mention_to_two_replicas_is_reviewed_once(
    redis_server: RedisServer, state_key: str, fake_slack: FakeSlack
) -> None:
    """Slack sends a file shared with a mention as a `message` and an `app_mention` (two event
    ids); each may reach another replica, and still one review is made and posted."""
    fake = fake_slack
    settings = replica_settings(fake, redis_server, state_key)
    async with (
        running_worker(settings),
        replica(settings) as (one, bot_one),
        replica(settings) as (two, bot_two),
    ):
        file = fake.add_file("cv.txt", RESUME_TXT.encode())
        text = f"<@{BOT_USER_ID}> could you look at this?"
        message = channel_message([file], text=text, channel="C0GENERAL")
        mention = app_mention([file], text=text, ts=message["ts"], channel="C0GENERAL")
        acks = await asyncio.gather(
            post(one, event_callback(message)), post(two, event_callback(mention))
        )
        assert acks == [200, 200]
        await fake.wait_for(lambda: fake.uploads_in("C0GENERAL", message["ts"]))
        await bot_one.conversations.tasks.drain()
        await bot_two.conversations.tasks.drain()
    [answer] = fake.thread("C0GENERAL", message["ts"])
    assert "/100" in answer.all_text()
    assert len(fake.api_calls("files.completeUploadExternal")) == 1
    assert len([c for c in fake.calls if c.method.startswith("GET /files/")]) == 1
