"""The Slack adapter: Slack events → `ReviewRequest` → `review_resume` → a threaded answer.

Three ways in (a DM with a file, a channel message that mentions the bot with a
file, `/optimize` and its modal), one way out (`SlackReviewer.answer`): a
"Reviewing…" message posted right after the ack, updated in place with the
result or the error, then the rewrite uploaded into the same thread. Every
request is acknowledged first; the review runs in a tracked background task.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import aiohttp
import httpx
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

from core.config import Settings
from core.errors import ConfigError, ResumeBotError, ShuttingDownError
from core.export import describe_attachments
from core.limits import (
    SLACK_CONNECTION_RETRIES,
    SLACK_EVENT_RETRY_WINDOW_SECONDS,
    SLACK_RATE_LIMIT_RETRIES,
)
from core.models import ReviewResult
from core.queue import ReviewQueue
from core.review import ReviewRequest, check_upload_size, review_resume, split_job_and_role

from .files import SlackFiles
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
    optimize_modal,
    progress_text,
    queue_text,
    render_error,
    render_review,
    review_file_name,
    review_markdown,
)

log = logging.getLogger(__name__)

STOPPED = ShuttingDownError(
    "I'm restarting and had to stop your review before it finished.",
    hint="Please send the file again in a minute.",
)
GENERIC_APOLOGY = "Sorry, something went wrong on my side while reviewing your resume. Please try again in a minute."
# a short single line next to the file is a target role; anything longer is a job description
DEDUPE_MAX_KEYS = 10_000
DOWNLOAD_TIMEOUT_S = 30.0
_NO_CHANNEL_ERRORS = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
_MENTION = re.compile(r"<[@!#][^>]*>")
_LINK = re.compile(r"<([^>|]+)(?:\|([^>]*))?>")


class RecentKeys:
    """A bounded set of keys seen in the last `ttl` seconds (retries, the same message twice)."""

    def __init__(
        self, ttl: float = SLACK_EVENT_RETRY_WINDOW_SECONDS, max_keys: int = DEDUPE_MAX_KEYS
    ) -> None:
        self._ttl = ttl
        self._max = max_keys
        self._seen: OrderedDict[str, float] = OrderedDict()

    def add(self, key: str) -> bool:
        """Record `key`; False when it was already seen (so the caller skips it)."""
        now = time.monotonic()
        while self._seen and (
            next(iter(self._seen.values())) < now - self._ttl or len(self._seen) >= self._max
        ):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def keep_library_logs_content_free() -> None:
    """Hold slack_sdk's and Bolt's loggers at INFO or above: at DEBUG they log every request and
    response body, i.e. the review text, the quoted resume lines and the job's keywords."""
    for name in ("slack_sdk", "slack_bolt"):
        library = logging.getLogger(name)
        library.setLevel(max(logging.INFO, library.level, logging.getLogger().getEffectiveLevel()))


def user_text(exc: BaseException) -> str:
    """The one place an exception becomes words for the user; other errors are logged without content."""
    if isinstance(exc, ResumeBotError):
        return exc.for_user()
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f"{frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}" if frame else "?"
    log.error("unexpected %s during a Slack review at %s", type(exc).__name__, where)
    return GENERIC_APOLOGY


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
        AsyncConnectionErrorRetryHandler(max_retry_count=SLACK_CONNECTION_RETRIES),
        AsyncRateLimitErrorRetryHandler(max_retry_count=SLACK_RATE_LIMIT_RETRIES),
    ]


def user_key(team: str | None, user: str | None) -> str:
    """The queue's key for a Slack user: platform-prefixed so Discord ids never collide."""
    return f"slack:{team or '?'}:{user or '?'}"


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an answer goes: a channel, and the thread (None: thread under the progress message)."""

    channel: str
    thread_ts: str | None = None
    user: str | None = None  # to fall back to a DM when the bot can't post in `channel`


class _Progress:
    """The one message a review is shown in: posted first (queue place or "Reviewing…"), then updated."""

    def __init__(self, reviewer: SlackReviewer, dest: Destination) -> None:
        self._reviewer = reviewer
        self.dest = dest
        self.ts: str | None = None

    @property
    def thread_ts(self) -> str:
        return self.dest.thread_ts or self.ts or ""

    async def show_text(self, text: str) -> None:
        await self.show(Rendered(blocks=[], text=text))

    async def show(self, rendered: Rendered) -> None:
        if self.ts is None:
            self.dest, self.ts = await self._reviewer._post_progress(self.dest, rendered)
        else:
            await self._reviewer.update(self.dest.channel, self.ts, rendered)


class SlackReviewer:
    """Runs reviews for the Slack app: download, review, render, post, upload."""

    def __init__(
        self,
        settings: Settings,
        client: AsyncWebClient,
        http: httpx.AsyncClient,
        queue: ReviewQueue,
    ) -> None:
        self.settings = settings
        self.client = client
        self.files = SlackFiles(settings, client, http)
        self.seen = RecentKeys()
        self.queue = queue
        self._http = http
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run after the ack; keep a reference so the task isn't collected and can be drained."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout_s: float | None = None) -> bool:
        """Wait for every review in flight (shutdown, tests, benchmarks); False if `timeout_s` passed.

        `asyncio.wait`, not `wait_for(gather)`: a timeout must not cancel the tasks.
        """
        loop = asyncio.get_running_loop()
        end = None if timeout_s is None else loop.time() + timeout_s
        while self._tasks:
            remaining = None if end is None else max(0.0, end - loop.time())
            _, pending = await asyncio.wait(list(self._tasks), timeout=remaining)
            if pending and end is not None and loop.time() >= end:
                return False
        return True

    async def shutdown(self, deadline_s: float, *, grace_s: float = 2.0) -> bool:
        """Stop taking reviews, tell those in line, give those in flight `deadline_s`, then stop them.

        True when every review finished; otherwise the rest were cancelled and
        their users told so (see `answer`), within `grace_s` more.
        """
        loop = asyncio.get_running_loop()
        end = loop.time() + deadline_s
        finished = await self.queue.close(deadline_s)
        # reviews are done (or not); answers may still be uploading
        finished = await self.drain(max(0.0, end - loop.time())) and finished
        if not finished:
            log.warning("shutdown: %d review(s) still running; stopping them", len(self._tasks))
            for task in list(self._tasks):
                task.cancel()
            if not await self.drain(grace_s):
                log.error("shutdown: %d answer(s) still being sent; giving up", len(self._tasks))
        return finished

    async def answer(
        self,
        files: list[dict[str, Any]],
        dest: Destination,
        text: str | None = None,
        *,
        user: str,
        job: str | None = None,
        role: str | None = None,
    ) -> None:
        """Review the first file and answer in `dest`; never raises, never goes silent.

        `user` is the queue key (`user_key`). The first message is either the
        queue position or "Reviewing…"; it's updated in place as the review moves on.
        """
        progress = _Progress(self, dest)
        try:
            await self._answer(files, progress, text, user=user, job=job, role=role)
        except asyncio.CancelledError:  # shutdown deadline passed: say so, then stop
            try:
                await progress.show(render_error(STOPPED.for_user()))
            except Exception as exc:
                log.error("could not tell a user their review was stopped: %s", type(exc).__name__)
            raise
        except Exception as exc:  # a Slack API failure while answering: log, nothing more to say
            log.error("could not answer in Slack: %s", type(exc).__name__)

    async def _answer(
        self,
        files: list[dict[str, Any]],
        progress: _Progress,
        text: str | None,
        *,
        user: str,
        job: str | None,
        role: str | None,
    ) -> None:
        file = files[0]
        shown_name = str(file.get("name") or "your resume")
        if text is not None:
            job, role = split_request_text(text)
        notes = []
        if len(files) > 1:
            notes.append(f"I reviewed the first file, {shown_name}. Send the others one at a time.")

        async def on_wait(position: int) -> None:
            log.info("review for %s waits at #%d", user, position)
            try:
                await progress.show_text(queue_text(position, shown_name))
            except Exception as exc:  # the review still runs; its answer will try to post again
                log.warning("could not post a queue position: %s", type(exc).__name__)

        try:
            check_upload_size(file.get("size"), self.settings)  # before taking a place in line
            async with self.queue.slot(user, on_wait=on_wait):
                log.info("review for %s starts (waited: %s)", user, progress.ts is not None)
                await progress.show_text(progress_text(shown_name))
                data, filename = await self.files.fetch(file)
                log.info("reviewing file %s (%d bytes)", file.get("id"), len(data))
                result = await review_resume(
                    ReviewRequest(data=data, filename=filename, job_description=job, role=role),
                    self.settings,
                    http=self._http,
                )
        except Exception as exc:
            await progress.show(render_error(user_text(exc)))
            return
        rendered = render_review(result, notes=notes)
        await progress.show(rendered)
        await self._upload(result, rendered, progress.dest.channel, progress.thread_ts)

    async def _post_progress(
        self, dest: Destination, rendered: Rendered
    ) -> tuple[Destination, str]:
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
            note = "_I can't post in that channel (invite me with `/invite @resume-bot`), so here it is privately._"
            if blocks:
                blocks = [
                    *blocks,
                    {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]},
                ]
            resp = await self.client.chat_postMessage(
                channel=dest.channel, text=f"{rendered.text}\n{note}", blocks=blocks
            )
        return dest, str(resp["ts"])

    async def update(self, channel: str, ts: str, rendered: Rendered) -> None:
        await self.client.chat_update(
            channel=channel, ts=ts, text=rendered.text, blocks=rendered.blocks
        )

    async def open_dm(self, user: str) -> str:
        resp = await self.client.conversations_open(users=user)
        return str(resp["channel"]["id"])

    async def _upload(
        self, result: ReviewResult, rendered: Rendered, channel: str, thread_ts: str
    ) -> None:
        uploads = [
            {"file": a.content, "filename": a.filename, "title": a.filename}
            for a in result.attachments
        ]
        if rendered.overflow:
            name = review_file_name(result)
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
                initial_comment=f"Your rewritten resume ({stem}), as {describe_attachments(result.attachments)}:",
            )
        except SlackApiError as exc:
            log.error("upload failed: %s", exc.response.get("error"))
            await self.client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=":warning: I couldn't upload the rewritten resume files. Please try again in a minute.",
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
    """The Bolt app and the reviewer behind it (to drain reviews in flight at shutdown)."""

    app: AsyncApp
    reviewer: SlackReviewer
    authorize: BotAuthorization

    async def warm_up(self) -> None:
        """Check the bot token once at start-up, so a bad token fails now and the first acks are fast."""
        try:
            await self.authorize()
        except SlackApiError as exc:
            raise ConfigError(
                f"Slack rejected SLACK_BOT_TOKEN ({exc.response.get('error')})."
            ) from None


def build_app(
    settings: Settings,
    *,
    http: httpx.AsyncClient | None = None,
    session: aiohttp.ClientSession | None = None,
    socket_mode: bool | None = None,
    queue: ReviewQueue | None = None,
) -> AsyncApp:
    """The Bolt app with every listener (see `build_bot`)."""
    return build_bot(settings, http=http, session=session, socket_mode=socket_mode, queue=queue).app


def build_bot(
    settings: Settings,
    *,
    http: httpx.AsyncClient | None = None,
    session: aiohttp.ClientSession | None = None,
    socket_mode: bool | None = None,
    queue: ReviewQueue | None = None,
) -> SlackBot:
    """Wire settings and clients into a Bolt app; the caller serves it over HTTP or Socket Mode.

    `http` (file downloads, model calls) and `session` (the Slack Web API's
    connection pool; without one the SDK opens a connection per call) stay
    owned by the caller when passed.
    Socket Mode (default: when SLACK_APP_TOKEN is set) needs no signing secret;
    HTTP mode verifies every request's signature.
    `queue` is the process's one `ReviewQueue` (default: a new one from settings).
    """
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set.")
    keep_library_logs_content_free()
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
    reviewer = SlackReviewer(settings, client, http, queue)
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
        if event_id and not reviewer.seen.add(f"event:{event_id}"):
            retry = req.headers.get("x-slack-retry-num", ["socket"])[0] if req.headers else "?"
            log.info("skipping duplicate event %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="")
        return await next()

    def _claim(event: dict[str, Any]) -> bool:
        """One answer per message even if both `message` and `app_mention` arrive for it."""
        return reviewer.seen.add(f"msg:{event.get('channel')}:{event.get('ts')}")

    def answer_event(event: dict[str, Any], context: AsyncBoltContext, *, help_in_threads: bool) -> None:
        """A DM or mention: review its file in the thread (once, however often Slack retries), or explain."""
        dest = Destination(channel=event["channel"], thread_ts=event.get("thread_ts") or event["ts"])
        if event.get("files"):
            if _claim(event):
                user = user_key(context.team_id, event.get("user"))
                reviewer.spawn(reviewer.answer(event["files"], dest, event.get("text"), user=user))
        elif help_in_threads or not event.get("thread_ts"):
            reviewer.spawn(reviewer.say_help(dest))

    @app.event("message")
    async def on_message(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if event.get("channel_type") != "im" or _from_a_bot(event, context.bot_user_id):
            return
        if event.get("subtype") not in (None, "file_share"):
            return  # edits, deletions, joins…
        # a plain DM gets help; chatter inside a review thread gets silence
        answer_event(event, context, help_in_threads=False)

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if _from_a_bot(event, context.bot_user_id):
            return
        answer_event(event, context, help_in_threads=True)

    @app.command("/optimize")
    async def on_optimize(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        text = (command.get("text") or "").strip()
        if text.lower() in ("help", "?", "-h", "--help"):
            await ack(text=HELP_TEXT, response_type="ephemeral")
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
        try:
            check_upload_size(form["files"][0].get("size"), settings)
        except ResumeBotError as exc:
            await ack(response_action="errors", errors={RESUME_BLOCK: user_text(exc)})
            return
        await ack()
        if not reviewer.seen.add(f"view:{view.get('id')}:{view.get('hash')}"):
            return
        user = body["user"]["id"]
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id")
        channel = json.loads(view.get("private_metadata") or "{}").get("channel")
        reviewer.spawn(_answer_modal(reviewer, form, user, team, channel))

    return SlackBot(app=app, reviewer=reviewer, authorize=authorize)


async def _answer_modal(
    reviewer: SlackReviewer, form: dict[str, Any], user: str, team: str | None, channel: str | None
) -> None:
    try:
        if form["where"] == WHERE_CHANNEL and channel:
            dest = Destination(channel=channel, user=user)
        else:
            dest = Destination(channel=await reviewer.open_dm(user))
    except SlackApiError as exc:
        log.error("could not open a DM: %s", exc.response.get("error"))
        return
    await reviewer.answer(
        form["files"], dest, user=user_key(team, user), job=form["job"], role=form["role"]
    )
