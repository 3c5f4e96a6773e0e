"""The Slack adapter: Slack events → `ReviewRequest` → `review_resume` → a threaded answer.

Three ways in (a DM with a file, a channel message that mentions the bot with a
file, `/optimize` and its modal), one way out: core's conversation flow
(`core.conversation`) through `SlackTransport`, which posts one message right
after the ack (the queue place or "Reviewing…"), updates it in place with the
result or the error, then uploads the rewrite into the same thread. Every
request is acknowledged first; the conversation runs in a tracked task.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import aiohttp
import httpx
from cachetools import TTLCache
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bots.lifecycle import keep_library_logs_content_free
from core.config import Settings
from core.conversation import (
    Conversations,
    Progress,
    Upload,
    lost_text,
    review_file_name,
    review_markdown,
    user_key,
)
from core.errors import ConfigError, ResumeBotError
from core.export import describe_attachments
from core.models import ReviewResult
from core.queue import ReviewQueue
from core.review import split_job_and_role
from core.state.keys import ConversationKey

from .channels import reviews_channel_message
from .files import SlackFiles
from .limits import (
    SLACK_CONNECTION_RETRIES,
    SLACK_EVENT_RETRY_WINDOW_SECONDS,
    SLACK_RATE_LIMIT_RETRIES,
)
from .metrics import CountErrors
from .render import (
    FILE_ACTION,
    HELP_TEXT,
    JOB_BLOCK,
    OPTIMIZE_CALLBACK_ID,
    RESUME_BLOCK,
    ROLE_BLOCK,
    TEXT_ACTION,
    WHERE_ACTION,
    WHERE_BLOCK,
    WHERE_CHANNEL,
    Rendered,
    escape,
    optimize_modal,
    render_error,
    render_review,
)
from .stats import is_stats, stats_answer
from .versions import (
    RESUME_ATTEMPTS,
    RESUMED_NOTE,
    conversation_key,
    is_forget,
    person,
    reply_to,
    resumable,
)

if TYPE_CHECKING:
    from core.state.store import StateStore

log = logging.getLogger(__name__)

DEDUPE_MAX_KEYS = 10_000
DOWNLOAD_TIMEOUT_S = 30.0
NO_CHANNEL_NOTE = "_I can't post in that channel (invite me with `/invite @resume-bot`), so here it is privately._"
UPLOAD_FAILED = (
    ":warning: I couldn't upload the rewritten resume files. Please try again in a minute."
)
_NO_CHANNEL_ERRORS = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
_MENTION = re.compile(r"<[@!#][^>]*>")
_LINK = re.compile(r"<([^>|]+)(?:\|([^>]*))?>")


class RecentKeys:
    """Keys seen in the last `ttl` seconds (Slack's retries, the same message twice), bounded."""

    def __init__(
        self, ttl: float = SLACK_EVENT_RETRY_WINDOW_SECONDS, max_keys: int = DEDUPE_MAX_KEYS
    ) -> None:
        self._seen: TTLCache[str, bool] = TTLCache(maxsize=max_keys, ttl=ttl, timer=time.monotonic)

    def add(self, key: str) -> bool:
        """Record `key`; False when it was already seen (so the caller skips it)."""
        if key in self._seen:
            return False
        self._seen[key] = True
        return True


def split_request_text(text: str | None) -> tuple[str | None, str | None]:
    """Message text next to a file → (job_description, role). Mentions are dropped, links unwrapped."""
    if not text:
        return None, None
    text = _MENTION.sub("", text)
    text = _LINK.sub(lambda m: m[2] or m[1], text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
    return split_job_and_role(text)


def _from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or (bot_user_id and event.get("user") == bot_user_id)
    )


def retry_handlers() -> list[AsyncRetryHandler]:
    """Honour Slack's 429 + Retry-After and retry a dropped connection, so no reply is lost."""
    return [
        CountErrors(),  # /metrics: counts, never retries
        AsyncConnectionErrorRetryHandler(max_retry_count=SLACK_CONNECTION_RETRIES),
        AsyncRateLimitErrorRetryHandler(max_retry_count=SLACK_RATE_LIMIT_RETRIES),
    ]


def slack_user(team: str | None, user: str | None) -> str:
    """The queue's key for a Slack user."""
    return user_key("slack", team, user)


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an answer goes: a channel, and the thread (None: thread under the progress message)."""

    channel: str
    thread_ts: str | None = None
    user: str | None = None  # to fall back to a DM when the bot can't post in `channel`


class SlackTransport:
    """One conversation's `Transport`: a single message, posted first and then updated in place.

    The first post is the queue place or "Reviewing…"; the review (or the error)
    replaces it, and the rewrite is uploaded into the same thread.
    """

    def __init__(
        self,
        slack: SlackMessages,
        dest: Destination,
        place: dict[str, Any] | None = None,
        thread_key: Callable[[str, str], ConversationKey] | None = None,
    ) -> None:
        self._slack = slack
        self.dest = dest
        self.ts: str | None = (place or {}).get("ts")  # resumed after a restart: that message
        self.place = place  # where a restarted bot says the review was lost (core keeps it)
        self._thread_key = thread_key  # (channel, thread) -> key, when the answer starts one

    def conversation(self) -> ConversationKey | None:
        """The thread this answer started (its first message), once posted: v2 there is
        compared with this version."""
        if self._thread_key is None or self.ts is None:
            return None
        return self._thread_key(self.dest.channel, self.dest.thread_ts or self.ts)

    @property
    def thread_ts(self) -> str:
        return self.dest.thread_ts or self.ts or ""

    async def _show(self, rendered: Rendered) -> None:
        if self.ts is None:
            self.dest, self.ts = await self._slack.post_progress(self.dest, rendered)
            if self.place is not None:
                self.place |= {"channel": self.dest.channel, "ts": self.ts}
        else:
            await self._slack.update(self.dest.channel, self.ts, rendered)

    async def progress(self, update: Progress) -> None:
        await self._show(Rendered(blocks=[], text=update.text(escape)))

    async def deliver(self, result: ReviewResult, notes: Sequence[str]) -> None:
        rendered = render_review(result, notes=list(notes))
        await self._show(rendered)
        await self._slack.upload(result, rendered, self.dest.channel, self.thread_ts)

    async def fail(self, text: str) -> None:
        rendered = render_error(text)
        try:
            await self._show(rendered)
        except SlackApiError as exc:
            if self.ts is None:
                raise
            # the message can't be updated (e.g. Slack refused the review's blocks): say it anew
            log.warning(
                "could not update the answer (%s); posting the error", exc.response.get("error")
            )
            await self._slack.client.chat_postMessage(
                channel=self.dest.channel,
                thread_ts=self.thread_ts,
                text=rendered.text,
                blocks=rendered.blocks,
            )


def upload_comment(stem: str, result: ReviewResult) -> str:
    """The files' comment: mrkdwn, so the file's stem is escaped (`<!here>` must not ping)."""
    return f"Your rewritten resume ({escape(stem)}), as {describe_attachments(result.attachments)}:"


def submitter(body: dict[str, Any]) -> tuple[str, str | None]:
    """Who submitted a form, and their workspace."""
    return body["user"]["id"], (body.get("team") or {}).get("id") or body["user"].get("team_id")


def slack_upload(file: dict[str, Any], files: SlackFiles) -> Upload:
    """A file object from an event or the modal, as core's `Upload`."""
    return Upload(
        name=str(file.get("name") or "your resume"),
        size=file.get("size"),
        fetch=lambda: files.fetch(file),
        platform="Slack",
    )


class SlackMessages:
    """Slack's side of a conversation: posting, updating, uploading; and where reviews start."""

    def __init__(
        self, client: AsyncWebClient, files: SlackFiles, conversations: Conversations
    ) -> None:
        self.client = client
        self.files = files
        self.conversations = conversations
        self.seen = RecentKeys()

    async def accept_form(
        self, ack: AsyncAck, view: dict[str, Any], file: dict[str, Any], block: str
    ) -> bool:
        """Close a submitted form (True, once per submission), or keep it open saying why on
        `block` (a file too large is shown on the form itself, before it closes)."""
        try:
            self.conversations.check_size(slack_upload(file, self.files))
        except ResumeBotError as exc:
            await ack(response_action="errors", errors={block: exc.for_user()})
            return False
        await ack()
        return self.seen.add(f"view:{view.get('id')}:{view.get('hash')}")

    async def answer(
        self,
        files: list[dict[str, Any]],
        dest: Destination,
        text: str | None = None,
        *,
        user: str,
        job: str | None = None,
        role: str | None = None,
        conversation: ConversationKey | None = None,
        resumed: dict[str, Any] | None = None,
        thread_key: Callable[[str, str], ConversationKey] | None = None,
    ) -> None:
        """Review the first file and answer in `dest` (see `Conversations.handle`: never silent).

        `resumed`: where a review a previous process accepted stood (its message, its attempt).
        `thread_key`: no conversation yet, the answer starts a thread: its key, once posted.
        """
        if text is not None:
            job, role = split_request_text(text)
        upload = slack_upload(files[0], self.files)
        notes = []
        place = resumable(dest, files[0], user, job, role, conversation) | (resumed or {})
        if len(files) > 1:
            notes.append(
                f"I reviewed the first file, {upload.name}. Send the others one at a time."
            )
        if resumed:
            notes.append(RESUMED_NOTE)
        await self.conversations.handle(
            upload,
            SlackTransport(self, dest, place, thread_key),
            user=user,
            job=job,
            role=role,
            notes=notes,
            conversation=conversation,
            reply_to=place,
        )

    async def reply(
        self, text: str, dest: Destination, *, user: str, conversation: ConversationKey, help: bool
    ) -> None:
        """Text in a reviewed conversation re-runs the latest version; else help (or nothing)."""
        job, role = split_request_text(text)
        wording = job or role
        handled = wording is not None and await self.conversations.follow_up(
            wording,
            SlackTransport(self, dest),
            user=user,
            conversation=conversation,
            reply_to=reply_to(dest.channel, dest.thread_ts),
        )
        if not handled and help:
            await self.say_help(dest)

    async def tell_lost(self, where: Mapping[str, Any], filename: str | None) -> None:
        """After a restart: a review accepted before it and never answered (core's `recover`).

        Slack keeps the file, so it is reviewed again, in the same message, once (a file that
        was being reviewed when a second process died is not tried a third time); without
        what that takes (no STATE_KEY, or a second loss), the person is told it was lost.
        """
        if where.get("file") and where.get("attempt", 1) < RESUME_ATTEMPTS:
            self.conversations.tasks.spawn(self._review_again(dict(where)))
            return
        rendered = render_error(lost_text(filename))
        if where.get("ts"):  # the "Reviewing…" message becomes the answer, as it would have
            try:
                await self.update(where["channel"], where["ts"], rendered)
                return
            except SlackApiError as exc:
                log.warning(
                    "could not update the lost review's message: %s", exc.response.get("error")
                )
        await self.client.chat_postMessage(
            channel=where["channel"],
            thread_ts=where.get("thread_ts") or where.get("ts"),
            text=rendered.text,
            blocks=rendered.blocks,
        )

    def transport(self, where: Mapping[str, Any]) -> SlackTransport:
        """The conversation another replica began (its ids: channel, thread, its message)."""
        dest = Destination(channel=where["channel"], thread_ts=where.get("thread_ts"))
        return SlackTransport(self, dest, dict(where))

    async def post_progress(self, dest: Destination, rendered: Rendered) -> tuple[Destination, str]:
        """Post the first message; if the bot can't post in that channel, fall back to the user's DM."""
        blocks = rendered.blocks or None
        try:
            resp = await self.client.chat_postMessage(
                channel=dest.channel, thread_ts=dest.thread_ts, text=rendered.text, blocks=blocks
            )
        except SlackApiError as exc:
            if dest.user is None or exc.response.get("error") not in _NO_CHANNEL_ERRORS:
                raise
            dest = Destination(channel=await self.open_dm(dest.user), user=dest.user)
            if blocks:
                blocks = [
                    *blocks,
                    {"type": "context", "elements": [{"type": "mrkdwn", "text": NO_CHANNEL_NOTE}]},
                ]
            resp = await self.client.chat_postMessage(
                channel=dest.channel, text=f"{rendered.text}\n{NO_CHANNEL_NOTE}", blocks=blocks
            )
        return dest, str(resp["ts"])

    async def update(self, channel: str, ts: str, rendered: Rendered) -> None:
        await self.client.chat_update(
            channel=channel, ts=ts, text=rendered.text, blocks=rendered.blocks
        )

    async def open_dm(self, user: str) -> str:
        resp = await self.client.conversations_open(users=user)
        return str(resp["channel"]["id"])

    async def upload(
        self, result: ReviewResult, rendered: Rendered, channel: str, thread_ts: str
    ) -> None:
        """The rewrite (and, when the message had to leave detail out, the whole review) as files."""
        uploads = [
            {"file": a.content, "filename": a.filename, "title": a.filename}
            for a in result.attachments
        ]
        if rendered.overflow:
            name = review_file_name(result.source_name)
            uploads.append(
                {"file": review_markdown(result).encode(), "filename": name, "title": name}
            )
        if not uploads:
            return
        stem = PurePath(result.source_name).stem or "resume"
        try:
            await self.client.files_upload_v2(
                file_uploads=uploads,
                channel=channel,
                thread_ts=thread_ts,
                initial_comment=upload_comment(stem, result),
            )
        except SlackApiError as exc:
            log.error("upload failed: %s", exc.response.get("error"))
            await self.client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=UPLOAD_FAILED
            )

    async def _review_again(self, where: dict[str, Any]) -> None:
        key = where.get("key")
        await self.answer(
            [where["file"]],
            Destination(channel=where["channel"], thread_ts=where.get("thread_ts")),
            user=str(where.get("user") or ""),
            job=where.get("job"),
            role=where.get("role"),
            conversation=ConversationKey(**key) if key else None,
            resumed={"ts": where.get("ts"), "attempt": where.get("attempt", 1) + 1},
        )

    async def say_help(self, dest: Destination) -> None:
        try:
            await self.client.chat_postMessage(
                channel=dest.channel, thread_ts=dest.thread_ts, text=HELP_TEXT
            )
        except SlackApiError as exc:
            log.error("could not post help: %s", exc.response.get("error"))


def _modal_values(view: dict[str, Any]) -> dict[str, Any]:
    values = view.get("state", {}).get("values", {})
    text = {
        b: (values.get(b, {}).get(TEXT_ACTION, {}).get("value") or "").strip() or None
        for b in (JOB_BLOCK, ROLE_BLOCK)
    }
    where = (values.get(WHERE_BLOCK, {}).get(WHERE_ACTION, {}).get("selected_option") or {}).get(
        "value"
    )
    return {
        "files": values.get(RESUME_BLOCK, {}).get(FILE_ACTION, {}).get("files") or [],
        "job": text[JOB_BLOCK],
        "role": text[ROLE_BLOCK],
        "where": where,
    }


class BotAuthorization:
    """Bolt's `authorize`: one `auth.test` for the bot token, shared and cached.

    Bolt's built-in single-team authorization calls auth.test lazily and without
    a lock, so a burst of events right after start-up made one auth.test each
    (measured: ack p99 3.4 s for 50 concurrent file events, vs 0.5 s warm).
    """

    def __init__(self, client: AsyncWebClient, token: str) -> None:
        self._client = client
        self._token = token
        self._lock = asyncio.Lock()
        self._result: AuthorizeResult | None = None

    async def __call__(self) -> AuthorizeResult:
        if self._result is None:
            async with self._lock:
                if self._result is None:
                    response = await self._client.auth_test()
                    self._result = AuthorizeResult.from_auth_test_response(
                        bot_token=self._token, auth_test_response=response
                    )
        return self._result


@dataclass(frozen=True, slots=True)
class SlackBot:
    """The Bolt app and what runs behind it (to drain conversations in flight at shutdown)."""

    app: AsyncApp
    messages: SlackMessages
    authorize: BotAuthorization

    @property
    def conversations(self) -> Conversations:
        return self.messages.conversations

    async def recover(self) -> int:
        """Tell whoever a previous process left unanswered (see `Conversations.recover`); with
        REDIS_URL, from now on also answer what a stopped replica left (core/scale/handover.py)."""
        messages = self.messages
        return await self.conversations.recover("slack", messages.tell_lost, messages.transport)

    async def warm_up(self) -> None:
        """Check the bot token once at start-up, so a bad token fails now and the first acks are fast."""
        try:
            await self.authorize()
        except SlackApiError as exc:
            raise ConfigError(
                f"Slack rejected SLACK_BOT_TOKEN ({exc.response.get('error')})."
            ) from None


def build_bot(
    settings: Settings,
    *,
    http: httpx.AsyncClient | None = None,
    session: aiohttp.ClientSession | None = None,
    socket_mode: bool | None = None,
    queue: ReviewQueue | None = None,
    state: StateStore | None = None,
) -> SlackBot:
    """Wire settings and clients into a Bolt app; the caller serves it over HTTP or Socket Mode.

    `http` (file downloads, model calls) and `session` (the Slack Web API's
    connection pool; without one the SDK opens a connection per call) stay
    owned by the caller when passed.
    Socket Mode (default: when SLACK_APP_TOKEN is set) needs no signing secret;
    HTTP mode verifies every request's signature.
    `queue` is the process's one `ReviewQueue` (default: a new one from settings).
    `state` (core/state) lets a thread remember its versions; None: every upload is a first.
    """
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set.")
    keep_library_logs_content_free("slack_sdk", "slack_bolt")
    socket_mode = bool(settings.slack_app_token) if socket_mode is None else socket_mode
    if not socket_mode and not settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set (needed in HTTP mode; or set SLACK_APP_TOKEN for Socket Mode)."
        )
    base_url = (
        settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else settings.slack_api_url + "/"
    )
    token = settings.slack_bot_token.get_secret_value()
    client = AsyncWebClient(
        token=token, base_url=base_url, session=session, retry_handlers=retry_handlers()
    )
    http = http or httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT_S)
    queue = queue or ReviewQueue(settings.max_concurrent_reviews, settings.user_reviews_per_hour)
    conversations = Conversations(settings, queue, http, state=state)
    slack = SlackMessages(client, SlackFiles(settings, client, http), conversations)
    tasks = conversations.tasks
    authorize = BotAuthorization(client, token)
    secret = settings.slack_signing_secret
    app = AsyncApp(
        # Bolt builds each request's client from this one (base_url, session) and the token from `authorize`
        client=AsyncWebClient(base_url=base_url, session=session, retry_handlers=retry_handlers()),
        authorize=lambda: authorize(),  # Bolt inspects the signature; a bound __call__ shows `self`
        signing_secret=secret.get_secret_value() if secret else "socket-mode-unused",
        process_before_response=False,
        request_verification_enabled=not socket_mode,
        name="resume-bot",
    )

    @app.middleware
    async def skip_retried_events(
        req: AsyncBoltRequest, body: dict[str, Any], next: Any
    ) -> BoltResponse | None:
        """Slack re-sends an event it thinks we missed; each event_id is handled once."""
        event_id = body.get("event_id")
        if event_id and not (
            slack.seen.add(f"event:{event_id}")
            and await conversations.claim_event(f"slack:event:{event_id}")  # across restarts
        ):
            retry = req.headers.get("x-slack-retry-num", ["socket"])[0] if req.headers else "?"
            log.info("skipping duplicate event %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="")
        return await next()

    async def _claim(event: dict[str, Any]) -> bool:
        """One answer per message even if both `message` and `app_mention` arrive for it (two
        event ids), here and, with REDIS_URL, whichever replica each of them reached."""
        key = f"msg:{event.get('channel')}:{event.get('ts')}"
        return slack.seen.add(key) and await conversations.claim_shared(f"slack:{key}")

    async def answer_event(
        event: dict[str, Any], context: AsyncBoltContext, *, help_in_threads: bool
    ) -> None:
        """A DM or mention: review its file in the thread (once, however often Slack retries), or explain."""
        dest = Destination(
            channel=event["channel"], thread_ts=event.get("thread_ts") or event["ts"]
        )
        user = slack_user(context.team_id, event.get("user"))
        key = conversation_key(
            context.team_id,
            event.get("user"),
            event["channel"],
            dest.thread_ts,
            dm=event.get("channel_type") == "im",
        )
        if event.get("files"):
            if await _claim(event):
                tasks.spawn(
                    slack.answer(
                        event["files"], dest, event.get("text"), user=user, conversation=key
                    )
                )
        elif event.get("text") and await _claim(event):  # a reply: re-run, else help
            wants_help = help_in_threads or not event.get("thread_ts")
            tasks.spawn(
                slack.reply(event["text"], dest, user=user, conversation=key, help=wants_help)
            )
        elif help_in_threads or not event.get("thread_ts"):
            tasks.spawn(slack.say_help(dest))

    @app.event("message")
    async def on_message(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if _from_a_bot(event, context.bot_user_id):
            return
        if event.get("subtype") not in (None, "file_share"):
            return  # edits, deletions, joins…
        if event.get("channel_type") != "im":  # review channels, and mentions Slack sent as this
            if reviews_channel_message(event, context.bot_user_id, settings.review_channels):
                await answer_event(event, context, help_in_threads=False)
            return
        # a plain DM gets help; chatter inside a review thread gets silence
        await answer_event(event, context, help_in_threads=False)

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if _from_a_bot(event, context.bot_user_id):
            return
        await answer_event(event, context, help_in_threads=True)

    @app.command("/optimize")
    async def on_optimize(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        text = (command.get("text") or "").strip()
        if text.lower() in ("help", "?", "-h", "--help"):
            await ack(text=HELP_TEXT, response_type="ephemeral")
            return
        if is_stats(text):  # usage per model, for workspace admins only (issue 17)
            await ack(
                text=await stats_answer(client, command, conversations), response_type="ephemeral"
            )
            return
        if is_forget(text):  # everything about this person, at once; confirmed privately
            team = command.get("team_id")
            done = await conversations.forget(person(team, command.get("user_id")))
            await ack(text=done, response_type="ephemeral")
            return
        await ack()
        view = optimize_modal(command["channel_id"], role=text or None)
        await client.views_open(trigger_id=command["trigger_id"], view=view)

    @app.view(OPTIMIZE_CALLBACK_ID)
    async def on_optimize_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = _modal_values(view)
        if not form["files"]:
            await ack(response_action="errors", errors={RESUME_BLOCK: "Please attach your resume."})
            return
        if not await slack.accept_form(ack, view, form["files"][0], RESUME_BLOCK):
            return
        user, team = submitter(body)
        channel = json.loads(view.get("private_metadata") or "{}").get("channel")
        tasks.spawn(_answer_modal(slack, form, user, team, channel))

    from .shortcut import register_review_shortcut  # it builds on this module's classes

    register_review_shortcut(app, slack)
    from .feedback import register_feedback

    register_feedback(app, slack)
    return SlackBot(app=app, messages=slack, authorize=authorize)


async def _answer_modal(
    slack: SlackMessages, form: dict[str, Any], user: str, team: str | None, channel: str | None
) -> None:
    key = None

    def thread_key(where: str, thread: str) -> ConversationKey:  # a DM if it fell back to one
        return conversation_key(team, user, where, thread, dm=where.startswith("D"))

    try:
        if form["where"] == WHERE_CHANNEL and channel:
            dest = Destination(channel=channel, user=user)  # its thread is made by the answer
        else:
            dest = Destination(channel=await slack.open_dm(user))
            key = conversation_key(team, user, dest.channel, None, dm=True)
    except SlackApiError as exc:
        log.error("could not open a DM: %s", exc.response.get("error"))
        return
    await slack.answer(
        form["files"],
        dest,
        user=slack_user(team, user),
        job=form["job"],
        role=form["role"],
        conversation=key,
        thread_key=thread_key if key is None else None,
    )
