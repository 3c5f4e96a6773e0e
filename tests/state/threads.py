"""Resumes for the follow-up tests, and a thread written out as a person reads it."""

from __future__ import annotations

import json
from typing import Any

from tests.slack.conftest import RESUME_TXT

V1 = RESUME_TXT  # the Slack tests' sample resume: v2 below is its next version

# what a person changes after reading v1's review: stronger openers, a number, one bullet more
V2 = (
    V1.replace(
        "- Responsible for the payments API used by 2 million customers",
        "- Owned the payments API used by 2 million customers, keeping 99.95% uptime",
    )
    .replace(
        "- Worked on monitoring and alerting",
        "- Built monitoring and alerting that cut incident detection from 30 to 5 minutes",
    )
    .replace(
        "- Helped with on-call",
        "- Shared the on-call rotation for 12 services\n- Mentored 3 junior engineers",
    )
)

JOB = """Backend Engineer, Payments
We are looking for a backend engineer with strong Python, Kafka and Terraform experience.
You will own services on Kubernetes and AWS, write PostgreSQL migrations and mentor others."""


def slack_as_seen(message: Any) -> str:
    """A Slack message's blocks as the reader sees them (header, sections, fields, context)."""
    out: list[str] = []
    for block in message.blocks:
        kind = block.get("type")
        if kind in ("header", "section") and block.get("text"):
            out.append(block["text"]["text"])
        if kind == "section" and block.get("fields"):
            out.append("  ".join(f["text"].replace("\n", " ") for f in block["fields"]))
        if kind == "context":
            out.append("  ".join(e.get("text", "") for e in block["elements"]))
        if kind == "divider":
            out.append("―――")
    text = "\n".join(out) if out else message.text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")  # as Slack shows


def discord_as_seen(call: Any) -> str:
    """A Discord message as the reader sees it: content, then each embed's title, text, fields."""
    out = [call.content] if call.content else []
    for embed in call.embeds:
        out.append(f"┃ {embed.get('title', '')}")
        if embed.get("description"):
            out += [f"┃ {line}" for line in embed["description"].splitlines()]
        for field in embed.get("fields", []):
            out.append(f"┃ {field['name']}")
            out += [f"┃   {line}" for line in field["value"].splitlines()]
    out += [f"📎 {name}" for name in call.filenames]
    return "\n".join(out)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
