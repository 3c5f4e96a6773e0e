"""`resume-bot doctor` checks against respx routes (and one real refused socket)."""

from __future__ import annotations

from typing import Any

import httpx
import respx

from core.config import Settings
from core.doctor import mask
from core.doctor import run_doctor as run_core_doctor
from resume_bot.platforms import PLATFORMS

HF_TOKEN = "hf_abcdefghijklmnopqrstuvwxyz0123"
SLACK_TOKEN = "xoxb-1111-2222-abcdefghijklmnop"
DISCORD_TOKEN = "MTEx.discord.token-abcdefghijklmnop"


async def run_doctor(settings: Settings, http: httpx.AsyncClient) -> list[Any]:
    """`resume-bot doctor`: core's model checks and every registered platform's."""
    return await run_core_doctor(settings, http, [p.doctor for p in PLATFORMS])


def full_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "huggingface_api_key": HF_TOKEN,
        "slack_bot_token": SLACK_TOKEN,
        "slack_app_token": "xapp-1-abcdefghijklmnop",
        "discord_bot_token": DISCORD_TOKEN,
        "state_key": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",  # follow-ups survive restarts
        **overrides,
    }
    return Settings(**values)


def by_name(checks: list[Any]) -> dict[str, Any]:
    return {c.name: c for c in checks}


def assert_no_tokens(checks: list[Any]) -> None:
    text = " ".join(c.detail for c in checks)
    for token in (HF_TOKEN, SLACK_TOKEN, DISCORD_TOKEN):
        assert token not in text


@respx.mock
async def test_everything_works(http: httpx.AsyncClient) -> None:
    respx.get("https://router.huggingface.co/v1/models").respond(200, json={"data": []})
    respx.get("https://router.huggingface.co/v1/models/openai/gpt-oss-20b").respond(
        200, json={"id": "openai/gpt-oss-20b"}
    )
    slack = respx.post("https://slack.com/api/auth.test").respond(
        200, json={"ok": True, "user": "resumebot", "team": "Acme"}
    )
    discord = respx.get("https://discord.com/api/v10/users/@me").respond(
        200, json={"id": "1", "username": "ResumeBot"}
    )

    checks = await run_doctor(full_settings(), http)

    assert all(c.ok is True for c in checks), checks
    assert [c.name for c in checks] == [
        "model key",
        "base URL reachable",
        "model served",
        "state",
        "state key",
        "Slack auth.test",
        "Discord /users/@me",
    ]
    assert slack.calls[0].request.headers["authorization"] == f"Bearer {SLACK_TOKEN}"
    assert discord.calls[0].request.headers["authorization"] == f"Bot {DISCORD_TOKEN}"
    assert "@resumebot in Acme" in by_name(checks)["Slack auth.test"].detail
    assert_no_tokens(checks)


@respx.mock
async def test_each_token_goes_only_to_its_own_host(http: httpx.AsyncClient) -> None:
    respx.route().respond(200, json={"ok": True})
    await run_doctor(full_settings(), http)
    for call in respx.calls:
        auth = call.request.headers.get("authorization", "")
        host = call.request.url.host
        if HF_TOKEN in auth:
            assert host == "router.huggingface.co"
        if SLACK_TOKEN in auth:
            assert host == "slack.com"
        if DISCORD_TOKEN in auth:
            assert host == "discord.com"


async def test_nothing_configured_skips_cleanly(http: httpx.AsyncClient) -> None:
    checks = await run_doctor(Settings(), http)  # no network calls at all
    assert all(c.ok is None for c in checks if c.name != "state")
    assert "offline only" in by_name(checks)["model key"].detail
    # the embedded default needs no configuration; without a key, follow-ups live in memory
    assert "will be created at start-up" in by_name(checks)["state"].detail
    assert "don't survive a restart" in by_name(checks)["state key"].detail


async def test_old_env_model_gets_a_served_replacement(http: httpx.AsyncClient) -> None:
    settings = Settings(huggingface_model="mistralai/Mistral-7B-Instruct-v0.2")
    check = by_name(await run_doctor(settings, http))["model name"]
    assert check.ok is False and "HUGGINGFACE_MODEL=openai/gpt-oss-20b" in check.detail


async def test_retired_inference_api_host(http: httpx.AsyncClient) -> None:
    settings = full_settings(
        huggingface_base_url="https://api-inference.huggingface.co/models",
        slack_bot_token=None,
        discord_bot_token=None,
    )
    check = by_name(await run_doctor(settings, http))["base URL"]
    assert check.ok is False and "router.huggingface.co/v1" in check.detail


@respx.mock
async def test_rejected_tokens_and_unserved_model(http: httpx.AsyncClient) -> None:
    respx.get("https://router.huggingface.co/v1/models").respond(200, json={"data": []})
    respx.get(url__startswith="https://router.huggingface.co/v1/models/").respond(
        404, json={"error": "Not Found"}
    )
    respx.post("https://router.huggingface.co/v1/chat/completions").respond(
        400, json={"error": {"message": "not supported", "code": "model_not_supported"}}
    )
    respx.post("https://slack.com/api/auth.test").respond(
        200, json={"ok": False, "error": "invalid_auth"}
    )
    respx.get("https://discord.com/api/v10/users/@me").respond(
        401, json={"message": "401: Unauthorized"}
    )

    checks = by_name(
        await run_doctor(full_settings(huggingface_model="someone/private-model"), http)
    )
    assert (
        checks["model served"].ok is False and "openai/gpt-oss-20b" in checks["model served"].detail
    )
    assert (
        checks["Slack auth.test"].ok is False and "invalid_auth" in checks["Slack auth.test"].detail
    )
    assert checks["Discord /users/@me"].ok is False
    assert mask(SLACK_TOKEN) in checks["Slack auth.test"].detail
    assert_no_tokens(list(checks.values()))


async def test_local_server_down(http: httpx.AsyncClient, refused_port: int) -> None:
    settings = Settings(huggingface_base_url=f"http://127.0.0.1:{refused_port}/v1")
    checks = by_name(await run_doctor(settings, http))
    assert checks["model key"].ok is None and "optional" in checks["model key"].detail
    assert (
        checks["base URL reachable"].ok is False
        and "refused" in checks["base URL reachable"].detail
    )


async def test_local_fake_server_serves_the_model(kit: Any, http: httpx.AsyncClient) -> None:
    fake = kit.fake_module().FakeOpenAI(models=("llama3.1:8b",))
    await fake.start()
    try:
        settings = Settings(huggingface_base_url=fake.base_url, huggingface_model="llama3.1:8b")
        checks = by_name(await run_doctor(settings, http))
    finally:
        await fake.close()
    assert checks["base URL reachable"].ok is True and checks["model served"].ok is True
