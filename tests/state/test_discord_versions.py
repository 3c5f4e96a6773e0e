"""Discord, end to end: a DM or thread that remembers, real discord.py client, real database.

v1 in a DM, the bot restarted, v2 in the same DM → compared with v1; a job
description as a reply → re-matched; `/forget` → the rows are gone (checked in the
database) and the next upload is a first one; v2 in a review thread → compared.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bots.discord.client import DiscordBot, build_bot
from core.config import Settings
from core.state.store import StateStore, open_state
from tests.fakes.discord import (
    SLASH_COMMAND,
    Call,
    FakeDiscord,
    is_channel_message,
    is_followup,
    is_thread_create,
)
from tests.state.threads import JOB, V1, V2, discord_as_seen

STARTUP_TIMEOUT_S = 60  # a bound on failure, not a goal


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


@contextlib.asynccontextmanager
async def discord_bot(
    fake: FakeDiscord, url: str, key: str | None
) -> AsyncIterator[tuple[DiscordBot, StateStore]]:
    """One bot process's life against the fake: open the store, connect, serve; then stop."""
    settings = Settings(
        discord_bot_token=fake.token,
        discord_api_url=fake.api_url,
        state_url=url,
        state_key=key,
    )
    state = await open_state(settings)
    bot = build_bot(settings, state=state)
    fake.ready.clear()
    task = asyncio.create_task(bot.client.start(fake.token))
    try:
        async with asyncio.timeout(STARTUP_TIMEOUT_S):
            while bot.client.get_guild(int(fake.guild_id)) is None:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        yield bot, state
    finally:
        await bot.conversations.tasks.drain()
        await bot.client.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        await state.close()


def answers(fake: FakeDiscord, channel_id: str) -> list[Call]:
    return [c for c in fake.calls if is_channel_message(channel_id)(c)]


async def dm(fake: FakeDiscord, content: str, text: str | None = None) -> dict[str, Any]:
    files = [fake.attachment("jane.txt", text.encode())] if text is not None else []
    message = fake.message(content, files, dm=True)
    await fake.dispatch("MESSAGE_CREATE", message)
    return message


def forget_command(fake: FakeDiscord) -> dict[str, Any]:
    data = {"id": fake.commands["forget"]["id"], "name": "forget", "type": SLASH_COMMAND}
    return fake._interaction(data, dm=True)


async def test_v2_in_the_dm_after_a_restart_is_compared_with_v1(
    fake: FakeDiscord, state_url: str, state_key: str
) -> None:
    async with discord_bot(fake, state_url, state_key):
        await dm(fake, "", V1)
        (first,) = await fake.wait_for(is_channel_message(fake.dm_channel_id))
    async with discord_bot(fake, state_url, state_key):  # restarted
        await dm(fake, "", V2)
        _, second = await fake.wait_for(is_channel_message(fake.dm_channel_id), count=2)
    print(
        "\n--- Discord DM ---\n"
        + "\n\n".join(f"[bot] {discord_as_seen(c)}" for c in (first, second))
    )
    assert first.content.startswith("Here's the review of **jane.txt**")
    line = second.content.splitlines()[0]
    assert line.startswith("v2 of jane.txt: ") and "Fixed " in line and " still open, " in line
    since = second.embeds[0]
    assert since["title"] == "Since v1"
    fields = {f["name"]: f["value"] for f in since["fields"]}
    assert "Impact: " in fields["Scores"] and "→" in fields["Scores"]
    assert "Added: Mentored 3 junior engineers" in fields["Bullets"]
    assert "With the suggested rewrite: " in second.text()


async def test_a_job_description_as_a_reply_re_matches_without_a_new_file(
    fake: FakeDiscord, tmp_path, state_key: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    async with discord_bot(fake, url, state_key):
        await dm(fake, "", V1)
        await fake.wait_for(is_channel_message(fake.dm_channel_id))
        await dm(fake, JOB)
        _, rematch = await fake.wait_for(is_channel_message(fake.dm_channel_id), count=2)
    assert rematch.content.startswith("v1 of jane.txt against the job description you sent:")
    assert "Keyword match" in rematch.text() and "Terraform" in rematch.text()
    assert len([c for c in fake.calls if c.path.startswith("/attachments/")]) == 1


async def test_forget_deletes_the_rows_and_the_next_upload_starts_fresh(
    fake: FakeDiscord, tmp_path, state_key: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    database = make_url(url).database
    async with discord_bot(fake, url, state_key):
        await dm(fake, "", V1)
        await fake.wait_for(is_channel_message(fake.dm_channel_id))
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM versions").fetchone() == (1,)
        await fake.dispatch("INTERACTION_CREATE", forget_command(fake))
        (done,) = await fake.wait_for(is_followup)
        assert done.content.startswith("Done: I deleted everything I kept about you")
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM versions").fetchone() == (0,)
        await dm(fake, "", V2)
        _, second = await fake.wait_for(is_channel_message(fake.dm_channel_id), count=2)
    assert second.content.startswith("Here's the review of **jane.txt**")
    assert "v2 of" not in second.text()


async def test_v2_in_a_review_thread_is_compared_with_v1(
    fake: FakeDiscord, tmp_path, state_key: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    async with discord_bot(fake, url, state_key):
        first = fake.message(
            f"<@{fake.bot_id}> please look",
            [fake.attachment("jane.txt", V1.encode())],
            mention_bot=True,
        )
        await fake.dispatch("MESSAGE_CREATE", first)
        (create,) = await fake.wait_for(is_thread_create)
        [post] = await fake.wait_for(
            lambda c: (
                c.method == "POST"
                and c.path.endswith("/messages")
                and f"/{fake.channel_id}/" not in c.path
            )
        )
        thread_id = post.path.split("/")[-2]
        second = fake.message(
            f"<@{fake.bot_id}> v2", [fake.attachment("jane.txt", V2.encode())], mention_bot=True
        )
        second["channel_id"] = thread_id
        await fake.dispatch("MESSAGE_CREATE", second)
        _, answer = await fake.wait_for(is_channel_message(thread_id), count=2)
    assert create.json["name"] == "Resume review: jane.txt"
    assert answer.content.startswith("v2 of jane.txt: ")
