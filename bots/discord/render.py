"""`ReviewResult` → what Discord shows: a short content line, embeds, and files.

Everything fits Discord's limits (bots/discord/limits.py) by construction: an item
(a finding, a keyword list, a warning) is either shown whole or left out with a
pointer to the attached review file, which always holds the full detail. A
message is never cut off mid-sentence.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import discord

from bots.discord.limits import (
    DISCORD_CONTENT_MAX,
    DISCORD_EMBED_DESCRIPTION_MAX,
    DISCORD_EMBED_FIELD_NAME_MAX,
    DISCORD_EMBED_FIELD_VALUE_MAX,
    DISCORD_EMBED_FIELDS_MAX,
    DISCORD_EMBED_FOOTER_MAX,
    DISCORD_EMBED_TITLE_MAX,
    DISCORD_EMBED_TOTAL_MAX,
    DISCORD_EMBEDS_PER_MESSAGE,
    DISCORD_FILES_PER_MESSAGE,
)
from core.conversation import grouped, review_file_name, review_markdown
from core.export import describe_attachments
from core.limits import TOP_FINDINGS_SHOWN
from core.models import ReviewResult
from core.report import ReportEntry, quote_label, shorten
from core.scoring import CATEGORY_LABELS

from .versions import comparison_embed, first_line, rewrite_text

SCORE_COLOURS = (
    (80, discord.Colour.green()),
    (60, discord.Colour.gold()),
    (0, discord.Colour.red()),
)
SEVERITY_ICONS = {"high": "🔴", "medium": "🟠", "low": "🟡"}
ERROR_COLOUR = discord.Colour.red()
# every message the bot sends or edits: a file name like "@everyone cv.pdf" must ping nobody
NO_MENTIONS = discord.AllowedMentions.none()


@dataclass(frozen=True)
class FileSpec:
    """A file to upload; `discord.File` objects are single-use, so they are made per send."""

    filename: str
    content: bytes

    def to_file(self) -> discord.File:
        return discord.File(io.BytesIO(self.content), filename=self.filename)


@dataclass(frozen=True)
class Reply:
    """One Discord message: content, embeds and files, already within every limit."""

    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[FileSpec] = field(default_factory=list)
    view: discord.ui.View | None = None  # the 👍 / 👎 buttons under a review (feedback.py)

    def send_kwargs(self) -> dict[str, object]:
        """Keyword arguments shared by `Messageable.send`, `Message.reply` and `Webhook.send`."""
        kwargs: dict[str, object] = {
            "content": self.content or None,
            "embeds": self.embeds,
            "allowed_mentions": NO_MENTIONS,
        }
        if self.files:
            kwargs["files"] = [spec.to_file() for spec in self.files]
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def with_preface(self, line: str) -> Reply:
        """The same message with `line` first, when it fits (the content is never cut for it)."""
        content = f"{line}\n{self.content}" if self.content else line
        if len(content) > DISCORD_CONTENT_MAX:
            return self
        return Reply(content=content, embeds=self.embeds, files=self.files, view=self.view)


def _escape(text: str) -> str:
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def _display_name(source_name: str, room: int) -> str:
    """The file name for titles; a name longer than `room` becomes a plain label, not a cut name."""
    name = _escape(PurePath(source_name).name or "your resume")
    return name if len(name) <= room else "your resume"


def _footer(text: str) -> str:
    """A footer within Discord's limit: the engine is ours, but a model's name is configured."""
    if len(text) <= DISCORD_EMBED_FOOTER_MAX:
        return text
    return text[: DISCORD_EMBED_FOOTER_MAX - 1] + "…"


def _label(category: str) -> str:
    """`ats` → `ATS & format`, `impact` → `Impact` (core names them once for every adapter)."""
    return CATEGORY_LABELS.get(category, category.capitalize())


def _colour(score: int) -> discord.Colour:
    return next(colour for floor, colour in SCORE_COLOURS if score >= floor)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" for line in _escape(text).splitlines() or [""])


def _entry_field(entry: ReportEntry) -> tuple[str, str]:
    """One quoted text as (name, value): its problems, then before → after, or a pointer when that doesn't fit."""
    icon = SEVERITY_ICONS.get(entry.severity, "•")
    categories = ", ".join(dict.fromkeys(f.category for f in entry.findings))
    where = f" · {entry.section}" if entry.section else ""
    name = f"{icon} {categories}{where}"
    messages = "\n".join(
        _escape(f.message) if len(entry.findings) == 1 else f"• {_escape(f.message)}"
        for f in entry.findings
    )
    detail = ""
    if entry.before:
        detail += f"\n**{quote_label(entry)}**\n{_quote(shorten(entry.before))}"
    for after in entry.afters:
        detail += f"\n**After**\n{_quote(after)}"
    value = messages + detail
    if len(value) > DISCORD_EMBED_FIELD_VALUE_MAX:
        value = f"{messages}\n*Before → after is in the attached review file.*"
    if len(value) > DISCORD_EMBED_FIELD_VALUE_MAX:
        value = "*This finding is long: see the attached review file.*"
    return name[:DISCORD_EMBED_FIELD_NAME_MAX], value


def _joined_within(
    items: Iterable[str], room: int, sep: str = ", ", *, escape: bool = True
) -> tuple[str, int]:
    """Join whole items while they fit in `room`; return the text and how many were left out."""
    items = [_escape(i) if escape else i for i in items]
    shown: list[str] = []
    for item in items:
        if len(sep.join([*shown, item])) > room:
            break
        shown.append(item)
    return sep.join(shown), len(items) - len(shown)


def _keywords_value(result: ReviewResult) -> str | None:
    kw = result.keywords
    if kw is None:
        return None
    head = f"**{kw.match_percent}%** of the job's keywords (aim for {kw.target_percent}%+)"
    room = (
        (DISCORD_EMBED_FIELD_VALUE_MAX - len(head)) // 2 - len("\nMissing: ") - len(" (+999 more)")
    )
    lines = [head]
    for label, words in (("Missing", kw.missing), ("Matched", kw.matched)):
        text, left = _joined_within(words, room)
        if text:
            lines.append(f"{label}: {text}" + (f" (+{left} more)" if left else ""))
    return "\n".join(lines)


def _breakdown_value(result: ReviewResult) -> str | None:
    if not result.breakdown:
        return None
    lines = [f"{_label(name)}: **{value}**" for name, value in result.breakdown.items()]
    text, _ = _joined_within(lines, DISCORD_EMBED_FIELD_VALUE_MAX, sep="\n", escape=False)
    return text or None


class _EmbedBudget:
    """Adds fields to embeds while every per-embed and per-message limit holds."""

    def __init__(self) -> None:
        self.embeds: list[discord.Embed] = []

    def total(self) -> int:
        return sum(len(e) for e in self.embeds)

    def add_embed(self, embed: discord.Embed) -> bool:
        if (
            len(self.embeds) >= DISCORD_EMBEDS_PER_MESSAGE
            or self.total() + len(embed) > DISCORD_EMBED_TOTAL_MAX
        ):
            return False
        self.embeds.append(embed)
        return True

    def add_field(
        self, embed: discord.Embed, name: str, value: str, *, inline: bool = False, reserve: int = 0
    ) -> bool:
        """Add a field if it fits, keeping `reserve` characters free for a closing note."""
        if len(embed.fields) >= DISCORD_EMBED_FIELDS_MAX - (1 if reserve else 0):
            return False
        if self.total() + len(name) + len(value) + reserve > DISCORD_EMBED_TOTAL_MAX:
            return False
        embed.add_field(name=name, value=value, inline=inline)
        return True


def render_result(result: ReviewResult, notes: Sequence[str] = ()) -> Reply:
    """The review as one message: a score line, a summary embed, a findings embed, and the files."""
    budget = _EmbedBudget()
    name = _display_name(result.source_name, DISCORD_EMBED_TITLE_MAX - len("Resume review: "))
    ext = result.extraction
    description = (
        f"**Score: {result.score}/100**\n"
        + rewrite_text(result)
        + f"Read as {ext.kind.value.upper()}, {ext.pages} page(s), {ext.chars:,} characters, "
        f"extraction quality {ext.quality}.\n"
        + (f"{result.structure.summary_line()}.\n" if result.structure is not None else "")
        + f"The full review and the rewritten resume ({describe_attachments(result.attachments)}) are attached."
    )
    summary = discord.Embed(
        title=f"Resume review: {name}",
        description=description[:DISCORD_EMBED_DESCRIPTION_MAX],
        colour=_colour(result.score),
    )
    summary.set_footer(text=_footer(f"Engine: {result.engine}"))
    if (since := comparison_embed(result)) is not None:  # what the last change did, first
        budget.add_embed(since)
    budget.add_embed(summary)
    if value := _breakdown_value(result):
        budget.add_field(summary, "Breakdown", value)
    if value := _keywords_value(result):
        budget.add_field(summary, "Keyword match", value)
    if result.warnings:
        review_file = _escape(review_file_name(result.source_name))
        tail = f"\n(+999 more in {review_file})"
        text, left = _joined_within(
            result.warnings, DISCORD_EMBED_FIELD_VALUE_MAX - len(tail), sep="\n"
        )
        if left and text:
            text += f"\n(+{left} more in {review_file})"
        elif left:  # none fits whole: say where they are rather than drop them
            text = f"{left} warning{'s' if left > 1 else ''}, in full in {review_file}."
        if not budget.add_field(summary, "Warnings", text):
            budget.add_field(summary, "Warnings", f"In {review_file}.")

    findings = discord.Embed(title="Top findings", colour=_colour(result.score))
    if budget.add_embed(findings):
        note_room = len("Not shown") + len("*99 more findings are in the attached review file.*")
        shown = 0
        entries = grouped(result.findings)
        for entry in entries[:TOP_FINDINGS_SHOWN]:
            field_name, field_value = _entry_field(entry)
            if not budget.add_field(findings, field_name, field_value, reserve=note_room):
                break
            shown += 1
        if not result.findings:
            findings.description = "No problems found. Nice work."
        hidden = len(entries) - shown
        if hidden:
            budget.add_field(
                findings, "Not shown", f"*{hidden} more findings are in the attached review file.*"
            )

    files = [FileSpec(a.filename, a.content) for a in result.attachments]
    files.append(FileSpec(review_file_name(result.source_name), review_markdown(result).encode()))
    content = "\n".join(
        [
            first_line(result) or f"Here's the review of **{name}**: score **{result.score}/100**.",
            *(_escape(note) for note in notes),
        ]
    )
    from .feedback import feedback_view  # 👍 / 👎 (issue 17)

    return Reply(
        content=content[:DISCORD_CONTENT_MAX],
        embeds=budget.embeds,
        files=files[:DISCORD_FILES_PER_MESSAGE],
        view=feedback_view(result.feedback_id),
    )


def render_error(text: str) -> Reply:
    """An error as plain words in the message content (always short: written in core.errors)."""
    content = f"⚠️ {text}"
    if len(content) > DISCORD_CONTENT_MAX:  # never happens with core's messages; stay safe anyway
        content = (
            "⚠️ I couldn't review that file. Please upload a PDF, DOCX, TXT or Markdown resume."
        )
    return Reply(content=content)


def render_help() -> Reply:
    return Reply(
        content=(
            "Send me your resume as a PDF, DOCX, TXT or Markdown file and I'll review it. "
            "Add the job description (or just the role) as the message text to get a keyword match. "
            "In a server, mention me in the message with the file, or use `/optimize`."
        )
    )
