"""`resume-bot doctor` for Discord: does `/users/@me` accept the token, and, with
REVIEW_CHANNELS set, is the Message Content intent switched on for the application."""

from __future__ import annotations

import httpx

from core.config import Settings
from core.doctor import CHECK_TIMEOUT, DoctorCheck, mask, network_problem, secret_value

# application flags: the Message Content intent granted (verified bots) or switched on
# (under 100 servers)
MESSAGE_CONTENT_FLAGS = (1 << 18) | (1 << 19)


async def message_content_check(
    settings: Settings, http: httpx.AsyncClient, token: str
) -> DoctorCheck:
    url = settings.discord_api_url.rstrip("/") + "/oauth2/applications/@me"
    name = "Discord review channels"
    try:
        response = await http.get(
            url, headers={"Authorization": f"Bot {token}"}, timeout=CHECK_TIMEOUT
        )
        flags = int(response.json().get("flags") or 0)
    except httpx.HTTPError as exc:
        return DoctorCheck(False, name, network_problem(exc))
    except (ValueError, AttributeError):
        return DoctorCheck(False, name, f"unexpected answer (HTTP {response.status_code})")
    if flags & MESSAGE_CONTENT_FLAGS:
        return DoctorCheck(True, name, "the Message Content intent is on")
    return DoctorCheck(
        False,
        name,
        "REVIEW_CHANNELS needs the Message Content intent: Developer Portal → Bot → "
        "Privileged Gateway Intents → Message Content Intent",
    )


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
        checks = [
            DoctorCheck(
                True,
                "Discord /users/@me",
                f"token {mask(token)} works as {user.get('username', '?')}",
            )
        ]
        if settings.review_channels:
            checks.append(await message_content_check(settings, http, token))
        return checks
    if response.status_code == httpx.codes.UNAUTHORIZED:
        return [
            DoctorCheck(
                False,
                "Discord /users/@me",
                f"Discord rejected token {mask(token)} (HTTP 401): reset it in the Developer Portal",
            )
        ]
    return [DoctorCheck(False, "Discord /users/@me", f"unexpected HTTP {response.status_code}")]
