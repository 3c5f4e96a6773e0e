"""Settings, read once at start-up and passed in.

Nothing in `core` or `bots` reads the environment itself: `load_settings()` runs
in the entry point (CLI, bot runner), and the resulting `Settings` object is an
argument from there on. Tokens are `SecretStr`, so `repr()` and logs mask them.

`Settings` is a plain pydantic model, not a pydantic-settings one: importing
pydantic-settings costs about 0.15 s, and every `core` module that names
`Settings` (documents, review, ...) would pay it at start-up. `load_settings()`
reads the environment and `.env` itself, the way pydantic-settings did (the
process environment over `.env`, names case-insensitive, aliases in order).
Building `Settings(...)` directly (tests, benchmarks) takes only the values given.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from core.errors import ConfigError
from core.limits import REDIS_LEASE_SECONDS

DEFAULT_MODEL = "openai/gpt-oss-20b"
DEFAULT_HF_BASE_URL = "https://router.huggingface.co/v1"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DISCORD_API_URL = "https://discord.com/api/v10"


class Settings(BaseModel):
    """Everything the bot can be configured with; `env.example` documents each."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, validate_default=True)

    # Model engine
    huggingface_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("HUGGINGFACE_API_KEY", "HF_TOKEN")
    )
    huggingface_model: str = DEFAULT_MODEL
    huggingface_base_url: str = DEFAULT_HF_BASE_URL
    huggingface_deadline_s: float = Field(default=90.0, gt=0)
    huggingface_max_prompt_tokens: int = Field(default=6000, ge=500)
    # issue 17: a second model for an A/B test (each person held to one), and the answer cache
    huggingface_model_b: str | None = None
    model_b_share: float = Field(default=0.5, ge=0, le=1)  # share of people given model B
    model_cache_hours: float = Field(default=24.0, ge=0)  # 0: every review asks the model

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL

    # Discord
    discord_bot_token: SecretStr | None = None
    discord_api_url: str = DEFAULT_DISCORD_API_URL
    discord_gateway_url: str | None = None
    discord_guild_id: int | None = None
    # Shards (discord.py's AutoShardedClient): how many in all, and which this process runs
    # ("0,1"; unset: all of them). Unset count: one unsharded connection, as before.
    discord_shard_count: int | None = Field(default=None, ge=1)
    discord_shard_ids: tuple[int, ...] | None = None

    # Review channels (opt-in, both bots): Slack channel ids and Discord text or forum channel ids
    # where every new post carrying a resume is reviewed without a mention
    review_channels: frozenset[str] = frozenset()

    # Limits
    max_file_mb: float = Field(default=10.0, gt=0, le=100)
    max_pages: int = Field(default=10, ge=1, le=500)
    max_job_chars: int = Field(default=20_000, ge=100)
    parse_timeout_s: float = Field(default=30.0, gt=0)
    parse_memory_mb: int = Field(default=1024, ge=128)
    max_concurrent_reviews: int = Field(default=4, ge=1)
    user_reviews_per_hour: int = Field(default=10, ge=1)

    # State (core/state/): follow-ups and versions per conversation
    state_url: str | None = None  # None: DEFAULT_STATE_FILE in the working directory
    state_key: SecretStr | None = None  # Fernet key; unset: resume text kept in memory only
    retention_hours: float = Field(default=72.0, gt=0)

    # Several processes (core/scale/): unset, one process does everything, as before
    redis_url: SecretStr | None = None  # redis://host:6379/0: shared queue, claims, arq reviews
    job_timeout_s: float = Field(default=180.0, gt=0)  # one review job on a worker, at most
    worker_jobs: int = Field(default=1, ge=1)  # reviews one `resume-bot worker` runs at once
    # a place in line, a slot or an answer owed is a lease on Redis; one not renewed this long
    # (its replica died) is freed, or the answer adopted by another replica
    redis_lease_s: float = Field(default=REDIS_LEASE_SECONDS, gt=0)
    metrics_port: int | None = Field(default=None, ge=0, le=65535)  # /metrics, /healthz

    # Process
    port: int = Field(default=3000, ge=0, le=65535)  # 0: any free port (tests read it back)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _shard_ids(cls, value: object) -> object:
        """`0, 1` or `0 1` (the environment) → (0, 1); empty → None."""
        if isinstance(value, str):
            value = tuple(int(v) for v in value.replace(",", " ").split()) or None
        return value

    @field_validator("review_channels", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        """`C012AB, 1234567890` (the environment) or any iterable of ids (ints too) → strings."""
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if isinstance(value, (list, tuple, set, frozenset)):
            return frozenset(str(v).strip() for v in value if str(v).strip())
        return value

    @field_validator("huggingface_base_url", "slack_api_url", "discord_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("state_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        import base64
        import binascii

        try:
            raw = base64.urlsafe_b64decode(value.get_secret_value().encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ValueError(
                "must be a Fernet key (32 url-safe base64 bytes; make one with "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key()"
                ".decode())'`)"
            )
        return value

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def has_model_key(self) -> bool:
        return bool(self.huggingface_api_key and self.huggingface_api_key.get_secret_value())


def _environment(env_file: str | None) -> dict[str, str]:
    """Each field's value from the process environment, else from `env_file` (names case-insensitive)."""
    sources = [{name.lower(): value for name, value in os.environ.items()}]
    if env_file and Path(env_file).is_file():
        from dotenv import dotenv_values  # python-dotenv, only when there is a file to read

        values = dotenv_values(env_file, encoding="utf-8")
        sources.append({name.lower(): value for name, value in values.items() if value is not None})
    found: dict[str, str] = {}
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names = [str(n) for n in alias.choices] if isinstance(alias, AliasChoices) else [field_name]
        for source in sources:
            value = next((source[n.lower()] for n in names if n.lower() in source), None)
            if value is not None:
                found[field_name] = value
                break
    return found


def load_settings(env_file: str | None = ".env", **overrides: object) -> Settings:
    """Build settings from the environment (and `.env`), failing with one clear line.

    A bad value raises `ConfigError` whose message names the variable, e.g.
    ``MAX_FILE_MB: Input should be greater than 0``.
    """
    try:
        return Settings(**{**_environment(env_file), **overrides})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        raise ConfigError(f"Invalid setting {name}: {err['msg']}") from None
