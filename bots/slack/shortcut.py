"""The "Review resume" message shortcut: a mentor reviews the resume someone posted.

Parity with Discord's message menu. Running it on a message opens a small form: where
to answer (that message's thread, the default, or privately in a DM to the mentor) and
the job description or role, pre-filled from the message's text. The file travels in
the form's private_metadata as its id, name and size only; its bytes are fetched with
files.info when the form is submitted, like a Slack Connect file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .app import Destination, SlackMessages, slack_user, split_request_text, submitter
from .limits import SLACK_PLAIN_TEXT_INPUT_MAX
from .render import (
    JOB_BLOCK,
    ROLE_BLOCK,
    TEXT_ACTION,
    WHERE_ACTION,
    WHERE_BLOCK,
    WHERE_DM,
    escape,
)

log = logging.getLogger(__name__)

REVIEW_SHORTCUT_ID = "review_resume"  # the message shortcut's callback_id in manifest.yml
SHORTCUT_FORM_ID = "review_resume_form"
WHERE_THREAD = "thread"
FILE_NAME_KEPT = 200  # of a file's name in private_metadata (Slack allows 3,000 characters)
NO_FILE = (
    "That message has no file attached. Use *Review resume* on a message that carries a resume "
    "(PDF, DOCX, TXT, Markdown or JSON Resume)."
)


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _text_input(block_id: str, label: str, initial: str | None, *, multiline: bool) -> dict:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": TEXT_ACTION,
        "multiline": multiline,
        "max_length": SLACK_PLAIN_TEXT_INPUT_MAX,
    }
    if initial:
        element["initial_value"] = initial[:SLACK_PLAIN_TEXT_INPUT_MAX]
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": _plain(label),
        "element": element,
    }


def shortcut_view(shortcut: dict[str, Any]) -> dict[str, Any]:
    """The form for a shortcut run on a message; an explanation if the message has no file."""
    message = shortcut.get("message") or {}
    files = message.get("files") or []
    if not files:
        return {
            "type": "modal",
            "title": _plain("Review resume"),
            "close": _plain("OK"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": NO_FILE}}],
        }
    file = files[0]
    name = str(file.get("name") or file.get("title") or "the resume")
    metadata = {
        "channel": (shortcut.get("channel") or {}).get("id"),
        "thread_ts": message.get("thread_ts") or message.get("ts") or shortcut.get("message_ts"),
        "file": {"id": file.get("id"), "name": name[:FILE_NAME_KEPT], "size": file.get("size")},
    }
    job, role = split_request_text(message.get("text"))
    more = f" (the first of its {len(files)} files)" if len(files) > 1 else ""
    thread = {"text": _plain("In that message's thread"), "value": WHERE_THREAD}
    private = {"text": _plain("Privately, in a DM from me"), "value": WHERE_DM}
    return {
        "type": "modal",
        "callback_id": SHORTCUT_FORM_ID,
        "private_metadata": json.dumps(metadata),
        "title": _plain("Review resume"),
        "submit": _plain("Review"),
        "close": _plain("Cancel"),
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"I'll review *{escape(name)}*{more}."},
            },
            {
                "type": "input",
                "block_id": WHERE_BLOCK,
                "label": _plain("Where should I answer?"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": WHERE_ACTION,
                    "initial_option": thread,
                    "options": [thread, private],
                },
            },
            _text_input(JOB_BLOCK, "Job description", job, multiline=True),
            _text_input(ROLE_BLOCK, "Target role", role, multiline=False),
        ],
    }


@dataclass(frozen=True, slots=True)
class ShortcutForm:
    """A submitted shortcut form: the file (a stub for files.info) and where to answer."""

    file: dict[str, Any]
    channel: str | None
    thread_ts: str | None
    private: bool
    job: str | None
    role: str | None


def shortcut_form(view: dict[str, Any]) -> ShortcutForm:
    values = view.get("state", {}).get("values", {})

    def text(block: str) -> str | None:
        return (values.get(block, {}).get(TEXT_ACTION, {}).get("value") or "").strip() or None

    where = values.get(WHERE_BLOCK, {}).get(WHERE_ACTION, {}).get("selected_option") or {}
    metadata = json.loads(view.get("private_metadata") or "{}")
    return ShortcutForm(
        file=dict(metadata.get("file") or {}),
        channel=metadata.get("channel"),
        thread_ts=metadata.get("thread_ts"),
        private=where.get("value") != WHERE_THREAD,
        job=text(JOB_BLOCK),
        role=text(ROLE_BLOCK),
    )


def register_review_shortcut(app: AsyncApp, slack: SlackMessages) -> None:
    """The shortcut and its form's submission, on the Bolt app."""

    @app.shortcut(REVIEW_SHORTCUT_ID)
    async def on_review_shortcut(
        ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        try:
            await client.views_open(trigger_id=shortcut["trigger_id"], view=shortcut_view(shortcut))
        except SlackApiError as exc:
            log.error("could not open the Review resume form: %s", exc.response.get("error"))

    @app.view(SHORTCUT_FORM_ID)
    async def on_review_form(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = shortcut_form(view)
        if not form.file.get("id") or not (form.private or form.channel):
            await ack(response_action="errors", errors={WHERE_BLOCK: "Please run it again."})
            return
        if not await slack.accept_form(ack, view, form.file, WHERE_BLOCK):
            return
        user, team = submitter(body)
        slack.conversations.tasks.spawn(_answer(slack, form, user, team))


async def _answer(slack: SlackMessages, form: ShortcutForm, user: str, team: str | None) -> None:
    if form.private or not form.channel:
        try:
            dest = Destination(channel=await slack.open_dm(user))
        except SlackApiError as exc:
            log.error("could not open a DM: %s", exc.response.get("error"))
            return
    else:  # the bot may not be in that channel: then the mentor gets it by DM, with a note
        dest = Destination(channel=form.channel, thread_ts=form.thread_ts, user=user)
    await slack.answer([form.file], dest, user=slack_user(team, user), job=form.job, role=form.role)
