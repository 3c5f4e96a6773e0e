"""Slack's side of a conversation that remembers (core/state, core/compare).

Kept apart from app.py and render.py so those stay about events and layout: the
conversation key of an event, where a lost review is announced after a restart,
`/optimize forget`, and the comparison with the previous version as blocks.
"""

from __future__ import annotations

from typing import Any

from core.compare import bullet_lines, category_lines, headline, rewrite_line
from core.conversation import RESUME_ATTEMPTS as RESUME_ATTEMPTS
from core.conversation import RESUMED_NOTE as RESUMED_NOTE
from core.models import ReviewResult
from core.state.keys import ConversationKey

from .limits import SLACK_SECTION_TEXT_MAX

Block = dict[str, Any]
FORGET_WORDS = ("forget", "forget me", "delete", "delete my data")
BULLET_LINES_SHOWN = 6  # changed bullets listed in the message; the rest are in the review file


def is_forget(text: str) -> bool:
    """`/optimize forget` (and its obvious spellings)."""
    return text.strip().lower() in FORGET_WORDS


def person(team: str | None, user: str | None) -> str:
    """What `/optimize forget` deletes: one user of one workspace."""
    return ConversationKey("slack", team, "", None, str(user or "")).person


def conversation_key(
    team: str | None, user: str | None, channel: str, thread_ts: str | None, *, dm: bool
) -> ConversationKey:
    """A DM is one conversation (within retention); elsewhere, one thread."""
    return ConversationKey("slack", team, channel, None if dm else thread_ts, str(user or ""))


def reply_to(channel: str, thread_ts: str | None) -> dict[str, Any]:
    """Where to say, after a restart, that a review was lost (ids only)."""
    return {"channel": channel, "thread_ts": thread_ts}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def comparison_blocks(result: ReviewResult) -> tuple[list[Block], bool]:
    """The comparison with the previous version, first in the answer; True when some of it
    was left for the review file."""
    c = result.comparison
    if c is None:
        return [], False
    blocks = [_section(f"*{_escape(headline(c))}*")]
    cats = category_lines(c)
    if cats:
        blocks.append(_context(_escape(" · ".join(cats))))
    changes = bullet_lines(c)
    if not changes:
        return blocks, False
    shown: list[str] = []
    budget = SLACK_SECTION_TEXT_MAX - 200
    for line in changes[:BULLET_LINES_SHOWN]:
        text = f"• {_escape(line)}"
        if sum(len(s) + 1 for s in shown) + len(text) > budget:
            break
        shown.append(text)
    left = len(changes) - len(shown)
    if left:
        shown.append(f"_…and {left} more in the review file_")
    blocks.append(_section("*Bullets since the last version*\n" + "\n".join(shown)))
    return blocks, left > 0


def rewrite_block(result: ReviewResult) -> list[Block]:
    """'With the suggested rewrite: 88/100 …' under the score."""
    line = rewrite_line(result)
    return [_context(_escape(line))] if line else []


def first_line(result: ReviewResult, fallback: str) -> str:
    """The notification text: the comparison's headline when there is one."""
    return headline(result.comparison) if result.comparison else fallback


FILE_FIELDS = ("id", "name", "title", "size", "url_private", "url_private_download", "mode")


def resumable(
    dest: Any,
    file: dict[str, Any],
    user: str,
    job: str | None,
    role: str | None,
    conversation: ConversationKey | None,
) -> dict[str, Any]:
    """Where to answer and what a restarted bot needs to review the file again (ids; the file
    object, job and role are sealed with STATE_KEY by the store, or not kept without one)."""
    key = conversation.fields() if conversation is not None else None
    return {
        **reply_to(dest.channel, dest.thread_ts),
        "file": {k: file[k] for k in FILE_FIELDS if k in file},
        "job": job,
        "role": role,
        "user": user,
        "key": key,
        "attempt": 1,
    }
