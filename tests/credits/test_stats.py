"""`resume-bot stats` on a seeded database: the figures per engine, exactly."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import ConfigError
from core.state.store import open_state
from core.stats import parse_since, two_proportion_p, wilson
from resume_bot.cli import main
from tests.credits.conftest import Clock

A, B = "huggingface:openai/gpt-oss-20b", "huggingface:meta-llama/Llama-3.1-8B-Instruct"
DAY = 86_400.0


async def seed(url: str, clock: Clock) -> None:
    store = await open_state(Settings(state_url=url), clock=clock)
    try:

        async def review(engine: str, seconds: float, **kw: object) -> str:
            values = {"cached": False, "fallback": None, **kw}
            return await store.record_review(
                platform="slack",
                engine=engine,
                score=70,
                seconds=seconds,
                **values,  # type: ignore[arg-type]
            )

        clock.now -= 8 * DAY  # outside --since 7d: not counted
        old = await review(A, 99.0)
        await store.vote(old, "slack:T1:U0", -1)
        clock.now += 8 * DAY
        a = []
        for n in range(1, 11):
            fallback = {1: "quota", 2: "unavailable", 3: "unavailable"}.get(n)
            a.append(await review(A, float(n), cached=n > 7, fallback=fallback))
        for n, token in enumerate(a):
            await store.vote(token, f"slack:T1:U{n}", 1 if n < 8 else -1)
        await store.vote(a[0], "slack:T1:U0", 1)  # the same vote again: still one
        b = [await review(B, s) for s in (2.0, 4.0, 6.0, 8.0)]
        for n, token in enumerate(b):
            await store.vote(token, f"discord:{n}", 1 if n == 0 else -1)
        await review("offline", 1.0)
        await review("offline", 3.0)
    finally:
        await store.close()


@pytest.fixture
async def seeded(state_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(time.time())  # the command reads the real clock
    await seed(state_url, clock)
    monkeypatch.chdir(tmp_path)  # no .env from the project
    monkeypatch.setenv("STATE_URL", state_url)


async def run(*argv: str) -> int:
    import asyncio

    return await asyncio.to_thread(main, ["stats", *argv])


async def test_stats_prints_the_expected_figures(
    seeded: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run() == 0
    assert capsys.readouterr().out.splitlines() == [
        "Reviews in the last 7d:",
        "",
        "huggingface:meta-llama/Llama-3.1-8B-Instruct",
        "  reviews: 4",
        "  model calls saved by the cache: 0",
        "  fallbacks to the offline review: none",
        "  median time to answer: 5.0 s",
        "  👍 25% of 4 votes (95 % interval 5%–70%)",
        "",
        "huggingface:openai/gpt-oss-20b",
        "  reviews: 10",
        "  model calls saved by the cache: 3",
        "  fallbacks to the offline review: quota 1, unavailable 2",
        "  median time to answer: 5.5 s",
        "  👍 80% of 10 votes (95 % interval 49%–94%)",
        "",
        "offline",
        "  reviews: 2",
        "  median time to answer: 2.0 s",
        "  👍 no votes yet",
        "",
        "A/B huggingface:meta-llama/Llama-3.1-8B-Instruct vs huggingface:openai/gpt-oss-20b: "
        "no significant difference in 👍 share (p = 0.052).",
    ]


async def test_stats_as_json(seeded: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert await run("--since", "30d", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    by = {e["engine"]: e for e in data["engines"]}
    assert by[A]["reviews"] == 11 and by[A]["votes"] == 11 and by[A]["up"] == 8
    assert by[A]["fallbacks"] == {"quota": 1, "unavailable": 2}
    assert by["offline"]["up_share"] is None
    assert data["comparison"]["significant"] is False and data["since_s"] == 30 * DAY


def test_wilson_and_the_test_match_textbook_values() -> None:
    low, high = wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert wilson(0, 0) == (0.0, 1.0)
    assert two_proportion_p(80, 100, 50, 100) < 0.001  # type: ignore[operator]
    assert round(two_proportion_p(8, 10, 1, 4), 3) == 0.052  # type: ignore[arg-type]
    assert two_proportion_p(1, 1, 0, 0) is None


def test_since_is_a_number_and_a_unit() -> None:
    assert parse_since("12h") == 12 * 3600 and parse_since("2w") == 14 * DAY
    with pytest.raises(ConfigError, match=r"e\.g\. 7d"):
        parse_since("last week")


def test_no_database_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STATE_URL", raising=False)
    assert main(["stats"]) == 1
    assert "set STATE_URL" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # and none was made


async def test_plot_draws_a_png(
    seeded: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = tmp_path / "stats.png"
    assert await run("--plot", str(chart)) == 0
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "Reviews in the last 7d:" in capsys.readouterr().out


def test_a_name_in_the_chart_is_printed_never_run() -> None:
    from core.stats import summarise
    from core.stats_chart import chart_data, chart_png

    hostile = 'huggingface:#read("/etc/passwd") $x$ *b*'
    row = {"token": "t", "engine": hostile, "cached": 0, "fallback": None, "seconds": 1.0}
    stats = summarise([row], [{"review": "t", "vote": 1}], 7 * DAY)
    assert chart_data(stats)["engines"][0]["engine"] == hostile
    assert chart_png(stats).startswith(b"\x89PNG")  # no file read, no markup error


def test_the_chart_never_runs_typst_in_the_calling_process() -> None:
    """Typst's threads would make this process's later forks (review workers) hang."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from core.stats import summarise\n"
        "from core.stats_chart import chart_png\n"
        "row = {'token': 't', 'engine': 'offline', 'cached': 0, 'fallback': None, 'seconds': 1.0}\n"
        "assert chart_png(summarise([row], [], 60.0)).startswith(b'\\x89PNG')\n"
        "print('typst' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
