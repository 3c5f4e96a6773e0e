"""Settings: read once, validated with one clear line, secrets masked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from core.config import DEFAULT_MODEL, Settings, load_settings
from core.errors import ConfigError


def test_defaults_without_environment() -> None:
    settings = load_settings(env_file=None)
    assert settings.max_file_mb == 10 and settings.max_pages == 10 and settings.log_level == "INFO"
    assert settings.huggingface_model == DEFAULT_MODEL and not settings.has_model_key


def test_hf_token_alias_and_masking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_secret_value_123")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret-456")
    settings = load_settings(env_file=None)
    assert settings.has_model_key
    shown = repr(settings) + str(settings)
    assert "hf_secret_value_123" not in shown and "xoxb-secret-456" not in shown


def test_env_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("MAX_PAGES=4\nLOG_LEVEL=debug\n")
    settings = load_settings(env_file=str(env))
    assert settings.max_pages == 4 and settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_FILE_MB", "0"),
        ("MAX_PAGES", "ten"),
        ("HUGGINGFACE_BASE_URL", "router.huggingface.co"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings(env_file=None)
    message = str(info.value)
    assert message.startswith(f"Invalid setting {name}:") and "\n" not in message


def test_review_channels_come_as_one_comma_separated_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REVIEW_CHANNELS", "C0CAREER, G0PRIVATE,1234567890123 ")
    assert load_settings(None).review_channels == {"C0CAREER", "G0PRIVATE", "1234567890123"}
    assert Settings(review_channels=[1234567890123]).review_channels == {"1234567890123"}
    assert Settings().review_channels == frozenset()  # opt-in: none by default


def test_settings_built_in_code_are_checked_like_the_environment() -> None:
    with pytest.raises(ConfigError, match=r"^Invalid setting MAX_PAGES: .*greater than or equal"):
        Settings(max_pages=0)
    with pytest.raises(ConfigError, match=r"^Invalid setting SLACK_API_URL: must start with http"):
        Settings(slack_api_url="slack.com/api/")
    settings = Settings(huggingface_api_key="hf_abc", max_pages="4", discord_shard_ids="0, 2")
    assert settings.has_model_key and settings.max_pages == 4
    assert settings.discord_shard_ids == (0, 2)
    assert "hf_abc" not in repr(settings) and str(settings.huggingface_api_key) == "**********"
    # a copy with one value changed is checked again
    with pytest.raises(ConfigError, match="MODEL_B_SHARE"):
        dataclasses.replace(settings, model_b_share=2)
