"""Faults on the workers: a review survives a killed worker and is answered once; a job has a
time limit and a bounded number of tries, and either way the person gets a clear answer.

The model is the gated fake on 127.0.0.1, so "mid-review" is exact: the worker is stopped
while its model call is being held.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from core.errors import ProcessingError
from core.limits import JOB_TRIES
from core.review import ReviewRequest
from core.scale import coordination
from core.scale.jobs import FAILED_EVERY_TRY, TOOK_TOO_LONG
from tests.fakes.model import API_KEY, MODEL, SlowModel
from tests.scale.conftest import model_settings, running_worker
from tests.scale.redis_server import RedisServer
from tests.slack.conftest import RESUME_TXT

ROOT = Path(__file__).resolve().parents[2]
REQUEST = ReviewRequest(data=RESUME_TXT.encode(), filename="jane.txt")


async def test_a_job_that_fails_every_try_gets_a_clear_answer(
    redis_server: RedisServer, state_key: str, model: SlowModel
) -> None:
    settings = model_settings(redis_server, state_key, model)
    async with coordination(settings) as shared:
        review = asyncio.create_task(shared.reviewer(REQUEST, settings))
        for attempt in range(1, JOB_TRIES + 1):  # each worker stopped mid-review
            async with running_worker(settings):
                await model.wait_in_flight(attempt)
        async with running_worker(settings):  # the next one sees the tries used up
            with pytest.raises(ProcessingError) as failed:
                await asyncio.wait_for(review, 30)
    assert failed.value is FAILED_EVERY_TRY
    assert f"{JOB_TRIES} times" in failed.value.for_user()


async def test_a_job_past_its_time_limit_is_stopped_with_a_clear_answer(
    redis_server: RedisServer, state_key: str, model: SlowModel
) -> None:
    settings = model_settings(redis_server, state_key, model, job_timeout_s=1.0)
    async with coordination(settings) as shared, running_worker(settings):
        with pytest.raises(ProcessingError) as stopped:
            await asyncio.wait_for(shared.reviewer(REQUEST, settings), 30)
    assert stopped.value is TOOK_TOO_LONG


@pytest.mark.slow  # a killed worker's job goes to another after its time limit (2 s) + 1 s
async def test_worker_killed_mid_review_is_retried_and_answered_once(
    redis_server: RedisServer, state_key: str, model: SlowModel
) -> None:
    settings = model_settings(redis_server, state_key, model, job_timeout_s=2.0)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REDIS_URL": redis_server.url,
        "STATE_KEY": state_key,
        "HUGGINGFACE_API_KEY": API_KEY,
        "HUGGINGFACE_MODEL": MODEL,
        "HUGGINGFACE_BASE_URL": model.base_url,
        "JOB_TIMEOUT_S": "2",
        "PORT": "0",
    }

    async def worker() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "resume_bot", "worker", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip

    async with coordination(settings) as shared:
        first = await worker()
        second = None
        try:
            review = asyncio.create_task(shared.reviewer(REQUEST, settings))
            await model.wait_in_flight(1, within_s=60)
            os.kill(first.pid, signal.SIGKILL)  # mid-review: its model call is being held
            await first.wait()
            second = await worker()
            model.gate.set()
            document, result = await asyncio.wait_for(review, 60)
        finally:
            for process in (first, second):
                if process is not None and process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    await process.wait()
    assert result.engine.startswith("huggingface")  # answered by the second worker, once
    assert model.calls == 2
    assert document.text
