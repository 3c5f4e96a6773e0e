"""Socket Mode: apps.connections.open → websocket → envelope acked → answer in the thread."""

from __future__ import annotations

import httpx
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bots.slack.app import build_bot
from core.config import Settings
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, FakeSlack, dm_file_share, event_callback
from tests.slack.conftest import MARKER_CHANNEL, RESUME_TXT, marker_dm


async def test_socket_mode_acks_envelope_and_answers(
    fake_slack: FakeSlack, http: httpx.AsyncClient
) -> None:
    settings = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_api_url=fake_slack.api_url,
    )
    bot = build_bot(settings, http=http)  # no signing secret needed in Socket Mode
    handler = AsyncSocketModeHandler(bot.app, settings.slack_app_token.get_secret_value())
    await handler.connect_async()
    try:
        file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
        event = dm_file_share([file])
        payload = event_callback(event)
        first = await fake_slack.push_envelope(payload)
        await fake_slack.wait_for(
            lambda: any(a.get("envelope_id") == first for a in fake_slack.socket_acks)
        )
        retry = await fake_slack.push_envelope(payload, retry=1)
        await fake_slack.wait_for(
            lambda: any(a.get("envelope_id") == retry for a in fake_slack.socket_acks)
        )

        uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in("D0USER", event["ts"]))
        assert {u.filename for u in uploads} == {
            "jane-rewritten.docx",
            "jane-rewritten.md",
            "jane-rewritten.pdf",
        }
        marker = marker_dm()  # answered after everything pushed before it: no fixed sleep
        await fake_slack.push_envelope(event_callback(marker))
        await fake_slack.wait_for(lambda: fake_slack.thread(MARKER_CHANNEL, marker["ts"]))
        await bot.conversations.tasks.drain()
        assert (
            len(fake_slack.thread("D0USER", event["ts"])) == 1
        )  # the retry was acked, not reviewed again
        [opened] = fake_slack.api_calls("apps.connections.open")
        assert opened.authorization == f"Bearer {APP_TOKEN}"
    finally:
        await handler.close_async()
