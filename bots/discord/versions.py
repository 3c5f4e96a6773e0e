"""Discord's side of a conversation that remembers (core/state, core/compare).

Kept apart from client.py and render.py so those stay about events and layout:
the conversation key of a message or command, where a lost review is announced
after a restart, `/forget`, and the comparison with the previous version as an embed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord
from discord.http import Route

from core.compare import bullet_lines, category_lines, headline, rewrite_line
from core.conversation import lost_text
from core.models import ReviewResult
from core.state.keys import ConversationKey

from .limits import (
    DISCORD_CONTENT_MAX,
    DISCORD_EMBED_FIELD_VALUE_MAX,
)

BULLET_LINES_SHOWN = 6  # changed bullets listed in the embed; the rest are in the review file
FORGET_DESCRIPTION = "Delete everything I keep about you (your reviews and versions), at once"
PROGRESS_COLOUR = discord.Colour.blurple()
EPHEMERAL = 1 << 6  # message flag: only the person sees it


def _escape(text: str) -> str:
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def person(user: discord.abc.Snowflake) -> str:
    """What `/forget` deletes: a Discord user id is the same in every server and DM."""
    return f"discord:{user.id}"


def conversation_key(
    user: discord.abc.Snowflake,
    channel: discord.abc.Snowflake,
    guild: discord.Guild | None,
    *,
    private: bool = False,
) -> ConversationKey:
    """One person in one channel: a DM, a review thread, or a channel's slash commands.

    Private answers in a server channel are a conversation of their own, so a public
    mention there never re-runs (and shows) a review only its owner saw.
    """
    return ConversationKey(
        "discord",
        str(guild.id) if guild else None,
        str(channel.id),
        "private" if private and guild is not None else None,
        str(user.id),
        person=person(user),
    )


def message_reply_to(message: discord.Message, channel: discord.abc.Snowflake) -> dict[str, Any]:
    """Where to say, after a restart, that a review was lost: the channel or thread (ids only)."""
    return {"channel_id": str(channel.id), "message_id": str(message.id)}


def interaction_reply_to(interaction: discord.Interaction, *, ephemeral: bool) -> dict[str, Any]:
    """An interaction's follow-up webhook (valid 15 minutes): the only private way back; and,
    for a replica that adopts it after those 15 minutes, where else the answer may go (the
    channel of a public request, else the person's DMs), as the first replica would."""
    public = not ephemeral and interaction.guild_id is not None and interaction.channel_id
    return {
        "application_id": str(interaction.application_id),
        "token": interaction.token,
        "ephemeral": ephemeral,
        "user_id": str(interaction.user.id),
        "channel_id": str(interaction.channel_id) if public else None,
        "command": interaction.command.name if interaction.command else "command",
    }


async def tell_lost(client: discord.Client, where: Mapping[str, Any], filename: str | None) -> None:
    """After a restart: a review accepted before it and never answered (core's `recover`)."""
    content = f"⚠️ {lost_text(filename, _escape)}"[:DISCORD_CONTENT_MAX]
    if "application_id" in where:
        if "token" not in where:
            raise LookupError("the interaction's token was not kept (no STATE_KEY)")
        route = Route(
            "POST",
            "/webhooks/{webhook_id}/{webhook_token}",
            webhook_id=where["application_id"],
            webhook_token=where["token"],
        )
        flags = EPHEMERAL if where.get("ephemeral") else 0
        payload = {"content": content, "flags": flags, "allowed_mentions": {"parse": []}}
        await client.http.request(route, json=payload)  # the follow-up, valid 15 minutes
        return
    channel = client.get_partial_messageable(int(where["channel_id"]))
    reference = discord.MessageReference(
        message_id=int(where["message_id"]),
        channel_id=int(where["channel_id"]),
        fail_if_not_exists=False,
    )
    await channel.send(content, reference=reference)


def first_line(result: ReviewResult) -> str | None:
    """The message's first line when this version is compared with an earlier one."""
    return _escape(headline(result.comparison)) if result.comparison else None


def rewrite_text(result: ReviewResult) -> str:
    line = rewrite_line(result)
    return f"{_escape(line)}\n" if line else ""


def comparison_embed(result: ReviewResult) -> discord.Embed | None:
    """Per-category change and the bullets changed since the last version."""
    c = result.comparison
    if c is None:
        return None
    embed = discord.Embed(  # the headline is the message's first line, above this
        title=f"Since v{c.number - 1}" if c.kind == "version" else f"v{c.number}, re-run",
        colour=PROGRESS_COLOUR,
    )
    cats = "\n".join(category_lines(c))
    if cats:
        embed.add_field(name="Scores", value=cats[:DISCORD_EMBED_FIELD_VALUE_MAX], inline=False)
    changes = bullet_lines(c)
    if changes:
        shown: list[str] = []
        room = DISCORD_EMBED_FIELD_VALUE_MAX - len("\n(+99 more in the review file)")
        for line in changes[:BULLET_LINES_SHOWN]:
            item = _escape(line)
            if len("\n".join([*shown, item])) > room:
                break
            shown.append(item)
        left = len(changes) - len(shown)
        value = "\n".join(shown) + (f"\n(+{left} more in the review file)" if left else "")
        embed.add_field(name="Bullets", value=value, inline=False)
    return embed


def resumable(
    message: discord.Message,
    target: discord.abc.Snowflake,
    attachment: discord.Attachment,
    user: str,
    job: str | None,
    role: str | None,
    conversation: ConversationKey,
) -> dict[str, Any]:
    """Where to answer and what a restarted bot needs to review the file again: the
    attachment's signed URL, the job and the role are sealed with STATE_KEY by the store
    (not kept without one: the person is then told the review was lost)."""
    return {
        **message_reply_to(message, target),
        "file": {"url": attachment.url, "filename": attachment.filename, "size": attachment.size},
        "job": job,
        "role": role,
        "user": user,
        "key": conversation.fields(),
        "attempt": 1,
    }
