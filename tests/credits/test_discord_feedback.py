"""Discord: 👍 / 👎 buttons under a review, through the real discord.py client, the fake
Discord and a real database. One vote per person per review, changeable; the message is
edited in place with the tally; the buttons still work after a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from core.state.schema import votes
from tests.fakes.discord import EPHEMERAL_FLAG, Call, FakeDiscord, is_channel_message, is_followup
from tests.state.test_discord_versions import discord_bot, dm
from tests.state.threads import V1

UPDATE_MESSAGE = 7  # interaction callback: edit the message the component is on


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


def buttons(sent: Call) -> dict[str, str]:
    [row] = sent.json["components"]
    return {b["label"]: b["custom_id"] for b in row["components"]}


def is_update(call: Call) -> bool:
    return call.path.endswith("/callback") and (call.json or {}).get("type") == UPDATE_MESSAGE


async def click(fake: FakeDiscord, sent: Call, custom_id: str, user_id: str) -> str:
    before = len([c for c in fake.calls if is_update(c)])
    await fake.dispatch("INTERACTION_CREATE", fake.button_click(sent, custom_id, user_id=user_id))
    done = await fake.wait_for(is_update, count=before + 1)
    data: dict[str, Any] = done[-1].json["data"]
    return data["content"]


async def test_votes_are_one_per_person_changeable_and_shown_in_place(
    fake: FakeDiscord, state_url: str, state_key: str
) -> None:
    async with discord_bot(fake, state_url, state_key) as (_, store):
        await dm(fake, "", V1)
        (review,) = await fake.wait_for(is_channel_message(fake.dm_channel_id))
        ids = buttons(review)
        assert list(ids) == ["👍 Helpful", "👎 Not helpful"]
        up, down = ids["👍 Helpful"], ids["👎 Not helpful"]

        person, mentor = fake.user_id, "424242424242424242"
        line = await click(fake, review, up, person)
        assert line.startswith(review.content) and line.endswith(
            "Thanks for the feedback! 👍 1 · 👎 0 so far (a vote can be changed)."
        )
        assert "👍 1 · 👎 0" in await click(fake, review, up, person)  # still one vote
        assert "👍 0 · 👎 1" in await click(fake, review, down, person)  # changed
    async with discord_bot(fake, state_url, state_key) as (_, store):  # restarted
        line = await click(fake, review, up, mentor)
        assert "👍 1 · 👎 1" in line and line.count("Thanks for the feedback!") == 1
        async with store.engine.connect() as conn:
            cast = (await conn.execute(select(votes.c.voter, votes.c.vote))).all()
    assert sorted(cast) == sorted([(f"discord:{person}", -1), (f"discord:{mentor}", 1)])


async def test_a_private_optimize_answer_carries_the_buttons_too(
    fake: FakeDiscord, tmp_path, state_key: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    async with discord_bot(fake, url, state_key):
        attachment = fake.attachment("jane.txt", V1.encode())
        await fake.dispatch("INTERACTION_CREATE", fake.optimize(attachment))
        (followup,) = await fake.wait_for(is_followup)
        assert followup.flags & EPHEMERAL_FLAG and "Score: " in followup.text()
        up = buttons(followup)["👍 Helpful"]
        line = await click(fake, followup, up, fake.user_id)
    assert "👍 1 · 👎 0" in line
