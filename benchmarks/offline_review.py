"""Offline review benchmark: wall time per resume, in-process and through the CLI.

Run from the project root:  python benchmarks/offline_review.py

For every corpus resume (../shared/corpus/resumes/{pdf,docx,text}) it times
  review     await review_resume(ReviewRequest(..., engine="offline"), Settings())
             (isolated parse + rules + score + rewrite + DOCX/Markdown export), one run each
             after a warm-up, so it is what a bot user waits for, minus the network;
  cli        `resume-bot optimize FILE --json --engine offline` as a subprocess (interpreter
             start-up and imports included), what a terminal user waits for;
and prints per-file times, then median and worst of each. Files the review refuses
(too many pages, no text) are timed too and marked with the error class.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import ReviewRequest, review_resume  # noqa: E402
from core.config import Settings  # noqa: E402
from core.errors import ResumeBotError  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "resumes"
KINDS = ("pdf", "docx", "text")
CLI_TIMEOUT_S = 120
_ENV_PREFIXES = ("HUGGINGFACE_", "HF_", "SLACK_", "DISCORD_")


def corpus_resumes() -> list[Path]:
    return [p for kind in KINDS for p in sorted((CORPUS / kind).glob("*")) if p.is_file()]


async def time_review(path: Path, settings: Settings) -> tuple[float, str]:
    request = ReviewRequest(data=path.read_bytes(), filename=path.name, engine="offline")
    start = time.perf_counter()
    try:
        result = await review_resume(request, settings)
        outcome = f"score {result.score}"
    except ResumeBotError as exc:
        outcome = type(exc).__name__
    return time.perf_counter() - start, outcome


def cli_command() -> list[str] | None:
    exe = Path(sys.executable).with_name("resume-bot")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("resume-bot")
    return [found] if found else None


def time_cli(command: list[str], path: Path, workdir: str) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_ENV_PREFIXES)}
    start = time.perf_counter()
    proc = subprocess.run(
        [*command, "optimize", str(path), "--json", "--engine", "offline"],
        capture_output=True,
        cwd=workdir,
        env=env,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )
    return time.perf_counter() - start, f"exit {proc.returncode}"


def summary(label: str, times: list[float]) -> str:
    if not times:
        return f"{label}: no runs"
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    return f"{label}: median {median:.0f} ms, worst {worst:.0f} ms over {len(times)} resumes"


async def main() -> int:
    files = corpus_resumes() if CORPUS.is_dir() else []
    if not files:
        print(f"skipped: no corpus resumes at {CORPUS}")
        return 0
    settings = Settings()
    await time_review(files[0], settings)  # warm-up: imports and caches
    command = cli_command()
    review_times: list[float] = []
    cli_times: list[float] = []
    print(f"{'file':<48} {'review ms':>9} {'outcome':<22} {'cli ms':>8}")
    with tempfile.TemporaryDirectory() as workdir:  # no stray .env is read by the CLI
        for path in files:
            t_review, outcome = await time_review(path, settings)
            review_times.append(t_review)
            cli_cell = "n/a"
            if command:
                t_cli, cli_outcome = await asyncio.to_thread(time_cli, command, path, workdir)
                cli_times.append(t_cli)
                cli_cell = f"{t_cli * 1000:.0f}" + (
                    "" if cli_outcome == "exit 0" else f" ({cli_outcome})"
                )
            name = f"{path.parent.name}/{path.name}"
            print(f"{name[:48]:<48} {t_review * 1000:>9.0f} {outcome:<22} {cli_cell:>8}")
    print("-" * 92)
    print(summary("review_resume (offline, in-process)", review_times))
    print(
        summary("resume-bot optimize --json (subprocess)", cli_times)
        if command
        else "resume-bot CLI: not installed (pip install -e .), skipped"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
