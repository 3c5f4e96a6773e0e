"""Review many files in one process: a career centre going through a cohort's resumes.

`review_batch()` reads and reviews each file through the same `review_resume()`
the bots use (same isolation, limits and engine), at most `concurrency` at a
time, and reports each outcome as it is known, in the order the files were
given. A file that can't be read or reviewed becomes an outcome with a one-line
error (the same `for_user()` text a bot would send); it never stops the others.
The CLI (`resume-bot optimize FILE...`) only formats what comes back.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ResumeBotError

if TYPE_CHECKING:
    import httpx

    from core.config import Settings
    from core.models import Attachment, Finding, ReviewResult
    from core.review import EngineChoice

SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass
class BatchOutcome:
    """One file's review, or why there is none."""

    path: Path
    result: ReviewResult | None = None
    error: str | None = None  # one line for a person: what went wrong and what to do
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result is not None

    def top_finding(self) -> Finding | None:
        """The most severe finding, the first of its severity (the order the rules report them)."""
        if self.result is None or not self.result.findings:
            return None
        return min(self.result.findings, key=lambda f: SEVERITY_RANK.get(f.severity, 3))


def write_attachments(
    attachments: Sequence[Attachment], out_dir: Path, taken: set[str]
) -> list[Path]:
    """Write each file into `out_dir`; a name already written in this batch gets '-2', '-3'..."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for attachment in attachments:
        name = attachment.filename
        stem, dot, ext = name.rpartition(".")
        n = 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}.{ext}" if dot else f"{attachment.filename}-{n}"
        taken.add(name)
        path = out_dir / name
        path.write_bytes(attachment.content)
        written.append(path)
    return written


def _write(outcome: BatchOutcome, out_dir: Path, taken: set[str]) -> None:
    assert outcome.result is not None
    try:
        outcome.written = write_attachments(outcome.result.attachments, out_dir, taken)
    except OSError as exc:
        outcome.error = (
            f"can't write the rewrite to {out_dir}: {exc.strerror or type(exc).__name__}."
        )
        outcome.result = None
    else:
        outcome.result.attachments = []  # written: don't keep a cohort's DOCX bytes in memory


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, e.g. a container's share), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity on this platform
        return max(1, os.cpu_count() or 1)


def default_concurrency(settings: Settings, engine: EngineChoice) -> int:
    """`MAX_CONCURRENT_REVIEWS`, and for offline reviews no more than `usable_cpus()`.

    An offline review is CPU work from start to end, so more of them at once than there are
    CPUs finish no sooner; each extra one only starts another worker, which loads its own
    typesetter and fonts (~25 ms, ~90 ms more for CJK) and pays its first-use costs: on 2
    CPUs, 4 at a time took ~9 % more CPU over the corpus than 2. A model review mostly waits
    on the network, so it keeps the full number.
    """
    from core.review import resolve_engine

    limit = max(1, settings.max_concurrent_reviews)
    if resolve_engine(engine, settings) == "offline":
        return min(limit, usable_cpus())
    return limit


async def review_batch(
    paths: Sequence[Path],
    settings: Settings,
    *,
    job_description: str | None = None,
    role: str | None = None,
    engine: EngineChoice = "auto",
    out_dir: Path | None = None,
    concurrency: int | None = None,
    http: httpx.AsyncClient | None = None,
    on_outcome: Callable[[int, BatchOutcome], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[BatchOutcome]:
    """Review every file; returns one outcome per path, in the order given.

    `on_outcome(index, outcome)` is called in input order as soon as each file
    and all before it are done (so output can stream); `on_progress(done, total)`
    after every file, in completion order. Files are read only when their turn
    comes, so a cohort of large PDFs never sits in memory at once. At most
    `concurrency` (default: `default_concurrency()`) reviews run at a time.
    """
    from core.review import ReviewRequest, review_resume

    gate = asyncio.Semaphore(max(1, concurrency or default_concurrency(settings, engine)))
    outcomes: list[BatchOutcome | None] = [None] * len(paths)
    taken: set[str] = set()
    next_to_report = 0
    done = 0

    async def one(index: int, path: Path) -> None:
        nonlocal next_to_report, done
        outcome = BatchOutcome(path)
        async with gate:
            try:
                data = await asyncio.to_thread(path.read_bytes)
            except OSError as exc:
                outcome.error = f"can't read it: {exc.strerror or type(exc).__name__}."
            else:
                request = ReviewRequest(
                    data=data,
                    filename=path.name,
                    job_description=job_description,
                    role=role,
                    engine=engine,
                )
                del data
                try:
                    outcome.result = await review_resume(
                        request, settings, http, with_files=out_dir is not None
                    )
                except ResumeBotError as exc:
                    outcome.error = exc.for_user()
                except Exception as exc:  # a bug on one file: name its type only, and keep going
                    outcome.error = f"unexpected error ({type(exc).__name__}); please report it."
        outcomes[index] = outcome
        done += 1
        if on_progress:
            on_progress(done, len(paths))
        while next_to_report < len(paths) and (ready := outcomes[next_to_report]) is not None:
            if ready.result is not None and out_dir is not None:
                _write(
                    ready, out_dir, taken
                )  # in input order, so a repeated name's '-2' is predictable
            if on_outcome:
                on_outcome(next_to_report, ready)
            next_to_report += 1

    await asyncio.gather(*(one(i, p) for i, p in enumerate(paths)))
    return [o for o in outcomes if o is not None]
