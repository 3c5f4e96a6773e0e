"""core/state: the store on a real database (an SQLite file; PostgreSQL when one is given).

Each test opens the store the way a bot does (`open_state`: migrations applied at
start-up), and "a restart" is a second store on the same database.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from core.config import Settings
from core.review import offline_pipeline
from core.state.keys import ConversationKey
from core.state.store import StateStore, open_state
from tests.samples import FLAWED_RESUME

KEY = ConversationKey("slack", "T1", "D1", None, "U1")
OTHER = ConversationKey("slack", "T1", "D2", None, "U2")
DISTINCT = "reorganise the warehouse layout"  # words of the resume that must never be stored plain


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def reviewed(text: str = FLAWED_RESUME, job: str | None = None):
    settings = Settings()
    return offline_pipeline(text.encode(), "sam.txt", job, None, settings, False)


async def opened(
    url: str, key: str | None = None, *, clock: Clock | None = None, retention_hours: float = 72
) -> StateStore:
    settings = Settings(state_url=url, state_key=key, retention_hours=retention_hours)
    return await open_state(settings, clock=clock or Clock())


async def rows(store: StateStore, sql: str) -> list[tuple]:
    async with store.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


async def test_migrations_run_at_start_up_and_again_changes_nothing(state_url: str) -> None:
    store = await opened(state_url)
    again = await opened(state_url)  # a restart: the schema is current, nothing to do
    try:
        assert await rows(store, "SELECT version_num FROM alembic_version") == [("0002",)]
        assert await rows(again, "SELECT count(*) FROM versions") == [(0,)]
    finally:
        await store.close()
        await again.close()


async def test_a_version_survives_a_restart_with_its_text_encrypted(
    state_url: str, state_key: str
) -> None:
    document, result = reviewed()
    store = await opened(state_url, state_key)
    assert await store.save_version(KEY, result, document, job="Python, SQL", role=None) == 1
    [(payload,)] = await rows(store, "SELECT payload FROM versions")
    assert DISTINCT.encode() not in bytes(payload) and b"Python, SQL" not in bytes(payload)
    await store.close()

    restarted = await opened(state_url, state_key)
    try:
        snap = await restarted.latest(KEY)
        assert snap is not None and snap.detailed
        assert (snap.number, snap.score) == (1, result.score)
        assert snap.findings == result.findings and snap.structure == result.structure
        assert snap.document is not None and DISTINCT in snap.document.text
        assert snap.job == "Python, SQL"
        assert await restarted.latest(OTHER) is None  # another person's conversation
        assert await restarted.save_version(KEY, result, document, job=None, role=None) == 2
    finally:
        await restarted.close()


async def test_without_a_key_text_stays_in_memory_and_a_restart_keeps_scores_only(
    state_url: str,
) -> None:
    document, result = reviewed()
    store = await opened(state_url)
    await store.save_version(KEY, result, document, job=None, role=None)
    assert await rows(store, "SELECT payload FROM versions") == [(None,)]
    snap = await store.latest(KEY)
    assert snap is not None and snap.detailed  # same process: follow-ups work
    await store.close()

    restarted = await opened(state_url)
    try:
        snap = await restarted.latest(KEY)
        assert snap is not None and not snap.detailed and snap.score == result.score
        assert snap.document is None
    finally:
        await restarted.close()


async def test_another_key_reads_scores_only(state_url: str, state_key: str) -> None:
    from cryptography.fernet import Fernet

    document, result = reviewed()
    store = await opened(state_url, state_key)
    await store.save_version(KEY, result, document, job=None, role=None)
    await store.close()
    rotated = await opened(state_url, Fernet.generate_key().decode())
    try:
        snap = await rotated.latest(KEY)
        assert snap is not None and not snap.detailed and snap.score == result.score
    finally:
        await rotated.close()


async def test_forget_deletes_everything_about_one_person_only(
    state_url: str, state_key: str
) -> None:
    document, result = reviewed()
    store = await opened(state_url, state_key)
    try:
        thread = ConversationKey("slack", "T1", "C9", "171.1", "U1")  # same person elsewhere
        for key in (KEY, thread, OTHER):
            await store.save_version(key, result, document, job=None, role=None)
        await store.accept(KEY, {"channel": "D1"}, "sam.txt")
        assert await store.forget(KEY.person) == 2
        persons = await rows(
            store, "SELECT person FROM versions UNION ALL SELECT person FROM pending"
        )
        assert persons == [(OTHER.person,)]
        assert await store.latest(KEY) is None and await store.latest(thread) is None
    finally:
        await store.close()


async def test_retention_purges_old_versions(state_url: str, state_key: str) -> None:
    document, result = reviewed()
    clock = Clock()
    store = await opened(state_url, state_key, retention_hours=72, clock=clock)
    try:
        await store.save_version(KEY, result, document, job=None, role=None)
        clock.now += 71 * 3600
        assert await store.purge() == 0 and await store.latest(KEY) is not None
        clock.now += 2 * 3600
        assert await store.latest(KEY) is None  # past retention: never compared with again
        assert await store.purge() == 1
        assert await rows(store, "SELECT count(*) FROM versions") == [(0,)]
        assert await store.save_version(KEY, result, document, job=None, role=None) == 1
    finally:
        await store.close()


async def test_the_purge_runs_on_a_schedule(state_url: str, state_key: str) -> None:
    document, result = reviewed()
    clock = Clock()
    store = await opened(state_url, state_key, retention_hours=1, clock=clock)
    try:
        await store.save_version(KEY, result, document, job=None, role=None)
        clock.now += 2 * 3600
        task = asyncio.create_task(store.purge_forever(interval_s=0.01))
        try:
            async with asyncio.timeout(30):
                # the database is what changes: polled, with a bound on failure
                count = "SELECT count(*) FROM versions"
                while await rows(store, count) != [(0,)]:  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
        finally:
            task.cancel()
            # let it finish unwinding before the engine goes: a purge cut off mid-query and
            # left running after `close()` never completes, and the loop's teardown waits on it
            await asyncio.gather(task, return_exceptions=True)
    finally:
        await store.close()


async def test_an_event_is_claimed_once_across_a_restart(state_url: str) -> None:
    store = await opened(state_url)
    assert await store.claim_event("slack:event:Ev1")
    assert not await store.claim_event("slack:event:Ev1")
    await store.close()
    restarted = await opened(state_url)
    try:
        assert not await restarted.claim_event("slack:event:Ev1")
        assert await restarted.claim_event("slack:event:Ev2")
    finally:
        await restarted.close()


async def test_reviews_in_flight_are_handed_to_the_next_process(
    state_url: str, state_key: str
) -> None:
    store = await opened(state_url, state_key)
    first = await store.accept(KEY, {"channel": "D1", "thread_ts": None}, "sam.txt")
    done = await store.accept(OTHER, {"channel": "D2"}, "other.pdf")
    await store.settle(done)
    assert await store.unsettled("slack") == []  # its own are in flight, not lost
    await store.close()
    restarted = await opened(state_url, state_key)
    try:
        [lost] = await restarted.unsettled("slack")
        assert (lost.id, lost.source_name, lost.reply_to) == (
            first,
            "sam.txt",
            {"channel": "D1", "thread_ts": None},
        )
        assert await restarted.unsettled("discord") == []
        [(name,)] = await rows(restarted, "SELECT payload FROM pending")
        assert b"sam.txt" not in bytes(name)  # file names are sealed too
    finally:
        await restarted.close()


async def test_a_token_in_the_place_to_answer_is_sealed(state_url: str, state_key: str) -> None:
    store = await opened(state_url, state_key)
    place = {
        "application_id": "42",
        "token": "itoken-secret",
        "ephemeral": True,
        "file": {"id": "F1", "name": "sam-secret.pdf"},
        "job": "secret job text",
    }
    pending_id = await store.accept(KEY, place, "sam.txt")
    await store.update_reply_to(pending_id, place)
    await store.close()
    restarted = await opened(state_url, state_key)
    try:
        [(plain, sealed)] = await rows(restarted, "SELECT reply_to, payload FROM pending")
        for secret in ("itoken-secret", "sam-secret", "secret job text"):
            assert secret not in plain and secret.encode() not in bytes(sealed)
        [lost] = await restarted.unsettled("slack")
        assert lost.reply_to == place
    finally:
        await restarted.close()


async def test_an_unreachable_database_stops_start_up_with_one_line(tmp_path) -> None:
    from core.errors import ConfigError

    url = f"sqlite:///{tmp_path / 'missing-dir' / 'state.db'}"
    with pytest.raises(ConfigError, match="STATE_URL"):
        await opened(url)


def test_a_bad_state_key_is_refused_at_start_up() -> None:
    from core.config import load_settings
    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="STATE_KEY"):
        load_settings(None, state_key="not-a-key")
