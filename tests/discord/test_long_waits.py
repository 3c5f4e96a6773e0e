"""Discord's 15-minute interaction token: a long wait still ends in an answer, never "thinking…".

The fake answers 401 (code 50027) on an expired token, as Discord does. The bot's own
window is shortened (`interaction_window_s`) so the hand-over happens within a test;
a gated model keeps the review running past it.
"""

from __future__ import annotations

from bots.discord.interaction import HANDOFF_CHANNEL, HANDOFF_DM
from tests.discord.conftest import running_bot
from tests.discord.test_e2e import RESUME_TXT
from tests.fakes.discord import (
    Call,
    is_channel_message,
    is_followup,
    is_original_edit,
)
from tests.fakes.model import API_KEY, SlowModel

WINDOW_S = 0.3  # the bot hands over this long after the interaction arrived
# where a test needs a place in line shown before the hand-over, the window is longer: a bound
# for a loaded machine (the model is gated, so nothing else depends on it)


def _model(model: SlowModel) -> dict[str, object]:
    return {"huggingface_api_key": API_KEY, "huggingface_base_url": model.base_url}


def _for(payload: dict) -> object:
    return lambda c: payload["token"] in c.path


def _dm_post(fake: object) -> object:
    return is_channel_message(fake.dm_channel_id)  # type: ignore[attr-defined]


async def test_a_private_review_past_the_window_says_so_and_comes_by_dm(model: SlowModel) -> None:
    async with running_bot(interaction_window_s=WINDOW_S, **_model(model)) as running:
        fake = running.fake
        payload = fake.optimize(fake.attachment("cv.txt", RESUME_TXT))
        await fake.dispatch("INTERACTION_CREATE", payload)
        await model.wait_in_flight()
        [handoff] = await fake.wait_for(lambda c: is_original_edit(c) and _for(payload)(c))
        assert handoff.content == HANDOFF_DM  # said in the deferred reply, while its token worked
        fake.expire_token(payload)  # Discord's 15 minutes pass before the review is done
        model.gate.set()
        [answer] = await fake.wait_for(_dm_post(fake))
        assert "/100" in answer.content and answer.filenames and "Discord closes" in answer.content
        await running.bot.conversations.tasks.drain()
        assert fake.find("POST", "/users/@me/channels"), "a DM was opened"
        assert not [c for c in fake.calls if is_followup(c)] and not fake.expired


async def test_a_public_review_past_the_window_is_posted_in_the_channel(model: SlowModel) -> None:
    async with running_bot(interaction_window_s=WINDOW_S, **_model(model)) as running:
        fake = running.fake
        payload = fake.optimize(fake.attachment("cv.txt", RESUME_TXT), private=False)
        await fake.dispatch("INTERACTION_CREATE", payload)
        await model.wait_in_flight()
        [handoff] = await fake.wait_for(lambda c: is_original_edit(c) and _for(payload)(c))
        assert handoff.content == HANDOFF_CHANNEL
        model.gate.set()
        [answer] = await fake.wait_for(is_channel_message(fake.channel_id))
        assert "/100" in answer.content and answer.filenames
        await running.bot.conversations.tasks.drain()
        assert not [c for c in fake.calls if is_followup(c)]


async def test_a_public_review_where_the_bot_may_not_post_comes_by_dm(model: SlowModel) -> None:
    """A user-installed app, or a channel closed to the bot: the note says DM, and it is."""
    async with running_bot(interaction_window_s=WINDOW_S, **_model(model)) as running:
        fake = running.fake
        payload = fake.optimize(fake.attachment("cv.txt", RESUME_TXT), private=False)
        payload["app_permissions"] = str(1 << 10)  # View Channel only
        await fake.dispatch("INTERACTION_CREATE", payload)
        await model.wait_in_flight()
        [handoff] = await fake.wait_for(lambda c: is_original_edit(c) and _for(payload)(c))
        assert handoff.content == HANDOFF_DM
        model.gate.set()
        [answer] = await fake.wait_for(_dm_post(fake))
        assert "/100" in answer.content
        await running.bot.conversations.tasks.drain()
        assert not fake.find("POST", f"/channels/{fake.channel_id}/messages")


async def test_a_token_that_expired_anyway_still_gets_the_answer_delivered(
    model: SlowModel,
) -> None:
    """The follow-up itself gets 401/50027 (a send outlived the token): it goes by DM instead,
    and the second failure no longer escapes."""
    async with running_bot(**_model(model)) as running:  # the real 15-minute window
        fake = running.fake
        posted = fake.message("feedback welcome", [fake.attachment("sam.txt", RESUME_TXT)])
        payload = fake.review_menu(posted)
        await fake.dispatch("INTERACTION_CREATE", payload)
        await model.wait_in_flight()
        fake.expire_token(payload)
        model.gate.set()
        [answer] = await fake.wait_for(_dm_post(fake))
        assert "/100" in answer.content and "Review resume" in answer.content
        [refused] = fake.expired
        assert is_followup(refused), "the follow-up was tried first and refused"
        await running.bot.conversations.tasks.drain()


async def test_a_person_waiting_in_line_past_the_window_sees_their_turn_where_the_answer_goes(
    model: SlowModel,
) -> None:
    settings = _model(model) | {"max_concurrent_reviews": 1}
    async with running_bot(interaction_window_s=WINDOW_S * 4, **settings) as running:
        fake = running.fake
        first = fake.optimize(fake.attachment("a.txt", RESUME_TXT), user_id=fake.new_id())
        second = fake.optimize(fake.attachment("b.txt", RESUME_TXT), user_id=fake.new_id())
        await fake.dispatch("INTERACTION_CREATE", first)
        await model.wait_in_flight()
        await fake.dispatch("INTERACTION_CREATE", second)

        def edits(c: Call) -> bool:
            return is_original_edit(c) and _for(second)(c)

        place, handoff = await fake.wait_for(edits, count=2)
        assert "#1 in line" in place.content and handoff.content == HANDOFF_DM
        for payload in (first, second):
            fake.expire_token(payload)
        model.gate.set()
        dm_posts = await fake.wait_for(_dm_post(fake), count=3)
        await running.bot.conversations.tasks.drain()
        texts = [c.content for c in dm_posts]
        assert any("Your turn" in t for t in texts)
        assert sum("/100" in t for t in texts) == 2  # both answers arrived, each by DM
        assert not [c for c in fake.calls if is_followup(c)]
