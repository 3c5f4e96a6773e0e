"""Slack, end to end: a thread that remembers, through the real Bolt app and a real database.

v1 in a DM, the bot restarted, v2 in the same thread → compared with v1; a job
description or a role as a reply → the latest version re-run; `/optimize forget` →
the rows are gone (checked in the database) and the next upload is a first one;
retention; a retried event after a restart answered once.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import httpx
from aiohttp import web
from sqlalchemy.engine import make_url

from bots.slack.app import build_bot
from bots.slack.run import build_web_app
from core.config import Settings
from core.state.store import StateStore, open_state
from tests.fakes.slack import (
    BOT_TOKEN,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    app_mention,
    dm_file_share,
    event_callback,
    slash_command,
    view_submission,
)
from tests.slack.conftest import BoltServer
from tests.state.threads import JOB, V1, V2, slack_as_seen

DM = "D0USER"
_ts = itertools.count(100)


def next_ts() -> str:
    return f"1700000{next(_ts):03d}.000100"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def slack_bot(
    fake: FakeSlack,
    http: httpx.AsyncClient,
    url: str,
    key: str | None,
    clock: Clock | None = None,
) -> AsyncIterator[tuple[BoltServer, StateStore]]:
    """One bot process's life: open the store (migrations), recover, serve; then stop."""
    settings = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        state_url=url,
        state_key=key,
    )
    state = await open_state(settings, clock=clock or Clock())
    session = aiohttp.ClientSession()
    bot = build_bot(settings, http=http, session=session, socket_mode=False, state=state)
    await bot.recover()
    runner = web.AppRunner(build_web_app(bot.app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, LOCALHOST, 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield BoltServer(url=f"http://{LOCALHOST}:{port}", bot=bot, http=http), state
    finally:
        await bot.conversations.tasks.drain()
        await runner.cleanup()
        await session.close()
        await state.close()


def upload_event(fake: FakeSlack, text: str, *, thread_ts: str | None = None) -> dict[str, Any]:
    file = fake.add_file("jane.txt", text.encode())
    event = dm_file_share([file], ts=next_ts())
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def reply_event(text: str, thread_ts: str) -> dict[str, Any]:
    event = dm_file_share([], text=text, ts=next_ts())
    del event["files"], event["subtype"]
    return event | {"thread_ts": thread_ts}


async def answered(fake: FakeSlack, thread_ts: str, count: int) -> list[Any]:
    """The bot's messages in the thread once `count` of them carry a finished answer."""

    def done() -> list[Any] | None:
        msgs = [
            m
            for m in fake.thread(DM, thread_ts)
            if "Score:" in m.all_text() or ":warning:" in m.text
        ]
        return msgs if len(msgs) >= count else None

    return await fake.wait_for(done)


def transcript(fake: FakeSlack, thread_ts: str) -> str:
    return "\n\n".join(f"[bot] {slack_as_seen(m)}" for m in fake.thread(DM, thread_ts))


async def test_v2_in_the_thread_after_a_restart_is_compared_with_v1(
    fake_slack: FakeSlack, http: httpx.AsyncClient, state_url: str, state_key: str
) -> None:
    async with slack_bot(fake_slack, http, state_url, state_key) as (bolt, _):
        v1 = upload_event(fake_slack, V1)
        await bolt.event(event_callback(v1))
        [first] = await answered(fake_slack, v1["ts"], 1)
    assert "v1" not in first.text and "Score:" in first.all_text()

    async with slack_bot(fake_slack, http, state_url, state_key) as (bolt, _):  # restarted
        v2 = upload_event(fake_slack, V2, thread_ts=v1["ts"])
        await bolt.event(event_callback(v2))
        _, second = await answered(fake_slack, v1["ts"], 2)
    seen = slack_as_seen(second)
    print(f"\n--- Slack thread ---\n{transcript(fake_slack, v1['ts'])}")
    head = second.blocks[1]["text"]["text"]  # the first thing under the title
    assert head.startswith("*v2 of jane.txt: ") and "Fixed " in head and " still open, " in head
    assert second.text.startswith("v2 of jane.txt: ")  # the notification says it too
    assert "Impact: " in seen and "→" in seen
    assert "Bullets since the last version" in seen
    assert "Changed: Worked on monitoring and alerting → Built monitoring and alerting" in seen
    assert "Added: Mentored 3 junior engineers" in seen
    assert "With the suggested rewrite: " in seen


async def test_a_job_description_or_a_role_as_a_reply_re_runs_the_latest_version(
    fake_slack: FakeSlack, http: httpx.AsyncClient, tmp_path, state_key: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    async with slack_bot(fake_slack, http, url, state_key) as (bolt, _):
        v1 = upload_event(fake_slack, V1)
        await bolt.event(event_callback(v1))
        await answered(fake_slack, v1["ts"], 1)
        await bolt.event(event_callback(reply_event(JOB, v1["ts"])))
        _, rematch = await answered(fake_slack, v1["ts"], 2)
        seen = slack_as_seen(rematch)
        print(f"\n--- Slack, a job description as a reply ---\n{seen}")
        assert "v1 of jane.txt against the job description you sent:" in seen
        assert "Keyword match:" in seen and "Terraform" in seen
        assert re.search(r"Keyword match: \d+ \(new\)", seen.splitlines()[2])
        assert len(fake_slack.api_calls("GET /files/F0001/jane.txt")) <= 1  # no new download

        await bolt.event(event_callback(reply_event("Staff Platform Engineer", v1["ts"])))
        *_, role = await answered(fake_slack, v1["ts"], 3)
        seen = slack_as_seen(role)
        assert "v1 of jane.txt for the role you named:" in seen
        assert "Staff Platform Engineer" in seen  # the headline check against the role
        assert "Keyword match:" in seen  # the job sent before still counts

        await bolt.event(event_callback(reply_event("thanks!", v1["ts"])))
        await bolt.settled(fake_slack)
    assert len(fake_slack.thread(DM, v1["ts"])) == 3  # chatter gets no answer


async def test_forget_deletes_the_rows_and_the_next_upload_starts_fresh(
    fake_slack: FakeSlack, http: httpx.AsyncClient, tmp_path, state_key: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    async with slack_bot(fake_slack, http, url, state_key) as (bolt, _):
        v1 = upload_event(fake_slack, V1)
        await bolt.event(event_callback(v1))
        await answered(fake_slack, v1["ts"], 1)
        database = make_url(url).database
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM versions").fetchone() == (1,)

        resp = await bolt.form(slash_command("forget", channel=DM))
        assert resp.json()["response_type"] == "ephemeral"
        assert resp.json()["text"].startswith("Done: I deleted everything I kept about you")
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM versions").fetchone() == (0,)
            assert db.execute("SELECT count(*) FROM pending").fetchone() == (0,)

        v2 = upload_event(fake_slack, V2, thread_ts=v1["ts"])
        await bolt.event(event_callback(v2))
        _, second = await answered(fake_slack, v1["ts"], 2)
    assert "v2 of" not in second.all_text() and "v1 of" not in second.all_text()
    assert second.text.startswith("Resume review of jane.txt")


async def test_retention_purges_and_a_later_v2_is_a_first_upload(
    fake_slack: FakeSlack, http: httpx.AsyncClient, tmp_path, state_key: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    clock = Clock()
    async with slack_bot(fake_slack, http, url, state_key, clock) as (bolt, state):
        v1 = upload_event(fake_slack, V1)
        await bolt.event(event_callback(v1))
        await answered(fake_slack, v1["ts"], 1)
        clock.now += 73 * 3600  # RETENTION_HOURS is 72
        assert await state.purge() == 1
        v2 = upload_event(fake_slack, V2, thread_ts=v1["ts"])
        await bolt.event(event_callback(v2))
        _, second = await answered(fake_slack, v1["ts"], 2)
    assert "v2 of" not in second.all_text()


async def test_a_retried_event_after_a_restart_is_answered_once(
    fake_slack: FakeSlack, http: httpx.AsyncClient, tmp_path, state_key: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    v1 = upload_event(fake_slack, V1)
    payload = event_callback(v1)
    async with slack_bot(fake_slack, http, url, state_key) as (bolt, _):
        await bolt.event(payload)
        await answered(fake_slack, v1["ts"], 1)
    async with slack_bot(fake_slack, http, url, state_key) as (bolt, _):
        resp = await bolt.event(payload, headers={"X-Slack-Retry-Num": "1"})
        assert resp.status_code == 200
        await bolt.settled(fake_slack)
    assert len(fake_slack.thread(DM, v1["ts"])) == 1
    assert len(fake_slack.uploads_in(DM, v1["ts"])) == 3


async def test_without_a_key_a_restart_keeps_scores_only_and_says_so(
    fake_slack: FakeSlack, http: httpx.AsyncClient, tmp_path
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    async with slack_bot(fake_slack, http, url, None) as (bolt, _):
        v1 = upload_event(fake_slack, V1)
        await bolt.event(event_callback(v1))
        await answered(fake_slack, v1["ts"], 1)
    async with slack_bot(fake_slack, http, url, None) as (bolt, _):  # restarted, no STATE_KEY
        await bolt.event(event_callback(reply_event(JOB, v1["ts"])))
        _, not_kept = await answered(fake_slack, v1["ts"], 2)
        v2 = upload_event(fake_slack, V2, thread_ts=v1["ts"])
        await bolt.event(event_callback(v2))
        *_, second = await answered(fake_slack, v1["ts"], 3)
    assert "I no longer have the text of your last version" in not_kept.text
    head = second.blocks[1]["text"]["text"]
    assert head.startswith("*v2 of jane.txt: ") and "scores only" in head and "Fixed" not in head


async def test_v2_in_the_thread_an_optimize_answer_started_is_compared_with_v1(
    fake_slack: FakeSlack, http: httpx.AsyncClient, state_url: str, state_key: str
) -> None:
    """/optimize answered in a channel: the answer starts its own thread, and a v2 shared
    there (with a mention) is compared with the v1 the form sent."""
    channel = "C0CAREER"
    async with slack_bot(fake_slack, http, state_url, state_key) as (bolt, _):
        await bolt.form(slash_command())
        [view] = await fake_slack.wait_for(lambda: fake_slack.views)
        v1 = fake_slack.add_file("jane.txt", V1.encode())
        await bolt.form(view_submission(view, files=[v1], where="channel"))

        def first_answer() -> Any:
            return next(
                (
                    m
                    for m in fake_slack.messages
                    if m.channel == channel and "Score:" in m.all_text()
                ),
                None,
            )

        root = await fake_slack.wait_for(first_answer)
        assert root.thread_ts is None  # the answer is the thread's first message
        v2 = fake_slack.add_file("jane.txt", V2.encode())
        mention = app_mention([v2], ts=next_ts(), channel=channel) | {"thread_ts": root.ts}
        await bolt.event(event_callback(mention))
        [second] = await fake_slack.wait_for(
            lambda: [m for m in fake_slack.thread(channel, root.ts) if "Score:" in m.all_text()]
        )
    head = second.blocks[1]["text"]["text"]
    assert head.startswith("*v2 of jane.txt: ") and "Fixed " in head
