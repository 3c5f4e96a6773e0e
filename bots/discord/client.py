"""The Discord adapter: events and interactions → `ReviewRequest` → `review_resume` → a reply.

Four ways in, one way through:

* `/optimize resume:<file> [job_description] [role] [private]`: defer at once, answer in a follow-up;
* the message context menu "Review resume" (mentors reviewing what someone posted);
* a DM with a file (the message text is the job description or the role): a reply;
* a server message that mentions the bot and carries a file: a thread from that message.

Every review goes through `_Bot.review` (size check, download, bounded concurrency,
core) and every failure becomes user text in `user_text`. No privileged intents:
Discord gives DMs, mentions and context-menu targets their content and attachments
without the message-content intent.
"""

from __future__ import annotations

import asyncio
import logging
import re
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath

import discord
import httpx
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bots.discord.render import Reply, render_error, render_help, render_result
from core import (
    ResumeBotError,
    ReviewRequest,
    ReviewResult,
    Settings,
    check_upload_size,
    review_resume,
)
from core.errors import FileTooLargeError
from core.limits import DISCORD_THREAD_NAME_MAX

log = logging.getLogger(__name__)

ROLE_MAX_CHARS = 100  # one line of at most this many characters reads as a role, longer as a job description
JOB_OPTION_MAX = 6000  # Discord's cap on a string option's length
GENERIC_APOLOGY = (
    "Sorry, something went wrong on my side while reviewing that file. "
    "Please try again in a minute; if it keeps happening, upload it as a DOCX or a PDF exported from your editor."
)
NO_ATTACHMENT = "That message has no file attached. Use this on a message that carries a resume (PDF, DOCX, TXT or Markdown)."
_MENTION = re.compile(r"<@[!&]?\d+>")

Send = Callable[[Reply], Awaitable[object]]


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py's REST (and, if set, gateway) at the configured hosts.

    discord.py builds every REST URL, webhooks and interaction callbacks included,
    from the class attribute `Route.BASE`, and opens the gateway at
    `DiscordWebSocket.DEFAULT_GATEWAY`; both are process-wide, as is a bot token.
    """
    Route.BASE = settings.discord_api_url.rstrip("/")
    if settings.discord_gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def keep_library_logs_content_free() -> None:
    """Hold discord.py's logger at INFO or above: at DEBUG it logs whole gateway events and request
    bodies, i.e. users' messages, job descriptions and the resume lines quoted in our replies."""
    library = logging.getLogger("discord")
    library.setLevel(max(logging.INFO, library.level, logging.getLogger().getEffectiveLevel()))


def user_text(exc: BaseException) -> str:
    """The one place an error becomes words for the user; logged by type only, never with content."""
    if isinstance(exc, ResumeBotError):
        log.info("review refused: %s", type(exc).__name__)
        return exc.for_user()
    # the traceback without the exception's message, which could quote the file
    log.error("review failed: %s\n%s", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
    return GENERIC_APOLOGY


def job_and_role(text: str | None) -> tuple[str | None, str | None]:
    """Message text → (job description, role): one short line is a role, anything longer a job ad."""
    text = _MENTION.sub("", text or "").strip()
    if not text:
        return None, None
    if "\n" not in text and len(text) <= ROLE_MAX_CHARS:
        return None, text
    return text, None


def thread_name(filename: str) -> str:
    name = f"Resume review: {PurePath(filename).name}"
    return name if len(name) <= DISCORD_THREAD_NAME_MAX else "Resume review"


@dataclass
class _Bot:
    """The handlers, holding what they share; `build_client` wires them to a plain `discord.Client`."""

    settings: Settings
    http: httpx.AsyncClient | None
    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    limiter: asyncio.Semaphore

    async def review(self, attachment: discord.Attachment, *, size_limit: int | None,
                     job: str | None, role: str | None) -> ReviewResult:
        """The one path every review takes: declared size first, then download, then core."""
        if size_limit is not None and attachment.size > size_limit:
            raise FileTooLargeError(
                f"That file is {attachment.size / 1_048_576:.1f} MB; Discord allows "
                f"{size_limit / 1_048_576:.1f} MB here."
            )
        check_upload_size(attachment.size, self.settings)
        async with self.limiter:
            data = await attachment.read()
            request = ReviewRequest(data=data, filename=attachment.filename, job_description=job, role=role)
            return await review_resume(request, self.settings, http=self.http)

    async def review_and_reply(self, attachment: discord.Attachment, send: Send, *, size_limit: int | None = None,
                               job: str | None = None, role: str | None = None) -> None:
        """Review and answer in the caller's place; the user always gets either the review or plain words."""
        try:
            result = await self.review(attachment, size_limit=size_limit, job=job, role=role)
            reply = render_result(result)
            log.info("reviewed attachment %s (%d bytes): score %d, rules %s", attachment.id, attachment.size,
                     result.score, sorted({f.rule for f in result.findings}))
        except Exception as exc:
            reply = render_error(user_text(exc))
        try:
            await send(reply)
        except discord.HTTPException as exc:
            log.warning("sending the review failed: HTTP %s (code %s)", exc.status, exc.code)
            if reply.files or reply.embeds:
                await send(render_error(GENERIC_APOLOGY))

    # --- interactions ---------------------------------------------------------------
    async def optimize(self, interaction: discord.Interaction, resume: discord.Attachment,
                       job_description: str | None, role: str | None, private: bool) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)
        log.info("interaction %s: /optimize, attachment %s (%d bytes)", interaction.id, resume.id, resume.size)
        await self.review_and_reply(
            resume, _followup(interaction, ephemeral=private), size_limit=interaction.filesize_limit,
            job=job_description, role=role,
        )

    async def review_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        if not message.attachments:
            await interaction.response.send_message(NO_ATTACHMENT, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        log.info("interaction %s: Review resume on message %s", interaction.id, message.id)
        job, role = job_and_role(message.content)
        await self.review_and_reply(message.attachments[0], _followup(interaction, ephemeral=True),
                                    size_limit=interaction.filesize_limit, job=job, role=role)

    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        """Last resort for a command that failed before it could answer: never leave the user waiting."""
        text = user_text(getattr(error, "original", error))
        reply = render_error(text)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(reply.content, ephemeral=True)
            else:
                await interaction.response.send_message(reply.content, ephemeral=True)
        except discord.HTTPException as exc:
            log.warning("interaction %s: could not send the error: HTTP %s", interaction.id, exc.status)

    # --- messages ----------------------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        """DMs with a file get a reply; server messages only when they mention the bot."""
        me = self.client.user
        if message.author.bot or me is None or message.author.id == me.id:
            return
        if message.guild is None:
            await self._answer_dm(message)
        elif any(user.id == me.id for user in message.mentions):
            await self._answer_mention(message)

    async def _answer_dm(self, message: discord.Message) -> None:
        async def reply(r: Reply) -> object:
            return await message.reply(**r.send_kwargs(), mention_author=False)

        if not message.attachments:
            await reply(render_help())
            return
        log.info("DM message %s: attachment %s", message.id, message.attachments[0].id)
        job, role = job_and_role(message.content)
        async with message.channel.typing():
            await self.review_and_reply(message.attachments[0], reply, job=job, role=role)

    async def _answer_mention(self, message: discord.Message) -> None:
        async def reply_here(r: Reply) -> object:
            return await message.reply(**r.send_kwargs(), mention_author=False)

        if not message.attachments:
            await reply_here(render_help())
            return
        attachment = message.attachments[0]
        log.info("mention message %s: attachment %s", message.id, attachment.id)
        send: Send = reply_here
        target: discord.abc.Messageable = message.channel
        if isinstance(message.channel, discord.TextChannel):
            try:
                thread = await message.create_thread(name=thread_name(attachment.filename))
            except discord.HTTPException as exc:  # no permission, or a message type threads can't start from
                log.warning("message %s: thread not created (HTTP %s); replying in place", message.id, exc.status)
            else:
                target = thread

                async def send_to_thread(r: Reply) -> object:
                    return await thread.send(**r.send_kwargs())

                send = send_to_thread
        job, role = job_and_role(message.content)
        async with target.typing():
            await self.review_and_reply(attachment, send, job=job, role=role)

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
            log.error("command sync failed: HTTP %s (code %s); DMs and mentions still work", exc.status, exc.code)
        else:
            log.info("synced %d commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")


def _followup(interaction: discord.Interaction, *, ephemeral: bool) -> Send:
    async def send(reply: Reply) -> object:
        return await interaction.followup.send(**reply.send_kwargs(), ephemeral=ephemeral, wait=True)

    return send


def build_client(settings: Settings, *, http: httpx.AsyncClient | None = None) -> discord.Client:
    """A `discord.Client` with `/optimize`, the "Review resume" menu and DM/mention handling wired in.

    Plain composition: the handlers live on `_Bot`, the client and its command
    tree are discord.py's own classes. `http` is passed on to the model engine.
    """
    configure_endpoints(settings)
    keep_library_logs_content_free()
    intents = discord.Intents.default()  # deliberately without message_content (privileged)
    client = discord.Client(intents=intents, allowed_mentions=discord.AllowedMentions.none())
    tree = app_commands.CommandTree(client)
    bot = _Bot(settings, http, client, tree, asyncio.Semaphore(settings.max_concurrent_reviews))

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
        job_description: app_commands.Range[str, 1, JOB_OPTION_MAX] | None = None,
        role: app_commands.Range[str, 1, ROLE_MAX_CHARS] | None = None,
        private: bool = True,
    ) -> None:
        await bot.optimize(interaction, resume, job_description, role, private)

    @tree.context_menu(name="Review resume")
    async def review_resume_menu(interaction: discord.Interaction, message: discord.Message) -> None:
        await bot.review_message(interaction, message)

    tree.error(bot.on_app_command_error)
    client.event(bot.on_message)
    client.setup_hook = bot.setup_hook  # type: ignore[method-assign]
    return client
