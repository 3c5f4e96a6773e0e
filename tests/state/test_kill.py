"""Nothing accepted is lost: `kill -9` during a review, restart, exactly one answer.

The real `resume-bot slack` (Socket Mode) and `resume-bot discord` run as child
processes against the fake platforms, with the state in an SQLite file. The fake
holds the file download open, so the review is in flight for certain when the
process is killed; the next process tells the person, in the same place, once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest

from tests.fakes.discord import EPHEMERAL_FLAG, FakeDiscord, is_channel_message
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, FakeSlack, dm_file_share, event_callback
from tests.slack.conftest import MARKER_CHANNEL, marker_dm
from tests.state.threads import JOB, V1, discord_as_seen

ROOT = Path(__file__).resolve().parents[2]
LOST = "I restarted while reviewing jane.txt and lost that review"


@contextmanager
def bot_process(platform: str, env: dict[str, str], cwd: Path) -> Iterator[subprocess.Popen]:
    """`resume-bot PLATFORM` as its own process; killed (if still running) afterwards."""
    log = (cwd / f"{platform}.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "resume_bot", platform],
        cwd=cwd,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        log.close()


def kill_9(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def state_env(tmp_path: Path, state_key: str) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    return {"STATE_URL": url, "STATE_KEY": state_key} if state_key else {"STATE_URL": url}


@asynccontextmanager
async def started(fake: FakeSlack) -> AsyncIterator[FakeSlack]:
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.mark.slow
@pytest.mark.parametrize("kept", [True, False], ids=["with-STATE_KEY", "without"])
async def test_slack_kill_9_during_a_review_then_exactly_one_answer(
    tmp_path: Path, state_key: str, kept: bool
) -> None:
    """With STATE_KEY the file is reviewed again after the restart; without, the person is told
    it was lost. Either way one message in the thread: "Reviewing…" becomes the answer."""
    async with started(FakeSlack()) as fake:
        fake.hold_downloads = True
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_API_URL": fake.api_url,
            **state_env(tmp_path, state_key if kept else ""),
        }
        event = dm_file_share([fake.add_file("jane.txt", V1.encode())], text=JOB)
        with bot_process("slack", env, tmp_path) as first:
            await fake.wait_for(lambda: fake.socket_connected)
            await fake.push_envelope(event_callback(event))
            await fake.wait_for(lambda: fake.api_calls("GET /files/F0001/jane.txt"))  # in flight
            kill_9(first)
        fake.hold_downloads = False
        with bot_process("slack", env, tmp_path):
            done = await fake.wait_for(
                lambda: [
                    m
                    for m in fake.thread("D0USER", event["ts"])
                    if "Score:" in m.all_text() or ":warning:" in m.text
                ]
            )
            if kept:
                await fake.wait_for(lambda: len(fake.uploads_in("D0USER", event["ts"])) == 3)
            await fake.wait_for(lambda: len(fake._sockets) == 2 and not fake._sockets[-1].closed)
            marker = marker_dm()  # answered after anything else this process would send
            await fake.push_envelope(event_callback(marker))
            await fake.wait_for(lambda: fake.thread(MARKER_CHANNEL, marker["ts"]))
        thread = fake.thread("D0USER", event["ts"])
        print(f"\n--- Slack, killed mid-review ({'kept' if kept else 'no key'}) ---")
        print("\n".join(f"[bot] {[*m.history, m.text]}" for m in thread))
        [only] = thread  # one message, updated in place, as an uninterrupted review would be
        assert only is done[0] and only.history[0] == "🔎 Reviewing jane.txt…"
        if kept:
            assert only.text.startswith("Resume review of jane.txt") and "Keyword match" in (
                only.all_text()
            )  # the job description sent with the file was kept (sealed) too
            assert "I restarted while reviewing this" in only.all_text()
        else:
            assert "I restarted while reviewing your file and lost that review" in only.text


@pytest.mark.slow
async def test_discord_kill_9_during_a_review_then_exactly_one_answer(
    tmp_path: Path, state_key: str
) -> None:
    """The DM's review is done again after the restart; the private slash command's token
    can't be trusted past its 15 minutes, so it is told, privately, that it was lost."""
    fake = FakeDiscord()
    await fake.start()
    try:
        fake.hold_downloads = True
        env = {
            "DISCORD_BOT_TOKEN": fake.token,
            "DISCORD_API_URL": fake.api_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            **state_env(tmp_path, state_key),
        }
        dm = fake.message("", [fake.attachment("jane.txt", V1.encode())], dm=True)
        command = fake.optimize(  # private by default; another person, so not in line behind
            fake.attachment("jane.txt", V1.encode()), user_id=fake.new_id()
        )
        with bot_process("discord", env, tmp_path) as first:
            await asyncio.wait_for(fake.ready.wait(), 60)
            await fake.dispatch("MESSAGE_CREATE", dm)
            await fake.dispatch("INTERACTION_CREATE", command)
            await fake.wait_for(lambda c: c.path.startswith("/attachments/"), count=2)  # in flight
            kill_9(first)
        fake.ready.clear()
        fake.hold_downloads = False
        with bot_process("discord", env, tmp_path):
            await asyncio.wait_for(fake.ready.wait(), 60)
            [again] = await fake.wait_for(is_channel_message(fake.dm_channel_id))
            await fake.dispatch("MESSAGE_CREATE", fake.message("hi", dm=True))  # a sync point
            posts = await fake.wait_for(is_channel_message(fake.dm_channel_id), count=2)
        print("\n--- Discord, killed mid-review ---\n" + discord_as_seen(again))
        assert posts[0] is again and "PDF, DOCX" in posts[1].content  # then only the help
        # the DM's review was done again, replying to the message as it would have
        assert again.content.startswith("Here's the review of **jane.txt**")
        assert "I restarted while reviewing this" in again.content
        assert "jane-rewritten.docx" in again.filenames
        assert str(again.json["message_reference"]["message_id"]) == dm["id"]
        assert len(fake.find("POST", f"/channels/{fake.dm_channel_id}/messages")) == 2
        # the slash command's answer was private: so is the news, on its own follow-up webhook
        [followup] = fake.find("POST", f"/webhooks/{fake.app_id}/{command['token']}")
        assert LOST in followup.content and followup.flags & EPHEMERAL_FLAG
    finally:
        await fake.close()
