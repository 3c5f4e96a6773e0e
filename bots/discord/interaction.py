"""An interaction's answer within Discord's 15-minute token, and another way after it.

Discord lets a bot edit a deferred reply ("thinking…") and send follow-ups for
DISCORD_TOKEN_LIFETIME_SECONDS; after that each call gets 401 code 50027, and a
person who waited in line would be left on "thinking…" for good. So a review still
running DISCORD_TOKEN_MARGIN_SECONDS before the token expires hands over: the
deferred reply is edited to say where the answer will come (this channel, or a DM
for a private request), and the progress and the answer go there. A 401/50027 that
arrives anyway (a send that outlived the token) hands over the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

import discord

from bots.discord.limits import DISCORD_TOKEN_LIFETIME_SECONDS, DISCORD_TOKEN_MARGIN_SECONDS
from bots.discord.render import NO_MENTIONS, Reply, render_error, render_result
from core.conversation import Progress
from core.models import ReviewResult

log = logging.getLogger(__name__)

INVALID_WEBHOOK_TOKEN = 50027  # Discord's code for an interaction token that has expired
INTERACTION_WINDOW_SECONDS = DISCORD_TOKEN_LIFETIME_SECONDS - DISCORD_TOKEN_MARGIN_SECONDS
_MINUTES = DISCORD_TOKEN_LIFETIME_SECONDS // 60
HANDOFF_DM = (
    f"⏳ Your review is taking longer than Discord keeps this reply open ({_MINUTES} minutes), "
    "so I'll send it to you in a DM when it's ready."
)
HANDOFF_CHANNEL = (
    f"⏳ Your review is taking longer than Discord keeps this reply open ({_MINUTES} minutes), "
    "so I'll post it in this channel when it's ready."
)


def token_expired(exc: BaseException) -> bool:
    return isinstance(exc, discord.HTTPException) and exc.code == INVALID_WEBHOOK_TOKEN


def moved_preface(interaction: discord.Interaction) -> str:
    return moved_text(interaction.command.name if interaction.command else "command")


def moved_text(command: str) -> str:
    """The first line of an answer sent to the channel or a DM instead of the command's reply."""
    return (
        f"Your **{discord.utils.escape_markdown(command)}** request: Discord closes a command's "
        f"reply after {_MINUTES} minutes, so your answer comes here."
    )


class InteractionTransport:
    """A deferred interaction's `Transport` that never outlives the interaction's token.

    `window_s` is how long the token may be used from `started` (a monotonic time,
    taken when the interaction arrived); tests pass a short one.
    """

    def __init__(
        self,
        interaction: discord.Interaction,
        *,
        ephemeral: bool,
        window_s: float = INTERACTION_WINDOW_SECONDS,
        started: float | None = None,
    ) -> None:
        loop = asyncio.get_running_loop()
        self._interaction = interaction
        self._ephemeral = ephemeral
        self._deadline = (loop.time() if started is None else started) + window_s
        self._lock = asyncio.Lock()
        self._answered = False
        self._moved = False  # True once the answer goes to the channel or a DM instead
        self._progress_message: discord.Message | None = None  # "in line" there, edited

    @contextlib.asynccontextmanager
    async def watching(self) -> AsyncIterator[InteractionTransport]:
        """Hand over before the token expires, for as long as the conversation runs."""
        watchdog = asyncio.create_task(self._watch())
        try:
            yield self
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, self._deadline - loop.time()))
        async with self._lock:
            if not self._answered and not self._moved:
                await self._hand_over(say_so_here=True)

    @property
    def _to_dm(self) -> bool:
        """A private request, or a channel the bot may not post in (a user-installed app)."""
        interaction = self._interaction
        if self._ephemeral or interaction.guild_id is None:
            return True
        perms = interaction.app_permissions
        in_thread = isinstance(interaction.channel, discord.Thread)
        return not (perms.send_messages_in_threads if in_thread else perms.send_messages)

    async def _hand_over(self, *, say_so_here: bool) -> None:
        """From now on, answer in the channel (a public request) or by DM (a private one)."""
        if say_so_here:  # the token still works: the deferred reply says where to look
            text = HANDOFF_DM if self._to_dm else HANDOFF_CHANNEL
            try:
                await self._interaction.edit_original_response(
                    content=text, allowed_mentions=NO_MENTIONS
                )
            except discord.HTTPException as exc:
                log.warning(
                    "interaction %s: could not say where the answer goes (HTTP %s)",
                    self._interaction.id,
                    exc.status,
                )
        else:
            log.warning(
                "interaction %s: token expired before the answer; sending it elsewhere",
                self._interaction.id,
            )
        self._moved = True

    async def _send_elsewhere(self, reply: Reply) -> object:
        reply = reply.with_preface(moved_preface(self._interaction))
        channel = self._interaction.channel
        if not self._to_dm and isinstance(channel, discord.abc.Messageable):
            try:
                return await channel.send(**reply.send_kwargs())
            except discord.HTTPException as exc:  # no right to post there: the person's DMs
                log.warning(
                    "interaction %s: channel refused the answer (HTTP %s); sending a DM",
                    self._interaction.id,
                    exc.status,
                )
        dm = await self._interaction.user.create_dm()
        return await dm.send(**reply.send_kwargs())

    async def _progress_elsewhere(self, update: Progress) -> None:
        text = update.text(discord.utils.escape_markdown)
        if self._progress_message is None:
            sent = await self._send_elsewhere(Reply(content=text))
            self._progress_message = sent if isinstance(sent, discord.Message) else None
        else:
            await self._progress_message.edit(content=text, allowed_mentions=NO_MENTIONS)

    # --- Transport --------------------------------------------------------------------
    async def progress(self, update: Progress) -> None:
        async with self._lock:
            if not self._moved:
                if update.stage == "started" and not update.waited:
                    return  # "thinking…" already says it
                try:
                    await self._interaction.edit_original_response(
                        content=update.text(discord.utils.escape_markdown),
                        allowed_mentions=NO_MENTIONS,
                    )
                    return
                except discord.HTTPException as exc:
                    if not token_expired(exc):
                        raise
                    await self._hand_over(say_so_here=False)
            await self._progress_elsewhere(update)

    async def deliver(self, result: ReviewResult, notes: Sequence[str]) -> None:
        await self._answer(render_result(result, notes=notes))

    async def fail(self, text: str) -> None:
        await self._answer(render_error(text))

    async def _answer(self, reply: Reply) -> None:
        async with self._lock:
            self._answered = True
            if not self._moved:
                try:
                    await self._interaction.followup.send(
                        **reply.send_kwargs(), ephemeral=self._ephemeral, wait=True
                    )
                    return
                except discord.HTTPException as exc:
                    if not token_expired(exc):
                        raise
                    await self._hand_over(say_so_here=False)
            await self._send_elsewhere(reply)
