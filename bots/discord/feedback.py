"""👍 / 👎 under each review (message components), acknowledged by editing that message;
and `/stats`, the usage summary for members who can manage the server.

The buttons' custom ids carry the review's feedback id (`feedback:up:<id>`), so they keep
working after a restart: a `DynamicItem` matches them by pattern instead of a view kept in
memory per message. A click records the person's vote through core (one per person per
review; a second click changes it) and puts the tally under the review's first lines.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from core.conversation import Conversations

from .limits import DISCORD_CONTENT_MAX
from .versions import person

log = logging.getLogger(__name__)

FEEDBACK_ID = re.compile(r"feedback:(?P<vote>up|down):(?P<review>[0-9a-f]{32})")
TALLY_PREFIX = "Thanks for the feedback!"  # core.conversation.vote_text starts so


def feedback_view(feedback_id: str | None) -> discord.ui.View | None:
    """The 👍 / 👎 buttons for a review (None when it wasn't recorded: nothing to vote on).

    The view is stopped before it is sent, so discord.py keeps no copy per message; the
    client's `FeedbackButton` answers the clicks (see `register_feedback`)."""
    if not feedback_id:
        return None
    view = discord.ui.View(timeout=None)
    for vote, label in (("up", "👍 Helpful"), ("down", "👎 Not helpful")):
        view.add_item(
            discord.ui.Button(
                label=label,
                custom_id=f"feedback:{vote}:{feedback_id}",
                style=discord.ButtonStyle.secondary,
            )
        )
    view.stop()
    return view


def acknowledged(content: str, line: str) -> str:
    """The message's content with `line` last (replacing an earlier tally), within the limit."""
    kept = [ln for ln in content.splitlines() if not ln.startswith(TALLY_PREFIX)]
    text = "\n".join([*kept, line]).strip()
    return text if len(text) <= DISCORD_CONTENT_MAX else content


def register_feedback(client: discord.Client, conversations: Conversations) -> None:
    """Answer clicks on the buttons `feedback_view` adds, on any message, after restarts too."""

    class FeedbackButton(
        discord.ui.DynamicItem[discord.ui.Button[Any]],
        template=FEEDBACK_ID.pattern,
    ):
        def __init__(self, vote: str, review: str) -> None:
            super().__init__(discord.ui.Button(custom_id=f"feedback:{vote}:{review}"))
            self.vote, self.review = vote, review

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction,
            item: discord.ui.Item[Any],
            match: re.Match[str],
        ) -> FeedbackButton:
            return cls(match["vote"], match["review"])

        async def callback(self, interaction: discord.Interaction) -> None:
            line = await conversations.vote(
                self.review, person(interaction.user), up=self.vote == "up"
            )
            content = interaction.message.content if interaction.message else ""
            try:
                await interaction.response.edit_message(content=acknowledged(content, line))
            except discord.HTTPException as exc:
                log.warning("could not acknowledge a vote (HTTP %s)", exc.status)

    client.add_dynamic_items(FeedbackButton)


STATS_DESCRIPTION = "Reviews, cache savings, fallbacks and 👍 per model (Manage Server only)"
MANAGE_GUILD_ONLY = "Only members who can manage this server can see the usage stats."


def register_stats(
    tree: discord.app_commands.CommandTree[Any], conversations: Conversations
) -> None:
    """`/stats [since]`: servers only, shown by default to Manage Server (Discord hides it from
    others; the permission is checked again here, as a server can change who sees a command)."""

    @tree.command(name="stats", description=STATS_DESCRIPTION)
    @discord.app_commands.describe(since="How far back: 30m, 12h, 7d (default) or 2w")
    @discord.app_commands.default_permissions(manage_guild=True)
    @discord.app_commands.guild_only()
    async def stats(interaction: discord.Interaction, since: str = "7d") -> None:
        allowed = interaction.permissions.manage_guild if interaction.guild else False
        if not allowed:
            await interaction.response.send_message(MANAGE_GUILD_ONLY, ephemeral=True)
            return
        text = await conversations.stats(since)
        fence = "```"
        body = discord.utils.escape_mentions(text)[: DISCORD_CONTENT_MAX - 8].replace(fence, "")
        await interaction.response.send_message(f"{fence}\n{body}\n{fence}", ephemeral=True)
