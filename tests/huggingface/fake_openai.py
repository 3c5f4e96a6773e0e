"""A small OpenAI-compatible chat server on 127.0.0.1 (aiohttp), for tests and the benchmarks.

It answers `POST /v1/chat/completions` the way vLLM, TGI or llama-server would:
it reads the resume between `<resume>` tags and returns a JSON rewrite that keeps
the placeholders, improves a bullet, and (on purpose) invents a number, an employer
and a year, so the honesty guard has something to catch. Every request is recorded.
For load and shutdown tests it can be slow (`delay_s`) and hold answers behind
`gate` until the test opens it, counting the calls in flight.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

from aiohttp import web

Responder = Callable[[dict[str, Any]], web.Response | None]

FABRICATED_BULLET = "- Grew revenue by 37% at Initech Corp in 2011"


def default_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A plausible model answer built from the resume in the request."""
    user = body["messages"][-1]["content"]
    m = re.search(r"<resume>\n(.*)\n</resume>", user, re.S)
    resume = m.group(1) if m else ""
    lines = [ln.strip() for ln in resume.splitlines() if ln.strip()]
    out = [f"# {lines[0] if lines else 'Resume'}", ""]
    for line in lines[1:]:
        if line.startswith("• "):
            out.append("- " + line[2:].replace("Responsible for", "Led"))
        elif len(line.split()) <= 3 and line[:1].isupper() and not any(ch.isdigit() for ch in line):
            out += ["", f"## {line}"]
        else:
            out.append(line)
    out.append(FABRICATED_BULLET)
    return {
        "rewritten_markdown": "\n".join(out),
        "score": 100,  # a model may try to score; it must be ignored
        "findings": [
            {
                "section": "experience",
                "before": next((ln[2:] for ln in lines if ln.startswith("• ")), ""),
                "after": "Led the work, with a measurable result: [add figure]",
                "message": "Start with an action verb and show the result.",
                "severity": "medium",
                "category": "impact",
            }
        ],
    }


def completion(content: str, model: str = "fake-model") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


class FakeOpenAI:
    """Start with `await fake.start()`; `fake.base_url` then ends in `/v1`."""

    def __init__(
        self,
        *,
        models: tuple[str, ...] = ("openai/gpt-oss-20b",),
        reject_json_schema: bool = False,
        responder: Responder | None = None,
        delay_s: float = 0.0,
        gated: bool = False,
    ) -> None:
        self.models = models
        self.reject_json_schema = reject_json_schema
        self.responder = responder
        self.delay_s = delay_s
        self.gate = asyncio.Event()
        if not gated:
            self.gate.set()
        self.calls = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self._changed = asyncio.Condition()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/v1/models/{model:.+}", self._model)
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

    @property
    def authorizations(self) -> set[str | None]:
        return {h.get("Authorization") for h in self.headers}

    async def wait_in_flight(self, count: int = 1, within_s: float = 15.0) -> None:
        """Wait until `count` calls are being held (the reviews that are surely in flight)."""
        async with asyncio.timeout(within_s), self._changed:
            await self._changed.wait_for(lambda: self.in_flight >= count)

    async def _chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        self.calls += 1
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        async with self._changed:
            self._changed.notify_all()
        try:
            await self.gate.wait()
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
        finally:
            self.in_flight -= 1
        if body.get("model") not in self.models:
            return web.json_response(
                {
                    "error": {
                        "message": f"The model {body.get('model')} is not supported",
                        "code": "model_not_supported",
                    }
                },
                status=400,
            )
        fmt = (body.get("response_format") or {}).get("type")
        if self.reject_json_schema and fmt == "json_schema":
            return web.json_response(
                {"error": "response_format json_schema is not supported"}, status=400
            )
        if self.responder is not None:
            custom = self.responder(body)
            if custom is not None:
                return custom
        content = json.dumps(default_answer(body))
        if fmt is None:  # unconstrained models like to wrap JSON in prose and fences
            content = f"Here is the review:\n```json\n{content}\n```"
        return web.json_response(completion(content, body["model"]))

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"object": "list", "data": [{"id": m, "object": "model"} for m in self.models]}
        )

    async def _model(self, request: web.Request) -> web.Response:
        model = request.match_info["model"]
        if model not in self.models:
            return web.json_response(
                {"error": {"message": "model not found", "code": "model_not_found"}}, status=404
            )
        return web.json_response({"id": model, "object": "model"})
