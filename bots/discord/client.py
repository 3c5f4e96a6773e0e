"""The Discord adapter: events and interactions → `ReviewRequest` → `review_resume` → a reply.

Four ways in, one way through:

* `/optimize resume:<file> [job_description] [role] [private]`: defer at once, answer in a follow-up;
* the message context menu "Review resume" (mentors reviewing what someone posted);
* a DM with a file (the message text is the job description or the role): a reply;
* a server message that mentions the bot and carries a file: a thread from that message.

Every one goes through core's conversation flow (`core.conversation`: size check,
a place in the shared `ReviewQueue`, download, review, answer) with a
`DiscordTransport`. A review that must wait shows its place in line where the
answer will appear (the deferred response, or a reply) and that message is
edited when it starts. No privileged intents:
Discord gives DMs, mentions and context-menu targets their content and attachments
without the message-content intent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import discord
import httpx
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bots.discord.channels import ReviewChannels
from bots.discord.interaction import INTERACTION_WINDOW_SECONDS, InteractionTransport
from bots.discord.limits import DISCORD_STRING_OPTION_MAX, DISCORD_THREAD_NAME_MAX
from bots.discord.metrics import count_rate_limits, error_trace
from bots.discord.render import NO_MENTIONS, Reply, render_error, render_help, render_result
from bots.lifecycle import keep_library_logs_content_free
from core.config import Settings
from core.conversation import (
    RESUME_ATTEMPTS,
    RESUMED_NOTE,
    Conversations,
    Progress,
    Transport,
    Upload,
    user_key,
    user_text,
)
from core.errors import InputError
from core.models import ReviewResult
from core.queue import ReviewQueue
from core.review import ROLE_MAX_CHARS, split_job_and_role
from core.state.keys import ConversationKey

from .versions import (
    FORGET_DESCRIPTION,
    conversation_key,
    interaction_reply_to,
    person,
    resumable,
    tell_lost,
)

if TYPE_CHECKING:
    from core.state.store import StateStore

log = logging.getLogger(__name__)

NO_ATTACHMENT = (
    "That message has no file attached. "
    "Use this on a message that carries a resume (PDF, DOCX, TXT or Markdown)."
)
_MENTION = re.compile(r"<@[!&]?\d+>")

Send = Callable[[Reply], Awaitable[object]]


class DiscordFileError(InputError):
    """Discord wouldn't hand over the attachment (deleted, expired link, outage)."""

    user_message = "I couldn't download that file from Discord."
    hint = "Please upload it again and send it to me in a minute."


def discord_user(user: discord.abc.Snowflake) -> str:
    """The queue's key for a Discord user."""
    return user_key("discord", user.id)


def discord_upload(attachment: discord.Attachment, *, size_limit: int | None = None) -> Upload:
    """An attachment as core's `Upload`; `size_limit` is the interaction's own file cap."""

    async def fetch() -> tuple[bytes, str]:
        try:
            return await attachment.read(), attachment.filename
        except discord.HTTPException as exc:
            log.warning("attachment %s: download failed (HTTP %s)", attachment.id, exc.status)
            raise DiscordFileError() from None

    return Upload(
        name=attachment.filename,
        size=attachment.size,
        fetch=fetch,
        platform="Discord",
        platform_limit=size_limit,
    )


class DiscordTransport:
    """A message conversation's `Transport` (DM, mention, review channel): progress in one
    message (a reply, edited in place), then the review or the error sent with `send`.
    Interactions use `InteractionTransport` (bots/discord/interaction.py)."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._message: discord.Message | None = None

    async def progress(self, update: Progress) -> None:
        if update.stage == "started" and not update.waited:
            return  # the typing indicator already says it
        text = update.text(discord.utils.escape_markdown)
        if self._message is None:
            sent = await self._send(Reply(content=text))
            self._message = sent if isinstance(sent, discord.Message) else None
        else:
            await self._message.edit(content=text, allowed_mentions=NO_MENTIONS)

    async def deliver(self, result: ReviewResult, notes: Sequence[str]) -> None:
        await self._send(render_result(result, notes=notes))

    async def fail(self, text: str) -> None:
        await self._send(render_error(text))


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py's REST (and, if set, gateway) at the configured hosts.

    discord.py builds every REST URL, webhooks and interaction callbacks included,
    from the class attribute `Route.BASE`, and opens the gateway at
    `DiscordWebSocket.DEFAULT_GATEWAY`; both are process-wide, as is a bot token.
    """
    Route.BASE = settings.discord_api_url.rstrip("/")
    if settings.discord_gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def job_and_role(text: str | None) -> tuple[str | None, str | None]:
    """Message text → (job description, role): one short line is a role, anything longer a job ad."""
    return split_job_and_role(_MENTION.sub("", text or ""))


def thread_name(filename: str) -> str:
    name = f"Resume review: {PurePath(filename).name}"
    return name if len(name) <= DISCORD_THREAD_NAME_MAX else "Resume review"


@dataclass
class DiscordBot:
    """The handlers, holding what they share; `build_bot` wires them to a plain `discord.Client`."""

    settings: Settings
    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    conversations: Conversations
    review_channels: ReviewChannels = field(default_factory=ReviewChannels)
    interaction_window_s: float = INTERACTION_WINDOW_SECONDS  # tests shorten Discord's 15 minutes

    async def converse(
        self,
        attachment: discord.Attachment,
        transport: Transport,
        *,
        user: str,
        size_limit: int | None = None,
        job: str | None = None,
        role: str | None = None,
        conversation: ConversationKey | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> None:
        """Core's conversation in the caller's place, tracked so a shutdown can wait for it.

        discord.py already runs each handler as its own task, so that task is tracked
        (`TaskTracker.track`) rather than a new one spawned.
        """
        async with self.conversations.tasks.track():
            await self.conversations.handle(
                discord_upload(attachment, size_limit=size_limit),
                transport,
                user=user,
                job=job,
                role=role,
                conversation=conversation,
                reply_to=reply_to,
            )

    async def follow_up(
        self, text: str, send: Send, *, user: discord.abc.User, channel: Any, guild: Any
    ) -> bool:
        """Text in a reviewed DM or thread re-runs the latest version (core decides what)."""
        job, role = job_and_role(text)
        wording = job or role
        if wording is None:
            return False
        async with self.conversations.tasks.track():
            return await self.conversations.follow_up(
                wording,
                DiscordTransport(send),
                user=discord_user(user),
                conversation=conversation_key(user, channel, guild),
            )

    async def forget(self, interaction: discord.Interaction) -> None:
        """`/forget`: everything about this person, at once; confirmed privately."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await self.conversations.forget(person(interaction.user))
        await interaction.followup.send(text, ephemeral=True)

    async def recover(self) -> int:
        """Answer whoever a previous process left unanswered (see `Conversations.recover`); with
        REDIS_URL, from now on also what a stopped replica left (core/scale/handover.py)."""
        from .adopted import adopted_transport

        return await self.conversations.recover(
            "discord", self._lost, lambda where: adopted_transport(self.client, where)
        )

    async def _lost(self, where: Mapping[str, Any], filename: str | None) -> None:
        """A message's review is done again, once, replying to it as before; an interaction's
        token can't outlive its 15 minutes, so it (and a second loss) is told it was lost."""
        if (
            where.get("file")
            and "channel_id" in where
            and where.get("attempt", 1) < (RESUME_ATTEMPTS)
        ):
            self.conversations.tasks.spawn(self._review_again(dict(where)))
            return
        await tell_lost(self.client, where, filename)

    async def _review_again(self, where: dict[str, Any]) -> None:
        channel = self.client.get_partial_messageable(int(where["channel_id"]))
        reference = discord.MessageReference(
            message_id=int(where["message_id"]),
            channel_id=int(where["channel_id"]),
            fail_if_not_exists=False,
        )
        file = where["file"]

        async def send(r: Reply) -> object:
            return await channel.send(**r.send_kwargs(), reference=reference)

        async def fetch() -> tuple[bytes, str]:
            try:
                return await self.client.http.get_from_cdn(file["url"]), file["filename"]
            except discord.HTTPException as exc:
                log.warning("a resumed review's attachment: download failed (HTTP %s)", exc.status)
                raise DiscordFileError() from None

        upload = Upload(file["filename"], file.get("size"), fetch, platform="Discord")
        key = where.get("key")
        await self.conversations.handle(
            upload,
            DiscordTransport(send),
            user=str(where.get("user") or ""),
            job=where.get("job"),
            role=where.get("role"),
            notes=[RESUMED_NOTE],
            conversation=ConversationKey(**key) if key else None,
            reply_to={**where, "attempt": where.get("attempt", 1) + 1},
        )

    # --- interactions ---------------------------------------------------------------
    async def optimize(
        self,
        interaction: discord.Interaction,
        resume: discord.Attachment,
        job_description: str | None,
        role: str | None,
        private: bool,
    ) -> None:
        arrived = asyncio.get_running_loop().time()
        await interaction.response.defer(ephemeral=private, thinking=True)
        log.info(
            "interaction %s: /optimize, attachment %s (%d bytes)",
            interaction.id,
            resume.id,
            resume.size,
        )
        async with self._answer_for(interaction, private, arrived) as transport:
            await self.converse(
                resume,
                transport,
                size_limit=interaction.filesize_limit,
                job=job_description,
                role=role,
                user=discord_user(interaction.user),
                conversation=(
                    conversation_key(
                        interaction.user, interaction.channel, interaction.guild, private=private
                    )
                    if interaction.channel is not None
                    else None
                ),
                reply_to=interaction_reply_to(interaction, ephemeral=private),
            )

    def _answer_for(
        self, interaction: discord.Interaction, ephemeral: bool, arrived: float
    ) -> contextlib.AbstractAsyncContextManager[InteractionTransport]:
        """The deferred reply, handed over to the channel or a DM before its token expires."""
        return InteractionTransport(
            interaction, ephemeral=ephemeral, window_s=self.interaction_window_s, started=arrived
        ).watching()

    async def review_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        arrived = asyncio.get_running_loop().time()
        if not message.attachments:
            await interaction.response.send_message(
                NO_ATTACHMENT, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        log.info("interaction %s: Review resume on message %s", interaction.id, message.id)
        job, role = job_and_role(message.content)
        async with self._answer_for(interaction, True, arrived) as transport:
            await self.converse(
                message.attachments[0],
                transport,
                size_limit=interaction.filesize_limit,
                job=job,
                role=role,
                user=discord_user(interaction.user),
                reply_to=interaction_reply_to(interaction, ephemeral=True),
            )

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Last resort for a command that failed before it could answer: never leave the user waiting."""
        text = user_text(getattr(error, "original", error))
        reply = render_error(text)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(
                    reply.content, ephemeral=True, allowed_mentions=NO_MENTIONS
                )
            else:
                await interaction.response.send_message(
                    reply.content, ephemeral=True, allowed_mentions=NO_MENTIONS
                )
        except discord.HTTPException as exc:
            log.warning(
                "interaction %s: could not send the error: HTTP %s", interaction.id, exc.status
            )

    # --- messages ----------------------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        """DMs with a file get a reply; server messages when they mention the bot or carry a
        resume in a review channel (each message once: edits and file-less comments never)."""
        me = self.client.user
        if message.author.bot or me is None or message.author.id == me.id:
            return
        if message.guild is None:
            await self._answer_dm(message)
            return
        mentioned = any(user.id == me.id for user in message.mentions)
        posted = bool(message.attachments) and await self.review_channels.lists(message.channel)
        if (mentioned or posted) and self.review_channels.first_time(message.id):
            await self._answer_mention(message)  # a forum post is answered inside the post

    async def _answer_dm(self, message: discord.Message) -> None:
        async def reply(r: Reply) -> object:
            return await message.reply(**r.send_kwargs(), mention_author=False)

        if not message.attachments:
            if not await self.follow_up(
                message.content, reply, user=message.author, channel=message.channel, guild=None
            ):
                await reply(render_help())
            return
        log.info("DM message %s: attachment %s", message.id, message.attachments[0].id)
        job, role = job_and_role(message.content)
        async with message.channel.typing():
            await self.converse(
                message.attachments[0],
                DiscordTransport(reply),
                job=job,
                role=role,
                user=discord_user(message.author),
                conversation=(key := conversation_key(message.author, message.channel, None)),
                reply_to=resumable(
                    message,
                    message.channel,
                    message.attachments[0],
                    discord_user(message.author),
                    job,
                    role,
                    key,
                ),
            )

    async def _answer_mention(self, message: discord.Message) -> None:
        async def reply_here(r: Reply) -> object:
            return await message.reply(**r.send_kwargs(), mention_author=False)

        if not message.attachments:
            if not await self.follow_up(
                message.content,
                reply_here,
                user=message.author,
                channel=message.channel,
                guild=message.guild,
            ):
                await reply_here(render_help())
            return
        attachment = message.attachments[0]
        log.info("mention message %s: attachment %s", message.id, attachment.id)
        send: Send = reply_here
        target: discord.abc.Messageable = message.channel
        if isinstance(message.channel, discord.TextChannel):
            try:
                thread = await message.create_thread(name=thread_name(attachment.filename))
            except (
                discord.HTTPException
            ) as exc:  # no permission, or a message type threads can't start from
                log.warning(
                    "message %s: thread not created (HTTP %s); replying in place",
                    message.id,
                    exc.status,
                )
            else:
                target = thread

                async def send_to_thread(r: Reply) -> object:
                    return await thread.send(**r.send_kwargs())  # mentions off: send_kwargs

                send = send_to_thread
        job, role = job_and_role(message.content)
        async with target.typing():
            await self.converse(
                attachment,
                DiscordTransport(send),
                job=job,
                role=role,
                user=discord_user(message.author),
                conversation=(key := conversation_key(message.author, target, message.guild)),
                reply_to=resumable(
                    message, target, attachment, discord_user(message.author), job, role, key
                ),
            )

    # --- start-up ----------------------------------------------------------------------
    async def setup_hook(self) -> None:
        """Find the gateway and sync the commands, before the gateway connects."""
        if not self.settings.discord_gateway_url:
            try:
                _, url, _ = await self.client.http.get_bot_gateway()
            except discord.GatewayNotFound:
                log.warning("GET /gateway/bot failed; using discord.py's default gateway")
            else:
                DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        guild_id = self.settings.discord_guild_id
        try:
            if guild_id:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
        except discord.HTTPException as exc:
            log.error(
                "command sync failed: HTTP %s (code %s); DMs and mentions still work",
                exc.status,
                exc.code,
            )
        else:
            log.info(
                "synced %d commands %s",
                len(synced),
                f"to guild {guild_id}" if guild_id else "globally",
            )
        await self.recover()  # reviews a previous process accepted and never answered


def _client(settings: Settings, intents: discord.Intents) -> discord.Client:
    """One connection, or DISCORD_SHARD_COUNT shards (this process: DISCORD_SHARD_IDS)."""
    trace = error_trace()  # /metrics: failed API calls other than 429s
    if settings.discord_shard_count is None:
        return discord.Client(intents=intents, allowed_mentions=NO_MENTIONS, http_trace=trace)
    return discord.AutoShardedClient(
        intents=intents,
        allowed_mentions=NO_MENTIONS,
        http_trace=trace,
        shard_count=settings.discord_shard_count,
        shard_ids=list(settings.discord_shard_ids) if settings.discord_shard_ids else None,
    )


def build_bot(
    settings: Settings,
    *,
    http: httpx.AsyncClient | None = None,
    queue: ReviewQueue | None = None,
    interaction_window_s: float = INTERACTION_WINDOW_SECONDS,
    state: StateStore | None = None,
) -> DiscordBot:
    """The handlers and the `discord.Client` they are wired to (`run` needs both, for shutdown).

    Plain composition: the handlers live on `DiscordBot`, the client and its command
    tree are discord.py's own classes. `http` is passed on to the model engine;
    `queue` is the process's one `ReviewQueue` (default: a new one from settings).
    `interaction_window_s`: how long an interaction's reply is used before handing over.
    """
    configure_endpoints(settings)
    keep_library_logs_content_free("discord")
    count_rate_limits()  # /metrics: discord.py's 429s
    intents = discord.Intents.default()
    # privileged, so only for review channels: without it a post that doesn't mention the bot
    # arrives without its attachments (DMs and mentions carry theirs regardless)
    intents.message_content = bool(settings.review_channels)
    client = _client(settings, intents)
    tree = app_commands.CommandTree(client)
    queue = queue or ReviewQueue(settings.max_concurrent_reviews, settings.user_reviews_per_hour)
    bot = DiscordBot(
        settings,
        client,
        tree,
        Conversations(settings, queue, http, state=state),
        review_channels=ReviewChannels(settings.review_channels, client),
        interaction_window_s=interaction_window_s,
    )

    @tree.command(name="optimize", description="Review your resume and get a rewritten version")
    @app_commands.describe(
        resume="Your resume: PDF, DOCX, TXT or Markdown",
        job_description="Paste the job ad to get a keyword match",
        role="The role you're aiming for, e.g. Backend Engineer",
        private="Only you see the answer (default: yes)",
    )
    async def optimize(
        interaction: discord.Interaction,
        resume: discord.Attachment,
        job_description: app_commands.Range[str, 1, DISCORD_STRING_OPTION_MAX] | None = None,
        role: app_commands.Range[str, 1, ROLE_MAX_CHARS] | None = None,
        private: bool = True,
    ) -> None:
        await bot.optimize(interaction, resume, job_description, role, private)

    @tree.context_menu(name="Review resume")
    async def review_resume_menu(
        interaction: discord.Interaction, message: discord.Message
    ) -> None:
        await bot.review_message(interaction, message)

    @tree.command(name="forget", description=FORGET_DESCRIPTION)
    async def forget(interaction: discord.Interaction) -> None:
        await bot.forget(interaction)

    from .feedback import register_feedback, register_stats  # 👍 / 👎, /stats (issue 17)

    register_feedback(client, bot.conversations)
    register_stats(tree, bot.conversations)
    tree.error(bot.on_app_command_error)
    client.event(bot.on_message)
    client.setup_hook = bot.setup_hook  # type: ignore[method-assign]
    return bot
