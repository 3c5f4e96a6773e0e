"""Load: the real Slack app (24 users at once) and the real Discord client (16 `/optimize`s at once)
against the fake platforms and a slow fake model, loopback only. See harness.py for how.

Run with `pytest tests/load -s` to see the numbers; `python benchmarks/load.py` runs 100 and 50.
"""

from __future__ import annotations

import pytest

from bots.discord.limits import DISCORD_INTERACTION_ACK_SECONDS
from bots.slack.limits import SLACK_ACK_SECONDS
from tests.load.harness import MAX_CONCURRENT, LoadReport, discord_load, slack_load

# Enough for a burst with most people in line (MAX_CONCURRENT run at once); the 100/50-user
# figures are benchmarks/load.py's, where a slow machine makes a number, not a red test.
SLACK_USERS = 24
DISCORD_USERS = 16
# Loop lag and RSS are printed in the summary (and by benchmarks/load.py): timing figures, not asserts.
pytestmark = pytest.mark.slow


def assert_queue_was_fair(report: LoadReport) -> None:
    """The first MAX_CONCURRENT started at once; the rest were told #1..#N in the order they joined,
    started in that order, and the message each was shown says the same place."""
    joined = report.queue.joined
    assert len(joined) == report.users and len({u for u, _ in joined}) == report.users
    assert [p for _, p in joined[:MAX_CONCURRENT]] == [None] * MAX_CONCURRENT
    waiting = joined[MAX_CONCURRENT:]
    assert [p for _, p in waiting] == list(range(1, report.users - MAX_CONCURRENT + 1))
    assert report.queue.started_after_wait == [u for u, _ in waiting]  # FIFO
    key_of = report.extra["key"]
    place = dict(waiting)
    for user, shown in report.told.items():
        position = place.get(key_of[user])
        in_line = [t for t in shown if "in line" in t]
        if position is None:
            assert not in_line, f"{user} started at once but was told {in_line}"
        else:
            assert len(in_line) == 1 and f"#{position} in line" in in_line[0], (
                user,
                position,
                in_line,
            )
            assert shown.index(in_line[0]) < len(shown) - 1, (
                f"{user}'s place in line was never updated"
            )


def assert_every_user_answered_once(report: LoadReport) -> None:
    lost = [u for u, a in report.answers.items() if not a]
    duplicated = [u for u, a in report.answers.items() if len(a) > 1]
    assert not lost and not duplicated, (lost, duplicated)
    assert report.model_calls == report.users and report.model_peak_in_flight <= MAX_CONCURRENT


async def test_slack_100_concurrent_file_events() -> None:
    report = await slack_load(SLACK_USERS)
    print("\n" + report.summary())
    assert report.statuses == [200] * SLACK_USERS
    assert max(report.acks_s) < SLACK_ACK_SECONDS and max(report.probe_acks_s) < SLACK_ACK_SECONDS
    assert_every_user_answered_once(report)
    assert set(report.extra["messages_per_user"].values()) == {
        1
    }  # one message each, updated in place
    assert set(report.extra["uploads_per_user"].values()) == {3}  # .docx, .pdf and .md, once
    for user, shown in report.told.items():
        assert "Reviewing cv" in "".join(shown), user
    assert_queue_was_fair(report)


async def test_discord_50_concurrent_optimize_interactions() -> None:
    report = await discord_load(DISCORD_USERS)
    print("\n" + report.summary())
    assert max(report.acks_s) < DISCORD_INTERACTION_ACK_SECONDS
    assert max(report.probe_acks_s) < DISCORD_INTERACTION_ACK_SECONDS
    assert_every_user_answered_once(report)
    for user, counts in report.extra["files_per_answer"].items():
        assert counts and counts[0] >= 2, user  # the rewrite as .docx and .md came with the answer
    waited = {user for user, position in report.queue.joined if position is not None}
    key_of = report.extra["key"]
    told = {key_of[user]: shown for user, shown in report.told.items()}
    assert waited and waited <= told.keys()  # an assert can't vanish: everyone who waited was told
    for user in waited:
        assert "Your turn" in told[user][-1], user
    assert_queue_was_fair(report)
