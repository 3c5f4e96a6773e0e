"""`resume-bot doctor` for Slack: does `auth.test` accept the token, can Slack reach the bot."""

from __future__ import annotations

import httpx

from core.config import Settings
from core.doctor import CHECK_TIMEOUT, DoctorCheck, mask, network_problem, secret_value


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
