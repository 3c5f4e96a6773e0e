"""User text never becomes a Slack mention or link: hostile file names and roles, every answer path.

A file named `<!here> resume.pdf` used to make the review's `text` and the upload's
`initial_comment` ping the whole channel. Each test sends the name (or a role) through
one way in, waits for the whole answer, and then reads every mrkdwn string the bot sent
(message texts, blocks, upload comments, modals) the way Slack would: nothing may ping.
"""

from __future__ import annotations

import pytest

from core.config import Settings
from tests.conftest import EXAMPLES
from tests.fakes.model import API_KEY, SlowModel
from tests.fakes.slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    app_mention,
    channel_message,
    dm_file_share,
    event_callback,
    form_submission,
    message_shortcut,
    shortcut_values,
    slash_command,
    view_submission,
)
from tests.slack.conftest import BoltServer

HOSTILE_NAMES = ["<!here> resume.pdf", "<!channel> & <@U0BOSS> cv.pdf", "@everyone cv.pdf"]
PDF = (EXAMPLES / "resume.pdf").read_bytes()


@pytest.fixture
def slack_settings(fake_slack: FakeSlack, model: SlowModel) -> Settings:
    """One review at a time (so a second person waits in line), the model behind a gate."""
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        huggingface_api_key=API_KEY,
        huggingface_base_url=model.base_url,
        max_concurrent_reviews=1,
        review_channels="C0REVIEW",
    )


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def assert_nothing_pings(fake: FakeSlack, name: str) -> None:
    assert fake.pings() == []
    shown = "\n".join(text for _, text in fake.shown_texts())
    assert escaped(name).rsplit(".", 1)[0] in shown, "the name is still shown, escaped"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_dm_and_mention_answers_escape_the_file_name(
    bolt: BoltServer, fake_slack: FakeSlack, model: SlowModel, name: str
) -> None:
    model.gate.set()
    dm = dm_file_share([fake_slack.add_file(name, PDF, mimetype="application/pdf")])
    mention = app_mention([fake_slack.add_file(name, PDF, mimetype="application/pdf")])
    for event in (dm, mention):
        await bolt.event(event_callback(event))
    for event in (dm, mention):
        await fake_slack.wait_for(lambda e=event: fake_slack.uploads_in(e["channel"], e["ts"]))
    comments = fake_slack.api_calls("files.completeUploadExternal")
    stem = escaped(name.rsplit(".", 1)[0])
    assert len(comments) == 2 and all(stem in c.params["initial_comment"] for c in comments)
    [answer] = fake_slack.thread(dm["channel"], dm["ts"])
    assert answer.text.startswith("Resume review of ") and "<!" not in answer.text
    assert_nothing_pings(fake_slack, name)


async def test_a_waiting_file_and_an_error_escape_the_name(
    bolt: BoltServer, fake_slack: FakeSlack, model: SlowModel
) -> None:
    name = "<!here> resume.pdf"
    first = dm_file_share([fake_slack.add_file("a.pdf", PDF)], user="UA", channel="DUA")
    second = dm_file_share([fake_slack.add_file(name, PDF)], user="UB", channel="DUB")
    damaged = dm_file_share(
        [fake_slack.add_file(name, b"%PDF-1.4\n1 0 obj <<")], user="UC", channel="DUC"
    )
    await bolt.event(event_callback(first))
    await model.wait_in_flight()
    await bolt.event(event_callback(second))
    await fake_slack.wait_for(
        lambda: any("in line" in m.text for m in fake_slack.thread("DUB", second["ts"]))
    )
    model.gate.set()
    await bolt.event(event_callback(damaged))
    for event in (first, second):
        await fake_slack.wait_for(lambda e=event: fake_slack.uploads_in(e["channel"], e["ts"]))
    await fake_slack.wait_for(
        lambda: any(m.history for m in fake_slack.thread("DUC", damaged["ts"]))
    )
    await bolt.bot.conversations.tasks.drain()
    [waited] = fake_slack.thread("DUB", second["ts"])
    assert "&lt;!here&gt; resume.pdf" in waited.history[0]  # "#1 in line for …"
    assert_nothing_pings(fake_slack, name)


@pytest.mark.parametrize("where", ["dm", "channel"])
async def test_optimize_form_escapes_the_name_and_the_role(
    bolt: BoltServer, fake_slack: FakeSlack, model: SlowModel, where: str
) -> None:
    model.gate.set()
    name = "<!channel> cv.pdf"
    await bolt.form(slash_command("<!here> Data Analyst"))
    [view] = await fake_slack.wait_for(lambda: fake_slack.views)
    file = fake_slack.add_file(name, PDF, mimetype="application/pdf")
    await bolt.form(
        view_submission(view, files=[file], role="<!everyone> Data Analyst", where=where)
    )
    await fake_slack.wait_for(lambda: fake_slack.api_calls("files.completeUploadExternal"))
    await bolt.bot.conversations.tasks.drain()
    assert_nothing_pings(fake_slack, name)


@pytest.mark.parametrize("name", HOSTILE_NAMES[:2])
async def test_review_channel_posts_and_the_shortcut_escape_the_name(
    bolt: BoltServer, fake_slack: FakeSlack, model: SlowModel, name: str
) -> None:
    model.gate.set()
    post = channel_message([fake_slack.add_file(name, PDF, mimetype="application/pdf")])
    await bolt.event(event_callback(post))
    for n, where in enumerate(("thread", "dm")):
        other = channel_message(
            [fake_slack.add_file(name, PDF, mimetype="application/pdf")],
            text="<!here> Data Analyst",
            channel="C0CAREER",
            ts=f"1700000500.00000{n}",
        )
        await bolt.form(message_shortcut(other))
        [view] = await fake_slack.wait_for(lambda n=n: fake_slack.views[n:])
        await bolt.form(form_submission(view, shortcut_values(where, role="<!channel> lead")))
    await fake_slack.wait_for(
        lambda: len(fake_slack.api_calls("files.completeUploadExternal")) == 3
    )
    await bolt.bot.conversations.tasks.drain()
    assert_nothing_pings(fake_slack, name)
