"""End to end over a real socket: review_resume → httpx → an aiohttp OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from core import ReviewRequest, review_resume


@pytest.fixture
async def fake(kit: Any) -> AsyncIterator[Any]:
    server = kit.fake_module().FakeOpenAI()
    await server.start()
    yield server
    await server.close()


async def test_review_through_a_local_openai_compatible_server(
    kit: Any, fake: Any, http: httpx.AsyncClient
) -> None:
    request = ReviewRequest(data=kit.resume.encode(), filename="jane.txt", engine="huggingface")
    result = await review_resume(request, kit.settings(fake.base_url), http=http, retry=kit.retry)

    assert len(fake.requests) == 1  # one HTTP call per review in the success case
    assert fake.headers[0]["Authorization"] == "Bearer hf_test"
    assert result.engine == "huggingface:openai/gpt-oss-20b"
    assert "Led the billing service" in result.rewritten  # the model's rewrite
    assert kit.email in result.rewritten and kit.phone in result.rewritten  # placeholders restored
    assert (
        "37%" not in result.rewritten
        and "Initech" not in result.rewritten
        and "2011" not in result.rewritten
    )
    assert "[add figure]" in result.rewritten and "[check: employer]" in result.rewritten
    assert any("37%" in w for w in result.warnings)
    assert result.score == await _offline_score(kit, http)  # our score, not the model's 100
    assert {a.filename for a in result.attachments} == {
        "jane-rewritten.docx",
        "jane-rewritten.pdf",
        "jane-rewritten.md",
    }
    assert kit.email not in str(fake.requests[0])


async def _offline_score(kit: Any, http: httpx.AsyncClient) -> int:
    request = ReviewRequest(data=kit.resume.encode(), filename="jane.txt", engine="offline")
    return (await review_resume(request, kit.settings(), http=http, retry=kit.retry)).score


async def test_schema_rejected_then_fenced_json_over_a_socket(
    kit: Any, http: httpx.AsyncClient
) -> None:
    server = kit.fake_module().FakeOpenAI(reject_json_schema=True)
    await server.start()
    try:
        request = ReviewRequest(data=kit.resume.encode(), filename="jane.txt", engine="huggingface")
        result = await review_resume(
            request, kit.settings(server.base_url), http=http, retry=kit.retry
        )
    finally:
        await server.close()
    assert [(r.get("response_format") or {}).get("type") for r in server.requests] == [
        "json_schema",
        "json_object",
    ]
    assert result.engine.startswith("huggingface:")


async def test_unserved_model_over_a_socket(kit: Any, fake: Any, http: httpx.AsyncClient) -> None:
    from core.errors import ModelNotServedError

    request = ReviewRequest(data=kit.resume.encode(), filename="jane.txt", engine="huggingface")
    settings = kit.settings(fake.base_url, huggingface_model="mistralai/Mistral-7B-Instruct-v0.2")
    result = await review_resume(request, settings, http=http, retry=kit.retry)
    assert len(fake.requests) == 1
    assert result.engine == "offline" and result.warnings[-1] == ModelNotServedError().user_message
