"""`resume-bot doctor` for Slack against the fake Slack: with REVIEW_CHANNELS set, it says
whether the install granted the optional history scopes review channels need."""

from __future__ import annotations

import httpx
import pytest

from bots.slack.doctor import slack_checks
from core.config import Settings
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack


def _settings(fake: FakeSlack, **extra: object) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        **extra,
    )


@pytest.mark.parametrize(
    ("declined", "ok"),
    [((), True), (("groups:history",), True), (("channels:history", "groups:history"), False)],
)
async def test_review_channels_check_the_optional_scopes(
    fake_slack: FakeSlack, http: httpx.AsyncClient, declined: tuple[str, ...], ok: bool
) -> None:
    fake_slack.scopes = [s for s in fake_slack.scopes if s not in declined]
    checks = await slack_checks(_settings(fake_slack, review_channels="C0REVIEW"), http)
    [check] = [c for c in checks if c.name == "Slack review channels"]
    assert check.ok is ok and all(s in check.detail for s in declined)


async def test_no_review_channels_no_scope_check(
    fake_slack: FakeSlack, http: httpx.AsyncClient
) -> None:
    checks = await slack_checks(_settings(fake_slack), http)
    assert [c.ok for c in checks] == [True]
