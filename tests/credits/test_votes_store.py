"""Votes in the store: forget deletes a person's, retention keeps the count but not the name,
and an unknown review is said so, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from core.config import Settings
from core.conversation import VOTE_TOO_OLD, Conversations
from core.queue import ReviewQueue
from core.state.schema import votes
from core.state.store import open_state
from tests.credits.conftest import Clock


async def test_forget_and_retention(state_url: str, clock: Clock) -> None:
    config = Settings(state_url=state_url, retention_hours=72)
    store = await open_state(config, clock=clock)
    flow = Conversations(config, ReviewQueue(1, 10), state=store)
    try:
        review = await store.record_review(
            platform="slack", engine="offline", score=80, cached=False, fallback=None, seconds=2
        )
        assert (await flow.vote(review, "slack:T1:U1", up=True)).endswith(
            "👍 1 · 👎 0 so far (a vote can be changed)."
        )
        await flow.vote(review, "slack:T1:U2", up=False)
        said = await flow.forget("slack:T1:U1")  # no versions, but a vote: not "nothing"
        assert said.startswith("Done: I deleted everything I kept about you")
        async with store.engine.connect() as conn:
            assert (await conn.execute(select(votes.c.voter))).scalars().all() == ["slack:T1:U2"]
        clock.now += 73 * 3600
        await store.purge()
        async with store.engine.connect() as conn:
            left = (await conn.execute(select(votes.c.voter, votes.c.vote))).all()
        assert [tuple(r) for r in left] == [(None, -1)]  # still counted, no longer whose
        assert await flow.vote("0" * 32, "slack:T1:U3", up=True) == VOTE_TOO_OLD
    finally:
        await store.close()
