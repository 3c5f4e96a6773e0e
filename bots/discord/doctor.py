"""`resume-bot doctor` for Discord: does `/users/@me` accept the token."""

from __future__ import annotations

import httpx

from core.config import Settings
from core.doctor import CHECK_TIMEOUT, DoctorCheck, mask, network_problem, secret_value


async def discord_checks(settings: Settings, http: httpx.AsyncClient) -> list[DoctorCheck]:
    token = secret_value(settings.discord_bot_token)
    if not token:
        return [
            DoctorCheck(None, "Discord", "DISCORD_BOT_TOKEN is not set: the Discord bot is off")
        ]
    url = settings.discord_api_url.rstrip("/") + "/users/@me"
    try:
        response = await http.get(
            url, headers={"Authorization": f"Bot {token}"}, timeout=CHECK_TIMEOUT
        )
    except httpx.HTTPError as exc:
        return [DoctorCheck(False, "Discord /users/@me", network_problem(exc))]
    if response.status_code == httpx.codes.OK:
        try:
            user = response.json()
        except ValueError:
            user = {}
        return [
            DoctorCheck(
                True,
                "Discord /users/@me",
                f"token {mask(token)} works as {user.get('username', '?')}",
            )
        ]
    if response.status_code == httpx.codes.UNAUTHORIZED:
        return [
            DoctorCheck(
                False,
                "Discord /users/@me",
                f"Discord rejected token {mask(token)} (HTTP 401): reset it in the Developer Portal",
            )
        ]
    return [DoctorCheck(False, "Discord /users/@me", f"unexpected HTTP {response.status_code}")]
