"""👍 / 👎 under each review (Block Kit buttons), acknowledged by updating that message.

The buttons carry the review's feedback id (`ReviewResult.feedback_id`, ids only). A click
records the person's vote through core (one per person per review; a second click changes
it) and replaces the line under the buttons with the tally, so the vote is seen in place.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .app import SlackMessages
from .limits import SLACK_MAX_BLOCKS
from .versions import person

log = logging.getLogger(__name__)

FEEDBACK_BLOCK = "feedback"
FEEDBACK_TALLY_BLOCK = "feedback_tally"
UP_ACTION = "feedback_up"
DOWN_ACTION = "feedback_down"
FEEDBACK_ACTIONS = re.compile(f"^({UP_ACTION}|{DOWN_ACTION})$")

Block = dict[str, Any]


def _button(text: str, action_id: str, value: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value,
    }


def feedback_blocks(feedback_id: str | None) -> list[Block]:
    """The 👍 / 👎 buttons for a review (none when it wasn't recorded: nothing to vote on)."""
    if not feedback_id:
        return []
    return [
        {
            "type": "actions",
            "block_id": FEEDBACK_BLOCK,
            "elements": [
                _button("👍 Helpful", UP_ACTION, feedback_id),
                _button("👎 Not helpful", DOWN_ACTION, feedback_id),
            ],
        }
    ]


def with_feedback(blocks: list[Block], feedback_id: str | None) -> list[Block]:
    """`blocks` with the buttons last, within Slack's block limit."""
    extra = feedback_blocks(feedback_id)
    if not extra:
        return blocks
    return [*blocks[: SLACK_MAX_BLOCKS - len(extra)], *extra]


def acknowledged(blocks: list[Block], line: str) -> list[Block]:
    """The message's blocks with `line` under the buttons (replacing an earlier one)."""
    out = [b for b in blocks if b.get("block_id") != FEEDBACK_TALLY_BLOCK]
    at = next((i + 1 for i, b in enumerate(out) if b.get("block_id") == FEEDBACK_BLOCK), len(out))
    tally = {
        "type": "context",
        "block_id": FEEDBACK_TALLY_BLOCK,
        "elements": [{"type": "plain_text", "text": line, "emoji": True}],
    }
    return [*out[:at], tally, *out[at:]][:SLACK_MAX_BLOCKS]


def register_feedback(app: AsyncApp, slack: SlackMessages) -> None:
    """Handle clicks on the buttons `feedback_blocks` adds."""

    @app.action(FEEDBACK_ACTIONS)
    async def on_vote(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        user = body.get("user") or {}
        team = (body.get("team") or {}).get("id") or user.get("team_id")
        line = await slack.conversations.vote(
            str(action.get("value") or ""),
            person(team, user.get("id")),
            up=action.get("action_id") == UP_ACTION,
        )
        message = body.get("message") or {}
        channel = (body.get("container") or {}).get("channel_id") or (
            body.get("channel") or {}
        ).get("id")
        if not channel or not message.get("ts"):
            return
        try:
            await client.chat_update(
                channel=channel,
                ts=message["ts"],
                text=message.get("text", ""),
                blocks=acknowledged(message.get("blocks") or [], line),
            )
        except SlackApiError as exc:
            log.warning("could not acknowledge a vote: %s", exc.response.get("error"))
