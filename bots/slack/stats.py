"""`/optimize stats [7d]`: the usage summary (`resume-bot stats`) for workspace admins, privately."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.conversation import NOT_AN_ADMIN, Conversations

from .limits import SLACK_SECTION_TEXT_MAX
from .render import escape

log = logging.getLogger(__name__)


def is_stats(text: str) -> bool:
    """`/optimize stats`, optionally with how far back (`/optimize stats 30d`)."""
    words = text.strip().lower().split()
    return bool(words) and words[0] == "stats" and len(words) <= 2


NO_ADMIN_CHECK = (
    "I can't check who is a workspace admin: the app was installed without the optional "
    "`users:read` scope. Reinstall it with that scope to use `/optimize stats`, or run "
    "`resume-bot stats` on the server."
)


async def is_admin(client: AsyncWebClient, user: str | None) -> bool | None:
    """A workspace admin or owner, as Slack says (users.info); None: the scope was declined."""
    if not user:
        return False
    try:
        info = (await client.users_info(user=user)).get("user") or {}
    except SlackApiError as exc:
        error = exc.response.get("error")
        log.warning("users.info failed: %s", error)
        return None if error == "missing_scope" else False
    return bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner"))


async def stats_answer(
    client: AsyncWebClient, command: dict[str, Any], conversations: Conversations
) -> str:
    """What `/optimize stats` shows the person who ran it (only them: the ack is ephemeral)."""
    admin = await is_admin(client, command.get("user_id"))
    if admin is None:
        return NO_ADMIN_CHECK
    if not admin:
        return NOT_AN_ADMIN
    words = (command.get("text") or "").split()
    text = await conversations.stats(words[1] if len(words) > 1 else "7d")
    fence = "```"
    return f"{fence}\n{escape(text)[: SLACK_SECTION_TEXT_MAX - 8]}\n{fence}"
