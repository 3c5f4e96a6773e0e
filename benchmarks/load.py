"""Load benchmark: the numbers tests/load asserts on, printed standalone.

    python benchmarks/load.py [--slack-users 100] [--discord-users 50] [--model-delay 0.3]

The real Slack app (HTTP mode, signed requests) and the real discord.py client,
against the fake Slack / Discord and a slow OpenAI-compatible fake model, all on
127.0.0.1 in this one process (see tests/load/harness.py). Prints ack/defer
p50/p99 for the burst and while the queue drains, worst event-loop lag, peak RSS
(VmHWM, reset before each run where Linux allows) and total time.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.load.harness import MODEL_DELAY_S, discord_load, slack_load  # noqa: E402


async def main(slack_users: int, discord_users: int, model_delay_s: float) -> None:
    if slack_users:
        print((await slack_load(slack_users, model_delay_s=model_delay_s)).summary(), flush=True)
    if discord_users:
        print(
            (await discord_load(discord_users, model_delay_s=model_delay_s)).summary(), flush=True
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slack-users", type=int, default=100)
    parser.add_argument("--discord-users", type=int, default=50)
    parser.add_argument("--model-delay", type=float, default=MODEL_DELAY_S)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().handlers[0].setLevel(
        logging.WARNING
    )  # the run raises the bots' loggers to INFO
    asyncio.run(main(args.slack_users, args.discord_users, args.model_delay))
