"""What a chat platform registers with the application: its command, its runner, its doctor.

Core defines the shape and never imports a platform; `resume_bot/platforms.py`
lists the registered ones (one line each).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by the CLI for every command: httpx and the doctor load only when used
    import httpx

    from core.config import Settings
    from core.doctor import DoctorCheck

PlatformCheck = Callable[
    ["Settings", "httpx.AsyncClient"], Coroutine[Any, Any, "list[DoctorCheck]"]
]


@dataclass(frozen=True, slots=True)
class Platform:
    """One chat adapter as the command line and `doctor` see it.

    `run` serves until SIGTERM/SIGINT; `doctor` checks the platform's settings
    and token against its own API (never sending the token anywhere else).
    """

    name: str  # the `resume-bot <name>` subcommand
    help: str
    run: Callable[[Settings], Coroutine[Any, Any, None]]
    doctor: PlatformCheck
