"""`resume-bot doctor` for Slack: does `auth.test` accept the token, can Slack reach the bot,
and, with REVIEW_CHANNELS set, did the install grant the optional history scopes."""

from __future__ import annotations

import httpx

from core.config import Settings
from core.doctor import CHECK_TIMEOUT, DoctorCheck, mask, network_problem, secret_value

REVIEW_CHANNEL_SCOPES = ("channels:history", "groups:history")  # optional in manifest.yml


def review_channel_check(granted_header: str | None) -> DoctorCheck:
    """Slack lists a token's scopes in auth.test's `x-oauth-scopes` header."""
    granted = {s.strip() for s in (granted_header or "").split(",")}
    missing = [s for s in REVIEW_CHANNEL_SCOPES if s not in granted]
    if not missing:
        return DoctorCheck(True, "Slack review channels", "public and private channels are heard")
    what = " and ".join(missing)
    return DoctorCheck(
        "channels:history" in granted,  # private channels only: a partial set-up, not a failure
        "Slack review channels",
        f"REVIEW_CHANNELS is set but the app lacks {what}: reinstall it granting the optional "
        "scopes (README, Review channels)",
    )


async def slack_checks(settings: Settings, http: httpx.AsyncClient) -> list[DoctorCheck]:
    token = secret_value(settings.slack_bot_token)
    if not token:
        return [DoctorCheck(None, "Slack", "SLACK_BOT_TOKEN is not set: the Slack bot is off")]
    url = settings.slack_api_url.rstrip("/") + "/auth.test"
    try:
        response = await http.post(
            url, headers={"Authorization": f"Bearer {token}"}, timeout=CHECK_TIMEOUT
        )
        data = response.json()
    except httpx.HTTPError as exc:
        return [DoctorCheck(False, "Slack auth.test", network_problem(exc))]
    except ValueError:
        return [
            DoctorCheck(
                False, "Slack auth.test", f"unexpected answer (HTTP {response.status_code})"
            )
        ]
    checks: list[DoctorCheck] = []
    if isinstance(data, dict) and data.get("ok"):
        checks.append(
            DoctorCheck(
                True,
                "Slack auth.test",
                (
                    f"token {mask(token)} works as @{data.get('user', '?')} in {data.get('team', '?')}"
                ),
            )
        )
    else:
        error = data.get("error", "unknown_error") if isinstance(data, dict) else "unknown_error"
        checks.append(
            DoctorCheck(False, "Slack auth.test", f"Slack rejected token {mask(token)}: {error}")
        )
    if settings.review_channels and isinstance(data, dict) and data.get("ok"):
        checks.append(review_channel_check(response.headers.get("x-oauth-scopes")))
    if not (secret_value(settings.slack_app_token) or secret_value(settings.slack_signing_secret)):
        checks.append(
            DoctorCheck(
                False,
                "Slack connection",
                (
                    "set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP events) so Slack can reach the bot"
                ),
            )
        )
    return checks
