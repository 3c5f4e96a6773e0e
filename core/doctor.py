"""`resume-bot doctor`: what works in this configuration, one line per check.

Each check says ok / failed / skipped and, when something fails, what to change.
Tokens only ever go to their own platform's host (the model key to the model
base URL; each chat platform's checks live with its adapter, e.g.
`bots/slack/doctor.py`), and every detail line shows them masked.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

from core.ai_engine import LEGACY_MODELS
from core.config import DEFAULT_MODEL, Secret, Settings

CHECK_TIMEOUT = httpx.Timeout(10.0)  # doctor is interactive: fail fast
LEGACY_HOSTS = {"api-inference.huggingface.co"}  # the seed's host, now 410 Gone
HF_ROUTER_HOST = "router.huggingface.co"


@dataclass(frozen=True, slots=True)
class DoctorCheck:
    """One line of the report. `ok` is None when the check was skipped."""

    ok: bool | None
    name: str
    detail: str


def mask(secret: Secret | str | None) -> str:
    """Enough of a token to recognise it, never enough to use it."""
    value = secret.get_secret_value() if isinstance(secret, Secret) else (secret or "")
    if not value:
        return "(not set)"
    return f"{value[:4]}…{value[-2:]}" if len(value) >= 16 else "****"


def secret_value(value: Secret | None) -> str:
    return value.get_secret_value() if value else ""


async def run_doctor(
    settings: Settings,
    http: httpx.AsyncClient,
    platform_checks: Sequence[
        Callable[[Settings, httpx.AsyncClient], Awaitable[list[DoctorCheck]]]
    ] = (),
) -> list[DoctorCheck]:
    """Run the model's checks and each registered platform's, side by side, in a stable order.

    Core knows no platform: the caller passes each platform's `doctor`
    (see `resume_bot.platforms`).
    """
    groups = await asyncio.gather(
        _model_checks(settings, http),
        _state_checks(settings),
        *(check(settings, http) for check in platform_checks),
    )
    return [check for group in groups for check in group]


# --- state -------------------------------------------------------------------------------


def _sqlite_file_missing(url: str, where: str) -> DoctorCheck | None:
    """An SQLite file not made yet: whether start-up can make it (doctor creates nothing)."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if make_url(url).get_backend_name() != "sqlite" or not database or Path(database).exists():
        return None
    folder = Path(database).parent
    ok = folder.is_dir() and os.access(folder, os.W_OK)
    detail = "will be created at start-up" if ok else f"can't be created: {folder} not writable"
    return DoctorCheck(ok, "state", f"{where}: {detail}")


async def _state_checks(settings: Settings) -> list[DoctorCheck]:
    """Where follow-ups are kept, whether they survive a restart, and that the database opens."""
    from core.state.store import StateStore, database_url, describe_url

    url = database_url(settings)
    where = describe_url(url)
    if settings.state_key:
        key = DoctorCheck(
            True,
            "state key",
            "STATE_KEY is set: resume text is encrypted at rest, kept "
            f"{settings.retention_hours:g} h",
        )
    else:
        key = DoctorCheck(
            None,
            "state key",
            "STATE_KEY is not set: resume text is kept in memory only, so follow-ups in a thread "
            "(v2 compared with v1, a job description as a reply) don't survive a restart",
        )
    missing = _sqlite_file_missing(url, where)
    if missing is not None:
        return [missing, key]
    store = StateStore(url, key=None, retention_hours=settings.retention_hours)
    try:
        await store.migrate()  # also what start-up does: the schema is current after this
    except Exception as exc:
        return [DoctorCheck(False, "state", f"{where}: can't open it ({type(exc).__name__})"), key]
    finally:
        await store.close()
    return [DoctorCheck(True, "state", f"{where}: open, schema current"), key]


# --- model -------------------------------------------------------------------------------


async def _model_checks(settings: Settings, http: httpx.AsyncClient) -> list[DoctorCheck]:
    base = settings.huggingface_base_url.rstrip("/")
    host = urlsplit(base).netloc
    key = secret_value(settings.huggingface_api_key)
    model = settings.huggingface_model
    checks: list[DoctorCheck] = []

    if key:
        checks.append(DoctorCheck(True, "model key", f"HUGGINGFACE_API_KEY is set ({mask(key)})"))
    elif host == HF_ROUTER_HOST:
        checks.append(
            DoctorCheck(
                None,
                "model key",
                (
                    "HUGGINGFACE_API_KEY is not set: reviews run offline only. For AI rewrites, create a token with "
                    "the 'Make calls to Inference Providers' permission at https://huggingface.co/settings/tokens"
                ),
            )
        )
    else:
        checks.append(
            DoctorCheck(None, "model key", f"not set (optional for a self-hosted server at {host})")
        )

    if host in LEGACY_HOSTS:
        checks.append(
            DoctorCheck(
                False,
                "base URL",
                (
                    f"{host} is the retired Inference API (it answers 410 Gone); set "
                    "HUGGINGFACE_BASE_URL=https://router.huggingface.co/v1 or remove it"
                ),
            )
        )
        return checks
    if model in LEGACY_MODELS:
        checks.append(
            DoctorCheck(
                False,
                "model name",
                (
                    f"{model} (from an old .env) is no longer served by Hugging Face; "
                    f"set HUGGINGFACE_MODEL={LEGACY_MODELS[model]}"
                ),
            )
        )
    if not key and host == HF_ROUTER_HOST:
        checks.append(DoctorCheck(None, "model served", "skipped: no key"))
        return checks

    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        response = await http.get(f"{base}/models", headers=headers, timeout=CHECK_TIMEOUT)
    except httpx.HTTPError as exc:
        checks.append(DoctorCheck(False, "base URL reachable", f"{base}: {network_problem(exc)}"))
        checks.append(DoctorCheck(None, "model served", "skipped: server not reachable"))
        return checks
    checks.append(
        DoctorCheck(True, "base URL reachable", f"{base} answered HTTP {response.status_code}")
    )
    checks.append(await _model_served(http, base, model, headers))
    return checks


async def _model_served(
    http: httpx.AsyncClient, base: str, model: str, headers: dict[str, str]
) -> DoctorCheck:
    """`GET {base}/models/{model}`; when the server has no such route, a one-token chat request."""
    name = "model served"
    try:
        response = await http.get(
            f"{base}/models/{quote(model, safe='/:')}", headers=headers, timeout=CHECK_TIMEOUT
        )
        if response.status_code == httpx.codes.OK:
            return DoctorCheck(True, name, f"{model} is listed by the server")
        if response.status_code in (401, 403):
            return DoctorCheck(
                False,
                name,
                f"the server rejected the key (HTTP {response.status_code}): check HUGGINGFACE_API_KEY",
            )
        body = {"model": model, "messages": [{"role": "user", "content": "ping"}], "max_tokens": 1}
        response = await http.post(
            f"{base}/chat/completions", json=body, headers=headers, timeout=CHECK_TIMEOUT
        )
    except httpx.HTTPError as exc:
        return DoctorCheck(False, name, network_problem(exc))
    status = response.status_code
    replacement = LEGACY_MODELS.get(model, DEFAULT_MODEL)
    if status == httpx.codes.OK:
        return DoctorCheck(True, name, f"{model} answered a one-token request")
    if status in (401, 403):
        return DoctorCheck(
            False, name, f"the server rejected the key (HTTP {status}): check HUGGINGFACE_API_KEY"
        )
    if status == 402:
        return DoctorCheck(
            False, name, "this month's Inference Providers credits are used up (HTTP 402)"
        )
    if status in (400, 404, 422):
        return DoctorCheck(
            False,
            name,
            f"{model} is not served here (HTTP {status}); try HUGGINGFACE_MODEL={replacement}",
        )
    if status == 429 or status >= 500:
        return DoctorCheck(
            None, name, f"could not tell: the server is busy (HTTP {status}); try again in a minute"
        )
    return DoctorCheck(False, name, f"unexpected HTTP {status} for {model}")


def network_problem(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "connection refused or host not found (is the server running? is the URL right?)"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {CHECK_TIMEOUT.read:.0f}s"
    return f"network error ({type(exc).__name__})"
