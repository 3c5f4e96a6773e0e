"""The Slack adapter: Bolt in, core out. See app.py for the entry points.

`PLATFORM` is what `resume_bot/platforms.py` registers; the SDKs are imported
only when the bot runs, so `resume-bot optimize` stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.platform import Platform

if TYPE_CHECKING:  # `resume-bot optimize` imports this module: keep httpx and the doctor out of it
    import httpx

    from core.config import Settings
    from core.doctor import DoctorCheck


async def _run(settings: Settings) -> None:
    from bots.slack.run import run

    await run(settings)


async def _doctor(settings: Settings, http: httpx.AsyncClient) -> list[DoctorCheck]:
    from bots.slack.doctor import slack_checks

    return await slack_checks(settings, http)


PLATFORM = Platform(
    name="slack",
    help="run the Slack bot (Socket Mode if SLACK_APP_TOKEN is set)",
    run=_run,
    doctor=_doctor,
)
