"""One offline review per corpus resume for the whole test run.

Five corpus test modules check the same reviews from different sides (honesty, advice, structure,
the DOCX and the PDF). Each used to review the corpus again, about nine passes of ~2 s of CPU per
run. Here each resume is reviewed once: kept in this process, and shared with the other
pytest-xdist workers through a folder the controller makes for the run (`share_folder`), so a
resume one worker reviewed is read back, not reviewed again, by the others. Without xdist it is
an in-process cache. The folder goes when the run ends; nothing outlives the run, so a code
change can never be tested against an old review.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import tempfile
from functools import cache
from pathlib import Path

from core.config import Settings
from core.models import Document, Finding, ReviewResult

SHARE_ENV = "RESUME_BOT_TEST_REVIEW_SHARE"
SETTINGS = Settings()


def share_folder() -> str:
    """Make the run's folder (the controller, before the workers start; they inherit the env)."""
    folder = tempfile.mkdtemp(prefix="resume-bot-reviews-")
    os.environ[SHARE_ENV] = folder
    return folder


def remove_share_folder(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if os.environ.get(SHARE_ENV) == folder:
        del os.environ[SHARE_ENV]


def _shared(key: str, compute):
    folder = os.environ.get(SHARE_ENV)
    if not folder or not os.path.isdir(folder):
        return compute()
    target = Path(folder) / f"{key}.pickle"
    with open(Path(folder) / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker waits for the first one's review
        if target.is_file():
            return pickle.loads(target.read_bytes())
        value = compute()
        partial = target.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(value))
        partial.replace(target)
        return value


def _key(path: Path, variant: str) -> str:
    return f"{path.parent.name}-{path.name}-{variant}"


@cache
def corpus_review(path: Path) -> tuple[Document, ReviewResult]:
    """The document read and the offline review a person would get (no job, no role, no files)."""
    from core.review import offline_pipeline

    return _shared(
        _key(path, "review"),
        lambda: offline_pipeline(path.read_bytes(), path.name, None, None, SETTINGS, False),
    )


@cache
def every_finding(path: Path) -> list[Finding]:
    """Every finding of that review, past the display cap (what the advice judgement reads)."""
    from benchmarks.advice import CORPUS, review

    return _shared(_key(path, "uncapped"), lambda: review(str(path.relative_to(CORPUS))))
