"""Settings, read once at start-up and passed in.

Nothing in `core` or `bots` reads the environment itself: `load_settings()` runs
in the entry point (CLI, bot runner), and the resulting `Settings` object is an
argument from there on. Tokens are `Secret`s, so `repr()` and logs mask them.

`Settings` is a plain dataclass that checks and converts its own values: pydantic
(and pydantic-settings before it) cost the command line about a tenth of a second
to import, for some forty simple fields. Each field's type says how a value from
the environment is read ("10" → 10, "a, b" → a set); `bounded()` adds a range;
the few rules beyond that are the `_check_*` functions below. `load_settings()`
reads the environment and `.env` the way pydantic-settings did (the process
environment over `.env`, names case-insensitive, aliases in order). Building
`Settings(...)` directly (tests, benchmarks) takes only the values given, and a
bad one raises `ConfigError` naming it, as a bad environment variable does.
"""

from __future__ import annotations

import os
import typing
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

from core.errors import ConfigError
from core.limits import REDIS_LEASE_SECONDS

DEFAULT_MODEL = "openai/gpt-oss-20b"
DEFAULT_HF_BASE_URL = "https://router.huggingface.co/v1"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DISCORD_API_URL = "https://discord.com/api/v10"


class Secret:
    """A token or key: its value only through `get_secret_value()`, masked everywhere else."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return "**********" if self._value else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __len__(self) -> int:
        return len(self._value)


def bounded(default: Any, **bounds: float) -> Any:
    """A field with a range: `ge`/`gt` (at least / more than), `le` (at most)."""
    return field(default=default, metadata=bounds)


@dataclass(kw_only=True, slots=True)
class Settings:
    """Everything the bot can be configured with; `env.example` documents each."""

    # Model engine
    huggingface_api_key: Secret | None = field(
        default=None, metadata={"env": ("HUGGINGFACE_API_KEY", "HF_TOKEN")}
    )
    huggingface_model: str = DEFAULT_MODEL
    huggingface_base_url: str = DEFAULT_HF_BASE_URL
    huggingface_deadline_s: float = bounded(90.0, gt=0)
    huggingface_max_prompt_tokens: int = bounded(6000, ge=500)
    # issue 17: a second model for an A/B test (each person held to one), and the answer cache
    huggingface_model_b: str | None = None
    model_b_share: float = bounded(0.5, ge=0, le=1)  # share of people given model B
    model_cache_hours: float = bounded(24.0, ge=0)  # 0: every review asks the model

    # Slack
    slack_bot_token: Secret | None = None
    slack_signing_secret: Secret | None = None
    slack_app_token: Secret | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL

    # Discord
    discord_bot_token: Secret | None = None
    discord_api_url: str = DEFAULT_DISCORD_API_URL
    discord_gateway_url: str | None = None
    discord_guild_id: int | None = None
    # Shards (discord.py's AutoShardedClient): how many in all, and which this process runs
    # ("0,1"; unset: all of them). Unset count: one unsharded connection, as before.
    discord_shard_count: int | None = bounded(None, ge=1)
    discord_shard_ids: tuple[int, ...] | None = None

    # Review channels (opt-in, both bots): Slack channel ids and Discord text or forum channel ids
    # where every new post carrying a resume is reviewed without a mention
    review_channels: frozenset[str] = frozenset()

    # Limits
    max_file_mb: float = bounded(10.0, gt=0, le=100)
    max_pages: int = bounded(10, ge=1, le=500)
    max_job_chars: int = bounded(20_000, ge=100)
    parse_timeout_s: float = bounded(30.0, gt=0)
    parse_memory_mb: int = bounded(1024, ge=128)
    max_concurrent_reviews: int = bounded(4, ge=1)
    user_reviews_per_hour: int = bounded(10, ge=1)

    # State (core/state/): follow-ups and versions per conversation
    state_url: str | None = None  # None: DEFAULT_STATE_FILE in the working directory
    state_key: Secret | None = None  # Fernet key; unset: resume text kept in memory only
    retention_hours: float = bounded(72.0, gt=0)

    # Several processes (core/scale/): unset, one process does everything, as before
    redis_url: Secret | None = None  # redis://host:6379/0: shared queue, claims, arq reviews
    job_timeout_s: float = bounded(180.0, gt=0)  # one review job on a worker, at most
    worker_jobs: int = bounded(1, ge=1)  # reviews one `resume-bot worker` runs at once
    # a place in line, a slot or an answer owed is a lease on Redis; one not renewed this long
    # (its replica died) is freed, or the answer adopted by another replica
    redis_lease_s: float = bounded(REDIS_LEASE_SECONDS, gt=0)
    metrics_port: int | None = bounded(None, ge=0, le=65535)  # /metrics, /healthz

    # Process
    port: int = bounded(3000, ge=0, le=65535)  # 0: any free port (tests read it back)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    def __post_init__(self) -> None:
        for name, kind, meta in _schema():
            value = getattr(self, name)
            try:
                value = _convert(name, kind, value)
                _check_bounds(value, meta)
                check = _CHECKS.get(name)
                if check is not None:
                    value = check(value)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"Invalid setting {name.upper()}: {exc}") from None
            object.__setattr__(self, name, value)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def has_model_key(self) -> bool:
        return bool(self.huggingface_api_key and self.huggingface_api_key.get_secret_value())


@cache
def _schema() -> tuple[tuple[str, Any, dict[str, Any]], ...]:
    """Each field's name, resolved type and metadata, worked out once per process."""
    hints = typing.get_type_hints(Settings)
    return tuple((f.name, hints[f.name], dict(f.metadata)) for f in fields(Settings))


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _convert(name: str, kind: Any, value: Any) -> Any:
    """`value` as `kind`, reading strings as the environment writes them."""
    args = typing.get_args(kind)
    if type(None) in args:  # X | None
        if value is None:
            return None
        (kind,) = [a for a in args if a is not type(None)]
        args = typing.get_args(kind)
    origin = typing.get_origin(kind)
    if kind is Secret:
        if hasattr(value, "get_secret_value"):  # ours, or one a caller built elsewhere
            value = value.get_secret_value()
        if not isinstance(value, str):
            raise ValueError("Input should be a valid string")
        return Secret(value)
    if kind is str:
        if not isinstance(value, str):
            raise ValueError("Input should be a valid string")
        return value
    if kind is bool:
        text = str(value).strip().lower()
        if isinstance(value, bool) or text in _TRUE | _FALSE:
            return value if isinstance(value, bool) else text in _TRUE
        raise ValueError("Input should be a valid boolean")
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, str, float)):
            raise ValueError("Input should be a valid integer")
        try:
            number = float(value) if isinstance(value, float) else int(str(value).strip())
        except ValueError:
            raise ValueError(
                "Input should be a valid integer, unable to parse string as an integer"
            ) from None
        if number != int(number):
            raise ValueError("Input should be a valid integer, got a number with a fractional part")
        return int(number)
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError("Input should be a valid number")
        try:
            return float(value)
        except ValueError:
            raise ValueError(
                "Input should be a valid number, unable to parse string as a number"
            ) from None
    if origin is Literal:
        text = value.upper() if isinstance(value, str) else value  # 'debug' is DEBUG
        if text not in args:
            raise ValueError(
                "Input should be " + ", ".join(repr(a) for a in args[:-1]) + f" or {args[-1]!r}"
            )
        return text
    if origin is tuple:  # of ints: "0, 1" or "0 1" from the environment; empty is None
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        items = tuple(_convert(name, int, v) for v in value)
        return items or None
    if origin is frozenset:  # of ids: "C012AB, 1234567890", or any iterable (ints too)
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if not isinstance(value, (list, tuple, set, frozenset)):
            raise ValueError("Input should be a list of ids")
        return frozenset(str(v).strip() for v in value if str(v).strip())
    raise TypeError(f"no reading for {kind}")  # a field of a type this function doesn't know


def _check_bounds(value: Any, meta: dict[str, Any]) -> None:
    if value is None:
        return
    if "gt" in meta and not value > meta["gt"]:
        raise ValueError(f"Input should be greater than {meta['gt']}")
    if "ge" in meta and not value >= meta["ge"]:
        raise ValueError(f"Input should be greater than or equal to {meta['ge']}")
    if "le" in meta and not value <= meta["le"]:
        raise ValueError(f"Input should be less than or equal to {meta['le']}")


def _check_http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value


def _check_fernet_key(value: Secret | None) -> Secret | None:
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


_CHECKS = {
    "huggingface_base_url": _check_http_url,
    "slack_api_url": _check_http_url,
    "discord_api_url": _check_http_url,
    "state_key": _check_fernet_key,
}


def _environment(env_file: str | None) -> dict[str, str]:
    """Each field's value from the process environment, else from `env_file` (names case-insensitive)."""
    sources = [{name.lower(): value for name, value in os.environ.items()}]
    if env_file and Path(env_file).is_file():
        from dotenv import dotenv_values  # python-dotenv, only when there is a file to read

        values = dotenv_values(env_file, encoding="utf-8")
        sources.append({name.lower(): value for name, value in values.items() if value is not None})
    found: dict[str, str] = {}
    for field_name, _, meta in _schema():
        names = meta.get("env", (field_name,))
        for source in sources:
            value = next((source[n.lower()] for n in names if n.lower() in source), None)
            if value is not None:
                found[field_name] = value
                break
    return found


def load_settings(env_file: str | None = ".env", **overrides: object) -> Settings:
    """Build settings from the environment (and `.env`), failing with one clear line.

    A bad value raises `ConfigError` whose message names the variable, e.g.
    ``Invalid setting MAX_FILE_MB: Input should be greater than 0``.
    """
    return Settings(**{**_environment(env_file), **overrides})
