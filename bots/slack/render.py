"""ReviewResult → Slack Block Kit, within Slack's limits (bots/slack/limits.py).

Slack rejects a message whose blocks break a limit, so nothing here is cut
mid-sentence: whatever doesn't fit (more findings, long quotes, long keyword
lists) is left out of the message, `overflow` is set, and the adapter uploads
the whole review as a Markdown file next to the rewrite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bots.slack.limits import (
    SLACK_FIELD_TEXT_MAX,
    SLACK_HEADER_TEXT_MAX,
    SLACK_MAX_BLOCKS,
    SLACK_MAX_FIELDS,
    SLACK_PLAIN_TEXT_INPUT_MAX,
    SLACK_SECTION_TEXT_MAX,
)
from core.conversation import grouped, review_file_name
from core.export import describe_attachments
from core.limits import TOP_FINDINGS_SHOWN
from core.models import ReviewResult
from core.report import ReportEntry, quote_label, shorten
from core.scoring import CATEGORY_LABELS

from .versions import comparison_blocks, first_line, rewrite_block

Block = dict[str, Any]

OPTIMIZE_CALLBACK_ID = "optimize"
RESUME_BLOCK, JOB_BLOCK, ROLE_BLOCK, WHERE_BLOCK = "resume", "job", "role", "where"
FILE_ACTION, TEXT_ACTION, WHERE_ACTION = "file", "text", "where"
WHERE_DM, WHERE_CHANNEL = "dm", "channel"
UPLOAD_FILETYPES = ["pdf", "docx", "txt", "md", "json"]  # json: JSON Resume files

_SEVERITY_ICON = {
    "high": ":red_circle:",
    "medium": ":large_orange_circle:",
    "low": ":white_circle:",
}

HELP_TEXT = (
    "*How to get your resume reviewed*\n"
    "• *DM me* your resume (PDF, DOCX, TXT or Markdown). Add a job description or a target role "
    "in the same message to get a keyword match.\n"
    "• *In a channel*, upload the file in a message that mentions me.\n"
    "• `/optimize` opens a form: upload the file, paste a job description, pick where the answer goes "
    "(a private DM by default).\n"
    "• *Mentors*: on someone's post with a resume, open the message menu (⋮) → "
    "*Review resume*.\n"
    f"I answer in the thread with a score, the top fixes and the rewritten resume as {describe_attachments()}."
)


@dataclass(slots=True)
class Rendered:
    """A Slack message: blocks, the plain-text fallback, and whether detail was left for the file."""

    blocks: list[Block]
    text: str
    overflow: bool = False
    notes: list[str] = field(default_factory=list)


def escape(text: str) -> str:
    """Escape Slack's three control characters so quoted resume text can't ping `<!channel>` or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _header(text: str) -> Block:
    if len(text) > SLACK_HEADER_TEXT_MAX:
        # a title, not content: the full name is in the review file
        text = text[: SLACK_HEADER_TEXT_MAX - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def render_error(user_text: str) -> Rendered:
    text = f":warning: {escape(user_text)}"
    return Rendered(blocks=[_section(text[:SLACK_SECTION_TEXT_MAX])], text=text)


def _entry_text(entry: ReportEntry, *, quotes: bool) -> str:
    """One quoted text, every problem found in it, and the fix whole."""
    lines = []
    if quotes and entry.before:
        lines.append(f"*{quote_label(entry)}:* {escape(shorten(entry.before))}")
    for finding in entry.findings:
        icon = _SEVERITY_ICON.get(finding.severity, "")
        lines.append(
            f"{icon} *{finding.severity.capitalize()} · {finding.category}*: {escape(finding.message)}"
        )
    if quotes:
        lines += [f"*After:* {escape(after)}" for after in entry.afters]
    return "\n".join(lines)


def _fit(parts: list[str], sep: str, head: str, budget: int) -> tuple[str, bool]:
    """`head` + as many whole `parts` as fit in `budget`, then `…and N more`; True when cut."""
    whole = head + sep.join(parts)
    if len(whole) <= budget:
        return whole, False
    reserve = len(f"{sep}…and {len(parts)} more (see the review file)")
    kept: list[str] = []
    for part in parts:
        if len(head + sep.join([*kept, part])) + reserve > budget:
            break
        kept.append(part)
    tail = f"…and {len(parts) - len(kept)} more (see the review file)"
    return head + sep.join([*kept, tail]), True


def _fit_list(label: str, items: list[str], budget: int) -> tuple[str, bool]:
    return _fit([escape(i) for i in items], ", ", label, budget)


def _fit_lines(lines: list[str], budget: int) -> tuple[str, bool]:
    return _fit(lines, "\n", "", budget)


def render_review(result: ReviewResult, *, notes: list[str] | None = None) -> Rendered:
    """The answer message: score, breakdown, top findings, keywords, warnings, engine."""
    name = result.source_name
    # `text` is mrkdwn too (notifications, screen readers): the name is escaped like any user text
    out = Rendered(
        blocks=[], text=escape(first_line(result, f"Resume review of {name}: {result.score}/100"))
    )
    blocks = out.blocks
    blocks.append(_header(f"Resume review: {name}"))  # plain_text: shown as typed, never parsed
    since, out.overflow = comparison_blocks(result)  # what the last change did, first
    blocks += since
    blocks.append(_section(f"*Score: {result.score}/100*"))
    blocks += rewrite_block(result)
    if result.structure is not None:  # numbers only: a misread layout shows before the advice does
        blocks.append(_context(result.structure.summary_line()))
    fields = [
        {
            "type": "mrkdwn",
            "text": f"*{escape(CATEGORY_LABELS.get(cat, cat))}*\n{value}/100"[
                :SLACK_FIELD_TEXT_MAX
            ],
        }
        for cat, value in result.breakdown.items()
    ]
    for start in range(0, len(fields), SLACK_MAX_FIELDS):
        blocks.append({"type": "section", "fields": fields[start : start + SLACK_MAX_FIELDS]})

    entries = grouped(result.findings)
    if entries:
        blocks.append({"type": "divider"})
        blocks.append(_section("*Top fixes*"))
        for entry in entries[:TOP_FINDINGS_SHOWN]:
            text = _entry_text(entry, quotes=True)
            if len(text) > SLACK_SECTION_TEXT_MAX:
                out.overflow = True
                text = _entry_text(entry, quotes=False) + "\n_(before → after in the review file)_"
            if len(text) <= SLACK_SECTION_TEXT_MAX:
                blocks.append(_section(text))
            else:
                out.overflow = True
        if len(entries) > TOP_FINDINGS_SHOWN:
            out.overflow = True
            blocks.append(
                _context(
                    f"…and {len(entries) - TOP_FINDINGS_SHOWN} more in {escape(review_file_name(result.source_name))}"
                )
            )
    else:
        blocks.append(_section(":white_check_mark: No problems found."))

    if result.keywords is not None:
        kw = result.keywords
        head = f"*Keyword match: {kw.match_percent}%* (aim for {kw.target_percent}%+)\n"
        budget = (SLACK_SECTION_TEXT_MAX - len(head)) // 2
        matched, cut1 = (
            _fit_list("*Matched:* ", kw.matched, budget)
            if kw.matched
            else ("*Matched:* none", False)
        )
        missing, cut2 = (
            _fit_list("*Missing:* ", kw.missing, budget)
            if kw.missing
            else ("*Missing:* none", False)
        )
        out.overflow |= cut1 or cut2
        blocks.append({"type": "divider"})
        blocks.append(_section(head + matched + "\n" + missing))

    if result.warnings:
        text, cut = _fit_lines(
            [f":warning: {escape(w)}" for w in result.warnings], SLACK_SECTION_TEXT_MAX
        )
        out.overflow |= cut
        if text:
            blocks.append(_section(text))

    for note in notes or []:
        blocks.append(_context(escape(note)))
    ext = result.extraction
    pages = f"{ext.pages} page{'s' if ext.pages != 1 else ''}"
    blocks.append(
        _context(
            f"Engine: {escape(result.engine)} · {ext.kind.value.upper()}, {pages}, text quality {ext.quality}"
        )
    )
    if len(blocks) > SLACK_MAX_BLOCKS:
        # never with today's layout; kept so a longer layout can't make Slack reject the message
        out.overflow = True
        del blocks[SLACK_MAX_BLOCKS - 1 :]
        blocks.append(_context(f"More in {escape(review_file_name(result.source_name))}"))
    from .feedback import with_feedback  # 👍 / 👎, last (issue 17)

    out.blocks = with_feedback(blocks, result.feedback_id)
    return out


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def optimize_modal(channel_id: str, *, role: str | None = None) -> dict[str, Any]:
    """The `/optimize` form. The channel travels in private_metadata to the submission."""
    role_input: dict[str, Any] = {"type": "plain_text_input", "action_id": TEXT_ACTION}
    if role:
        role_input["initial_value"] = role[:SLACK_PLAIN_TEXT_INPUT_MAX]
    dm_option = {"text": _plain("Privately, in a DM from me"), "value": WHERE_DM}
    channel_option = {"text": _plain("In this channel (in a thread)"), "value": WHERE_CHANNEL}
    return {
        "type": "modal",
        "callback_id": OPTIMIZE_CALLBACK_ID,
        "private_metadata": json.dumps({"channel": channel_id}),
        "title": _plain("Resume review"),
        "submit": _plain("Review"),
        "close": _plain("Cancel"),
        "blocks": [
            {
                "type": "input",
                "block_id": RESUME_BLOCK,
                "label": _plain("Your resume (PDF, DOCX, TXT, Markdown or JSON Resume)"),
                "element": {
                    "type": "file_input",
                    "action_id": FILE_ACTION,
                    "filetypes": UPLOAD_FILETYPES,
                    "max_files": 1,
                },
            },
            {
                "type": "input",
                "block_id": JOB_BLOCK,
                "optional": True,
                "label": _plain("Job description"),
                "hint": _plain(
                    "Paste the posting to see which of its keywords your resume is missing."
                ),
                "element": {
                    "type": "plain_text_input",
                    "action_id": TEXT_ACTION,
                    "multiline": True,
                    "max_length": SLACK_PLAIN_TEXT_INPUT_MAX,
                },
            },
            {
                "type": "input",
                "block_id": ROLE_BLOCK,
                "optional": True,
                "label": _plain("Target role"),
                "element": role_input,
            },
            {
                "type": "input",
                "block_id": WHERE_BLOCK,
                "label": _plain("Where should I answer?"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": WHERE_ACTION,
                    "initial_option": dm_option,
                    "options": [dm_option, channel_option],
                },
            },
        ],
    }
