"""core.conversation: the one flow both bots run, driven through a recording transport.

The transport here stands in for a chat platform (what an adapter supplies);
everything behind it (the queue, the isolated review) is the real code.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from core.config import Settings
from core.conversation import (
    DELIVERY_APOLOGY,
    GENERIC_APOLOGY,
    STOPPED,
    Conversations,
    Progress,
    TaskTracker,
    Transport,
    Upload,
    by_severity,
    review_markdown,
    user_key,
    user_text,
)
from core.errors import FileTooLargeError
from core.models import Category, Extraction, FileKind, Finding, ReviewResult, Severity
from core.queue import ReviewQueue
from tests.samples import FLAWED_RESUME as RESUME_TXT

SETTINGS = Settings(max_file_mb=1)


class Recorder:
    """A platform that writes down what the person would see."""

    def __init__(self, *, deliver_error: Exception | None = None) -> None:
        self.shown: list[str] = []
        self.results: list[ReviewResult] = []
        self.failures: list[str] = []
        self._deliver_error = deliver_error
        self.queued = asyncio.Event()

    async def progress(self, update: Progress) -> None:
        self.shown.append(update.text())
        if update.stage == "queued":
            self.queued.set()

    async def deliver(self, result: ReviewResult, notes: Sequence[str]) -> None:
        if self._deliver_error is not None:
            raise self._deliver_error
        self.results.append(result)

    async def fail(self, text: str) -> None:
        self.failures.append(text)


def upload(data: bytes = RESUME_TXT.encode(), *, size: int | None = None, **kw: object) -> Upload:
    async def fetch() -> tuple[bytes, str]:
        return data, "cv.txt"

    return Upload(name="cv.txt", size=len(data) if size is None else size, fetch=fetch, **kw)  # type: ignore[arg-type]


def flow(max_concurrent: int = 4) -> Conversations:
    return Conversations(SETTINGS, ReviewQueue(max_concurrent, 10))


def test_a_recorder_is_a_transport() -> None:
    assert isinstance(Recorder(), Transport)


async def test_a_file_goes_from_progress_to_a_delivered_review() -> None:
    seen = Recorder()
    await flow().handle(upload(), seen, user="test:1")
    assert seen.shown == ["🔎 Reviewing cv.txt…"] and not seen.failures
    [result] = seen.results
    assert result.score > 0


async def test_too_large_is_refused_before_a_place_in_line_or_a_download() -> None:
    fetched = False

    async def fetch() -> tuple[bytes, str]:
        nonlocal fetched
        fetched = True
        return b"", "cv.txt"

    seen, conversations = Recorder(), flow()
    await conversations.handle(Upload("cv.txt", 5_000_000, fetch), seen, user="test:1")
    assert seen.failures == [
        FileTooLargeError("That file is 4.8 MB; the limit is 1 MB.").for_user()
    ]
    assert not fetched and conversations.queue.in_flight == 0 and not seen.shown


async def test_the_platforms_own_cap_is_named() -> None:
    seen = Recorder()
    await flow().handle(
        upload(size=600_000, platform="Discord", platform_limit=500_000), seen, user="u"
    )
    assert "Discord allows 0.5 MB here" in seen.failures[0]


async def test_a_delivery_failure_is_told_not_swallowed(caplog: pytest.LogCaptureFixture) -> None:
    seen = Recorder(deliver_error=RuntimeError("Jane Doe's resume line"))
    await flow().handle(upload(), seen, user="test:1")
    assert seen.failures == [DELIVERY_APOLOGY]
    assert "Jane Doe" not in caplog.text and "RuntimeError" in caplog.text


async def test_the_second_person_is_told_their_place_then_their_turn() -> None:
    conversations, first, second = flow(max_concurrent=1), Recorder(), Recorder()
    gate = asyncio.Event()

    async def slow_fetch() -> tuple[bytes, str]:
        await gate.wait()
        return RESUME_TXT.encode(), "cv.txt"

    one = asyncio.create_task(
        conversations.handle(Upload("a.txt", 10, slow_fetch), first, user="test:1")
    )
    two = asyncio.create_task(conversations.handle(upload(), second, user="test:2"))
    await second.queued.wait()
    gate.set()
    await asyncio.gather(one, two)
    assert second.shown == [
        "⏳ You're #1 in line for cv.txt. I'll update this message when your review starts.",
        "🔎 Your turn. Reviewing cv.txt now…",
    ]
    assert first.results and second.results


async def test_shutdown_stops_what_runs_and_says_so() -> None:
    conversations, seen = flow(), Recorder()
    never, fetching = asyncio.Event(), asyncio.Event()

    async def stuck_fetch() -> tuple[bytes, str]:
        fetching.set()
        await never.wait()
        raise AssertionError("unreachable")

    conversations.tasks.spawn(
        conversations.handle(Upload("cv.txt", 10, stuck_fetch), seen, user="u")
    )
    await fetching.wait()
    assert not await conversations.tasks.shutdown(conversations.queue, 0.05, grace_s=5)
    assert seen.failures == [STOPPED.for_user()] and not conversations.tasks


async def test_drain_with_a_timeout_does_not_cancel() -> None:
    tasks, release = TaskTracker(), asyncio.Event()
    task = tasks.spawn(release.wait())
    assert not await tasks.drain(0.01)
    assert not task.cancelled() and len(tasks) == 1
    release.set()
    assert await tasks.drain(5)


def test_one_wording_for_errors_and_users() -> None:
    assert user_text(FileTooLargeError()) == FileTooLargeError().for_user()
    assert user_text(ValueError("secret resume text")) == GENERIC_APOLOGY
    assert user_key("slack", "T1", None) == "slack:T1:?"
    assert user_key("discord", 42) == "discord:42"


def test_findings_are_ordered_by_severity_once_for_every_renderer() -> None:
    def f(severity: str, rule: str) -> Finding:
        return Finding(
            rule=rule, severity=Severity(severity), category=Category.CLARITY, message=rule
        )

    found = [f("low", "a"), f("high", "b"), f("medium", "c"), f("high", "d")]
    assert [x.rule for x in by_severity(found)] == ["b", "d", "c", "a"]
    result = ReviewResult(
        source_name="cv.pdf",
        rewritten="",
        extraction=Extraction(kind=FileKind.PDF, pages=1, chars=0),
        score=50,
        breakdown={},
        findings=found,
        keywords=None,
        warnings=[],
        engine="offline",
    )
    markdown = review_markdown(result)
    assert (
        markdown.index("(b)")
        < markdown.index("(d)")
        < markdown.index("(c)")
        < markdown.index("(a)")
    )


def test_review_file_says_what_was_read_with_the_resumes_own_headings() -> None:
    from core.config import Settings
    from core.review import offline_pipeline

    text = (
        "Ana Ruiz\nana@example.com\n\nBerufserfahrung\nEntwicklerin, Firma GmbH, 2019 – 2023\n"
        "- Baute eine API\n- Betreute 3 Kunden\n\nAusbildung\nB.Sc. Informatik, TU Berlin, 2019\n"
    )
    _, result = offline_pipeline(text.encode(), "cv.txt", None, None, Settings(), False)
    markdown = review_markdown(result)
    read = markdown[markdown.index("## What I read") :]
    assert "Read: 2 sections, 1 role, 2 bullets." in read
    assert "- Berufserfahrung (1 entry)" in read and "- Ausbildung" in read
