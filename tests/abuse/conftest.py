"""The Slack fixtures (fake Slack, the real Bolt app over HTTP), borrowed read-only for the privacy tests."""

from tests.slack.conftest import bolt, foreign, slack_settings  # noqa: F401
