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
from pathlib import Path

import httpx

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


async def test_a_killed_replica_answer_is_posted_once_by_the_survivor(
    redis_server: RedisServer, state_key: str, tmp_path: Path
) -> None:
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
        "HUGGINGFACE_API_KEY": API_KEY,
        "HUGGINGFACE_MODEL": MODEL,
        "HUGGINGFACE_BASE_URL": model.base_url,
        "PORT": "0",
    }
    workers = Settings(
        _env_file=None,
        redis_url=redis_server.url,
        state_key=state_key,
        huggingface_api_key=API_KEY,
        huggingface_model=MODEL,
        huggingface_base_url=model.base_url,
    )
    try:
        async with (
            running_worker(workers),
            running_worker(workers),
            replica_process(env, tmp_path / "one.log") as (one, one_pid),
            replica_process(env, tmp_path / "two.log"),
        ):
            event = dm_file_share([fake.add_file("jane.txt", RESUME_TXT.encode())])
            assert await post_event(one, event_callback(event)) == 200
            await model.wait_in_flight(1, within_s=60)  # acked, enqueued, on a worker
            os.kill(one_pid, signal.SIGKILL)
            model.gate.set()
            await fake.wait_for(lambda: fake.uploads_in("D0USER", event["ts"]), 60)
        [answer] = fake.thread("D0USER", event["ts"])  # the "Reviewing…" message, now the review
        assert "/100" in answer.all_text()
        assert len(fake.api_calls("files.completeUploadExternal")) == 1
        assert model.calls == 1  # the same job: not reviewed again
        assert "finishing a review another replica began" in (tmp_path / "two.log").read_text()
        store = StateStore(env["STATE_URL"].replace("sqlite:", "sqlite+aiosqlite:"), key=state_key)
        try:  # settled: a replica started later won't tell the person their review was lost
            assert await store.unsettled("slack") == []
        finally:
            await store.close()
    finally:
        await model.close()
        await fake.close()
