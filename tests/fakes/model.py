"""A slow OpenAI-compatible model on 127.0.0.1, for load and shutdown tests.

Answers like tests/huggingface/fake_openai.py (same answer builder), but each
call takes `delay_s` and can be held behind `gate` until a test opens it, so a
test decides exactly when reviews in flight may finish. Counts calls in flight.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from tests.huggingface.fake_openai import completion, default_answer

MODEL = "openai/gpt-oss-20b"
API_KEY = "hf_test_load"


class SlowModel:
    """`await model.start()`; then `model.base_url` (ends in /v1) goes in HUGGINGFACE_BASE_URL."""

    def __init__(self, delay_s: float = 0.3, *, gated: bool = False) -> None:
        self.delay_s = delay_s
        self.gate = asyncio.Event()
        if not gated:
            self.gate.set()
        self.calls = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.authorizations: set[str | None] = set()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self.base_url

    async def close(self) -> None:
        self.gate.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_in_flight(self, count: int = 1, within_s: float = 15.0) -> None:
        """Wait until `count` calls are being held (the reviews that are surely in flight)."""
        async with asyncio.timeout(within_s), self._changed:
            await self._changed.wait_for(lambda: self.in_flight >= count)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.authorizations.add(request.headers.get("Authorization"))
        self.calls += 1
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        await self._notify()
        try:
            await self.gate.wait()
            await asyncio.sleep(self.delay_s)
        finally:
            self.in_flight -= 1
        return web.json_response(
            completion(json.dumps(default_answer(body)), body.get("model", MODEL))
        )
