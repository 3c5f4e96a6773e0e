"""The "Review resume" message shortcut: a mentor reviews what someone posted, in that
message's thread or privately, through the real Bolt app and the fake Slack."""

from __future__ import annotations

from bots.slack.shortcut import NO_FILE, REVIEW_SHORTCUT_ID, SHORTCUT_FORM_ID
from core.errors import FileTooLargeError
from tests.fakes.slack import (
    FakeSlack,
    app_mention,
    channel_message,
    form_submission,
    message_shortcut,
    shortcut_values,
)
from tests.slack.conftest import RESUME_TXT, BoltServer

POST_TEXT = "Senior Data Engineer"


async def _open_form(bolt: BoltServer, fake: FakeSlack, message: dict) -> dict:
    resp = await bolt.form(message_shortcut(message))
    assert resp.status_code == 200
    [view] = await fake.wait_for(lambda: fake.views)
    return view


async def test_the_form_offers_the_thread_by_default_and_prefills_the_role(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    post = channel_message([fake_slack.add_file("sam.txt", RESUME_TXT.encode())], text=POST_TEXT)
    view = await _open_form(bolt, fake_slack, post)
    assert view["callback_id"] == SHORTCUT_FORM_ID
    elements = {b.get("block_id"): b.get("element") for b in view["blocks"]}
    assert elements["where"]["initial_option"]["value"] == "thread"
    assert {o["value"] for o in elements["where"]["options"]} == {"thread", "dm"}
    assert elements["role"]["initial_value"] == POST_TEXT
    assert "sam.txt" in view["blocks"][0]["text"]["text"]
    assert len(view["private_metadata"]) <= 3000 and fake_slack.messages == []


async def test_answered_in_that_messages_thread(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    post = channel_message(
        [fake_slack.add_file("sam.txt", RESUME_TXT.encode())], channel="C0CAREER"
    )
    view = await _open_form(bolt, fake_slack, post)
    resp = await bolt.form(form_submission(view, shortcut_values("thread", role="Data Engineer")))
    assert resp.status_code == 200 and resp.text == ""  # the form closes
    uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in("C0CAREER", post["ts"]))
    assert "sam-rewritten.docx" in {u.filename for u in uploads}
    [answer] = fake_slack.thread("C0CAREER", post["ts"])
    assert "Score:" in answer.all_text()
    [info] = fake_slack.api_calls("files.info")  # the file is looked up when the form is sent
    assert info.params["file"] == post["files"][0]["id"]


async def test_a_thread_reply_is_answered_in_the_same_thread(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    reply = channel_message(
        [fake_slack.add_file("v2.txt", RESUME_TXT.encode())],
        channel="C0CAREER",
        ts="1700000400.000200",
        thread_ts="1700000400.000100",
    )
    view = await _open_form(bolt, fake_slack, reply)
    await bolt.form(form_submission(view, shortcut_values("thread")))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("C0CAREER", "1700000400.000100"))


async def test_privately_by_dm_when_the_mentor_chooses(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    post = app_mention([fake_slack.add_file("sam.txt", RESUME_TXT.encode())])
    view = await _open_form(bolt, fake_slack, post)
    await bolt.form(form_submission(view, shortcut_values("dm"), user="U0MENTOR"))
    [answer] = await fake_slack.wait_for(
        lambda: [m for m in fake_slack.messages if m.channel == "DU0MENTOR"]
    )
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("DU0MENTOR", answer.ts))
    assert not [m for m in fake_slack.messages if m.channel == "C0CAREER"]


async def test_a_channel_without_the_bot_falls_back_to_the_mentors_dm(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    post = channel_message([fake_slack.add_file("sam.txt", RESUME_TXT.encode())], channel="C0X")
    fake_slack.not_member_of.add("C0X")
    view = await _open_form(bolt, fake_slack, post)
    await bolt.form(form_submission(view, shortcut_values("thread")))
    [answer] = await fake_slack.wait_for(
        lambda: [m for m in fake_slack.messages if m.channel == "DU0MENTOR"]
    )
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("DU0MENTOR", answer.ts))
    assert "/invite" in answer.history[0]


async def test_a_message_without_a_file_is_explained(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    view = await _open_form(bolt, fake_slack, channel_message(text="just chatting"))
    assert view["blocks"][0]["text"]["text"] == NO_FILE and "submit" not in view
    assert REVIEW_SHORTCUT_ID == "review_resume"


async def test_too_large_is_refused_on_the_form(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    size = bolt.bot.conversations.settings.max_file_bytes + 1
    post = channel_message([fake_slack.add_file("big.pdf", b"%PDF", size=size)])
    view = await _open_form(bolt, fake_slack, post)
    body = (await bolt.form(form_submission(view, shortcut_values()))).json()
    assert body["response_action"] == "errors"
    assert FileTooLargeError.hint in body["errors"]["where"]
    await bolt.settled(fake_slack)
    assert fake_slack.messages == []
