"""A Discord replica stopped while its reviews are on a worker hands the answers it owes to
another replica, which posts each once from the ids alone: a reply to the message that
carried the file, and an interaction's follow-up (its "thinking…" replaced), never "stopped".

The replica that stops is core's conversation flow with its own Redis connections, stopped
with `Conversations.shutdown` past its deadline as SIGTERM does; the one that answers is the
real discord.py client against the fake Discord, wired as `bots/discord/run.py` wires it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bots.discord.adopted import adopted_transport
from core.conversation import Conversations, Upload, user_key
from core.scale import coordination
from tests.discord.conftest import running_bot
from tests.discord.test_e2e import RESUME_TXT
from tests.fakes.discord import is_channel_message, is_followup
from tests.fakes.model import API_KEY, MODEL, SlowModel
from tests.scale.conftest import running_worker
from tests.scale.redis_server import RedisServer

LEASE_S = 0.6
EPHEMERAL = 1 << 6


def upload(name: str) -> Upload:
    async def fetch() -> tuple[bytes, str]:
        return RESUME_TXT, name

    return Upload(name=name, size=len(RESUME_TXT), fetch=fetch, platform="Discord")


@asynccontextmanager
async def two_replicas(
    redis_server: RedisServer, state_key: str, model: SlowModel
) -> AsyncIterator[tuple[Any, Conversations]]:
    """A live replica (the real discord.py client against the fake Discord, wired as
    `bots/discord/run.py` wires one) and the flow of one about to stop, on one Redis and one
    worker."""
    async with running_bot(
        redis_url=redis_server.url,
        state_key=state_key,
        redis_lease_s=LEASE_S,
        worker_jobs=2,
        huggingface_api_key=API_KEY,
        huggingface_model=MODEL,
        huggingface_base_url=model.base_url,
    ) as running:
        settings, bot = running.settings, running.bot
        async with (
            running_worker(settings),
            coordination(settings) as live,
            coordination(settings) as leaving,
        ):
            bot.conversations.queue = live.queue
            bot.conversations.claims = live.claims
            bot.conversations.reviewer = live.reviewer
            bot.conversations.handover = live.handover
            await bot.recover()  # what setup_hook does at start: now it also adopts
            yield (
                running,
                Conversations(
                    settings,
                    leaving.queue,
                    claims=leaving.claims,
                    reviewer=leaving.reviewer,
                    handover=leaving.handover,
                ),
            )


async def test_a_stopped_discord_replica_answers_are_posted_once_by_another(
    redis_server: RedisServer, state_key: str, model: SlowModel
) -> None:
    async with two_replicas(redis_server, state_key, model) as (running, gone):
        fake, bot = running.fake, running.bot
        posted = fake.message("my resume", [fake.attachment("cv.txt", RESUME_TXT)])
        places = [
            {"channel_id": fake.channel_id, "message_id": posted["id"]},
            {"application_id": fake.app_id, "token": "interaction-token", "ephemeral": True},
        ]
        for n, where in enumerate(places):
            gone.tasks.spawn(
                gone.handle(
                    upload(f"cv{n}.txt"),
                    adopted_transport(running.client, where),
                    user=user_key("discord", f"{fake.user_id}{n}"),  # two people
                    reply_to=where,
                )
            )
        await model.wait_in_flight(2, within_s=60)  # both on the worker
        assert not await gone.shutdown(0.05, grace_s=5)  # past its deadline: stopped
        model.gate.set()
        [reply] = await fake.wait_for(is_channel_message(fake.channel_id))
        [followup] = await fake.wait_for(is_followup)
        await bot.conversations.tasks.drain()
    assert "/100" in reply.content and "cv0.txt" in reply.content
    assert str(reply.json["message_reference"]["message_id"]) == posted["id"]
    assert "/100" in followup.content and "cv1.txt" in followup.content
    assert followup.json["flags"] & EPHEMERAL  # still private
    answers = [c for c in fake.calls if c.message_body]
    assert len(answers) == 2 and not any("restarting" in c.content for c in answers)
    assert model.calls == 2  # the same two jobs: nothing reviewed again


async def test_an_adopted_interaction_past_its_15_minutes_is_answered_in_the_channel_or_by_dm(
    redis_server: RedisServer, state_key: str, model: SlowModel
) -> None:
    """The token the first replica kept has expired when its review ends: the survivor sends the
    answer where the first replica would have moved it, the channel of a public request and the
    person's DMs for a private one, each saying why it comes there."""
    async with two_replicas(redis_server, state_key, model) as (running, gone):
        fake, bot = running.fake, running.bot
        common = {"application_id": fake.app_id, "user_id": fake.user_id, "command": "optimize"}
        places = [
            common | {"token": "public-token", "ephemeral": False, "channel_id": fake.channel_id},
            common | {"token": "private-token", "ephemeral": True, "channel_id": None},
        ]
        for n, where in enumerate(places):
            fake.expire_token(where)  # as 15 minutes after the command
            gone.tasks.spawn(
                gone.handle(
                    upload(f"cv{n}.txt"),
                    adopted_transport(running.client, where),
                    user=user_key("discord", f"{fake.user_id}{n}"),
                    reply_to=where,
                )
            )
        await model.wait_in_flight(2, within_s=60)
        assert not await gone.shutdown(0.05, grace_s=5)
        model.gate.set()
        [public] = await fake.wait_for(is_channel_message(fake.channel_id))
        [private] = await fake.wait_for(is_channel_message(fake.dm_channel_id))
        await bot.conversations.tasks.drain()
    assert "cv0.txt" in public.content and "/100" in public.content
    assert "cv1.txt" in private.content and "/100" in private.content
    for answer in (public, private):
        assert answer.content.startswith("Your **optimize** request: Discord closes")
    assert len(fake.expired) == 2  # both follow-ups were tried first, and refused
