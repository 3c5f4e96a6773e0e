"""Slack: 👍 / 👎 under a review, through the real Bolt app, the fake Slack and a real database.
One vote per person per review, changeable; the message acknowledges it in place; the vote is
stored with the review's engine, score and fallback, never with resume text."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from core.state.schema import reviews, votes
from core.state.store import StateStore
from tests.credits.conftest import Clock
from tests.fakes.slack import FakeSlack, block_action, event_callback
from tests.slack.conftest import BoltServer
from tests.state.test_slack_versions import DM, answered, slack_bot, upload_event
from tests.state.threads import V1


def tally(message) -> str:  # type: ignore[no-untyped-def]
    [block] = [b for b in message.blocks if b.get("block_id") == "feedback_tally"]
    return block["elements"][0]["text"]


async def click(bolt: BoltServer, fake: FakeSlack, ts: str, action: str, user: str) -> str:
    [message] = [m for m in fake.messages if m.channel == DM and m.ts == ts]
    before = len(message.history)
    assert (await bolt.form(block_action(message, action, user=user))).status_code == 200
    await fake.wait_for(lambda: len(message.history) > before)
    return tally(message)


async def test_votes_are_one_per_person_changeable_and_shown_in_place(
    fake_slack: FakeSlack, http: httpx.AsyncClient, state_url: str, state_key: str
) -> None:
    async with slack_bot(fake_slack, http, state_url, state_key, Clock()) as (bolt, store):
        v1 = upload_event(fake_slack, V1)
        await bolt.event(event_callback(v1))
        [review] = await answered(fake_slack, v1["ts"], 1)
        [buttons] = [b for b in review.blocks if b.get("type") == "actions"]
        assert [e["text"]["text"] for e in buttons["elements"]] == ["👍 Helpful", "👎 Not helpful"]

        assert "👍 1 · 👎 0" in await click(bolt, fake_slack, review.ts, "feedback_up", "U0USER")
        # the same person again: still one vote
        assert "👍 1 · 👎 0" in await click(bolt, fake_slack, review.ts, "feedback_up", "U0USER")
        # changed
        assert "👍 0 · 👎 1" in await click(bolt, fake_slack, review.ts, "feedback_down", "U0USER")
        # someone else (a mentor in the thread) adds theirs
        line = await click(bolt, fake_slack, review.ts, "feedback_up", "U0MENTOR")
        assert "👍 1 · 👎 1" in line and line.startswith("Thanks for the feedback!")
        assert "Score:" in review.all_text()  # the review itself is still there
        await stored(store)


async def stored(store: StateStore) -> None:
    async with store.engine.connect() as conn:
        cast = (await conn.execute(select(votes))).mappings().all()
        [done] = (await conn.execute(select(reviews))).mappings().all()
    assert sorted(v["vote"] for v in cast) == [-1, 1] and len(cast) == 2
    assert done["engine"] == "offline" and done["fallback"] is None and 0 < done["score"] <= 100
    assert done["platform"] == "slack" and done["seconds"] > 0
    assert {v["review"] for v in cast} == {done["token"]}
    columns = set(votes.c.keys()) | set(reviews.c.keys())
    assert not columns & {"text", "payload", "resume", "job", "source_name"}
