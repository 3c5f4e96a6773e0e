"""The Discord adapter: events and interactions → `ReviewRequest` → `review_resume` → a reply.

Four ways in, one way through:

* `/optimize resume:<file> [job_description] [role] [private]`: defer at once, answer in a follow-up;
* the message context menu "Review resume" (mentors reviewing what someone posted);
* a DM with a file (the message text is the job description or the role): a reply;
* a server message that mentions the bot and carries a file: a thread from that message.

Every review goes through `DiscordBot.review` (size check, a place in the shared
`ReviewQueue`, download, core) and every failure becomes user text in `user_text`.
A review that must wait shows its place in line where the answer will appear
(the deferred response, or a reply) and that message is edited when it starts. No privileged intents:
Discord gives DMs, mentions and context-menu targets their content and attachments
without the message-content intent.
"""

from __future__ import annotations

import asyncio
import logging
import re
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
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
from core.errors import FileTooLargeError, ShuttingDownError
from core.limits import DISCORD_THREAD_NAME_MAX
from core.queue import ReviewQueue
from core.review import ROLE_MAX_CHARS, split_job_and_role

log = logging.getLogger(__name__)

JOB_OPTION_MAX = 6000  # Discord's cap on a string option's length
GENERIC_APOLOGY = (
    "Sorry, something went wrong on my side while reviewing that file. "
    "Please try again in a minute; if it keeps happening, upload it as a DOCX or a PDF exported from your editor."
)
NO_ATTACHMENT = "That message has no file attached. Use this on a message that carries a resume (PDF, DOCX, TXT or Markdown)."
STOPPED = ShuttingDownError(
    "I'm restarting and had to stop your review before it finished.",
    hint="Please send the file again in a minute.",
)
_MENTION = re.compile(r"<@[!&]?\d+>")

Send = Callable[[Reply], Awaitable[object]]


def user_key(user: discord.abc.Snowflake) -> str:
    """The queue's key for a Discord user: platform-prefixed so Slack ids never collide."""
    return f"discord:{user.id}"


def queue_text(position: int, filename: str) -> str:
    return (f"⏳ You're #{position} in line for {discord.utils.escape_markdown(filename)}. "
            "I'll update this message when your review starts.")


def started_text(filename: str) -> str:
    return f"🔎 Your turn: reviewing {discord.utils.escape_markdown(filename)} now…"


class InteractionProgress:
    """Where a deferred interaction's user waits: the "thinking…" original response, edited."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self._interaction = interaction

    async def show(self, text: str) -> None:
        await self._interaction.edit_original_response(content=text)


class MessageProgress:
    """Where a DM or mention waits: one reply (or thread message), posted once then edited."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._message: discord.Message | None = None

    async def show(self, text: str) -> None:
        if self._message is None:
            sent = await self._send(Reply(content=text))
            self._message = sent if isinstance(sent, discord.Message) else None
        else:
            await self._message.edit(content=text)


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
    return split_job_and_role(_MENTION.sub("", text or ""))


def thread_name(filename: str) -> str:
    name = f"Resume review: {PurePath(filename).name}"
    return name if len(name) <= DISCORD_THREAD_NAME_MAX else "Resume review"


@dataclass
class DiscordBot:
    """The handlers, holding what they share; `build_client` wires them to a plain `discord.Client`."""

    settings: Settings
    http: httpx.AsyncClient | None
    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    queue: ReviewQueue
    tasks: set[asyncio.Task[object]] = field(default_factory=set)

    async def review(self, attachment: discord.Attachment, *, size_limit: int | None,
                     job: str | None, role: str | None, user: str,
                     progress: InteractionProgress | MessageProgress) -> ReviewResult:
        """The one path every review takes: declared size first, then a place in line, download, core."""
        if size_limit is not None and attachment.size > size_limit:
            raise FileTooLargeError(
                f"That file is {attachment.size / 1_048_576:.1f} MB; Discord allows "
                f"{size_limit / 1_048_576:.1f} MB here."
            )
        check_upload_size(attachment.size, self.settings)
        waited = False

        async def on_wait(position: int) -> None:
            nonlocal waited
            waited = True
            log.info("review for %s waits at #%d", user, position)
            try:
                await progress.show(queue_text(position, attachment.filename))
            except discord.HTTPException as exc:  # the review still runs; the answer is sent anyway
                log.warning("could not show a queue position: HTTP %s", exc.status)

        async with self.queue.slot(user, on_wait=on_wait):
            log.info("review for %s starts (waited: %s)", user, waited)
            if waited:
                try:
                    await progress.show(started_text(attachment.filename))
                except discord.HTTPException as exc:
                    log.warning("could not update a queue message: HTTP %s", exc.status)
            data = await attachment.read()
            request = ReviewRequest(data=data, filename=attachment.filename, job_description=job, role=role)
            return await review_resume(request, self.settings, http=self.http)

    async def review_and_reply(self, attachment: discord.Attachment, send: Send, *, user: str,
                               progress: InteractionProgress | MessageProgress | None = None,
                               size_limit: int | None = None,
                               job: str | None = None, role: str | None = None) -> None:
        """Review and answer in the caller's place; the user always gets either the review or plain words.

        Tracked so a shutdown can wait for it, or cancel it and still tell the user.
        """
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            await self._review_and_reply(attachment, send, user=user, progress=progress or MessageProgress(send),
                                         size_limit=size_limit, job=job, role=role)
        except asyncio.CancelledError:
            try:
                await send(render_error(STOPPED.for_user()))
            except discord.HTTPException as exc:
                log.warning("could not tell a user their review was stopped: HTTP %s", exc.status)
            raise
        finally:
            if task is not None:
                self.tasks.discard(task)

    async def _review_and_reply(self, attachment: discord.Attachment, send: Send, *, user: str,
                                progress: InteractionProgress | MessageProgress, size_limit: int | None,
                                job: str | None, role: str | None) -> None:
        try:
            result = await self.review(attachment, size_limit=size_limit, job=job, role=role, user=user,
                                       progress=progress)
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

    async def shutdown(self, deadline_s: float, *, grace_s: float = 2.0) -> bool:
        """Stop taking reviews, tell those in line, give those in flight `deadline_s`, then stop them.

        True when every review finished; otherwise the rest were cancelled (each
        tells its user, see `review_and_reply`), within `grace_s` more.
        """
        loop = asyncio.get_running_loop()
        end = loop.time() + deadline_s
        finished = await self.queue.close(deadline_s)
        finished = await self._wait_tasks(max(0.0, end - loop.time())) and finished
        if not finished:
            log.warning("shutdown: %d review(s) still running; stopping them", len(self.tasks))
            for task in list(self.tasks):
                task.cancel()
            if not await self._wait_tasks(grace_s):
                log.error("shutdown: %d answer(s) still being sent; giving up", len(self.tasks))
        return finished

    async def _wait_tasks(self, timeout_s: float) -> bool:
        """Wait (without cancelling them) until tracked reviews are done; False on timeout."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout_s
        while self.tasks:
            _, pending = await asyncio.wait(list(self.tasks), timeout=max(0.0, end - loop.time()))
            if pending and loop.time() >= end:
                return False
        return True

    # --- interactions ---------------------------------------------------------------
    async def optimize(self, interaction: discord.Interaction, resume: discord.Attachment,
                       job_description: str | None, role: str | None, private: bool) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)
        log.info("interaction %s: /optimize, attachment %s (%d bytes)", interaction.id, resume.id, resume.size)
        await self.review_and_reply(
            resume, _followup(interaction, ephemeral=private), size_limit=interaction.filesize_limit,
            job=job_description, role=role, user=user_key(interaction.user),
            progress=InteractionProgress(interaction),
        )

    async def review_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        if not message.attachments:
            await interaction.response.send_message(NO_ATTACHMENT, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        log.info("interaction %s: Review resume on message %s", interaction.id, message.id)
        job, role = job_and_role(message.content)
        await self.review_and_reply(message.attachments[0], _followup(interaction, ephemeral=True),
                                    size_limit=interaction.filesize_limit, job=job, role=role,
                                    user=user_key(interaction.user), progress=InteractionProgress(interaction))

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
            await self.review_and_reply(message.attachments[0], reply, job=job, role=role,
                                        user=user_key(message.author))

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
            await self.review_and_reply(attachment, send, job=job, role=role, user=user_key(message.author))

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


def build_client(settings: Settings, *, http: httpx.AsyncClient | None = None,
                 queue: ReviewQueue | None = None) -> discord.Client:
    """A `discord.Client` with `/optimize`, the "Review resume" menu and DM/mention handling wired in."""
    return build_bot(settings, http=http, queue=queue).client


def build_bot(settings: Settings, *, http: httpx.AsyncClient | None = None,
              queue: ReviewQueue | None = None) -> DiscordBot:
    """The handlers and the `discord.Client` they are wired to (`run` needs both, for shutdown).

    Plain composition: the handlers live on `DiscordBot`, the client and its command
    tree are discord.py's own classes. `http` is passed on to the model engine;
    `queue` is the process's one `ReviewQueue` (default: a new one from settings).
    """
    configure_endpoints(settings)
    keep_library_logs_content_free()
    intents = discord.Intents.default()  # deliberately without message_content (privileged)
    client = discord.Client(intents=intents, allowed_mentions=discord.AllowedMentions.none())
    tree = app_commands.CommandTree(client)
    queue = queue or ReviewQueue(settings.max_concurrent_reviews, settings.user_reviews_per_hour)
    bot = DiscordBot(settings, http, client, tree, queue)

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
    return bot
