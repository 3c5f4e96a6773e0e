"""/metrics on the Slack bot's HTTP server: reviews, and Slack's 429s counted as they happen."""

from __future__ import annotations

from prometheus_client import REGISTRY

from tests.fakes.slack import FakeSlack, dm_file_share, event_callback
from tests.slack.conftest import RESUME_TXT, BoltServer

SLACK_429 = ("resume_bot_platform_api_errors_total", {"platform": "slack", "kind": "rate_limited"})


def _count(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_slack_429_is_counted_and_served_on_metrics(
    bolt: BoltServer, fake_slack: FakeSlack
) -> None:
    before = _count(*SLACK_429)
    fake_slack.rate_limit_once["chat.postMessage"] = 0
    event = dm_file_share([fake_slack.add_file("cv.txt", RESUME_TXT.encode())])
    await bolt.event(event_callback(event))
    await fake_slack.wait_for(lambda: fake_slack.uploads_in(event["channel"], event["ts"]))
    await bolt.bot.conversations.tasks.drain()
    assert fake_slack.rate_limited == ["chat.postMessage"]
    assert _count(*SLACK_429) == before + 1
    metrics = await bolt.http.get(bolt.url + "/metrics")
    assert metrics.status_code == 200
    assert 'resume_bot_platform_api_errors_total{kind="rate_limited",platform="slack"}' in (
        metrics.text
    )
