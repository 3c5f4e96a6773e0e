"""Review channels on Slack, and a mention Slack sent only as a `message` event (bolt #925).

Signed `message.channels`/`message.groups` events go to the real Bolt app; the answers are
read back from the fake Slack. Listed channels: a post with a resume is reviewed in its
thread, without a mention, once; edits and file-less comments are not. Unlisted channels:
ignored, unless the message mentions the bot and carries a file.
"""

from __future__ import annotations

import pytest

from core.config import Settings
from tests.fakes.slack import (
    BOT_TOKEN,
    BOT_USER_ID,
    SIGNING_SECRET,
    FakeSlack,
    app_mention,
    channel_message,
    event_callback,
    message_changed,
)
from tests.slack.conftest import RESUME_TXT, BoltServer

REVIEW = "C0REVIEW"
PRIVATE_REVIEW = "G0PRIVATE"


@pytest.fixture
def slack_settings(fake_slack: FakeSlack) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        review_channels=f"{REVIEW},{PRIVATE_REVIEW}",
    )


def downloads(fake: FakeSlack) -> int:
    return len([c for c in fake.calls if c.method.startswith("GET /files/")])


async def test_a_post_with_a_resume_in_a_review_channel_is_reviewed_in_its_thread_once(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    post = channel_message([fake_slack.add_file("jane.txt", RESUME_TXT.encode())])
    await bolt.event(event_callback(post))
    uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in(REVIEW, post["ts"]))
    assert "jane-rewritten.docx" in {u.filename for u in uploads}
    [answer] = fake_slack.thread(REVIEW, post["ts"])
    assert "Score:" in answer.all_text()

    # the author edits the post, thanks the bot in the thread; Slack sends the post again
    thanks = channel_message(text="thanks!", ts="1700000301.000100", thread_ts=post["ts"])
    for event in (message_changed(post, "Edit: now with a link"), thanks, post):
        await bolt.event(event_callback(event))
    await bolt.settled(fake_slack)
    assert len(fake_slack.thread(REVIEW, post["ts"])) == 1 and downloads(fake_slack) == 1
    assert len(fake_slack.api_calls("files.completeUploadExternal")) == 1

    # a new version posted in the thread is a new resume: reviewed there
    v2 = channel_message(
        [fake_slack.add_file("jane-v2.txt", RESUME_TXT.encode())],
        text="v2",
        ts="1700000302.000100",
        thread_ts=post["ts"],
    )
    await bolt.event(event_callback(v2))
    await fake_slack.wait_for(lambda: len(fake_slack.uploads_in(REVIEW, post["ts"])) == 6)
    assert len(fake_slack.thread(REVIEW, post["ts"])) == 2


async def test_a_private_review_channel_works_the_same(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    post = channel_message(
        [fake_slack.add_file("cv.md", RESUME_TXT.encode())],
        channel=PRIVATE_REVIEW,
        channel_type="group",
    )
    await bolt.event(event_callback(post))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in(PRIVATE_REVIEW, post["ts"]))


async def test_unlisted_channels_and_file_less_posts_are_ignored(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    elsewhere = channel_message(
        [fake_slack.add_file("cv.txt", RESUME_TXT.encode())], channel="C0GENERAL"
    )
    chatter = channel_message(text="Anyone hiring?", ts="1700000303.000100")
    for event in (elsewhere, chatter):
        await bolt.event(event_callback(event))
    await bolt.settled(fake_slack)
    assert fake_slack.messages == [] and downloads(fake_slack) == 0


async def test_a_mention_with_a_file_sent_only_as_a_message_event_is_reviewed_once(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    """bolt-python #925: Slack may send no `app_mention` for a file shared with a mention."""
    file = fake_slack.add_file("cv.txt", RESUME_TXT.encode())
    text = f"<@{BOT_USER_ID}> could you look at this?"
    message = channel_message([file], text=text, channel="C0GENERAL")
    await bolt.event(event_callback(message))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("C0GENERAL", message["ts"]))
    # when the app_mention does come too, for the same message, it is not a second review
    mention = app_mention([file], text=text, ts=message["ts"], channel="C0GENERAL")
    await bolt.event(event_callback(mention))
    await bolt.settled(fake_slack)
    assert len(fake_slack.thread("C0GENERAL", message["ts"])) == 1 and downloads(fake_slack) == 1
