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
import logging
import pickle
import traceback
import uuid
import zlib
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet

from core.config import Settings
from core.errors import ConfigError, ProcessingError, ResumeBotError
from core.limits import JOB_KEEP_RESULT_SECONDS, JOB_POLL_SECONDS, JOB_TRIES, REDIS_RETRY_SECONDS
from core.review import ReviewRequest, review_with_document

if TYPE_CHECKING:
    import httpx
    from arq.connections import ArqRedis

    from core.models import Document, ReviewResult

log = logging.getLogger(__name__)

JOB_NAME = "review"
QUEUE_NAME = "resume-bot:reviews"
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
    """pickle, zlib, Fernet: authenticated, so a worker unpickles only what a key holder made."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    @classmethod
    def from_settings(cls, settings: Settings) -> Sealer:
        if settings.state_key is None:
            raise ConfigError(NEEDS_KEY)
        return cls(settings.state_key.get_secret_value())

    def seal(self, value: Any) -> bytes:
        return self._fernet.encrypt(zlib.compress(pickle.dumps(value), 3))

    def open(self, token: bytes) -> Any:
        return pickle.loads(zlib.decompress(self._fernet.decrypt(token)))


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
        settings = settings.model_copy(update={"huggingface_model": model})
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


# --- in the bot --------------------------------------------------------------------------------


class WorkerReviews:
    """`review_with_document`'s shape, done by a worker: what `Conversations.reviewer` takes."""

    def __init__(self, pool: ArqRedis, sealer: Sealer, *, timeout_s: float) -> None:
        self._pool, self._sealer, self._timeout_s = pool, sealer, timeout_s

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
                    result = await job.result(poll_delay=JOB_POLL_SECONDS)
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
