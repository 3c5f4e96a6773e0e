"""`/optimize stats` (Slack, workspace admins) and `/stats` (Discord, Manage Server): the same
summary as `resume-bot stats`, privately, through the real Bolt app and discord.py client."""

from __future__ import annotations

import json

import httpx

from bots.discord.feedback import MANAGE_GUILD_ONLY
from core.conversation import NOT_AN_ADMIN
from tests.fakes.discord import EPHEMERAL_FLAG, SLASH_COMMAND, FakeDiscord, is_channel_message
from tests.fakes.slack import FakeSlack, event_callback, slash_command
from tests.state.test_discord_versions import discord_bot, dm
from tests.state.test_slack_versions import answered, slack_bot, upload_event
from tests.state.threads import V1


async def test_slack_admins_see_the_stats_privately(
    fake_slack: FakeSlack, http: httpx.AsyncClient, state_url: str, state_key: str
) -> None:
    async with slack_bot(fake_slack, http, state_url, state_key) as (bolt, _):
        v1 = upload_event(fake_slack, V1)
        await bolt.event(event_callback(v1))
        await answered(fake_slack, v1["ts"], 1)

        refused = (await bolt.form(slash_command("stats"))).json()
        assert refused == {"text": NOT_AN_ADMIN, "response_type": "ephemeral"}

        fake_slack.admins.add("U0USER")
        shown = (await bolt.form(slash_command("stats 30d"))).json()
        assert shown["response_type"] == "ephemeral"
        assert shown["text"].startswith("```\nReviews in the last 30d:\n\noffline\n  reviews: 1\n")

        fake_slack.fail_methods["users.info"] = "missing_scope"
        declined = (await bolt.form(slash_command("stats"))).json()["text"]
        assert "`users:read` scope" in declined


async def test_discord_stats_for_members_who_manage_the_server(
    fake_discord: FakeDiscord, state_url: str, state_key: str
) -> None:
    fake = fake_discord
    async with discord_bot(fake, state_url, state_key):
        await dm(fake, "", V1)
        await fake.wait_for(is_channel_message(fake.dm_channel_id))
        command = fake.commands["stats"]
        assert int(command["default_member_permissions"]) == 1 << 5  # Manage Server
        assert command.get("dm_permission") is False or command.get("contexts") == [0]
        data = {"id": command["id"], "name": "stats", "type": SLASH_COMMAND}
        member = fake._interaction(data)
        member["member"]["permissions"] = "0"  # a server that showed the command to everyone
        await fake.dispatch("INTERACTION_CREATE", member)
        await fake.dispatch("INTERACTION_CREATE", fake._interaction(data))
        answers = await fake.wait_for(
            lambda c: c.path.endswith("/callback") and (c.json or {}).get("type") == 4, count=2
        )
    [refused] = [c for c in answers if c.json["data"]["content"] == MANAGE_GUILD_ONLY]
    [body] = [c.json["data"] for c in answers if c is not refused]
    assert refused.json["data"]["flags"] & EPHEMERAL_FLAG
    assert body["flags"] & EPHEMERAL_FLAG
    assert body["content"].startswith("```\nReviews in the last 7d:\n\noffline\n  reviews: 1\n")
    assert json.dumps(body).count("```") == 2
