"""Queue, quota, Slack's 429s and graceful shutdown, end to end against the fake Slack.

Reviews go through the real queue with a slow (gated) fake model behind them, so
each test decides when reviews in flight may finish.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from dataclasses import replace

import httpx
import pytest

from bots.slack.run import EVENTS_PATH, run
from core.config import Settings
from core.conversation import STOPPED
from core.errors import ShuttingDownError
from core.limits import SHUTDOWN_EXIT_SECONDS
from core.queue import ReviewQueue
from tests.fakes.model import API_KEY, SlowModel
from tests.fakes.slack import (
    BOT_TOKEN,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    Message,
    dm_file_share,
    event_callback,
    sign,
)
from tests.slack.conftest import RESUME_TXT, BoltServer


@pytest.fixture
def slack_settings(fake_slack: FakeSlack, model: SlowModel) -> Settings:
    """One review at a time, one review per user per hour, the model behind a gate."""
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        huggingface_api_key=API_KEY,
        huggingface_base_url=model.base_url,
        max_concurrent_reviews=1,
        user_reviews_per_hour=1,
    )


def _dm(fake: FakeSlack, user: str, n: int) -> dict:
    file = fake.add_file(f"cv{n}.txt", RESUME_TXT.encode())
    return dm_file_share([file], user=user, channel=f"D{user}", ts=f"1700000100.{n:06d}")


def _answer(fake: FakeSlack, event: dict) -> Message | None:
    msgs = fake.thread(event["channel"], event["ts"])
    return msgs[0] if msgs else None


def _shows(fake: FakeSlack, event: dict, text: str) -> bool:
    msg = _answer(fake, event)
    return msg is not None and text in msg.all_text()


async def test_a_waiting_user_sees_their_place_then_the_same_message_updates(
    bolt: BoltServer, fake_slack: FakeSlack, model: SlowModel
) -> None:
    first, second = _dm(fake_slack, "UA", 1), _dm(fake_slack, "UB", 2)
    assert (await bolt.event(event_callback(first))).status_code == 200
    await model.wait_in_flight()
    assert (await bolt.event(event_callback(second))).status_code == 200
    await fake_slack.wait_for(lambda: _shows(fake_slack, second, "#1 in line"))
    assert "Reviewing cv1.txt" in _answer(fake_slack, first).text  # started at once, never queued
    model.gate.set()
    for event in (first, second):
        await fake_slack.wait_for(lambda e=event: fake_slack.uploads_in(e["channel"], e["ts"]))
    waited = _answer(fake_slack, second)
    assert "You're #1 in line for cv2.txt" in waited.history[0]
    assert "Reviewing cv2.txt" in waited.history[1]  # updated when its turn came
    assert "/100" in waited.all_text() and "Engine: huggingface" in waited.all_text()
    assert (
        len(fake_slack.thread(second["channel"], second["ts"])) == 1
    )  # one message, updated in place
    assert model.peak_in_flight == 1


async def test_hourly_quota_is_answered_in_place_with_when_to_retry(
    bolt: BoltServer, fake_slack: FakeSlack, model: SlowModel
) -> None:
    model.gate.set()
    first, again = _dm(fake_slack, "UA", 1), _dm(fake_slack, "UA", 2)
    await bolt.event(event_callback(first))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in(first["channel"], first["ts"]))
    await bolt.event(event_callback(again))
    await fake_slack.wait_for(lambda: _answer(fake_slack, again))
    shown = _answer(fake_slack, again).all_text()
    assert (
        "1 reviews in the last hour" in shown
        and "You can send another in about 60 minutes" in shown
    )
    assert not [
        c for c in fake_slack.calls if c.method == f"GET /files/{again['files'][0]['id']}/cv2.txt"
    ]


async def test_slack_429_on_our_reply_is_retried_and_the_reply_arrives_once(
    bolt: BoltServer, fake_slack: FakeSlack, model: SlowModel
) -> None:
    model.gate.set()
    fake_slack.rate_limit_once["chat.update"] = 0  # Retry-After: 0 (slack_sdk adds < 1 s)
    fake_slack.rate_limit_once["chat.postMessage"] = 0
    event = _dm(fake_slack, "UA", 1)
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in(event["channel"], event["ts"]))
    assert fake_slack.rate_limited == ["chat.postMessage", "chat.update"]
    [answer] = fake_slack.thread(event["channel"], event["ts"])  # exactly one message, no duplicate
    assert "/100" in answer.all_text()
    assert (
        len(fake_slack.uploads_in(event["channel"], event["ts"])) == 3
    )  # .docx, .pdf and .md, once


async def test_shutdown_deadline_stops_a_review_in_flight_and_tells_the_user(
    bolt: BoltServer, fake_slack: FakeSlack, model: SlowModel
) -> None:
    event = _dm(fake_slack, "UA", 1)
    await bolt.event(event_callback(event))
    await model.wait_in_flight()
    started = time.monotonic()
    finished = await bolt.bot.conversations.shutdown(0.3, grace_s=5)
    assert not finished and time.monotonic() - started < 5
    assert _shows(fake_slack, event, STOPPED.for_user().split(".")[0])
    assert not bolt.bot.conversations.tasks


async def test_sigterm_finishes_in_flight_cancels_waiting_refuses_new_and_exits(
    fake_slack: FakeSlack, slack_settings: Settings, model: SlowModel
) -> None:
    settings = replace(slack_settings, port=0)  # any free port; run() reports it
    queue = ReviewQueue(1, 10)
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    server = asyncio.create_task(run(settings, host=LOCALHOST, queue=queue, listening=listening))
    url = f"http://{LOCALHOST}:{await asyncio.wait_for(listening, 60)}"
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:

        async def send(event: dict) -> int:
            body = json.dumps(event_callback(event))
            headers = {**sign(body), "Content-Type": "application/json"}
            return (await client.post(EVENTS_PATH, content=body, headers=headers)).status_code

        running, waiting, late = (_dm(fake_slack, u, n) for n, u in enumerate(("UA", "UB", "UC")))
        assert await send(running) == 200
        await model.wait_in_flight()
        assert await send(waiting) == 200
        await fake_slack.wait_for(lambda: _shows(fake_slack, waiting, "#1 in line"))

        os.kill(os.getpid(), signal.SIGTERM)  # run() installed a handler: this stops it gracefully
        stopped_at = time.monotonic()
        await fake_slack.wait_for(lambda: _shows(fake_slack, waiting, "restarting"))
        assert await send(late) == 200  # still acknowledged while draining…
        await fake_slack.wait_for(lambda: _shows(fake_slack, late, "restarting"))  # …and told why
        assert not server.done()
        model.gate.set()  # the review in flight may now finish
        await asyncio.wait_for(server, SHUTDOWN_EXIT_SECONDS)
        assert time.monotonic() - stopped_at < SHUTDOWN_EXIT_SECONDS

    assert "/100" in _answer(fake_slack, running).all_text()
    assert fake_slack.uploads_in(running["channel"], running["ts"])
    assert ShuttingDownError().for_user() in _answer(fake_slack, waiting).all_text()
    assert ShuttingDownError().for_user() in _answer(fake_slack, late).all_text()
    assert queue.in_flight == 0 and queue.waiting == 0
