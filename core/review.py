"""The single async entry point every adapter and the CLI call: `review_resume()`.

bytes → documents.read_document (in a worker, off the event loop)
      → structure.parse_resume → offline review (rules, score, keywords, rewrite)
      → optionally the Hugging Face engine on top → export (DOCX + Markdown)
      → one `ReviewResult`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Literal

import httpx

from core import offline
from core.config import Settings
from core.documents import read_document
from core.errors import FileTooLargeError
from core.export import rewrite_attachments
from core.models import ReviewResult

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


async def review_resume(
    request: ReviewRequest,
    settings: Settings,
    http: httpx.AsyncClient | None = None,
) -> ReviewResult:
    """Review one resume end to end.

    Raises an `InputError` subclass for a file that can't be reviewed (its
    `for_user()` text is what the user should see). Model failures never raise:
    the offline result comes back with a warning saying why.
    """
    check_upload_size(len(request.data), settings)
    document = await read_document(request.data, request.filename, settings)
    job = request.job_description
    result = await asyncio.to_thread(
        offline.review, document, request.filename, job, request.role, settings
    )
    if resolve_engine(request.engine, settings) == "huggingface":
        from core import huggingface  # imported lazily: the offline path needs no model code

        result = await huggingface.improve(result, document, request, settings, http)
    result.attachments = await asyncio.to_thread(rewrite_attachments, result)
    return result
