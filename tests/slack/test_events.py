"""End to end: signed Events API requests → the real Bolt app → the fake Slack, over real sockets."""

from __future__ import annotations

import asyncio
import json
import time

from core.conversation import DELIVERY_APOLOGY
from core.errors import DamagedFileError, FileTooLargeError, UnsupportedFileError
from tests.fakes.slack import (
    BOT_ID,
    BOT_TOKEN,
    BOT_USER_ID,
    FakeSlack,
    ForeignServer,
    app_mention,
    dm_file_share,
    event_callback,
    sign,
)
from tests.slack.conftest import RESUME_TXT, BoltServer

JOB = """Backend Engineer, Payments
We are looking for a backend engineer with strong Python, Kafka and Terraform experience.
You will own services on Kubernetes and AWS, write PostgreSQL migrations and mentor others."""


async def test_dm_file_gets_progress_result_and_rewrite_in_thread(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    event = dm_file_share([file], text="Senior Backend Engineer")
    resp = await bolt.event(event_callback(event))
    assert resp.status_code == 200

    uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in("D0USER", event["ts"]))
    assert sorted(u.filename for u in uploads) == [
        "jane-rewritten.docx",
        "jane-rewritten.md",
        "jane-rewritten.pdf",
    ]
    assert uploads[0].content, "the upload URL received the bytes"
    docx = next(u for u in uploads if u.filename.endswith(".docx"))
    assert docx.content[:2] == b"PK"  # a real .docx (zip)
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert "Reviewing jane.txt" in answer.history[0]  # the sign of work, then updated in place
    shown = answer.all_text()
    assert "Score:" in shown and "/100" in shown and "Engine: offline" in shown
    assert "Keyword match" not in shown  # no job description, no keyword section
    assert (
        "Read: 4 sections, 2 roles, 5 bullets" in shown
    )  # what was read, to spot a misread at a glance
    # the token went to the file host, and to nothing but Slack
    [download] = [c for c in fake_slack.calls if c.method.startswith("GET /files/")]
    assert download.authorization == f"Bearer {BOT_TOKEN}"


async def test_job_description_in_message_adds_keyword_match(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    event = dm_file_share([file], text=JOB)
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("D0USER", event["ts"]))
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert "Keyword match" in answer.all_text()


async def test_mention_with_file_in_channel_answers_in_thread(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file("resume.md", RESUME_TXT.encode(), mimetype="text/markdown")
    event = app_mention([file])
    await bolt.event(event_callback(event))
    uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in("C0CAREER", event["ts"]))
    assert {u.filename for u in uploads} == {
        "resume-rewritten.docx",
        "resume-rewritten.md",
        "resume-rewritten.pdf",
    }
    [answer] = fake_slack.thread("C0CAREER", event["ts"])
    assert "Score:" in answer.all_text()


async def test_mention_without_file_gets_help(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    event = app_mention(None, text=f"<@{BOT_USER_ID}> hi")
    await bolt.event(event_callback(event))
    [reply] = await fake_slack.wait_for(lambda: fake_slack.thread("C0CAREER", event["ts"]))
    assert "/optimize" in reply.text


async def test_files_without_mention_and_bot_messages_are_ignored(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    in_channel = {**dm_file_share([file]), "channel": "C0CAREER", "channel_type": "channel"}
    from_bot = {**dm_file_share([file], ts="1700000009.000100"), "bot_id": "B0OTHER"}
    from_self = {
        **dm_file_share([file], ts="1700000010.000100"),
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
    }
    edited = {**dm_file_share([file], ts="1700000011.000100"), "subtype": "message_changed"}
    for event in (in_channel, from_bot, from_self, edited):
        resp = await bolt.event(event_callback(event))
        assert resp.status_code == 200
    await bolt.settled(fake_slack)
    assert fake_slack.messages == []
    assert not [c for c in fake_slack.calls if c.method.startswith("GET /files/")]


async def test_retried_event_is_reviewed_once(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    event = dm_file_share([file])
    payload = event_callback(event)
    first = await bolt.event(payload)
    retries = [
        await bolt.event(
            payload, headers={"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}
        )
        for n in (1, 2)
    ]
    # the same message also delivered as an app_mention (different event_id): still one review
    await bolt.event(
        event_callback({**app_mention([file]), "channel": "D0USER", "ts": event["ts"]})
    )
    assert first.status_code == 200 and all(r.status_code == 200 for r in retries)
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("D0USER", event["ts"]))
    await bolt.bot.conversations.tasks.drain()
    await bolt.settled(fake_slack)
    assert len(fake_slack.thread("D0USER", event["ts"])) == 1
    assert len(fake_slack.api_calls("files.completeUploadExternal")) == 1
    assert len([c for c in fake_slack.calls if c.method.startswith("GET /files/")]) == 1


async def test_bad_signature_and_stale_timestamp_get_401(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    body = json.dumps(event_callback(dm_file_share([file])))
    forged = await bolt.post(
        body, content_type="application/json", signed=False, headers=sign(body, secret="wrong")
    )
    stale = await bolt.post(
        body,
        content_type="application/json",
        signed=False,
        headers=sign(body, timestamp=int(time.time()) - 600),
    )
    unsigned = await bolt.post(body, content_type="application/json", signed=False)
    assert (forged.status_code, stale.status_code, unsigned.status_code) == (401, 401, 401)
    await bolt.settled(fake_slack)
    assert fake_slack.messages == []


async def test_url_verification_challenge(bolt: BoltServer) -> None:
    resp = await bolt.event({"token": "x", "challenge": "c-123", "type": "url_verification"})
    assert resp.status_code == 200 and "c-123" in resp.text


async def test_damaged_pdf_gets_plain_error_in_thread(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file(
        "cv.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", mimetype="application/pdf"
    )
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(
        lambda: any(m.history for m in fake_slack.thread("D0USER", event["ts"]))
    )
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert DamagedFileError().for_user() in answer.all_text()
    assert fake_slack.uploads == {}


async def test_image_is_refused_with_what_to_do(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    file = fake_slack.add_file("cv.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, mimetype="image/png")
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(
        lambda: any(m.history for m in fake_slack.thread("D0USER", event["ts"]))
    )
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert UnsupportedFileError.hint in answer.all_text()


async def test_too_large_is_refused_before_download(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file(
        "big.pdf", b"%PDF-1.4", size=bolt.bot.conversations.settings.max_file_bytes + 1
    )
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(lambda: fake_slack.thread("D0USER", event["ts"]))
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert (
        FileTooLargeError.hint in answer.all_text()
    )  # said at once: no "Reviewing…", no place in line
    assert not [c for c in fake_slack.calls if c.method.startswith("GET /files/")]


async def test_token_never_sent_to_a_foreign_host(
    bolt: BoltServer, fake_slack: FakeSlack, foreign: ForeignServer
) -> None:
    file = fake_slack.add_file(
        "jane.txt", RESUME_TXT.encode(), url=f"{foreign.base}/steal/jane.txt"
    )
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(
        lambda: any(m.history for m in fake_slack.thread("D0USER", event["ts"]))
    )
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert "outside Slack" in answer.all_text()
    assert foreign.requests == []  # nothing at all was sent there, let alone the token


async def test_redirect_to_foreign_host_is_not_followed_with_token(
    bolt: BoltServer, fake_slack: FakeSlack, foreign: ForeignServer
) -> None:
    file = fake_slack.add_file(
        "jane.txt",
        RESUME_TXT.encode(),
        url=f"{fake_slack.base}/redirect?to={foreign.base}/x/jane.txt",
    )
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(
        lambda: any(m.history for m in fake_slack.thread("D0USER", event["ts"]))
    )
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert "outside Slack" in answer.all_text()
    assert foreign.requests == []


async def test_login_page_instead_of_file_is_explained(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file(
        "jane.txt", b"<!DOCTYPE html><html><body>Sign in</body></html>", serve_as="text/plain"
    )
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(
        lambda: any(m.history for m in fake_slack.thread("D0USER", event["ts"]))
    )
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert "sign-in page" in answer.all_text()
    assert fake_slack.uploads == {}


async def test_slack_connect_file_is_fetched_with_files_info(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    event = dm_file_share([fake_slack.connect_stub(file)])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("D0USER", event["ts"]))
    [info] = fake_slack.api_calls("files.info")
    assert info.params["file"] == file["id"]


async def test_burst_at_start_up_checks_the_token_once(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    files = [fake_slack.add_file(f"cv{i}.txt", RESUME_TXT.encode()) for i in range(10)]
    events = [dm_file_share([f], ts=f"1700000100.{i:06d}") for i, f in enumerate(files)]
    responses = await asyncio.gather(*(bolt.event(event_callback(e)) for e in events))
    assert all(r.status_code == 200 for r in responses)
    await fake_slack.wait_for(
        lambda: len(fake_slack.api_calls("files.completeUploadExternal")) == 10
    )
    assert len(fake_slack.api_calls("auth.test")) == 1
    assert all(len(fake_slack.thread("D0USER", e["ts"])) == 1 for e in events)


async def test_plain_dm_gets_help_but_thread_chatter_does_not(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    def text_dm(text: str, ts: str, **extra: str) -> dict:
        event = dm_file_share([], text=text, ts=ts)
        return {k: v for k, v in event.items() if k not in ("files", "subtype")} | extra

    hello = text_dm("hi", "1700000200.000100")
    thanks = text_dm("thanks!", "1700000201.000100", thread_ts="1700000001.000200")
    for event in (hello, thanks):
        await bolt.event(event_callback(event))
    [reply] = await fake_slack.wait_for(lambda: fake_slack.thread("D0USER", hello["ts"]))
    assert "/optimize" in reply.text
    await bolt.settled(fake_slack)
    assert len(fake_slack.messages) == 1


async def test_a_review_slack_refuses_to_show_still_gets_an_answer(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    """Rendering/delivery failures used to leave people on "Reviewing…": now they're told."""
    fake_slack.fail_if["chat.update"] = lambda p: "invalid_blocks" if "Score:" in str(p) else None
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    told = await fake_slack.wait_for(
        lambda: [m for m in fake_slack.thread("D0USER", event["ts"]) if DELIVERY_APOLOGY in m.text]
    )
    assert len(told) == 1
    await bolt.bot.conversations.tasks.drain()
    # the bot keeps working once Slack accepts messages again
    del fake_slack.fail_if["chat.update"]
    event = dm_file_share([fake_slack.add_file("jane.txt", RESUME_TXT.encode())], ts="1700000002.0")
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in("D0USER", event["ts"]))
