"""The Slack fixtures (fake Slack, the real Bolt app over HTTP), borrowed read-only for the privacy tests."""

from tests.slack.conftest import bolt, fake_slack, foreign, http, slack_settings  # noqa: F401
