"""Queue, quota, Discord's 429s and graceful shutdown: the real client against the fake Discord.

A slow, gated fake model sits behind the reviews, so each test decides when a
review in flight may finish.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Callable

from bots.discord.run import run
from core.config import Settings
from core.conversation import STOPPED
from core.errors import ShuttingDownError
from core.limits import SHUTDOWN_EXIT_SECONDS
from core.queue import ReviewQueue
from tests.discord.conftest import running_bot
from tests.discord.test_e2e import RESUME_TXT
from tests.fakes.discord import (
    Call,
    FakeDiscord,
    is_channel_message,
    is_defer,
    is_followup,
    is_message_edit,
    is_original_edit,
)
from tests.fakes.model import API_KEY, SlowModel


def _limits(model: SlowModel, per_hour: int = 10) -> dict[str, object]:
    return {
        "huggingface_api_key": API_KEY,
        "huggingface_base_url": model.base_url,
        "max_concurrent_reviews": 1,
        "user_reviews_per_hour": per_hour,
    }


def _for(payload: dict) -> Callable[[Call], bool]:
    """Calls on this interaction's webhook (its token is in the path)."""
    return lambda c: payload["token"] in c.path


def _followups(fake: FakeDiscord, payload: dict) -> list[Call]:
    return [c for c in fake.calls if is_followup(c) and payload["token"] in c.path]


async def test_waiting_interaction_and_dm_see_their_place_then_it_is_edited(
    model: SlowModel,
) -> None:
    async with running_bot(**_limits(model)) as running:
        fake = running.fake
        first = fake.optimize(fake.attachment("a.txt", RESUME_TXT), user_id=fake.new_id())
        second = fake.optimize(fake.attachment("b.txt", RESUME_TXT), user_id=fake.new_id())
        dm_user = fake.user(fake.new_id(), name="sam")
        dm = fake.message(
            "Backend Engineer", [fake.attachment("c.txt", RESUME_TXT)], dm=True, author=dm_user
        )
        await fake.dispatch("INTERACTION_CREATE", first)
        await model.wait_in_flight()
        await fake.dispatch("INTERACTION_CREATE", second)
        [place] = await fake.wait_for(lambda c: is_original_edit(c) and _for(second)(c))
        assert "You're #1 in line for b.txt" in place.content
        await fake.dispatch("MESSAGE_CREATE", dm)
        [dm_place] = await fake.wait_for(is_channel_message(fake.dm_channel_id))
        assert "You're #2 in line for c.txt" in dm_place.content
        assert not [c for c in fake.calls if is_original_edit(c) and _for(first)(c)], (
            "started at once"
        )

        model.gate.set()
        await fake.wait_for(lambda c: is_followup(c) and _for(second)(c))
        edits = [c for c in fake.calls if is_original_edit(c) and _for(second)(c)]
        assert [("#1 in line" in e.content, "Your turn" in e.content) for e in edits] == [
            (True, False),
            (False, True),
        ]
        dm_replies = await fake.wait_for(is_channel_message(fake.dm_channel_id), count=2)
        [dm_edit] = [c for c in fake.calls if is_message_edit(c)]
        assert "Your turn. Reviewing c.txt" in dm_edit.content
        assert "/100" in dm_replies[1].content and dm_replies[1].filenames
        for payload in (first, second):
            [answer] = _followups(fake, payload)  # exactly one answer each
            assert "/100" in answer.content and "Engine: huggingface" in answer.text()
        assert model.peak_in_flight == 1


async def test_hourly_quota_is_answered_in_the_deferred_reply(model: SlowModel) -> None:
    model.gate.set()
    async with running_bot(**_limits(model, per_hour=1)) as running:
        fake = running.fake
        first = fake.optimize(fake.attachment("a.txt", RESUME_TXT))
        again = fake.optimize(fake.attachment("b.txt", RESUME_TXT))
        await fake.dispatch("INTERACTION_CREATE", first)
        await fake.wait_for(lambda c: is_followup(c) and _for(first)(c))
        await fake.dispatch("INTERACTION_CREATE", again)
        [answer] = await fake.wait_for(lambda c: is_followup(c) and _for(again)(c))
        assert (
            "1 reviews in the last hour" in answer.content
            and "You can send another in about" in answer.content
        )
        assert (
            len([c for c in fake.calls if c.path.startswith("/attachments/")]) == 1
        )  # no download when refused


async def test_discord_429_on_the_follow_up_is_retried_and_the_answer_arrives_once(
    model: SlowModel,
) -> None:
    model.gate.set()
    async with running_bot(**_limits(model)) as running:
        fake = running.fake
        fake.rate_limit_once[("POST", "/webhooks/")] = 0.2
        payload = fake.optimize(fake.attachment("a.txt", RESUME_TXT))
        await fake.dispatch("INTERACTION_CREATE", payload)
        [answer] = await fake.wait_for(lambda c: is_followup(c) and _for(payload)(c))
        await (
            running.bot.conversations.tasks.drain()
        )  # the send (and any retry of it) is over: nothing more can come
        assert len(fake.rate_limited) == 1 and is_followup(fake.rate_limited[0])
        assert _followups(fake, payload) == [answer]
        assert "/100" in answer.content and answer.filenames


async def test_shutdown_deadline_stops_a_review_in_flight_and_tells_the_user(
    model: SlowModel,
) -> None:
    async with running_bot(**_limits(model)) as running:
        fake = running.fake
        payload = fake.optimize(fake.attachment("a.txt", RESUME_TXT))
        await fake.dispatch("INTERACTION_CREATE", payload)
        await model.wait_in_flight()
        started = time.monotonic()
        assert not await running.bot.conversations.shutdown(0.3, grace_s=5)
        assert time.monotonic() - started < 5
        [answer] = _followups(fake, payload)
        assert STOPPED.for_user() in answer.content
        assert not running.bot.conversations.tasks


async def test_sigterm_finishes_in_flight_cancels_waiting_refuses_new_and_exits(
    model: SlowModel,
) -> None:
    fake = FakeDiscord()
    await fake.start()
    settings = Settings(
        discord_bot_token=fake.token,
        discord_api_url=fake.api_url,
        **_limits(model),
    )
    queue = ReviewQueue(1, 10)
    server = asyncio.create_task(run(settings, queue=queue))
    try:
        await asyncio.wait_for(fake.ready.wait(), 60)
        await fake.wait_for(lambda c: c.method == "PUT" and c.path.endswith("/commands"))
        running, waiting, late = (
            fake.optimize(fake.attachment(f"{n}.txt", RESUME_TXT), user_id=fake.new_id())
            for n in "abc"
        )
        await fake.dispatch("INTERACTION_CREATE", running)
        await model.wait_in_flight()
        await fake.dispatch("INTERACTION_CREATE", waiting)
        await fake.wait_for(lambda c: is_original_edit(c) and _for(waiting)(c))

        os.kill(os.getpid(), signal.SIGTERM)  # run() installed a handler: this stops it gracefully
        stopped_at = time.monotonic()
        await fake.wait_for(lambda c: is_followup(c) and _for(waiting)(c))
        sent_at = await fake.dispatch("INTERACTION_CREATE", late)  # still connected while draining…
        [defer] = await fake.wait_for(lambda c: is_defer(c) and late["id"] in c.path)
        assert defer.at - sent_at < 3
        await fake.wait_for(lambda c: is_followup(c) and _for(late)(c))  # …and told why
        assert not server.done()
        model.gate.set()
        await asyncio.wait_for(server, SHUTDOWN_EXIT_SECONDS)
        assert time.monotonic() - stopped_at < SHUTDOWN_EXIT_SECONDS
    finally:
        if not server.done():
            server.cancel()
        await fake.close()

    [done] = _followups(fake, running)
    assert "/100" in done.content and done.filenames
    for payload in (waiting, late):
        [told] = _followups(fake, payload)
        assert ShuttingDownError().for_user() in told.content
    assert queue.in_flight == 0 and queue.waiting == 0
