"""A bot replica killed after it acknowledged a file and handed the review to a worker: the
answer it owed is finished by the surviving replica, once, in the same message and thread.

Both replicas are real processes (`tests/scale/slack_replica.py`, the production wiring) on
one Redis and one state database, with two workers; the model is the gated fake, so the
kill lands exactly while the review is on a worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.config import Settings
from core.state.store import StateStore
from tests.fakes.model import API_KEY, MODEL, SlowModel
from tests.fakes.slack import (
    BOT_TOKEN,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    dm_file_share,
    event_callback,
    sign,
)
from tests.scale.conftest import running_worker
from tests.scale.redis_server import RedisServer
from tests.slack.conftest import RESUME_TXT

ROOT = Path(__file__).resolve().parents[2]
LEASE_S = 0.6  # a killed replica's answer is adopted within about this (production: 30 s)
START_S = 60.0


@contextlib.asynccontextmanager
async def replica_process(env: dict[str, str], log: Path) -> AsyncIterator[tuple[str, int]]:
    """(its URL, its pid): a Slack replica as its own process; stopped with SIGTERM after."""
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.scale.slack_replica", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=stderr,
        )  # fmt: skip
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), START_S)
        assert line.strip(), f"the replica did not start:\n{log.read_text()}"
        yield f"http://{LOCALHOST}:{int(line)}", process.pid
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)


async def post_event(url: str, payload: dict[str, object]) -> int:
    body = json.dumps(payload)
    headers = {"Content-Type": "application/json", **sign(body)}
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{url}/slack/events", content=body, headers=headers)
    return response.status_code


@dataclass
class Scene:
    """The fake Slack and model, two workers, replica one holding Jane's review on a worker
    (the model call held) and Sam's in line; `env` starts more replicas like it."""

    fake: FakeSlack
    model: SlowModel
    env: dict[str, str]
    one: str
    one_pid: int
    jane: dict[str, Any]
    sam: dict[str, Any]
    tmp_path: Path

    def answered_once_each(self) -> None:
        for event in (self.jane, self.sam):  # the "Reviewing…" or "in line" message, now a review
            [answer] = self.fake.thread(event["channel"], event["ts"])
            assert "/100" in answer.all_text()
        assert len(self.fake.api_calls("files.completeUploadExternal")) == 2  # one each
        assert self.model.calls == 2  # one model call each: nothing reviewed twice

    async def nothing_left_unanswered(self) -> None:
        url = self.env["STATE_URL"].replace("sqlite:", "sqlite+aiosqlite:")
        store = StateStore(url, key=self.env["STATE_KEY"])
        try:  # a replica started later won't tell anyone their review was lost
            assert await store.unsettled("slack") == []
        finally:
            await store.close()


@pytest.fixture
async def scene(redis_server: RedisServer, state_key: str, tmp_path: Path) -> AsyncIterator[Scene]:
    fake, model = FakeSlack(), SlowModel(delay_s=0.0, gated=True)
    await fake.start()
    await model.start()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "REDIS_URL": redis_server.url,
        "REDIS_LEASE_S": str(LEASE_S),
        "STATE_KEY": state_key,
        "STATE_URL": f"sqlite:///{tmp_path / 'state.db'}",  # one store, as with PostgreSQL
        "MAX_CONCURRENT_REVIEWS": "1",  # so Sam waits in line
        "HUGGINGFACE_API_KEY": API_KEY,
        "HUGGINGFACE_MODEL": MODEL,
        "HUGGINGFACE_BASE_URL": model.base_url,
        "PORT": "0",
    }
    workers = Settings(
        redis_url=redis_server.url,
        state_key=state_key,
        huggingface_api_key=API_KEY,
        huggingface_model=MODEL,
        huggingface_base_url=model.base_url,
    )
    jane = dm_file_share([fake.add_file("jane.txt", RESUME_TXT.encode())])
    sam = dm_file_share(
        [fake.add_file("sam.txt", RESUME_TXT.encode())],
        user="U0SAM",
        channel="D0SAM",
        ts="1700000002.000100",
    )
    try:
        async with (
            running_worker(workers),
            running_worker(workers),
            replica_process(env, tmp_path / "one.log") as (one, one_pid),
        ):
            assert await post_event(one, event_callback(jane)) == 200
            await model.wait_in_flight(1, within_s=60)  # acked, enqueued, on a worker
            assert await post_event(one, event_callback(sam)) == 200
            await fake.wait_for(lambda: "in line" in _texts(fake, sam))
            yield Scene(fake, model, env, one, one_pid, jane, sam, tmp_path)
    finally:
        await model.close()
        await fake.close()


async def test_a_killed_replica_reviews_are_each_answered_once_by_the_survivor(
    scene: Scene,
) -> None:
    """Replica one is killed holding two reviews: Jane's on a worker (the answer it owed is
    adopted: the same job, no second model call), Sam's still in line (recovered from the
    shared store: Slack keeps the file, so it is reviewed again)."""
    fake = scene.fake
    async with replica_process(scene.env, scene.tmp_path / "two.log"):
        os.kill(scene.one_pid, signal.SIGKILL)
        scene.model.gate.set()
        for event in (scene.jane, scene.sam):
            await fake.wait_for(lambda e=event: fake.uploads_in(e["channel"], e["ts"]))
    scene.answered_once_each()
    assert "finishing a review another replica began" in (scene.tmp_path / "two.log").read_text()
    await scene.nothing_left_unanswered()


async def test_a_replica_started_beside_a_live_one_leaves_its_reviews_alone(
    scene: Scene,
) -> None:
    """A second replica starting (a deploy, a scale-up) while the first holds reviews must not
    take them for a dead process's: the first answers both, once."""
    fake = scene.fake
    async with replica_process(scene.env, scene.tmp_path / "two.log"):
        scene.model.gate.set()
        for event in (scene.jane, scene.sam):
            await fake.wait_for(lambda e=event: fake.uploads_in(e["channel"], e["ts"]))
    # two has stopped (SIGTERM: what it had in flight finished first)
    scene.answered_once_each()
    await scene.nothing_left_unanswered()


def _texts(fake: FakeSlack, event: dict[str, str]) -> str:
    return " ".join(m.all_text() for m in fake.thread(event["channel"], event["ts"]))
