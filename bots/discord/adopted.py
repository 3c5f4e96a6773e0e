"""Discord's side of an answer another replica owed (core/scale/handover.py).

A replica killed while its review was on a worker leaves only ids behind (sealed in Redis):
a message conversation's channel and message, or an interaction's follow-up webhook (its
application id and token, valid 15 minutes from the interaction). The survivor answers from
those ids alone: a reply to the same message, or the same interaction's follow-up, which
replaces its "thinking…" as the first replica's answer would have. Past the token's 15 minutes,
the answer goes where the first replica would have moved it: the channel of a public request,
else the person's DMs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import discord

from bots.discord.interaction import moved_text, token_expired
from bots.discord.render import Reply, render_error, render_result
from core.conversation import Progress, Transport
from core.models import ReviewResult

log = logging.getLogger(__name__)


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
        self._client = client
        self._user_id = where.get("user_id")  # past the token's 15 minutes: their DMs...
        self._channel_id = where.get("channel_id")  # ...or the channel of a public request
        self._command = str(where.get("command") or "command")

    async def progress(self, update: Progress) -> None:
        return  # "thinking…" still says it; the answer replaces it

    async def deliver(self, result: ReviewResult, notes: Sequence[str]) -> None:
        await self._send(render_result(result, notes=notes))

    async def fail(self, text: str) -> None:
        await self._send(render_error(text))

    async def _send(self, reply: Reply) -> None:
        try:
            await self._webhook.send(**reply.send_kwargs(), ephemeral=self._ephemeral, wait=True)
        except discord.HTTPException as exc:
            if not token_expired(exc) or self._user_id is None:
                raise
            log.warning("an adopted interaction's token expired: answering elsewhere")
            await self._send_elsewhere(reply.with_preface(moved_text(self._command)))

    async def _send_elsewhere(self, reply: Reply) -> None:
        """Where the first replica would have moved it: the channel, or the person's DMs."""
        if self._channel_id is not None:
            channel = self._client.get_partial_messageable(int(self._channel_id))
            try:
                await channel.send(**reply.send_kwargs())
                return
            except discord.HTTPException as exc:  # no right to post there: their DMs
                log.warning("the channel refused an adopted answer (HTTP %s)", exc.status)
        assert self._user_id is not None
        dm = await self._client.create_dm(discord.Object(id=int(self._user_id)))
        await dm.send(**reply.send_kwargs())


def adopted_transport(client: discord.Client, where: Mapping[str, Any]) -> Transport:
    """The transport for `where` (a `reply_to` the first replica kept)."""
    if "application_id" in where:
        return FollowUpTransport(client, where)
    from bots.discord.client import DiscordTransport  # it builds on this module's caller

    return DiscordTransport(MessageReply(client, where))
