"""REVIEW_CHANNELS on Discord: posts with a resume in a listed text or forum channel are reviewed
without a mention; everything else there (edits, comments without a file) and every other
channel is left alone. The fake strips what Discord strips without the Message Content intent.
"""

from __future__ import annotations

import httpx
import pytest

from bots.discord.doctor import discord_checks
from bots.discord.run import run
from core.config import Settings
from core.errors import ConfigError
from tests.discord.conftest import Running, running_bot
from tests.discord.test_e2e import RESUME_TXT, assert_review_message, downloads
from tests.fakes.discord import (
    MESSAGE_CONTENT_INTENT,
    Call,
    FakeDiscord,
    is_channel_message,
    is_thread_create,
)

LISTED = ("channel_id", "forum_id")


def posts_in(channel_id: str) -> object:
    return lambda c: c.method == "POST" and c.path.endswith(f"/channels/{channel_id}/messages")


async def settle(running: Running) -> None:
    """A DM answered after the events above means the gateway delivered (and the bot handled)
    them; then every review they started is waited out."""
    fake = running.fake
    before = len([c for c in fake.calls if is_channel_message(fake.dm_channel_id)(c)])
    await fake.dispatch("MESSAGE_CREATE", fake.message("hi", dm=True))
    await fake.wait_for(is_channel_message(fake.dm_channel_id), count=before + 1)
    await running.bot.conversations.tasks.drain()


def reviews(fake: FakeDiscord) -> list[Call]:
    return [c for c in fake.calls if c.method == "POST" and "/100" in c.content]


async def test_a_forum_post_with_a_resume_is_answered_inside_the_post_once() -> None:
    async with running_bot(review_channels=LISTED) as running:
        fake = running.fake
        assert fake.identify["intents"] & MESSAGE_CONTENT_INTENT  # needed to see attachments
        author = fake.user(fake.new_id(), name="sam")
        thread, first = fake.forum_post(
            "Junior data analyst, 2 years",
            "Any feedback welcome!",
            [fake.attachment("sam.txt", RESUME_TXT)],
            author=author,
        )
        await fake.dispatch("THREAD_CREATE", thread)
        await fake.dispatch("MESSAGE_CREATE", first)
        [answer] = await fake.wait_for(posts_in(thread["id"]))
        assert_review_message(answer, "sam.txt")
        assert not fake.find("POST", "/threads"), "the post is the thread"

        # the author edits the post, comments without a file; the same message comes again
        edited = first | {
            "content": "Edit: added my portfolio",
            "edited_timestamp": first["timestamp"],
        }
        await fake.dispatch("MESSAGE_UPDATE", edited)
        comment = fake.message("thanks!", author=author, channel_id=thread["id"])
        await fake.dispatch("MESSAGE_CREATE", comment)
        await fake.dispatch("MESSAGE_CREATE", first)
        await settle(running)
        assert len(reviews(fake)) == 1 and len(downloads(running)) == 1

        # a new version as a comment with a file is a new resume: reviewed in the post
        update = fake.message(
            "v2",
            [fake.attachment("sam-v2.txt", RESUME_TXT)],
            author=author,
            channel_id=thread["id"],
        )
        await fake.dispatch("MESSAGE_CREATE", update)
        await fake.wait_for(posts_in(thread["id"]), count=2)
        assert len(reviews(fake)) == 2


async def test_a_post_in_a_listed_text_channel_gets_a_thread_and_others_are_ignored() -> None:
    async with running_bot(review_channels=LISTED) as running:
        fake = running.fake
        post = fake.message("Looking for backend roles", [fake.attachment("cv.txt", RESUME_TXT)])
        elsewhere = fake.message(
            "my cv", [fake.attachment("cv.txt", RESUME_TXT)], channel_id=fake.other_channel_id
        )
        chatter = fake.message("good morning everyone")
        for message in (elsewhere, chatter, post):
            await fake.dispatch("MESSAGE_CREATE", message)
        (create,) = await fake.wait_for(is_thread_create)
        assert create.path.endswith(f"/channels/{fake.channel_id}/messages/{post['id']}/threads")
        thread_id = next(t for t in fake.threads if fake.threads[t]["parent_id"] == fake.channel_id)
        [answer] = await fake.wait_for(posts_in(thread_id))
        assert_review_message(answer, "cv.txt")
        await settle(running)
        assert len(reviews(fake)) == 1 and len(downloads(running)) == 1
        assert not fake.find("POST", f"/channels/{fake.other_channel_id}/")
        assert not fake.find("POST", f"/channels/{fake.channel_id}/messages")[1:]


async def test_without_review_channels_posts_are_not_read_and_no_privileged_intent_is_asked(
    bot: Running,
) -> None:
    fake = bot.fake
    assert not fake.identify["intents"] & MESSAGE_CONTENT_INTENT
    thread, first = fake.forum_post("My resume", "", [fake.attachment("cv.txt", RESUME_TXT)])
    await fake.dispatch("THREAD_CREATE", thread)
    await fake.dispatch("MESSAGE_CREATE", first)
    await settle(bot)
    assert not reviews(fake) and not downloads(bot)


async def test_the_portal_switch_off_is_a_clear_start_up_error() -> None:
    fake = FakeDiscord(message_content_allowed=False)
    await fake.start()
    settings = Settings(
        discord_bot_token=fake.token,
        discord_api_url=fake.api_url,
        review_channels=[fake.forum_id],
    )
    try:
        with pytest.raises(ConfigError, match="Message Content"):
            await run(settings)
    finally:
        await fake.close()


@pytest.mark.parametrize("allowed", [True, False])
async def test_doctor_says_whether_the_message_content_intent_is_on(allowed: bool) -> None:
    fake = FakeDiscord(message_content_allowed=allowed)
    await fake.start()
    settings = Settings(
        discord_bot_token=fake.token,
        discord_api_url=fake.api_url,
        review_channels=[fake.forum_id],
    )
    try:
        async with httpx.AsyncClient() as http:
            checks = await discord_checks(settings, http)
    finally:
        await fake.close()
    [check] = [c for c in checks if c.name == "Discord review channels"]
    assert check.ok is allowed and (allowed or "Message Content Intent" in check.detail)


async def test_a_comment_in_a_post_the_bot_has_not_seen_created_is_looked_up_once() -> None:
    """A forum post from before the bot connected isn't in discord.py's cache: its parent is
    asked of Discord, and a resume posted in it is still answered inside it."""
    async with running_bot(review_channels=LISTED) as running:
        fake = running.fake
        thread, _ = fake.forum_post("Older post", "")  # THREAD_CREATE never reached the bot
        comment = fake.message(
            "updated version", [fake.attachment("cv.txt", RESUME_TXT)], channel_id=thread["id"]
        )
        await fake.dispatch("MESSAGE_CREATE", comment)
        [answer] = await fake.wait_for(posts_in(thread["id"]))
        assert_review_message(answer, "cv.txt")
        assert len(fake.find("GET", f"/channels/{thread['id']}")) == 1
