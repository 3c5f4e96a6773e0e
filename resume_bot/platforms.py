"""The chat platforms this application runs: adding one is one line here (and `bots/<name>/`)."""

from __future__ import annotations

from bots.discord import PLATFORM as DISCORD
from bots.slack import PLATFORM as SLACK
from core.platform import Platform

PLATFORMS: tuple[Platform, ...] = (SLACK, DISCORD)
