"""One conversation, written once for every chat platform.

    size check → place in line (with updates) → fetch the file → review → deliver
              ↘ fail with the person's message   ↘ "stopped" at shutdown

An adapter turns its platform's event into an `Upload` (name, declared size, how
to fetch the bytes) and a `Transport` (how to show progress, deliver a result and
say what went wrong), in the spirit of httpx's `AsyncBaseTransport`: core decides
*what* happens and *what is said*; the transport only knows *how* to say it on its
platform. Whatever fails (the review, rendering, an upload), the person is told in
the same place, and the bot keeps running.

`TaskTracker` is the one spawn / drain / shutdown both bots use. The texts people
read (queue place, "your turn", stopped, the apology), the user key, the review as
Markdown and its file name live here too, so the platforms can't drift apart.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import httpx

from core.config import Settings
from core.errors import FileTooLargeError, ResumeBotError, ShuttingDownError
from core.export import safe_stem
from core.models import Finding, ReviewResult, SectionName, Severity
from core.queue import Admission
from core.report import ReportEntry, group_findings, quote_label
from core.review import (
    ReviewRequest,
    check_upload_size,
    review_with_document,
    split_job_and_role,
)
from core.scoring import CATEGORY_LABELS
from core.state.cache import ModelCache
from core.state.keys import ConversationKey

if TYPE_CHECKING:  # the database library loads only where a store is made (core/state/store.py)
    from core.models import Document
    from core.scale.coordination import EventClaims
    from core.scale.handover import Delivery, Handover
    from core.state.store import Pending, Snapshot, StateStore

log = logging.getLogger(__name__)

# --- what people read ------------------------------------------------------------------

STOPPED = ShuttingDownError(
    "I'm restarting and had to stop your review before it finished.",
    hint="Please send the file again in a minute.",
)
GENERIC_APOLOGY = (
    "Sorry, something went wrong on my side while reviewing your resume. "
    "Please try again in a minute; if it keeps happening, upload it as a DOCX or a PDF exported "
    "from your editor."
)
DELIVERY_APOLOGY = (
    "Sorry, your review is done but I couldn't send it here. Please try again in a minute."
)
REVIEW_FILE_SUFFIX = "-review.md"
Escape = Callable[[str], str]


def _same(text: str) -> str:
    return text


NOT_KEPT = (
    "I no longer have the text of your last version (I restarted, and I keep resume text only "
    "in memory here). Please upload the file again and I'll review it with this."
)
FORGOTTEN_NOTHING = "I had nothing stored about you, so there was nothing to delete."
RESUMED_NOTE = "I restarted while reviewing this, so it took a little longer. Here it is."
RESUME_ATTEMPTS = 2  # a review lost in a restart is tried once more, never a third time
VOTE_NOT_RECORDED = "Sorry, I couldn't record that vote just now. Please try again later."
VOTE_TOO_OLD = "This review is too old to vote on now (I no longer keep it)."
NO_STATS = "No usage is recorded: this bot runs without a state database (STATE_URL)."
NOT_AN_ADMIN = "Only workspace admins can see the usage stats."
STATS_UNREADABLE = "Sorry, I couldn't read the usage just now. Please try again later."


def vote_text(up: int, down: int) -> str:
    """Shown under the 👍/👎 buttons once someone voted: the same for everyone who sees it."""
    return f"Thanks for the feedback! 👍 {up} · 👎 {down} so far (a vote can be changed)."


def forgotten_text(versions: int) -> str:
    """The confirmation of a forget command."""
    what = f"{versions} stored review{'s' if versions != 1 else ''}"
    return f"Done: I deleted everything I kept about you ({what}). Your next upload starts fresh."


def lost_text(filename: str | None, escape: Escape = _same) -> str:
    """Said after a restart for a review that was accepted and never answered."""
    name = escape(filename) if filename else "your file"
    return (
        f"I restarted while reviewing {name} and lost that review before I could answer "
        "(I never store the file itself, so I can't pick it up again). Please send it again."
    )


def carried_over_text(number: int, job: bool, role: bool) -> str:
    what = " and ".join(w for w, used in (("job description", job), ("target role", role)) if used)
    return f"Compared using the {what} from v{number}."


def queue_text(position: int, filename: str, escape: Escape = _same) -> str:
    """Shown while a review waits for a free slot; the same message is updated when it starts."""
    return (
        f"⏳ You're #{position} in line for {escape(filename)}. "
        "I'll update this message when your review starts."
    )


def started_text(filename: str, escape: Escape = _same, *, waited: bool = False) -> str:
    if waited:
        return f"🔎 Your turn. Reviewing {escape(filename)} now…"
    return f"🔎 Reviewing {escape(filename)}…"


def user_key(platform: str, *parts: object) -> str:
    """The queue's key for a person: platform-prefixed so ids from two platforms never collide."""
    return ":".join([platform, *(str(p) if p not in (None, "") else "?" for p in parts)])


def user_text(exc: BaseException) -> str:
    """The one place an exception becomes words for the person.

    Our own errors carry their text; anything else is logged by type and traceback
    frames only (an exception's message could quote the resume) and gets the apology.
    """
    if isinstance(exc, ResumeBotError):
        log.info("review refused: %s", type(exc).__name__)
        return exc.for_user()
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("review failed: %s\n%s", type(exc).__name__, frames)
    return GENERIC_APOLOGY


# --- the review as a file ---------------------------------------------------------------


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, stable within a severity (the order every renderer shows)."""
    return sorted(findings, key=lambda f: Severity(f.severity).rank)


def grouped(findings: Iterable[Finding]) -> list[ReportEntry]:
    """One entry per quoted text, the most severe first: what every renderer lists."""
    entries = group_findings(by_severity(findings))
    return sorted(entries, key=lambda e: e.severity.rank)


def review_file_name(source_name: str) -> str:
    """`My CV (final).pdf` → `My_CV_final-review.md`, next to `…-rewritten.docx`."""
    return f"{safe_stem(source_name)}{REVIEW_FILE_SUFFIX}"


def review_markdown(result: ReviewResult) -> str:
    """The whole review as Markdown: every finding with its full quotes, keywords and warnings."""
    out = [
        f"# Resume review: {result.source_name}",
        "",
        f"**Score: {result.score}/100** (engine: {result.engine})",
        "",
    ]
    if (
        result.structure is not None
    ):  # what was read, so a misread layout is visible before the advice
        out += ["## What I read", "", result.structure.summary_line() + ".", ""]
        for sec in result.structure.sections:
            if sec.kind is SectionName.CONTACT:
                continue
            entries = (
                f" ({len(sec.entries)} entr{'y' if len(sec.entries) == 1 else 'ies'})"
                if sec.entries
                else ""
            )
            out.append(f"- {sec.heading or sec.kind.value}{entries}")
        out.append("")
    if result.breakdown:
        out += ["## Breakdown", ""]
        out += [f"- {CATEGORY_LABELS.get(k, k)}: {v}/100" for k, v in result.breakdown.items()]
        out.append("")
    out += ["## Findings", ""]
    for n, entry in enumerate(grouped(result.findings), 1):
        rules = ", ".join(dict.fromkeys(f.rule for f in entry.findings))
        categories = ", ".join(dict.fromkeys(f.category for f in entry.findings))
        where = f", {entry.section}" if entry.section else ""
        out += [f"### {n}. [{entry.severity}] {categories}{where} ({rules})", ""]
        if entry.before:
            out += [
                f"{quote_label(entry)}:",
                "",
                *[f"> {line}" for line in entry.before.splitlines()],
                "",
            ]
        out += [f"- {f.message}" for f in entry.findings] + [""]
        for after in entry.afters:
            out += ["After:", "", *[f"> {line}" for line in after.splitlines()], ""]
    if not result.findings:
        out += ["No problems found.", ""]
    if result.keywords is not None:
        kw = result.keywords
        out += [
            "## Keywords",
            "",
            f"Match: {kw.match_percent}% (aim for {kw.target_percent}%+)",
            "",
            f"Missing: {', '.join(kw.missing) or 'none'}",
            "",
            f"Matched: {', '.join(kw.matched) or 'none'}",
            "",
        ]
    if result.warnings:
        out += ["## Warnings", "", *[f"- {w}" for w in result.warnings], ""]
    return "\n".join(out + _state_markdown(result))


def _state_markdown(result: ReviewResult) -> list[str]:
    """The comparison with the previous version and the rewrite's own score, if any."""
    from core.compare import comparison_markdown, rewrite_line

    out = comparison_markdown(result.comparison) if result.comparison else []
    line = rewrite_line(result)
    return [*out, line, ""] if line else out


# --- what an adapter supplies -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Upload:
    """The file someone shared, before anything is downloaded.

    `size` is what the platform declares (None: unknown until fetched);
    `platform_limit` is the platform's own cap in bytes for this place, if any.
    """

    name: str
    size: int | None
    fetch: Callable[[], Awaitable[tuple[bytes, str]]]
    platform: str = "the platform"
    platform_limit: int | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a review is: waiting at `position`, or started (after waiting or not)."""

    stage: Literal["queued", "started"]
    filename: str
    position: int = 0
    waited: bool = False

    def text(self, escape: Escape = _same) -> str:
        if self.stage == "queued":
            return queue_text(self.position, self.filename, escape)
        return started_text(self.filename, escape, waited=self.waited)


@runtime_checkable
class Transport(Protocol):
    """How one platform shows a conversation: the only thing an adapter must implement.

    Each method may raise; the flow catches, logs by type and tells the person
    through `fail` (a failing `progress` is logged and the review goes on).
    """

    async def progress(self, update: Progress) -> None:
        """Show or update the one "in line / reviewing" message."""

    async def deliver(self, result: ReviewResult, notes: Sequence[str]) -> None:
        """Render `result` for the platform and send it (message and files)."""

    async def fail(self, text: str) -> None:
        """Tell the person, in plain words, why there is no review."""

    # Optional: `conversation() -> ConversationKey | None`, for an answer that starts its own
    # thread (Slack's /optimize in a channel): the thread, hence the conversation, exists only
    # once the first message is posted; the version is kept under it, so v2 there is compared.


def _named(transport: Transport) -> ConversationKey | None:
    """The conversation a transport's first post started, if it names one (see Transport)."""
    name = getattr(transport, "conversation", None)
    return name() if callable(name) else None


# --- spawn, drain, shut down ------------------------------------------------------------


class TaskTracker:
    """The conversations in flight in one bot, so a shutdown can wait for them or stop them."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def __bool__(self) -> bool:
        return bool(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run `work` after the platform's ack; keep a reference so it isn't collected."""
        task = asyncio.create_task(work)
        self._add(task)
        return task

    @asynccontextmanager
    async def track(self) -> Any:
        """Track the current task (a handler the platform library already runs as a task)."""
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - always inside a task under asyncio
            yield
            return
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    def _add(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout_s: float | None = None) -> bool:
        """Wait for every tracked task; False if `timeout_s` passed first.

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

    async def shutdown(self, queue: Admission, deadline_s: float, *, grace_s: float = 2.0) -> bool:
        """Stop admitting, tell those in line, give those in flight `deadline_s`, then stop them.

        True when every conversation finished; otherwise the rest were cancelled
        (each tells its person, see `Conversations.handle`), within `grace_s` more.
        """
        loop = asyncio.get_running_loop()
        end = loop.time() + deadline_s
        finished = await queue.close(deadline_s)
        # reviews are done (or not); answers may still be uploading
        finished = await self.drain(max(0.0, end - loop.time())) and finished
        if not finished:
            log.warning("shutdown: %d review(s) still running; stopping them", len(self._tasks))
            for task in list(self._tasks):
                task.cancel()
            if not await self.drain(grace_s):
                log.error("shutdown: %d answer(s) still being sent; giving up", len(self._tasks))
        return finished


# --- the flow ---------------------------------------------------------------------------


@dataclass
class Conversations:
    """Runs every conversation of one bot process through the same steps."""

    settings: Settings
    queue: Admission  # core.queue.ReviewQueue, or the one replicas share (core/scale/shared.py)
    http: httpx.AsyncClient | None = None
    tasks: TaskTracker = field(default_factory=TaskTracker)
    state: StateStore | None = None  # None: every upload is a first one, nothing survives
    claims: EventClaims | None = None  # event ids shared by replicas (core/scale), if several
    # who reviews a file: `review_with_document` here (None), or a worker's job (core/scale)
    reviewer: Callable[..., Awaitable[tuple[Document, ReviewResult]]] | None = None
    # answers owed, on Redis: a replica finishes what a killed one left (core/scale/handover.py)
    handover: Handover | None = None
    _sweeper: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    async def shutdown(self, deadline_s: float, *, grace_s: float = 2.0) -> bool:
        """See `TaskTracker.shutdown` (a review still on a worker is handed to another replica)."""
        if self._sweeper is not None:  # adopt nothing more here, not even what this one hands off
            self._sweeper.cancel()
        return await self.tasks.shutdown(self.queue, deadline_s, grace_s=grace_s)

    async def shut_down(
        self, *, drain_s: float, exit_s: float, close_margin_s: float = 2.0
    ) -> bool:
        """SIGTERM for any bot: stop admitting, tell those in line, let reviews finish within `drain_s`.

        What is left of `exit_s` after `drain_s` and `close_margin_s` (closing the
        platform connection) is the grace for telling people their review was stopped.
        """
        queue = self.queue
        log.info(
            "shutting down: %d review(s) in flight, %d waiting", queue.in_flight, queue.waiting
        )
        finished = await self.shutdown(drain_s, grace_s=max(0.0, exit_s - drain_s - close_margin_s))
        log.info(
            "shutdown: %s",
            "every review finished" if finished else "unfinished reviews were stopped",
        )
        return finished

    def check_size(self, upload: Upload) -> None:
        """The declared size against the platform's cap and ours: once, before a place in line."""
        size, limit = upload.size, upload.platform_limit
        if size is not None and limit is not None and size > limit:
            raise FileTooLargeError(
                f"That file is {size / 1_048_576:.1f} MB; {upload.platform} allows "
                f"{limit / 1_048_576:.1f} MB here."
            )
        check_upload_size(size, self.settings)

    async def handle(
        self,
        upload: Upload,
        transport: Transport,
        *,
        user: str,
        job: str | None = None,
        role: str | None = None,
        notes: Sequence[str] = (),
        conversation: ConversationKey | None = None,
        reply_to: Mapping[str, Any] | None = None,
    ) -> None:
        """Take one shared file to an answer; never raises (except cancellation), never goes silent.

        With a `conversation` (and a store), the review is compared with that
        conversation's previous version and kept for the next; `reply_to` (platform
        ids) is where a restarted bot says the review was lost, should it die first.
        """
        pending = await self._accept(conversation, reply_to, upload.name)
        delivery = self._owed(upload.name, user, notes, conversation, reply_to, pending)
        try:
            await self._run(
                lambda: self._review(
                    upload,
                    transport,
                    user=user,
                    job=job,
                    role=role,
                    conversation=conversation,
                    place=(pending, reply_to),
                    delivery=delivery,
                ),
                transport,
                user,
                notes,
                delivery=delivery,
            )
        finally:
            if delivery is not None and self.handover is not None:
                self.handover.close(delivery)
            await self._settle(pending)

    async def follow_up(
        self,
        text: str,
        transport: Transport,
        *,
        user: str,
        conversation: ConversationKey,
        reply_to: Mapping[str, Any] | None = None,
    ) -> bool:
        """A text reply in a reviewed conversation: a job description re-runs the keyword match
        (and what depends on it), a short line the target role, on the latest version.

        False when there is nothing to re-run (no stored version, or chatter): the adapter
        then does what it did before. Never raises, never goes silent once it returns True.
        """
        job, role = split_job_and_role(text)
        if self.state is None or (job is None and role is None):
            return False
        previous = await self._latest(conversation)
        if previous is None:
            return False
        if previous.document is None:
            await self._tell(transport, NOT_KEPT)
            return True
        name = previous.source_name or "your resume"
        pending = await self._accept(conversation, reply_to, name)
        try:
            await self._run(
                lambda: self._rerun(previous, name, transport, user, conversation, job, role),
                transport,
                user,
                (),
            )
        finally:
            await self._settle(pending)
        return True

    async def recover(
        self,
        platform: str,
        notify: Callable[[Mapping[str, Any], str | None], Awaitable[None]],
        transport: Callable[[Mapping[str, Any]], Transport] | None = None,
    ) -> int:
        """After a restart: tell everyone whose review a previous process accepted and never
        answered, once, where they asked (`notify(reply_to, filename)`). Returns how many.

        With a handover (REDIS_URL) and `transport` (the adapter's, from a `reply_to`), from
        now on this process also does it for replicas that stop (core/scale/handover.py):
        it finishes the answers they owed and recovers what they had only accepted; and it
        leaves alone what a replica that is alive has in hand.
        """
        if self.handover is not None and transport is not None:
            try:
                await self._beat()
                told = await self._recover(platform, notify)
            except Exception as exc:  # Redis away at start: the sweeper's next rounds do it
                log.warning("could not look for what stopped replicas left: %s", type(exc).__name__)
                told = 0
            if self._sweeper is None:
                self._sweeper = asyncio.create_task(self._adopting(platform, transport, notify))
            return told
        return await self._recover(platform, notify)

    async def _recover(
        self, platform: str, notify: Callable[[Mapping[str, Any], str | None], Awaitable[None]]
    ) -> int:
        if self.state is None:
            return 0
        try:
            lost = await self._unanswered(platform)
        except Exception as exc:
            log.error("state: could not read unanswered reviews: %s", type(exc).__name__)
            return 0
        for item in lost:
            try:
                await notify(item.reply_to, item.source_name)
            except Exception as exc:  # the place is gone (deleted thread, left channel)
                log.warning("could not tell about a lost review: %s", type(exc).__name__)
            await self._settle(item.id)  # once: never told twice, even if telling failed
        if lost:
            log.info("told %d person(s) their review was lost in a restart", len(lost))
        return len(lost)

    async def _unanswered(self, platform: str) -> list[Pending]:
        """Reviews other processes accepted and never answered; with replicas, only those of
        processes that stopped, not handed to a worker (their answers are adopted instead),
        each claimed by one replica."""
        assert self.state is not None
        rows = await self.state.unsettled(platform)
        if self.handover is None or not rows:
            return rows  # one process: every other owner was a previous run of it
        alive = await self.handover.alive(row.owner for row in rows)
        marks = {row.id: str(row.reply_to.get("delivery") or "") for row in rows}
        owed = await self.handover.known(mark for mark in marks.values() if mark)
        return [
            row
            for row in rows
            if row.owner not in alive
            and marks[row.id] not in owed  # its answer is adopted instead (unless Redis lost it)
            and await self.handover.claim(f"pending:{row.owner}:{row.id}")
        ]

    async def _beat(self) -> None:
        assert self.handover is not None
        await self.handover.heartbeat(self.state.owner if self.state else self.handover.me)

    async def _adopting(
        self,
        platform: str,
        transport: Callable[[Mapping[str, Any]], Transport],
        notify: Callable[[Mapping[str, Any], str | None], Awaitable[None]],
    ) -> None:
        """Every third of a lease: this process is alive; what a stopped one owed is taken."""
        assert self.handover is not None
        while True:
            await asyncio.sleep(self.handover.lease_s / 3)
            try:
                await self._beat()
                for delivery in await self.handover.sweep(platform):
                    self.tasks.spawn(self.adopt(delivery, transport))
                await self._recover(platform, notify)
            except Exception as exc:  # Redis or the database away: the next round tries again
                log.warning("could not look for what stopped replicas left: %s", type(exc).__name__)

    async def forget(self, person: str) -> str:
        """Delete everything kept about `person`; the confirmation to show them."""
        if self.state is None:
            return FORGOTTEN_NOTHING
        versions, other = await self.state.forget_all(person)
        log.info("forgot a person: %d version(s), %d other row(s) deleted", versions, other)
        return forgotten_text(versions) if versions or other else FORGOTTEN_NOTHING

    async def claim_event(self, key: str) -> bool:
        """True the first time a platform event is seen, across restarts (when a store is set)
        and across replicas (when claims are shared)."""
        if self.claims is not None:
            try:
                if not await self.claims.claim(key):
                    return False
            except Exception as exc:  # Redis away: better answer twice than never
                log.warning("could not claim an event on Redis: %s", type(exc).__name__)
        if self.state is None:
            return True
        try:
            return await self.state.claim_event(key)
        except Exception as exc:  # better answer twice than never
            log.warning("state: could not record an event: %s", type(exc).__name__)
            return True

    async def claim_shared(self, key: str) -> bool:
        """True for the first replica to claim `key` (e.g. one message that arrived as two
        events); always True in one process (the adapter's own dedupe does it there)."""
        if self.claims is None:
            return True
        try:
            return await self.claims.claim(key)
        except Exception as exc:  # Redis away: better answer twice than never
            log.warning("could not claim a message on Redis: %s", type(exc).__name__)
            return True

    async def _run(
        self,
        review: Callable[[], Awaitable[tuple[ReviewResult, list[str]]]],
        transport: Transport,
        user: str,
        notes: Sequence[str],
        *,
        delivery: Delivery | None = None,
    ) -> None:
        try:
            result, more_notes = await review()
        except asyncio.CancelledError:  # shutdown deadline passed: say so, then stop
            if not await self._handed_off(delivery):  # (or another replica answers)
                await self._tell(transport, STOPPED.for_user())
            raise
        except Exception as exc:
            if await self._ours(delivery):
                await self._tell(transport, user_text(exc))
            return
        notes = [*more_notes, *notes]
        if not await self._ours(delivery):
            return
        try:
            await transport.deliver(result, notes)
            log.info(
                "review for %s delivered: score %d, rules %s",
                user,
                result.score,
                sorted({f.rule for f in result.findings}),
            )
        except asyncio.CancelledError:
            await self._tell(transport, STOPPED.for_user())
            raise
        except Exception as exc:  # rendering or sending failed: the person still hears from us
            log.error(
                "delivering a review failed: %s\n%s",
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            await self._tell(transport, DELIVERY_APOLOGY)

    async def _review(
        self,
        upload: Upload,
        transport: Transport,
        *,
        user: str,
        job: str | None,
        role: str | None,
        conversation: ConversationKey | None,
        place: tuple[int | None, Mapping[str, Any] | None] = (None, None),
        delivery: Delivery | None = None,
    ) -> tuple[ReviewResult, list[str]]:
        self.check_size(upload)  # before taking a place in line
        waited = False

        async def on_wait(position: int) -> None:
            nonlocal waited
            waited = True
            log.info("review for %s waits at #%d", user, position)
            await self._show(transport, Progress("queued", upload.name, position=position))
            await self._remember_place(*place)

        started = asyncio.get_running_loop().time()
        async with self.queue.slot(user, on_wait=on_wait):
            log.info("review for %s starts (waited: %s)", user, waited)
            await self._show(transport, Progress("started", upload.name, waited=waited))
            await self._remember_place(*place)
            data, filename = await upload.fetch()
            log.info("reviewing a file of %d bytes for %s", len(data), user)
            previous = await self._latest(conversation)
            notes: list[str] = []
            if previous is not None and previous.detailed and not (job or role):
                job, role = previous.job, previous.role  # v2 is judged as v1 was
                if job or role:
                    notes.append(carried_over_text(previous.number, bool(job), bool(role)))
            request = ReviewRequest(data=data, filename=filename, job_description=job, role=role)
            settings, cache = self._model(conversation, user)
            review = self.reviewer or review_with_document  # or a worker's job (core/scale)
            owed = await self._begin(delivery, place[1], notes, job, role)
            document, result = await review(request, settings, http=self.http, cache=cache, **owed)
        conversation = conversation or _named(transport)
        await self._conclude(
            conversation, user, result, document, previous, job, role, started, delivery
        )
        return result, notes

    async def _conclude(
        self,
        conversation: ConversationKey | None,
        user: str,
        result: ReviewResult,
        document: Document,
        previous: Snapshot | None,
        job: str | None,
        role: str | None,
        started: float,
        delivery: Delivery | None = None,
    ) -> None:
        """After a review: the numbers for stats, the comparison with v(n-1), v(n) kept. Not
        when another replica adopted the delivery (this one was paused past its lease): that
        one answers and keeps the version, so nothing is kept twice."""
        if not await self._ours(delivery):
            return
        await self._record(conversation, user, result, started)
        if previous is not None:
            from core.compare import compare

            result.comparison = compare(previous, result, number=previous.number + 1)
        await self._save(conversation, result, document, job, role)

    # --- issue 16: an answer owed survives its replica (core/scale/handover.py) -------------
    def _owed(
        self,
        name: str,
        user: str,
        notes: Sequence[str],
        conversation: ConversationKey | None,
        reply_to: Mapping[str, Any] | None,
        pending: int | None,
    ) -> Delivery | None:
        """A delivery another replica could finish (REDIS_URL and a place to answer), or None."""
        if self.handover is None or reply_to is None:
            return None
        delivery = self.handover.new()
        delivery.record = {
            "name": name,
            "user": user,
            "notes": list(notes),
            "conversation": conversation.fields() if conversation is not None else None,
            "pending": [self.state.owner, pending] if self.state and pending else None,
        }
        return delivery

    async def _begin(
        self,
        delivery: Delivery | None,
        reply_to: Mapping[str, Any] | None,
        notes: Sequence[str],
        job: str | None,
        role: str | None,
    ) -> dict[str, Any]:
        """Just before the job is enqueued: what finishing needs (the progress message's id
        included) goes to Redis, and the job takes the delivery's id."""
        if delivery is None or self.handover is None:
            return {}
        delivery.record |= {
            "reply_to": dict(reply_to or {}),
            "notes": [*notes, *delivery.record["notes"]],
            "job": job,
            "role": role,
        }
        user = str(delivery.record["user"])
        await self.handover.begin(delivery, user.partition(":")[0])
        _, pending = delivery.record["pending"] or (None, None)
        if reply_to is not None and pending is not None:  # a restart leaves it to the delivery
            await self._remember_place(pending, {**reply_to, "delivery": delivery.id})
        return {"job_id": delivery.id}

    async def _ours(self, delivery: Delivery | None) -> bool:
        """May this process answer? Always, unless another replica adopted the delivery."""
        if delivery is None or self.handover is None or not delivery.begun:
            return True
        return await self.handover.finish(delivery)

    async def _handed_off(self, delivery: Delivery | None) -> bool:
        """At shutdown, a review still on a worker: another replica will answer it."""
        if delivery is None or self.handover is None or not delivery.begun:
            return False
        return await self.handover.hand_off(delivery)

    async def adopt(
        self, delivery: Delivery, transport: Callable[[Mapping[str, Any]], Transport]
    ) -> None:
        """Finish a delivery a stopped replica began: wait on its job, answer once, where
        that replica would have (`transport(reply_to)`: its "Reviewing…" message)."""
        record = delivery.record
        key = record.get("conversation")
        conversation = ConversationKey(**key) if key else None
        user = str(record.get("user") or "")
        started = asyncio.get_running_loop().time()
        log.info("finishing a review another replica began, for %s", user)

        async def review() -> tuple[ReviewResult, list[str]]:
            assert self.handover is not None
            document, result = await self.handover.outcome(delivery)
            previous = await self._latest(conversation)
            job, role = record.get("job"), record.get("role")
            await self._conclude(
                conversation, user, result, document, previous, job, role, started, delivery
            )
            return result, [RESUMED_NOTE]

        try:
            where = record.get("reply_to") or {}
            notes = record.get("notes") or []
            await self._run(review, transport(where), user, notes, delivery=delivery)
        finally:
            if self.handover is not None:
                self.handover.close(delivery)
            owner, pending = record.get("pending") or (None, None)
            if self.state is not None and pending is not None:
                await self._settle(pending, owner=owner)

    async def _rerun(
        self,
        previous: Snapshot,
        name: str,
        transport: Transport,
        user: str,
        conversation: ConversationKey,
        job: str | None,
        role: str | None,
    ) -> tuple[ReviewResult, list[str]]:
        """The latest version again with a new job description or role: no download."""
        from core.compare import compare

        kind: Literal["job", "role"] = "job" if job else "role"
        job, role = job or previous.job, role or previous.role

        async def on_wait(position: int) -> None:
            await self._show(transport, Progress("queued", name, position=position))

        started = asyncio.get_running_loop().time()
        async with self.queue.slot(user, on_wait=on_wait):
            await self._show(transport, Progress("started", name))
            request = ReviewRequest(data=b"", filename=name, job_description=job, role=role)
            settings, cache = self._model(conversation, user)
            document, result = await review_with_document(
                request, settings, http=self.http, document=previous.document, cache=cache
            )
        await self._record(conversation, user, result, started)
        result.comparison = compare(previous, result, number=previous.number, kind=kind)
        await self._save(conversation, result, document, job, role, number=previous.number)
        return result, []

    # --- issue 17: the person's model (A/B), the answer cache, usage stats and votes ---------
    def _model(
        self, conversation: ConversationKey | None, user: str
    ) -> tuple[Settings, ModelCache | None]:
        """The settings with this person's model, and the answer cache (with a store)."""
        from core.ab import settings_for

        person = conversation.person if conversation is not None else user
        cache = ModelCache(self.state, person) if self.state is not None else None
        return settings_for(person, self.settings), cache

    async def _record(
        self, conversation: ConversationKey | None, user: str, result: ReviewResult, started: float
    ) -> None:
        """Numbers for `resume-bot stats` (no text); the id set on the result carries votes."""
        if self.state is None:
            return
        try:
            result.feedback_id = await self.state.record_review(
                platform=conversation.platform if conversation else user.split(":")[0],
                engine=result.engine,
                score=result.score,
                cached=result.model_cache == "hit",
                fallback=result.fallback,
                seconds=asyncio.get_running_loop().time() - started,
            )
        except Exception as exc:
            log.error("state: could not record a review for stats: %s", type(exc).__name__)

    async def stats(self, since: str = "7d") -> str:
        """The usage summary (`resume-bot stats`) for an admin's chat command, as text."""
        from core.stats import format_stats, parse_since, summarise

        if self.state is None:
            return NO_STATS
        try:
            since_s = parse_since(since)
        except ResumeBotError as exc:
            return exc.for_user()
        try:
            reviews, votes = await self.state.usage(self.state.clock() - since_s)
        except Exception as exc:
            log.error("state: could not read usage: %s", type(exc).__name__)
            return STATS_UNREADABLE
        return format_stats(summarise(reviews, votes, since_s))

    async def vote(self, review: str, voter: str, up: bool) -> str:
        """`voter`'s 👍 (`up`) or 👎 on a review, replacing their earlier vote: the line the
        message shows in place (the tally, or why the vote could not be recorded)."""
        if self.state is None or not review:
            return VOTE_NOT_RECORDED
        try:
            tally = await self.state.vote(review, voter, 1 if up else -1)
        except Exception as exc:
            log.error("state: could not record a vote: %s", type(exc).__name__)
            return VOTE_NOT_RECORDED
        if tally is None:
            return VOTE_TOO_OLD
        log.info("feedback recorded: %s", "up" if up else "down")
        return vote_text(*tally)

    # --- state, where one is set: a failing database never costs anyone their review ------
    async def _latest(self, conversation: ConversationKey | None) -> Snapshot | None:
        if self.state is None or conversation is None:
            return None
        try:
            return await self.state.latest(conversation)
        except Exception as exc:
            log.error("state: could not read the previous version: %s", type(exc).__name__)
            return None

    async def _save(
        self,
        conversation: ConversationKey | None,
        result: ReviewResult,
        document: Document,
        job: str | None,
        role: str | None,
        *,
        number: int | None = None,
    ) -> None:
        if self.state is None or conversation is None:
            return
        try:
            await self.state.save_version(
                conversation, result, document, job=job, role=role, number=number
            )
        except Exception as exc:
            log.error("state: could not keep this version: %s", type(exc).__name__)

    async def _accept(
        self, conversation: ConversationKey | None, reply_to: Mapping[str, Any] | None, name: str
    ) -> int | None:
        if self.state is None or conversation is None or reply_to is None:
            return None
        try:
            return await self.state.accept(conversation, dict(reply_to), name)
        except Exception as exc:
            log.error("state: could not record an accepted review: %s", type(exc).__name__)
            return None

    async def _remember_place(
        self, pending: int | None, reply_to: Mapping[str, Any] | None
    ) -> None:
        """A transport may note where its message went (`reply_to` is its dict): kept, so a
        restarted bot can replace that "Reviewing…" message instead of adding one."""
        if self.state is None or pending is None or reply_to is None:
            return
        try:
            await self.state.update_reply_to(pending, dict(reply_to))
        except Exception as exc:
            log.warning("state: could not note where the answer goes: %s", type(exc).__name__)

    async def _settle(self, pending: int | None, *, owner: str | None = None) -> None:
        if self.state is None or pending is None:
            return
        try:
            await asyncio.shield(self.state.settle(pending, owner=owner))
        except (asyncio.CancelledError, Exception) as exc:
            log.warning("state: could not settle an answered review: %s", type(exc).__name__)

    @staticmethod
    async def _show(transport: Transport, update: Progress) -> None:
        try:
            await transport.progress(update)
        except Exception as exc:  # the review still runs; its answer will try to post again
            log.warning("could not show progress (%s): %s", update.stage, type(exc).__name__)

    @staticmethod
    async def _tell(transport: Transport, text: str) -> None:
        try:
            await transport.fail(text)
        except Exception as exc:
            log.error("could not tell a person what went wrong: %s", type(exc).__name__)
