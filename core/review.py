"""The single async entry point every adapter and the CLI call: `review_resume()`.

bytes → [isolated child process: reading.read_file → structure.parse_document
         → offline review (rules, score, keywords, rewrite) → export (DOCX, PDF, Markdown)]
      → optionally the Hugging Face engine on top (then export again, isolated)
      → one `ReviewResult`.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from core import offline, regex_cache
from core.config import Settings
from core.errors import FileTooLargeError
from core.export import export_rewrite, prepare
from core.isolation import configure as configure_workers
from core.isolation import run_isolated, run_isolated_blocking
from core.models import Document, ReviewResult
from core.reading import preload as preload_reader
from core.reading import read_file
from core.spelling import preload as preload_spelling

if TYPE_CHECKING:
    import httpx  # the model engine imports it; the offline path never needs it

if TYPE_CHECKING:  # the model code is imported only when a review uses it
    from core.ai_engine import AnswerCache, RetryPolicy

log = logging.getLogger(__name__)

EngineChoice = Literal["auto", "offline", "huggingface"]


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """What a user asked for: their file, and optionally a job description and target role."""

    data: bytes
    filename: str
    job_description: str | None = None
    role: str | None = None
    engine: EngineChoice = "auto"

    def __repr__(self) -> str:  # never put resume bytes or the job text in a log line
        return f"ReviewRequest(filename={self.filename!r}, bytes={len(self.data)}, engine={self.engine!r})"


ROLE_MAX_WORDS = 8
ROLE_MAX_CHARS = 100
_CHATTER = regex_cache.compile(
    r"[?!]|\b(?:please|pls|plz|can|could|would|review|check|look|feedback|my|me|i|thanks?|thx|"
    r"hi|hey|hello|help|resume|cv|here|this|attached|file|bitte|merci)\b",
    re.I,
)


def split_job_and_role(text: str | None) -> tuple[str | None, str | None]:
    """The text a user sends with a file → (job description, target role).

    One short line ("Senior Data Analyst") is a role; anything longer is a job ad.
    Adapters strip their own markup (mentions, link syntax) before calling this.
    """
    text = (text or "").strip()
    if not text:
        return None, None
    if "\n" not in text and len(text.split()) <= ROLE_MAX_WORDS and len(text) <= ROLE_MAX_CHARS:
        if _CHATTER.search(text):
            return None, None  # "please review my CV", "hi!": a request, not a job title
        return None, text
    return text, None


def check_upload_size(size_bytes: int | None, settings: Settings) -> None:
    """Reject an upload by its declared size, before anyone downloads it."""
    if size_bytes is not None and size_bytes > settings.max_file_bytes:
        raise FileTooLargeError(
            f"That file is {size_bytes / 1_048_576:.1f} MB; the limit is {settings.max_file_mb:g} MB."
        )


def resolve_engine(choice: EngineChoice, settings: Settings) -> Literal["offline", "huggingface"]:
    """`auto` means the model when a key is set, else offline."""
    if choice == "auto":
        return "huggingface" if settings.has_model_key else "offline"
    return choice


_warming = threading.Lock()
_warm = False


def warm_up() -> None:
    """Load now what reviews otherwise load on first use, so parse workers forked later inherit it.

    The DOCX export template and font look-up, the DOCX reader, the spelling list, the
    keyword stemmer and the modules every review ends in (the rewrite's own score, the
    injection check): a bot or a batch pays them once here instead of once per worker. A
    one-off review (the command line with one file) skips this: its one worker loads only
    what its file needs.
    """
    global _warm
    with _warming:  # once per process, whichever thread asks first
        if _warm:
            return
        import core.compare  # (imported where used, so a one-off review skips them)
        import core.honesty  # noqa: F401
        from core.keywords import preload as preload_keywords

        prepare()
        preload_reader()
        preload_spelling()
        preload_keywords()
        _warm = True


async def warmed_up() -> None:
    """`warm_up()` in a thread the first time (~0.1 s of loading the event loop must not wait
    on: a bot's first review would hold every other event's ack); then nothing."""
    if not _warm:
        import asyncio  # here: the one-file command line runs no event loop and skips its import

        await asyncio.to_thread(warm_up)


def offline_pipeline(
    data: bytes,
    filename: str,
    job: str | None,
    role: str | None,
    settings: Settings,
    with_files: bool,
) -> tuple[Document, ReviewResult]:
    """Read, review and (optionally) export: all the CPU-bound work of a review, in one call.

    It runs in the isolated child process, so a slow regex or a pathological
    file costs that child, never the bot's event loop (threads would still
    hold the GIL the loop needs).
    """
    document = read_file(data, filename, settings.max_pages)
    return document, review_document(document, filename, job, role, settings, with_files)


def review_document(
    document: Document,
    filename: str,
    job: str | None,
    role: str | None,
    settings: Settings,
    with_files: bool,
) -> ReviewResult:
    """Review a document already read (a stored version re-run with a new job or role), scoring
    the suggested rewrite by the same rules, and export. Runs in the isolated child too."""
    from core.compare import rewrite_score

    result = offline.review(document, filename, job, role, settings)
    result.rewrite_score = rewrite_score(result, job, role, settings)
    if with_files:
        files = export_rewrite(result)
        result.attachments = files.attachments
        result.warnings.extend(files.warnings)
    return result


async def review_resume(
    request: ReviewRequest,
    settings: Settings,
    http: httpx.AsyncClient | None = None,
    *,
    with_files: bool = True,
    retry: RetryPolicy | None = None,
    warm: bool = True,
) -> ReviewResult:
    """Review one resume end to end.

    Raises an `InputError` subclass for a file that can't be reviewed (its
    `for_user()` text is what the user should see). Model failures never raise:
    the offline result comes back with a warning saying why. `retry` is the model
    client's retry policy (tests pass one on a virtual clock).

    `with_files=False` skips the DOCX, PDF and Markdown export (`result.attachments`
    stays empty): the CLI without `--out` shows none of it, and the export is
    most of an offline review's time. `warm=False` skips `warm_up()` (a process that
    reviews one file and exits).
    """
    _, result = await review_with_document(
        request, settings, http, with_files=with_files, retry=retry, warm=warm
    )
    return result


def review_offline_blocking(
    request: ReviewRequest, settings: Settings, *, with_files: bool = True
) -> ReviewResult:
    """`review_resume` with the offline engine, for a process with no event loop that reviews
    one file and exits (`resume-bot optimize FILE`): the same isolated child and limits, no
    worker pool, no warm-up, no asyncio."""
    check_upload_size(len(request.data), settings)
    _, result = run_isolated_blocking(
        offline_pipeline,
        request.data,
        request.filename,
        request.job_description,
        request.role,
        settings,
        with_files,
        timeout_s=settings.parse_timeout_s,
        memory_mb=settings.parse_memory_mb,
    )
    return result


async def review_with_document(
    request: ReviewRequest,
    settings: Settings,
    http: httpx.AsyncClient | None = None,
    *,
    with_files: bool = True,
    retry: RetryPolicy | None = None,
    document: Document | None = None,
    warm: bool = True,
    cache: AnswerCache | None = None,
) -> tuple[Document, ReviewResult]:
    """`review_resume`, also returning the document as read (a conversation keeps it for
    follow-ups). With `document` given (a stored version), `request.data` is not read again.
    `cache` keeps model answers for the same question (core/state/cache.py)."""
    check_upload_size(len(request.data), settings)
    use_model = resolve_engine(request.engine, settings) == "huggingface"
    limits = {"timeout_s": settings.parse_timeout_s, "memory_mb": settings.parse_memory_mb}
    if warm:
        await warmed_up()  # once per process: every parse worker forked after it inherits it
    configure_workers(settings.max_concurrent_reviews)  # a worker per review that may run at once
    if document is None:
        document, result = await run_isolated(
            offline_pipeline,
            request.data,
            request.filename,
            request.job_description,
            request.role,
            settings,
            with_files and not use_model,
            **limits,
        )
    else:
        result = await run_isolated(
            review_document,
            document,
            request.filename,
            request.job_description,
            request.role,
            settings,
            with_files and not use_model,
            **limits,
        )
    if use_model:
        from core import ai_engine  # imported lazily: the offline path needs no model code
        from core.compare import rewrite_score

        result = await ai_engine.improve(
            result, document, request, settings, http, retry=retry, cache=cache
        )
        result.rewrite_score = await run_isolated(
            rewrite_score, result, request.job_description, request.role, settings, **limits
        )
        if with_files:
            files = await run_isolated(export_rewrite, result, **limits)
            result.attachments = files.attachments
            result.warnings.extend(files.warnings)
    return document, result
