"""Discord's side of an answer another replica owed (core/scale/handover.py).

A replica killed while its review was on a worker leaves only ids behind (sealed in Redis):
a message conversation's channel and message, or an interaction's follow-up webhook (its
application id and token, valid 15 minutes from the interaction). The survivor answers from
those ids alone: a reply to the same message, or the same interaction's follow-up, which
replaces its "thinking…" as the first replica's answer would have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import discord

from bots.discord.render import Reply, render_error, render_result
from core.conversation import Progress, Transport
from core.models import ReviewResult


class MessageReply:
    """A reply to the message that carried the file (a DM, a mention, a review channel)."""

    def __init__(self, client: discord.Client, where: Mapping[str, Any]) -> None:
        channel_id = int(where["channel_id"])
        self._channel = client.get_partial_messageable(channel_id)
        self._reference = discord.MessageReference(
            message_id=int(where["message_id"]), channel_id=channel_id, fail_if_not_exists=False
        )

    async def __call__(self, reply: Reply) -> object:
        return await self._channel.send(**reply.send_kwargs(), reference=self._reference)


class FollowUpTransport:
    """An interaction another replica deferred: its answer goes out as the follow-up."""

    def __init__(self, client: discord.Client, where: Mapping[str, Any]) -> None:
        data = {"id": int(where["application_id"]), "type": 3, "token": str(where["token"])}
        # the webhook `interaction.followup` is: type 3 (application) may send ephemeral ones
        self._webhook = discord.Webhook.from_state(data=data, state=client._connection)
        self._ephemeral = bool(where.get("ephemeral"))

    async def progress(self, update: Progress) -> None:
        return  # "thinking…" still says it; the answer replaces it

    async def deliver(self, result: ReviewResult, notes: Sequence[str]) -> None:
        await self._send(render_result(result, notes=notes))

    async def fail(self, text: str) -> None:
        await self._send(render_error(text))

    async def _send(self, reply: Reply) -> None:
        await self._webhook.send(**reply.send_kwargs(), ephemeral=self._ephemeral, wait=True)


def adopted_transport(client: discord.Client, where: Mapping[str, Any]) -> Transport:
    """The transport for `where` (a `reply_to` the first replica kept)."""
    if "application_id" in where:
        return FollowUpTransport(client, where)
    from bots.discord.client import DiscordTransport  # it builds on this module's caller

    return DiscordTransport(MessageReply(client, where))
