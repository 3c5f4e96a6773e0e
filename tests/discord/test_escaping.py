"""User text never pings on Discord: hostile file names and roles through every answer path.

Every message the bot creates or edits must carry `allowed_mentions` with nothing allowed,
so "@everyone cv.pdf" notifies nobody whatever the text says. The fake applies
`allowed_mentions` the way Discord does (`Call.pings`), and each test reads every call.
"""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES
from tests.discord.conftest import Running, running_bot
from tests.fakes.discord import FakeDiscord, is_followup, is_original_edit
from tests.fakes.model import API_KEY, SlowModel

HOSTILE_NAMES = ["@everyone cv.pdf", "<!here> resume.pdf", "<@&1100000000000000002> @here cv.pdf"]
PDF = (EXAMPLES / "resume.pdf").read_bytes()


def assert_nothing_pings(fake: FakeDiscord) -> None:
    sent = [c for c in fake.calls if c.message_body is not None]
    assert sent
    for call in sent:
        allowed = call.message_body.get("allowed_mentions")
        assert allowed is not None and allowed.get("parse") == [], (call.method, call.path)
        assert not allowed.get("users") and not allowed.get("roles")
        assert not call.pings(), (call.path, call.pings())


async def _answers(fake: FakeDiscord, count: int) -> None:
    await fake.wait_for(lambda c: c.method == "POST" and "/100" in c.content, count=count)


async def drain(running: Running) -> None:
    await running.bot.conversations.tasks.drain()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_every_answer_path_sends_with_mentions_off(name: str) -> None:
    async with running_bot(review_channels=("forum_id",)) as running:
        fake = running.fake

        def pdf() -> dict:
            return fake.attachment(name, PDF, "application/pdf")

        await fake.dispatch("INTERACTION_CREATE", fake.optimize(pdf(), role="@everyone Analyst"))
        await fake.dispatch("INTERACTION_CREATE", fake.optimize(pdf(), private=False))
        await fake.dispatch("INTERACTION_CREATE", fake.review_menu(fake.message("@here", [pdf()])))
        await fake.dispatch("MESSAGE_CREATE", fake.message("@everyone Analyst", [pdf()], dm=True))
        mention = fake.message(f"<@{fake.bot_id}> @everyone", [pdf()], mention_bot=True)
        await fake.dispatch("MESSAGE_CREATE", mention)
        thread, first = fake.forum_post(name, "@everyone please look", [pdf()])
        await fake.dispatch("THREAD_CREATE", thread)
        await fake.dispatch("MESSAGE_CREATE", first)
        broken = fake.attachment(name, b"%PDF-1.4\n1 0 obj <<", "application/pdf")
        await fake.dispatch("INTERACTION_CREATE", fake.optimize(broken))
        await _answers(fake, 6)
        await fake.wait_for(lambda c: is_followup(c) and "⚠️" in c.content)
        await drain(running)
        assert_nothing_pings(fake)


async def test_places_in_line_and_a_handed_over_answer_send_with_mentions_off(
    model: SlowModel,
) -> None:
    settings = {
        "huggingface_api_key": API_KEY,
        "huggingface_base_url": model.base_url,
        "max_concurrent_reviews": 1,
    }
    async with running_bot(interaction_window_s=1.2, **settings) as running:
        fake = running.fake
        name = "@everyone cv.pdf"
        first = fake.optimize(
            fake.attachment(name, PDF, "application/pdf"), user_id=fake.new_id(), private=False
        )
        waiting = fake.optimize(
            fake.attachment(name, PDF, "application/pdf"), user_id=fake.new_id()
        )
        dm = fake.message("", [fake.attachment(name, PDF, "application/pdf")], dm=True)
        await fake.dispatch("INTERACTION_CREATE", first)
        await model.wait_in_flight()
        await fake.dispatch("INTERACTION_CREATE", waiting)
        await fake.dispatch("MESSAGE_CREATE", dm)
        await fake.wait_for(lambda c: is_original_edit(c) and "in line" in c.content)
        await fake.wait_for(lambda c: is_original_edit(c) and "DM" in c.content)  # handed over
        model.gate.set()
        await _answers(fake, 3)
        await drain(running)
        assert [c for c in fake.calls if c.method == "PATCH" and "/channels/" in c.path]
        assert_nothing_pings(fake)
