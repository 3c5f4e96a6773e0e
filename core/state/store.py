"""The state store: versions per conversation, reviews in flight, events seen.

One class over SQLAlchemy's async engine, so the embedded SQLite file (aiosqlite)
and PostgreSQL (asyncpg) run the same code. `open_state(settings)` builds it from
STATE_URL / STATE_KEY / RETENTION_HOURS and applies the Alembic migrations before
anything else touches the database. What is kept and why:

* a *version* per review: numbers in plain columns (score, per-category scores),
  and one sealed payload (the document as read, findings, structure, keyword
  match, job description, role, file name) so a follow-up can compare or re-run
  without the file, which is never stored;
* a *pending* row from the moment a review is accepted until it is answered, so a
  process that dies mid-review can tell the person after a restart;
* *seen events*, so a platform retrying an event after a restart is answered once.

Everything older than RETENTION_HOURS is purged (`purge`, run on a schedule by
`purge_forever`); `forget(person)` deletes all of one person's rows at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from core.config import Settings
from core.errors import ConfigError
from core.models import Document, Extraction, Finding, KeywordMatch, ReviewResult, Structure
from core.serial import from_data, to_data
from core.state.keys import ConversationKey
from core.state.schema import model_cache, pending, reviews, seen_events, versions, votes
from core.state.vault import Vault

log = logging.getLogger(__name__)

DEFAULT_STATE_FILE = "resume-bot-state.db"
SEEN_EVENTS_KEEP_S = 2 * 3600.0  # Slack retries within minutes; two hours is plenty
PURGE_INTERVAL_S = 15 * 60.0
# sealed with the file name: an interaction's webhook token; the file's ids and the job and role
# a restarted bot needs to review it again (a file name and a job description are personal)
SECRET_PLACE_KEYS = frozenset({"token", "file", "job", "role"})


def database_url(settings: Settings) -> str:
    """STATE_URL with an async driver: sqlite → aiosqlite, postgresql → asyncpg."""
    raw = settings.state_url or f"sqlite:///{Path.cwd() / DEFAULT_STATE_FILE}"
    url = make_url(raw)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
    backend = url.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if url.drivername in driver or url.drivername == "postgres":
        url = url.set(drivername=driver[backend])
    return url.render_as_string(hide_password=False)


def describe_url(url: str) -> str:
    """The URL for logs and `doctor`: no password."""
    return make_url(url).render_as_string(hide_password=True)


# --- payloads -------------------------------------------------------------------------


def document_payload(document: Document) -> dict[str, Any]:
    return {
        "text": document.text,
        "extraction": to_data(document.extraction),
        "lines": [dataclasses.asdict(line) for line in document.lines],
        "links": list(document.links),
        "header_links": list(document.header_links),
        "photo": document.photo,
    }


def document_from_payload(data: dict[str, Any]) -> Document:
    from core.reading.lines import Line  # the reader's shape; fields it no longer has are dropped

    known = {f.name for f in dataclasses.fields(Line)}
    lines = [Line(**{k: v for k, v in raw.items() if k in known}) for raw in data["lines"]]
    return Document(
        text=data["text"],
        extraction=from_data(Extraction, data["extraction"]),
        lines=lines,
        links=data.get("links", []),
        header_links=data.get("header_links", []),
        photo=data.get("photo", False),
    )


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL: a commit is one append, not a rewrite and two fsyncs (74 → 6 ms per review,
    benchmarks/state.py), and readers never wait for the writer; a second process (the other
    bot) waits up to 5 s for a lock instead of failing."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _plain_place(reply_to: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in reply_to.items() if k not in SECRET_PLACE_KEYS})


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One stored version as read back. Text fields are None when it was not kept (no key)."""

    id: int
    number: int
    created_at: float
    score: int
    breakdown: dict[str, int]
    rewrite_score: int | None
    source_name: str | None = None
    findings: list[Finding] | None = None
    structure: Structure | None = None
    keywords: KeywordMatch | None = None
    document: Document | None = None
    job: str | None = None
    role: str | None = None

    @property
    def detailed(self) -> bool:
        """True when findings and text are available (not only the scores)."""
        return self.findings is not None


@dataclass(frozen=True, slots=True)
class Pending:
    """A review accepted and not yet answered: where to answer, and the file's name if kept."""

    id: int
    platform: str
    conversation: str
    reply_to: dict[str, Any]
    created_at: float
    source_name: str | None
    owner: str = ""  # the process that accepted it (`StateStore.owner`)


class StateStore:
    """Async access to the state database; one per process, injected where needed."""

    def __init__(
        self,
        url: str,
        *,
        key: str | None = None,
        retention_hours: float = 72.0,
        cache_hours: float = 24.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.vault = Vault(key)
        self.retention_s = retention_hours * 3600.0
        self.cache_s = cache_hours * 3600.0
        self.clock = clock
        self.owner = uuid.uuid4().hex  # this process, for pending rows

    @property
    def durable(self) -> bool:
        return self.vault.durable

    async def close(self) -> None:
        await self.engine.dispose()

    # --- schema -------------------------------------------------------------------------
    async def migrate(self) -> None:
        """Apply every Alembic migration not yet applied (idempotent; run at start-up)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option(
            "script_location", str(resources.files("core.state").joinpath("migrations"))
        )

        logging.getLogger("alembic").setLevel(max(logging.WARNING, log.getEffectiveLevel()))

        def upgrade(connection: Any) -> None:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

        async with self.engine.begin() as conn:
            await conn.run_sync(upgrade)

    # --- versions -----------------------------------------------------------------------
    def _cutoff(self) -> float:
        return self.clock() - self.retention_s

    async def save_version(
        self,
        key: ConversationKey,
        result: ReviewResult,
        document: Document | None,
        *,
        job: str | None,
        role: str | None,
        number: int | None = None,
    ) -> int:
        """Store one review of `key`'s conversation; returns its version number (1, 2, …)."""
        payload = {
            "source_name": result.source_name,
            "findings": to_data(result.findings),
            "structure": to_data(result.structure),
            "keywords": to_data(result.keywords),
            "document": document_payload(document) if document is not None else None,
            "job": job,
            "role": role,
        }
        async with self.engine.begin() as conn:
            if number is None:
                last = await conn.scalar(
                    select(func.max(versions.c.number)).where(
                        versions.c.conversation == key.conversation,
                        versions.c.created_at >= self._cutoff(),
                    )
                )
                number = (last or 0) + 1
            row = await conn.execute(
                insert(versions)
                .values(
                    conversation=key.conversation,
                    person=key.person,
                    number=number,
                    created_at=self.clock(),
                    score=result.score,
                    breakdown=json.dumps(result.breakdown),
                    rewrite_score=result.rewrite_score,
                    payload=self.vault.seal(payload),
                )
                .returning(versions.c.id)
            )
            row_id = int(row.scalar_one())
        self.vault.keep("versions", row_id, payload)
        return number

    async def latest(self, key: ConversationKey) -> Snapshot | None:
        """The newest version of this conversation within the retention window, if any."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(versions)
                    .where(
                        versions.c.conversation == key.conversation,
                        versions.c.created_at >= self._cutoff(),
                    )
                    .order_by(versions.c.id.desc())
                    .limit(1)
                )
            ).first()
        if row is None:
            return None
        data = self.vault.open(row.payload) or self.vault.recall("versions", row.id)
        base = {
            "id": row.id,
            "number": row.number,
            "created_at": row.created_at,
            "score": row.score,
            "breakdown": json.loads(row.breakdown),
            "rewrite_score": row.rewrite_score,
        }
        if data is None:
            return Snapshot(**base)
        return Snapshot(
            **base,
            source_name=data.get("source_name"),
            findings=from_data(list[Finding], data["findings"]),
            structure=from_data(Structure | None, data["structure"]),
            keywords=from_data(KeywordMatch | None, data["keywords"]),
            document=document_from_payload(data["document"]) if data["document"] else None,
            job=data.get("job"),
            role=data.get("role"),
        )

    # --- reviews in flight ---------------------------------------------------------------
    async def accept(self, key: ConversationKey, reply_to: dict[str, Any], source_name: str) -> int:
        """Record a review as accepted (before it is queued); `settle` it once answered.

        Ids in `reply_to` are stored plain (they must work without a key); a token in it is
        sealed with the file name (without a key it isn't kept, and that place can't be told)."""
        secret = {k: v for k, v in reply_to.items() if k in SECRET_PLACE_KEYS}
        sealed = self.vault.seal({"source_name": source_name, "place": secret})
        async with self.engine.begin() as conn:
            row = await conn.execute(
                insert(pending)
                .values(
                    platform=key.platform,
                    owner=self.owner,
                    person=key.person,
                    conversation=key.conversation,
                    created_at=self.clock(),
                    reply_to=_plain_place(reply_to),
                    payload=sealed,
                )
                .returning(pending.c.id)
            )
            return int(row.scalar_one())

    async def update_reply_to(self, pending_id: int, reply_to: dict[str, Any]) -> None:
        """Where the answer goes, as it became known (the progress message's id)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(pending)
                .where(pending.c.id == pending_id)
                .values(reply_to=_plain_place(reply_to))
            )

    async def settle(self, pending_id: int, *, owner: str | None = None) -> None:
        """`owner`: only that process's row (another replica's, when it shares this database)."""
        where = pending.c.id == pending_id
        if owner is not None:
            where = where & (pending.c.owner == owner)
        async with self.engine.begin() as conn:
            await conn.execute(delete(pending).where(where))

    async def unsettled(self, platform: str) -> list[Pending]:
        """Reviews a previous process of `platform` accepted and never answered."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(pending)
                    .where(pending.c.platform == platform, pending.c.owner != self.owner)
                    .order_by(pending.c.id)
                )
            ).all()
        out = []
        for row in rows:
            data = self.vault.open(row.payload) or {}
            out.append(
                Pending(
                    id=row.id,
                    platform=row.platform,
                    conversation=row.conversation,
                    reply_to={**json.loads(row.reply_to), **data.get("place", {})},
                    created_at=row.created_at,
                    source_name=data.get("source_name"),
                    owner=row.owner,
                )
            )
        return out

    # --- platform events ------------------------------------------------------------------
    async def claim_event(self, event_key: str) -> bool:
        """True the first time `event_key` is seen (by any process sharing the database)."""
        try:
            async with self.engine.begin() as conn:
                await conn.execute(
                    insert(seen_events).values(key=event_key[:200], created_at=self.clock())
                )
        except IntegrityError:
            return False
        return True

    # --- deletion ---------------------------------------------------------------------------
    async def forget(self, person: str) -> int:
        """Delete every row about `person`; returns how many versions were deleted."""
        versions_gone, _ = await self.forget_all(person)
        return versions_gone

    async def forget_all(self, person: str) -> tuple[int, int]:
        """Delete every row about `person`: (versions, other rows: cached answers, votes)."""
        async with self.engine.begin() as conn:
            ids = (
                (await conn.execute(select(versions.c.id).where(versions.c.person == person)))
                .scalars()
                .all()
            )
            await conn.execute(delete(versions).where(versions.c.person == person))
            await conn.execute(delete(pending).where(pending.c.person == person))
            cached = await self._delete_cache(conn, model_cache.c.person == person)
            voted = await conn.execute(delete(votes).where(votes.c.voter == person))
        self.vault.drop("versions", list(ids))
        self.vault.drop("model_cache", cached)
        return len(ids), len(cached) + max(voted.rowcount, 0)

    async def purge(self) -> int:
        """Delete what is past retention; returns how many versions went."""
        cutoff = self._cutoff()
        async with self.engine.begin() as conn:
            ids = (
                (await conn.execute(select(versions.c.id).where(versions.c.created_at < cutoff)))
                .scalars()
                .all()
            )
            await conn.execute(delete(versions).where(versions.c.created_at < cutoff))
            await conn.execute(delete(pending).where(pending.c.created_at < cutoff))
            cache_cutoff = max(cutoff, self.clock() - self.cache_s)
            cached = await self._delete_cache(conn, model_cache.c.created_at < cache_cutoff)
            # a vote past retention still counts, but no longer says whose it was
            await conn.execute(
                update(votes)
                .where(votes.c.created_at < cutoff, votes.c.voter.is_not(None))
                .values(voter=None)
            )
            await conn.execute(
                delete(seen_events).where(
                    seen_events.c.created_at < self.clock() - SEEN_EVENTS_KEEP_S
                )
            )
        self.vault.drop("versions", list(ids))
        self.vault.drop("model_cache", cached)
        if ids:
            log.info("state: purged %d version(s) past retention", len(ids))
        return len(ids)

    # --- the model answer cache (issue 17) ----------------------------------------------------
    @staticmethod
    async def _delete_cache(conn: Any, where: Any) -> list[int]:
        ids = list((await conn.execute(select(model_cache.c.id).where(where))).scalars().all())
        if ids:
            await conn.execute(delete(model_cache).where(model_cache.c.id.in_(ids)))
        return ids

    async def cached_answer(self, key: str) -> dict[str, Any] | None:
        """The model's answer stored under `key` within MODEL_CACHE_HOURS (and retention)."""
        since = max(self._cutoff(), self.clock() - self.cache_s)
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(model_cache.c.id, model_cache.c.payload).where(
                        model_cache.c.key == key, model_cache.c.created_at >= since
                    )
                )
            ).first()
        if row is None:
            return None
        return self.vault.open(row.payload) or self.vault.recall("model_cache", row.id)

    async def keep_answer(self, key: str, person: str, answer: dict[str, Any]) -> None:
        """Store the model's answer under `key` (replacing an expired one), sealed."""
        if self.cache_s <= 0:
            return
        try:
            async with self.engine.begin() as conn:
                old = await self._delete_cache(conn, model_cache.c.key == key)
                row = await conn.execute(
                    insert(model_cache)
                    .values(
                        key=key,
                        person=person,
                        created_at=self.clock(),
                        payload=self.vault.seal(answer),
                    )
                    .returning(model_cache.c.id)
                )
                row_id = int(row.scalar_one())
        except IntegrityError:
            return  # another review stored the same answer a moment ago
        self.vault.drop("model_cache", old)
        self.vault.keep("model_cache", row_id, answer)

    # --- usage stats and votes (issue 17): numbers and ids only, never text -------------------
    async def record_review(
        self,
        *,
        platform: str,
        engine: str,
        score: int,
        cached: bool,
        fallback: str | None,
        seconds: float,
    ) -> str:
        """One answered review for `resume-bot stats`; returns the id its vote buttons carry."""
        token = uuid.uuid4().hex
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(reviews).values(
                    token=token,
                    created_at=self.clock(),
                    platform=platform,
                    engine=engine[:200],
                    score=score,
                    cached=int(cached),
                    fallback=fallback,
                    seconds=seconds,
                )
            )
        return token

    async def vote(self, review: str, voter: str, vote: int) -> tuple[int, int] | None:
        """Record (or change) `voter`'s 👍 (+1) / 👎 (-1) on a review; the review's (👍, 👎)
        after it, or None when there is no such review (past retention, or never recorded)."""
        vote = 1 if vote > 0 else -1
        async with self.engine.begin() as conn:
            known = await conn.scalar(select(reviews.c.id).where(reviews.c.token == review))
            if known is None:
                return None
            changed = await conn.execute(
                update(votes)
                .where(votes.c.review == review, votes.c.voter == voter)
                .values(vote=vote, created_at=self.clock())
            )
            if changed.rowcount == 0:
                await conn.execute(
                    insert(votes).values(
                        review=review, voter=voter, vote=vote, created_at=self.clock()
                    )
                )
            counted = dict(
                (
                    await conn.execute(
                        select(votes.c.vote, func.count())
                        .where(votes.c.review == review)
                        .group_by(votes.c.vote)
                    )
                ).all()
            )
        return counted.get(1, 0), counted.get(-1, 0)

    async def usage(self, since: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Reviews answered since `since` and the votes on them, as plain rows for stats."""
        async with self.engine.connect() as conn:
            done = (
                (await conn.execute(select(reviews).where(reviews.c.created_at >= since)))
                .mappings()
                .all()
            )
            cast = (
                (
                    await conn.execute(
                        select(votes.c.review, votes.c.vote)
                        .join(reviews, reviews.c.token == votes.c.review)
                        .where(reviews.c.created_at >= since)
                    )
                )
                .mappings()
                .all()
            )
        return [dict(r) for r in done], [dict(v) for v in cast]

    async def purge_forever(self, interval_s: float = PURGE_INTERVAL_S) -> None:
        """Purge now and then every `interval_s` until cancelled (a bot's background task)."""
        while True:
            try:
                await self.purge()
            except Exception as exc:  # a database hiccup must not end the schedule
                log.warning("state: purge failed: %s", type(exc).__name__)
            await asyncio.sleep(interval_s)


async def open_state(settings: Settings, *, clock: Callable[[], float] = time.time) -> StateStore:
    """The store from settings, migrated and ready; `ConfigError` if the database won't open."""
    url = database_url(settings)
    parsed = make_url(url)
    folder = Path(parsed.database or ".").parent
    if parsed.get_backend_name() == "sqlite" and parsed.database and not folder.is_dir():
        raise ConfigError(f"STATE_URL: the folder {folder} for the state database doesn't exist.")
    key = settings.state_key.get_secret_value() if settings.state_key else None
    store = StateStore(
        url,
        key=key,
        retention_hours=settings.retention_hours,
        cache_hours=settings.model_cache_hours,
        clock=clock,
    )
    try:
        await store.migrate()
    except Exception as exc:
        await store.close()
        raise ConfigError(
            f"STATE_URL: can't open the state database {describe_url(url)} ({type(exc).__name__})."
        ) from None
    log.info(
        "state: %s (%s)",
        describe_url(url),
        "text encrypted at rest" if store.durable else "text in memory only: set STATE_KEY",
    )
    return store


@asynccontextmanager
async def running_state(settings: Settings) -> AsyncIterator[StateStore]:
    """A bot's store for its whole run: opened and migrated, purged on a schedule, closed."""
    store = await open_state(settings)
    purger = asyncio.create_task(store.purge_forever())
    try:
        yield store
    finally:
        purger.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purger
        await store.close()
