"""`bots/slack/manifest.yml` validates and matches the app: what Slack's manifest schema
requires of each field, every event with the scope Slack demands for it, no scope nothing
uses, and the command, shortcut and form the Bolt app handles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bots.slack.render import OPTIMIZE_CALLBACK_ID, UPLOAD_FILETYPES, optimize_modal
from bots.slack.shortcut import REVIEW_SHORTCUT_ID

MANIFEST = Path(__file__).parents[2] / "bots/slack/manifest.yml"
# https://docs.slack.dev/reference/events: the scope each subscribed bot event needs
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
}
# why the app asks for each scope; a scope not here is one nothing uses
USED_SCOPES = {
    "app_mentions:read",  # mentions
    "chat:write",  # answers
    "commands",  # /optimize and the Review resume shortcut
    "files:read",  # download the resume, files.info
    "files:write",  # upload the rewrite
    "im:history",  # DMs
    "im:write",  # conversations.open for private answers
    "channels:history",  # review channels (optional)
    "groups:history",  # private review channels (optional)
    "users:read",  # users.info: is who ran /optimize stats an admin (optional)
}
OPTIONAL_SCOPES = {"channels:history", "groups:history", "users:read"}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(MANIFEST.read_text())


def test_the_manifest_validates_against_slacks_field_rules(manifest: dict[str, Any]) -> None:
    info = manifest["display_information"]
    assert 1 <= len(info["name"]) <= 35 and len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", info["background_color"])
    features = manifest["features"]
    assert len(features["bot_user"]["display_name"]) <= 80
    for command in features["slash_commands"]:
        assert re.fullmatch(r"/[a-z0-9_-]{1,31}", command["command"])
        assert len(command["description"]) <= 2000 and len(command["usage_hint"]) <= 1000
    for shortcut in features["shortcuts"]:
        assert shortcut["type"] in ("message", "global") and len(shortcut["name"]) <= 24
        assert len(shortcut["callback_id"]) <= 255 and len(shortcut["description"]) <= 150
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes) <= {"bot", "user", "bot_optional", "user_optional"}
    assert set(scopes["bot_optional"]) <= set(scopes["bot"]), "optional scopes are listed too"
    assert len(scopes["bot"]) == len(set(scopes["bot"]))
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    for event in events:
        assert EVENT_SCOPES[event] in scopes["bot"], f"{event} needs {EVENT_SCOPES[event]}"


def test_the_manifest_asks_only_for_what_the_app_uses(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes["bot"]) == USED_SCOPES
    assert "im:read" not in scopes["bot"]
    assert set(scopes["bot_optional"]) == OPTIONAL_SCOPES
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(EVENT_SCOPES)
    assert manifest["settings"]["interactivity"]["is_enabled"]  # the modal and the shortcut


def test_the_manifest_names_what_the_bolt_app_handles(manifest: dict[str, Any]) -> None:
    assert {c["command"] for c in manifest["features"]["slash_commands"]} == {"/optimize"}
    [shortcut] = manifest["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", REVIEW_SHORTCUT_ID)
    assert shortcut["name"] == "Review resume"  # the same words as Discord's message menu
    view = optimize_modal("C1")
    assert view["callback_id"] == OPTIMIZE_CALLBACK_ID
    [file_input] = [b["element"] for b in view["blocks"] if b["element"]["type"] == "file_input"]
    assert set(file_input["filetypes"]) == set(UPLOAD_FILETYPES) >= {"pdf", "docx", "txt", "md"}
    assert "json" in file_input["filetypes"], "JSON Resume files are accepted"
