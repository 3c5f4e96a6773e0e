"""Real files from ../shared/corpus through the whole Slack path (skipped when the corpus is absent)."""

from __future__ import annotations

from core.errors import EncryptedFileError
from tests.conftest import require_corpus
from tests.fakes.slack import FakeSlack, dm_file_share, event_callback
from tests.slack.conftest import BoltServer


async def test_real_pdf_resume_is_reviewed(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    path = require_corpus() / "resumes/pdf/rendercv_engineeringresumes_john_doe.pdf"
    file = fake_slack.add_file(path.name, path.read_bytes(), mimetype="application/pdf")
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    uploads = await fake_slack.wait_for(
        lambda: fake_slack.uploads_in("D0USER", event["ts"]), within_s=60
    )
    assert any(u.filename.endswith(".docx") for u in uploads)
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert "Score:" in answer.all_text() and "PDF" in answer.all_text()


async def test_password_protected_pdf_is_explained(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    path = require_corpus() / "hostile/encrypted_aes256_user_and_owner_password.pdf"
    file = fake_slack.add_file(path.name, path.read_bytes(), mimetype="application/pdf")
    event = dm_file_share([file])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(
        lambda: any(m.history for m in fake_slack.thread("D0USER", event["ts"])), within_s=60
    )
    [answer] = fake_slack.thread("D0USER", event["ts"])
    assert EncryptedFileError().for_user() in answer.all_text()
