"""End to end: signed Events API requests → the real Bolt app → the fake Slack, over real sockets."""

from __future__ import annotations

from tests.fakes.slack import FakeSlack, dm_file_share, event_callback
from tests.slack.conftest import RESUME_TXT, BoltServer


async def test_dm_file_gets_progress_result_and_rewrite_in_thread(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    file = fake_slack.add_file("jane.txt", RESUME_TXT.encode())
    event = dm_file_share([file], text="Senior Backend Engineer")
    resp = await bolt.event(event_callback(event))
    assert resp.status_code == 200

    uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in("D0USER", event["ts"]))
    names = sorted(u.filename for u in uploads)
    assert names == ["jane-rewritten.docx", "jane-rewritten.md"]
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert answer.history and "Reviewing jane.txt" in answer.history[0]
    assert "Score:" in answer.all_text() and "/100" in answer.all_text()
