"""One Slack replica as a process of its own, for tests that kill it (SIGKILL).

`python -m tests.scale.slack_replica`: settings from the environment, `bots.slack.run.run`
(the production wiring) on 127.0.0.1 and a free port, which it prints on stdout once it
listens. Logs go to stderr.
"""

from __future__ import annotations

import asyncio
import logging

from bots.slack.run import run
from core.config import load_settings
from tests.fakes.slack import LOCALHOST


async def main() -> None:
    settings = load_settings(env_file=None)
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    serving = asyncio.create_task(run(settings, host=LOCALHOST, listening=listening))
    done, _ = await asyncio.wait({serving, listening}, return_when=asyncio.FIRST_COMPLETED)
    if listening in done:
        print(listening.result(), flush=True)
    await serving


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(name)s %(levelname)s %(message)s")
    asyncio.run(main())
