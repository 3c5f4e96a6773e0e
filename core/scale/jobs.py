"""Reviews as arq jobs: the bot enqueues, a `resume-bot worker` process reviews, the bot answers.

Why the bot posts the answer, not the worker: the bot already holds the person's thread
(its "Reviewing…" message to update, the conversation's state, the platform connection);
workers then need no platform token at all (a token only goes where it must), and a
worker killed mid-review costs nothing visible — the bot keeps waiting on the same job,
which arq gives to another worker, and answers once.

The file has to travel (the bot downloaded it; a worker fetching it again would need the
platform token), so every payload — the request going out, the review coming back — is
sealed with STATE_KEY (Fernet: encrypted and authenticated) before it touches Redis, and
the bot deletes the result once read. Redis never holds resume text in the clear.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import traceback
import uuid
import zlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet

from core.config import Settings
from core.errors import ConfigError, ProcessingError, ResumeBotError
from core.limits import (
    JOB_KEEP_RESULT_SECONDS,
    JOB_LOOK_SECONDS,
    JOB_POLL_SECONDS,
    JOB_TRIES,
    REDIS_RETRY_SECONDS,
)
from core.review import ReviewRequest, review_with_document

if TYPE_CHECKING:
    import httpx
    from arq.connections import ArqRedis

    from core.models import Document, ReviewResult

log = logging.getLogger(__name__)

JOB_NAME = "review"
QUEUE_NAME = "resume-bot:reviews"
DONE_CHANNEL = "resume-bot:reviews:done"  # a worker names each job it finished here
FAILED_EVERY_TRY = ProcessingError(
    f"Sorry, I tried to review your resume {JOB_TRIES} times and something on my side "
    "failed every time.",
    hint="Please send it again in a few minutes; if it keeps happening, tell the bot's admins.",
)
TOOK_TOO_LONG = ProcessingError(
    "Sorry, your review took longer than I allow for one review, so I stopped it.",
    hint="Please try again in a few minutes, or send a shorter file (DOCX or PDF).",
)
JOB_LOST = ProcessingError(
    "Sorry, I lost your review: the copy of the bot that had your file stopped before it "
    "finished, and I never keep the file itself.",
    hint="Please send it again.",
)
NEEDS_KEY = (
    "REDIS_URL needs STATE_KEY: resumes travel to the review workers through Redis, "
    "sealed with it (`resume-bot doctor` explains how to make one)."
)


class Sealer:
    """pickle and Fernet: authenticated, so a worker unpickles only what a key holder made.

    Not compressed: what travels is mostly a PDF or DOCX, compressed already, and zlib cost a
    worker more CPU per review than it saved in Redis (93 -> 69 KB for a one-page review).
    Tokens sealed compressed by an earlier version still open (a rolling upgrade)."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    @classmethod
    def from_settings(cls, settings: Settings) -> Sealer:
        if settings.state_key is None:
            raise ConfigError(NEEDS_KEY)
        return cls(settings.state_key.get_secret_value())

    def seal(self, value: Any) -> bytes:
        return self._fernet.encrypt(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def open(self, token: bytes) -> Any:
        data = self._fernet.decrypt(token)
        if data[:1] != b"\x80":  # a pickle starts with PROTO; zlib's header never does
            data = zlib.decompress(data)
        return pickle.loads(data)


# --- on the worker ---------------------------------------------------------------------------


async def review_job(ctx: dict[str, Any], sealed: bytes) -> bytes:
    """One review, as `review_with_document` runs it in a bot (the same parsing isolation).

    Never raises for a bad file or a bug: the outcome travels back sealed, and arq
    (which logs exception messages) never sees one that could quote the resume.
    """
    sealer: Sealer = ctx["sealer"]
    settings: Settings = ctx["settings"]
    request, model, *more = sealer.open(sealed)
    if model and model != settings.huggingface_model:  # this person's model (A/B, core/ab.py)
        settings = replace(settings, huggingface_model=model)
    person = more[0] if more else None
    options = {}
    if ctx.get("state") is not None and person:  # the model answer cache, as a bot keeps it
        from core.state.cache import ModelCache

        options["cache"] = ModelCache(ctx["state"], person)
    try:
        reviewer = ctx.get("reviewer", review_with_document)
        document, result = await reviewer(request, settings, ctx.get("http"), **options)
    except ResumeBotError as exc:
        log.info("review refused: %s", type(exc).__name__)
        return sealer.seal(("refused", exc))
    except Exception as exc:
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("review failed: %s\n%s", type(exc).__name__, frames)
        return sealer.seal(("failed", type(exc).__name__))
    log.info("review done: %s engine, %d bytes in", result.engine, len(request.data))
    return sealer.seal(("ok", (document, result)))


async def announce_done(ctx: dict[str, Any]) -> None:
    """arq's after-job hook: the result is recorded, so tell the waiting bot now instead of
    letting it find out at its next look (one message per job, nothing but the job's id)."""
    try:
        await ctx["redis"].publish(DONE_CHANNEL, ctx["job_id"])
    except Exception as exc:  # the bot still looks every JOB_POLL_SECONDS
        log.warning("redis: could not announce a finished review: %s", type(exc).__name__)


# --- in the bot --------------------------------------------------------------------------------


class DoneNotes:
    """The workers' 'job finished' messages, heard on one subscription per bot process and handed
    to whoever waits on that job: a waiting review costs no Redis round trips until its job is
    done (polling every 0.1 s, 200 reviews on workers were 2,000 requests a second)."""

    def __init__(self, pool: ArqRedis) -> None:
        self._pool = pool
        self._waiting: dict[str, set[asyncio.Event]] = {}
        self._listener: asyncio.Task[None] | None = None

    def watch(self, job_id: str) -> asyncio.Event:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen())
        event = asyncio.Event()
        self._waiting.setdefault(job_id, set()).add(event)
        return event

    def unwatch(self, job_id: str, event: asyncio.Event) -> None:
        events = self._waiting.get(job_id)
        if events is not None:
            events.discard(event)
            if not events:
                del self._waiting[job_id]

    async def _listen(self) -> None:
        while True:
            try:
                async with self._pool.pubsub() as pubsub:
                    await pubsub.subscribe(DONE_CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") != "message":
                            continue
                        job_id = message["data"]
                        job_id = job_id.decode() if isinstance(job_id, bytes) else str(job_id)
                        for event in self._waiting.get(job_id, ()):
                            event.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis away or restarted: waiters look every second meanwhile
                log.warning("redis: no job notes for now (%s)", type(exc).__name__)
                await asyncio.sleep(REDIS_RETRY_SECONDS)

    async def aclose(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener


class WorkerReviews:
    """`review_with_document`'s shape, done by a worker: what `Conversations.reviewer` takes."""

    def __init__(
        self, pool: ArqRedis, sealer: Sealer, *, timeout_s: float, look_s: float = JOB_LOOK_SECONDS
    ) -> None:
        self._pool, self._sealer, self._timeout_s = pool, sealer, timeout_s
        self._notes, self._look_s = DoneNotes(pool), look_s

    async def aclose(self) -> None:
        await self._notes.aclose()

    async def _result(self, job: Any) -> Any:
        """The job's result once a worker says it is done (or at the next look, should a note
        be missed: Redis restarted, a worker killed after recording it)."""
        from arq.jobs import JobStatus

        done = self._notes.watch(job.job_id)
        try:
            while True:
                if await job.status() in (JobStatus.complete, JobStatus.not_found):
                    return await job.result(poll_delay=JOB_POLL_SECONDS)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(done.wait(), self._look_s)
                done.clear()
        finally:
            self._notes.unwatch(job.job_id, done)

    async def __call__(
        self,
        request: ReviewRequest,
        settings: Settings,
        http: httpx.AsyncClient | None = None,
        *,
        document: Document | None = None,
        job_id: str | None = None,
        **options: Any,
    ) -> tuple[Document, ReviewResult]:
        """`job_id`: a delivery's (core/scale/handover.py), whose `finish` deletes the result."""
        if document is not None:  # a stored version again: no parsing, stays in the bot
            return await review_with_document(request, settings, http, document=document, **options)
        # the model answer cache is the worker's own store's (STATE_URL), kept for this person
        person = getattr(options.get("cache"), "person", None)
        sealed = self._sealer.seal((request, settings.huggingface_model, person))
        return self._outcome(await self._run(sealed, job_id))

    async def wait(self, job_id: str) -> tuple[Document, ReviewResult]:
        """The outcome of a job another replica enqueued (its delivery adopted); JOB_LOST when
        Redis no longer has it (the file went with it: only that replica had it)."""
        return self._outcome(await self._run(None, job_id))

    def _outcome(self, sealed: bytes) -> tuple[Document, ReviewResult]:
        outcome, value = self._sealer.open(sealed)
        if outcome == "refused":
            raise value
        if outcome == "failed":
            raise ProcessingError()
        return value

    async def _run(self, sealed: bytes | None, job_id: str | None = None) -> bytes:
        """Enqueue (`sealed`; None: only wait) and wait; Redis away or restarted empty: wait,
        then enqueue again. The result is deleted once read, unless a delivery owns it."""
        from arq.jobs import Job, ResultNotFound
        from arq.worker import JobExecutionFailed

        from core.scale.shared import UNREACHABLE

        keep = job_id is not None
        job_id = job_id or uuid.uuid4().hex
        while True:
            try:
                job = None
                if sealed is not None:
                    job = await self._pool.enqueue_job(JOB_NAME, sealed, _job_id=job_id)
                if job is None:  # already queued (an earlier try, another replica's): wait
                    job = Job(job_id, self._pool, _queue_name=QUEUE_NAME)
                try:
                    result = await self._result(job)
                finally:
                    if not keep:
                        await self._forget(job_id)
                return result
            except JobExecutionFailed as exc:
                log.warning("review job failed every try: %s", exc)
                raise FAILED_EVERY_TRY from None
            except TimeoutError:
                raise TOOK_TOO_LONG from None
            except ResultNotFound:
                if sealed is None:
                    raise JOB_LOST from None
                log.warning("redis lost a review job (restarted?): enqueueing it again")
            except UNREACHABLE as exc:
                log.warning("redis unreachable (%s): the review waits", type(exc).__name__)
                await asyncio.sleep(REDIS_RETRY_SECONDS)

    async def _forget(self, job_id: str) -> None:
        from arq.constants import result_key_prefix

        try:
            await self._pool.delete(result_key_prefix + job_id)
        except Exception as exc:  # it expires after JOB_KEEP_RESULT_SECONDS anyway
            log.warning("redis: could not delete a review result: %s", type(exc).__name__)


def worker_functions(settings: Settings) -> list[Any]:
    from arq.worker import func

    return [func(review_job, name=JOB_NAME, max_tries=JOB_TRIES, timeout=settings.job_timeout_s)]


KEEP_RESULT_S = JOB_KEEP_RESULT_SECONDS
