"""`/optimize`: help, the modal, and its submission answered in a DM or a channel thread."""

from __future__ import annotations

from bots.slack.render import HELP_TEXT, OPTIMIZE_CALLBACK_ID
from core.errors import FileTooLargeError
from tests.fakes.slack import FakeSlack, slash_command, view_submission
from tests.slack.conftest import RESUME_TXT, BoltServer


async def test_help_is_ephemeral(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    resp = await bolt.form(slash_command("help"))
    assert resp.status_code == 200
    assert resp.json()["text"] == HELP_TEXT
    assert resp.json()["response_type"] == "ephemeral"
    assert fake_slack.views == [] and fake_slack.messages == []


async def test_command_opens_modal_with_file_input(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    resp = await bolt.form(slash_command("Data Analyst"))
    assert resp.status_code == 200
    [view] = await fake_slack.wait_for(lambda: fake_slack.views)
    assert view["callback_id"] == OPTIMIZE_CALLBACK_ID
    [call] = fake_slack.api_calls("views.open")
    assert call.params["trigger_id"] == "1337.42.abcd"
    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert elements["resume"]["type"] == "file_input"
    assert elements["role"]["initial_value"] == "Data Analyst"
    assert elements["where"]["initial_option"]["value"] == "dm"  # private by default


async def _modal(bolt: BoltServer, fake_slack: FakeSlack) -> dict:
    await bolt.form(slash_command())
    [view] = await fake_slack.wait_for(lambda: fake_slack.views)
    return view


async def test_submission_answers_privately_in_dm(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    view = await _modal(bolt, fake_slack)
    file = fake_slack.add_file("jane.docx.txt", RESUME_TXT.encode())
    resp = await bolt.form(
        view_submission(view, files=[file], job="Python Kafka Terraform engineer " * 3)
    )
    assert resp.status_code == 200 and resp.text == ""  # closes the modal

    dm = "DU0USER"
    [progress] = await fake_slack.wait_for(
        lambda: [m for m in fake_slack.messages if m.channel == dm]
    )
    uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in(dm, progress.ts))
    assert len(uploads) >= 2
    assert "Keyword match" in progress.all_text()
    assert not [m for m in fake_slack.messages if m.channel == "C0CAREER"]


async def test_submission_can_answer_in_channel_thread(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    view = await _modal(bolt, fake_slack)
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    await bolt.form(view_submission(view, files=[file], where="channel"))
    [progress] = await fake_slack.wait_for(
        lambda: [m for m in fake_slack.messages if m.channel == "C0CAREER"]
    )
    assert progress.thread_ts is None  # a slash command has no thread: the answer starts one
    uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in("C0CAREER", progress.ts))
    assert {u.filename for u in uploads} >= {"jane-rewritten.docx", "jane-rewritten.md"}


async def test_channel_without_bot_falls_back_to_dm(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    view = await _modal(bolt, fake_slack)
    fake_slack.not_member_of.add("C0CAREER")
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    await bolt.form(view_submission(view, files=[file], where="channel"))
    [progress] = await fake_slack.wait_for(
        lambda: [m for m in fake_slack.messages if m.channel == "DU0USER"]
    )
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("DU0USER", progress.ts))
    assert "/invite" in progress.history[0]


async def test_too_large_file_is_refused_inside_the_modal(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    view = await _modal(bolt, fake_slack)
    big = fake_slack.add_file(
        "big.pdf", b"%PDF", size=bolt.bot.conversations.settings.max_file_bytes + 1
    )
    resp = await bolt.form(view_submission(view, files=[big]))
    body = resp.json()
    assert body["response_action"] == "errors"
    assert FileTooLargeError.hint in body["errors"]["resume"]
    assert fake_slack.messages == []
