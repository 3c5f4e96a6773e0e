"""The Discord adapter: discord.py in, core out. See client.py for the entry points.

`PLATFORM` is what `resume_bot/platforms.py` registers; discord.py is imported
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
    from bots.discord.run import run

    await run(settings)


async def _doctor(settings: Settings, http: httpx.AsyncClient) -> list[DoctorCheck]:
    from bots.discord.doctor import discord_checks

    return await discord_checks(settings, http)


PLATFORM = Platform(name="discord", help="run the Discord bot", run=_run, doctor=_doctor)
