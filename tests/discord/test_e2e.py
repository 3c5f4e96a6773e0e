"""End to end: the real discord.py client against the fake Discord, over sockets on 127.0.0.1.

Each test injects what a user does (a slash command, a context menu, a DM, a
mention) through the gateway and asserts on what Discord would show them: the
deferral, the follow-up's embeds and files, the thread, the error text.
"""

from __future__ import annotations

import io
import logging
import re
import time

import discord
import docx
import pytest

from bots.discord.client import NO_ATTACHMENT, DiscordFileError
from core.conversation import DELIVERY_APOLOGY
from core.errors import EncryptedFileError, FileTooLargeError, NoTextError, UnsupportedFileError
from tests.conftest import require_corpus
from tests.discord.conftest import Running, running_bot
from tests.fakes.discord import (
    CHANNEL_MESSAGE,
    EPHEMERAL_FLAG,
    OPTION_ATTACHMENT,
    Call,
    is_channel_message,
    is_defer,
    is_followup,
    is_thread_create,
)

RESUME_TXT = b"""Jane Doe
jane.doe@example.com | 555-123-4567 | Berlin

Summary
Backend engineer with six years of experience building payment APIs in Python.

Experience
Software Engineer, Acme Payments, 2019 - Present
- Responsible for the payments API serving card transactions
- Helped with migration of services to Kubernetes
- Worked on improving test coverage of the billing service

Education
BSc Computer Science, State University, 2018

Skills
Python, SQL, Docker, PostgreSQL
"""
JOB = "We are hiring a backend engineer: Python, Kubernetes, Terraform, AWS, PostgreSQL and Kafka."
DOCX_MAGIC = b"PK\x03\x04"
MESSAGE_CONTENT_INTENT = 1 << 15


def resume_docx() -> bytes:
    """The same resume as a small DOCX, written here (fixtures the project ships are its own)."""
    document = docx.Document()
    for line in RESUME_TXT.decode().splitlines():
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line:
            document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def downloads(running: Running) -> list[Call]:
    return [c for c in running.fake.calls if c.path.startswith("/attachments/")]


def assert_review_message(call: Call, filename: str) -> None:
    """What a user sees in a successful answer: score line, named embed, breakdown, the rewrite files."""
    shown = discord.utils.escape_markdown(filename)  # Discord renders it back to the plain name
    assert "/100" in call.content and shown in call.content
    titles = [e.get("title", "") for e in call.embeds]
    assert any(shown in t for t in titles)
    assert any(f["name"] == "Breakdown" for e in call.embeds for f in e.get("fields", []))
    assert "Engine: offline" in call.text()
    assert re.search(
        r"Read: \d+ sections?, \d+ roles?, \d+ bullets?", call.text()
    )  # to spot a misread
    stem = filename.rsplit(".", 1)[0]
    assert f"{stem}-rewritten.docx" in call.filenames and f"{stem}-rewritten.md" in call.filenames
    docx_bytes = next(f.content for f in call.files if f.filename.endswith(".docx"))
    assert docx_bytes.startswith(DOCX_MAGIC)
    assert docx.Document(io.BytesIO(docx_bytes)).paragraphs  # a real, openable document


async def test_start_up_uses_no_privileged_intent_and_syncs_both_commands(bot: Running) -> None:
    fake = bot.fake
    assert fake.identify is not None and fake.identify["token"] == fake.token
    assert not fake.identify["intents"] & MESSAGE_CONTENT_INTENT
    assert fake.heartbeats >= 1
    assert fake.find("GET", "/gateway/bot"), "the gateway URL comes from REST"
    (sync,) = fake.find("PUT", f"/applications/{fake.app_id}/commands")
    by_name = {c["name"]: c for c in sync.json}
    assert set(by_name) == {"optimize", "Review resume", "forget", "stats"}
    options = {o["name"]: o for o in by_name["optimize"]["options"]}
    assert options["resume"]["type"] == OPTION_ATTACHMENT and options["resume"]["required"]
    assert not options["private"].get("required", False)


async def test_guild_id_syncs_to_that_guild() -> None:
    async with running_bot(guild_sync=True) as running:
        fake = running.fake
        (sync,) = fake.find("PUT", f"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands")
        assert {c["name"] for c in sync.json} == {"optimize", "Review resume", "forget", "stats"}


async def test_optimize_defers_first_then_answers_privately_with_embed_and_docx(
    bot: Running,
) -> None:
    fake = bot.fake
    attachment = fake.attachment("cv.txt", RESUME_TXT)
    await fake.dispatch("INTERACTION_CREATE", fake.optimize(attachment, job_description=JOB))
    (defer,) = await fake.wait_for(is_defer)
    assert defer.json["data"]["flags"] & EPHEMERAL_FLAG, "private defaults to true"
    (followup,) = await fake.wait_for(is_followup)
    assert (
        defer.at < followup.at
    )  # deferred before the review (its latency: benchmarks/discord_defer.py)
    assert followup.flags & EPHEMERAL_FLAG
    assert_review_message(followup, "cv.txt")
    assert "cv-review.md" in followup.filenames
    assert "Keyword match" in followup.text() and "%" in followup.text()
    assert len(downloads(bot)) == 1


async def test_optimize_public_answer_and_docx_upload(bot: Running) -> None:
    fake = bot.fake
    attachment = fake.attachment("jane.docx", resume_docx(), "application/octet-stream")
    await fake.dispatch(
        "INTERACTION_CREATE", fake.optimize(attachment, role="Backend Engineer", private=False)
    )
    (defer,) = await fake.wait_for(is_defer)
    assert not defer.json.get("data", {}).get("flags", 0) & EPHEMERAL_FLAG
    (followup,) = await fake.wait_for(is_followup)
    assert not followup.flags & EPHEMERAL_FLAG
    assert_review_message(followup, "jane.docx")


async def test_tokens_go_only_where_they_belong(bot: Running) -> None:
    """The bot token authenticates REST calls; interaction webhooks and file downloads never carry it."""
    fake = bot.fake
    await fake.dispatch("INTERACTION_CREATE", fake.optimize(fake.attachment("cv.txt", RESUME_TXT)))
    await fake.wait_for(is_followup)
    for call in fake.calls:
        if call.path.startswith(("/attachments/", "/api/v10/webhooks/", "/api/v10/interactions/")):
            assert call.authorization is None, call.path
        else:
            assert call.authorization == f"Bot {fake.token}", call.path


async def test_too_large_for_discord_is_refused_before_download(bot: Running) -> None:
    fake = bot.fake
    attachment = fake.attachment("cv.txt", RESUME_TXT, size=fake.attachment_size_limit + 1)
    await fake.dispatch("INTERACTION_CREATE", fake.optimize(attachment))
    (followup,) = await fake.wait_for(is_followup)
    assert FileTooLargeError.hint in followup.content
    assert not followup.files and not downloads(bot)


async def test_over_our_own_limit_is_refused_before_download() -> None:
    async with running_bot(max_file_mb=0.001) as running:
        fake = running.fake
        await fake.dispatch(
            "INTERACTION_CREATE", fake.optimize(fake.attachment("cv.txt", RESUME_TXT * 4))
        )
        (followup,) = await fake.wait_for(is_followup)
        assert FileTooLargeError.hint in followup.content and "limit" in followup.content
        assert not downloads(running)


async def test_unsupported_file_gets_plain_words_and_the_bot_keeps_working(bot: Running) -> None:
    fake = bot.fake
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    await fake.dispatch(
        "INTERACTION_CREATE", fake.optimize(fake.attachment("cv.png", png, "image/png"))
    )
    (error,) = await fake.wait_for(is_followup)
    assert UnsupportedFileError.hint in error.content  # core may word the first half per file
    assert not error.files and not error.embeds
    await fake.dispatch("INTERACTION_CREATE", fake.optimize(fake.attachment("cv.txt", RESUME_TXT)))
    _, answer = await fake.wait_for(is_followup, count=2)
    assert_review_message(answer, "cv.txt")


async def test_attachment_that_cannot_be_downloaded_still_gets_an_answer(bot: Running) -> None:
    fake = bot.fake
    attachment = fake.attachment("cv.txt", RESUME_TXT) | {
        "url": f"{fake.base_url}/attachments/404/cv.txt"
    }
    await fake.dispatch("INTERACTION_CREATE", fake.optimize(attachment))
    (followup,) = await fake.wait_for(is_followup)
    assert DiscordFileError().for_user() in followup.content


async def test_a_review_discord_refuses_still_ends_in_words_not_silence(bot: Running) -> None:
    """A delivery failure (here Discord refusing the review's embeds) is told, in the same place."""
    fake = bot.fake
    fake.reject_if = lambda call: is_followup(call) and bool((call.json or {}).get("embeds"))
    await fake.dispatch("INTERACTION_CREATE", fake.optimize(fake.attachment("cv.txt", RESUME_TXT)))
    (followup,) = await fake.wait_for(is_followup)
    assert followup.content == f"⚠️ {DELIVERY_APOLOGY}" and len(fake.rejected) == 1
    fake.reject_if = None
    await fake.dispatch("INTERACTION_CREATE", fake.optimize(fake.attachment("cv.txt", RESUME_TXT)))
    _, answer = await fake.wait_for(is_followup, count=2)
    assert_review_message(answer, "cv.txt")  # and the bot kept working


async def test_context_menu_reviews_the_target_message(bot: Running) -> None:
    fake = bot.fake
    posted = fake.message(
        "Applying for Data Engineer roles, feedback welcome",
        [fake.attachment("sam.txt", RESUME_TXT)],
    )
    await fake.dispatch("INTERACTION_CREATE", fake.review_menu(posted))
    (defer,) = await fake.wait_for(is_defer)
    assert defer.json["data"]["flags"] & EPHEMERAL_FLAG, (
        "a mentor's review is shown to the mentor only"
    )
    (followup,) = await fake.wait_for(is_followup)
    assert_review_message(followup, "sam.txt")


async def test_context_menu_on_a_message_without_a_file_explains(bot: Running) -> None:
    fake = bot.fake
    await fake.dispatch("INTERACTION_CREATE", fake.review_menu(fake.message("just chatting")))
    (answer,) = await fake.wait_for(lambda c: c.path.endswith("/callback"))
    assert answer.json["type"] == CHANNEL_MESSAGE
    assert answer.json["data"]["content"] == NO_ATTACHMENT
    assert answer.json["data"]["flags"] & EPHEMERAL_FLAG


async def test_dm_with_a_file_gets_a_reply_to_that_message(bot: Running) -> None:
    fake = bot.fake
    dm = fake.message("Backend Engineer", [fake.attachment("cv.txt", RESUME_TXT)], dm=True)
    await fake.dispatch("MESSAGE_CREATE", dm)
    (reply,) = await fake.wait_for(is_channel_message(fake.dm_channel_id))
    assert str(reply.json["message_reference"]["message_id"]) == dm["id"]
    assert_review_message(reply, "cv.txt")


async def test_dm_job_description_shows_a_keyword_match(bot: Running) -> None:
    fake = bot.fake
    dm = fake.message(JOB + "\nNice to have: Go.", [fake.attachment("cv.txt", RESUME_TXT)], dm=True)
    await fake.dispatch("MESSAGE_CREATE", dm)
    (reply,) = await fake.wait_for(is_channel_message(fake.dm_channel_id))
    assert "Keyword match" in reply.text()


async def test_dm_without_a_file_gets_help(bot: Running) -> None:
    fake = bot.fake
    await fake.dispatch("MESSAGE_CREATE", fake.message("hi!", dm=True))
    (reply,) = await fake.wait_for(is_channel_message(fake.dm_channel_id))
    assert "PDF, DOCX" in reply.content and not reply.files


async def test_mention_with_a_file_starts_a_thread_and_answers_there(bot: Running) -> None:
    fake = bot.fake
    msg = fake.message(
        f"<@{fake.bot_id}> could you look at mine?",
        [fake.attachment("cv.txt", RESUME_TXT)],
        mention_bot=True,
    )
    await fake.dispatch("MESSAGE_CREATE", msg)
    (create,) = await fake.wait_for(is_thread_create)
    assert create.path.endswith(f"/channels/{fake.channel_id}/messages/{msg['id']}/threads")
    assert create.json["name"] == "Resume review: cv.txt"
    thread_posts = await fake.wait_for(
        lambda c: (
            c.method == "POST"
            and c.path.endswith("/messages")
            and f"/{fake.channel_id}/" not in c.path
        )
    )
    assert_review_message(thread_posts[0], "cv.txt")
    assert not [c for c in fake.calls if is_channel_message(fake.channel_id)(c)], (
        "nothing in the channel itself"
    )


async def test_messages_without_a_mention_or_from_bots_are_left_alone(bot: Running) -> None:
    fake = bot.fake
    resume = fake.attachment("cv.txt", RESUME_TXT)
    await fake.dispatch("MESSAGE_CREATE", fake.message("here is my cv", [resume]))
    other_bot = fake.user(fake.other_bot_id, name="other-bot", bot=True)
    await fake.dispatch(
        "MESSAGE_CREATE",
        fake.message(f"<@{fake.bot_id}>", [resume], author=other_bot, mention_bot=True),
    )
    await fake.dispatch(
        "MESSAGE_CREATE", fake.message("echo", [resume], author=fake.bot_user(), dm=True)
    )
    # a sync point: gateway events are handled in order, so once this DM is answered the ones above were seen
    await fake.dispatch("MESSAGE_CREATE", fake.message("hi", dm=True))
    await fake.wait_for(is_channel_message(fake.dm_channel_id))
    assert not downloads(bot) and not fake.find("POST", "/threads")
    assert not fake.find("POST", f"/channels/{fake.channel_id}/")
    assert len(fake.find("POST", "/messages")) == 1


async def test_concurrent_interactions_are_each_deferred_before_their_review(bot: Running) -> None:
    """Eight at once: each is deferred first and answered once. The defer latency itself
    (goal: under Discord's 3 s) is a timing figure: benchmarks/discord_defer.py measures it."""
    fake = bot.fake
    count = 8
    payloads = [fake.optimize(fake.attachment(f"cv{i}.txt", RESUME_TXT)) for i in range(count)]
    for payload in payloads:
        await fake.dispatch("INTERACTION_CREATE", payload)
    followups = await fake.wait_for(is_followup, count=count, within_s=120)
    for payload in payloads:
        [defer] = [c for c in fake.calls if is_defer(c) and payload["id"] in c.path]
        [followup] = [c for c in followups if payload["token"] in c.path]
        assert defer.at < followup.at
    assert sorted(f"cv{i}.txt" for i in range(count)) == sorted(
        f.embeds[0]["title"].removeprefix("Resume review: ") for f in followups
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hostile/encrypted_aes256_user_and_owner_password.pdf", EncryptedFileError),
        ("hostile/image_only_grayscale_page.pdf", NoTextError),
    ],
)
async def test_corpus_bad_pdfs_get_their_error_text(
    bot: Running, name: str, expected: type
) -> None:
    path = require_corpus() / name
    fake = bot.fake
    await fake.dispatch(
        "INTERACTION_CREATE",
        fake.optimize(fake.attachment(path.name, path.read_bytes(), "application/pdf")),
    )
    (followup,) = await fake.wait_for(is_followup)
    assert expected.hint in followup.content


async def test_corpus_pdf_resume_is_reviewed(bot: Running) -> None:
    path = require_corpus() / "resumes/pdf/rendercv_engineeringresumes_john_doe.pdf"
    fake = bot.fake
    started = time.monotonic()
    await fake.dispatch(
        "INTERACTION_CREATE",
        fake.optimize(fake.attachment(path.name, path.read_bytes(), "application/pdf")),
    )
    (followup,) = await fake.wait_for(is_followup)
    assert_review_message(followup, path.name)
    assert time.monotonic() - started < 30


async def test_mention_without_a_file_gets_help_in_place(bot: Running) -> None:
    fake = bot.fake
    msg = fake.message(f"<@{fake.bot_id}> how does this work?", mention_bot=True)
    await fake.dispatch("MESSAGE_CREATE", msg)
    (reply,) = await fake.wait_for(is_channel_message(fake.channel_id))
    assert "PDF, DOCX" in reply.content
    assert str(reply.json["message_reference"]["message_id"]) == msg["id"]
    assert not fake.find("POST", "/threads")


async def test_optimize_in_a_dm_with_the_bot(bot: Running) -> None:
    fake = bot.fake
    await fake.dispatch(
        "INTERACTION_CREATE", fake.optimize(fake.attachment("cv.txt", RESUME_TXT), dm=True)
    )
    await fake.wait_for(is_defer)
    (followup,) = await fake.wait_for(is_followup)
    assert_review_message(followup, "cv.txt")


async def test_no_resume_or_job_text_in_any_log_even_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot() as running:
        fake = running.fake
        await fake.dispatch(
            "INTERACTION_CREATE",
            fake.optimize(fake.attachment("cv.txt", RESUME_TXT), job_description=JOB),
        )
        dm = fake.message(JOB, [fake.attachment("cv.txt", RESUME_TXT)], dm=True)
        await fake.dispatch("MESSAGE_CREATE", dm)
        await fake.wait_for(is_followup)
        await fake.wait_for(is_channel_message(fake.dm_channel_id))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged, "logging was captured"
    for secret in ("Acme Payments", "Kubernetes", "jane.doe@example.com", "Terraform", fake.token):
        assert secret not in logged
