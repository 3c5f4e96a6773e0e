"""Start-up benchmark: one `resume-bot optimize` run against a process that only reads the PDF.

Run from the project root:  python benchmarks/startup.py [--runs 7] [--file examples/resume.pdf]

Times, as fresh processes, interleaved, median of --runs (at least 5):
  ours   resume-bot optimize FILE --json   (offline engine, output discarded)
  floor  python -c 'import pypdfium2; extract every page's text of FILE'
and prints both (wall time, and CPU time of the process and its children), the
ratio ours/floor (goal <= 3x, on wall time), then what the command
imported: the heaviest top-level packages by `python -X importtime` (cumulative
ms, one run) and whether any bot library (slack_bolt, slack_sdk, discord,
aiohttp) was loaded, which `optimize` never needs. core/ and bots/ are
byte-compiled first, as an installed copy is (--no-compile to time the source).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 3.0
BOT_LIBRARIES = ("slack_bolt", "slack_sdk", "discord", "aiohttp")
ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("HUGGINGFACE_", "HF_", "SLACK_", "DISCORD_"))
}

FLOOR = """
import sys
import pypdfium2 as pdfium
pdf = pdfium.PdfDocument(sys.argv[1])
text = []
for page in pdf:
    textpage = page.get_textpage()
    text.append(textpage.get_text_range())
    textpage.close()
    page.close()
pdf.close()
sys.stdout.write("\\n".join(text))
"""


def command(file: Path) -> list[str]:
    script = shutil.which("resume-bot", path=str(Path(sys.executable).parent))
    head = [script] if script else [sys.executable, "-m", "resume_bot.cli"]
    return [*head, "optimize", str(file), "--json", "--engine", "offline"]


def wall(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of the process and every child it reaped)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(
            f"{argv[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-500:]}"
        )
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imports(file: Path) -> dict[str, float]:
    """Cumulative import ms per top-level package, from one `-X importtime` run of the command."""
    argv = [sys.executable, "-X", "importtime", "-m", "resume_bot.cli", *command(file)[-5:]]
    done = subprocess.run(
        argv,
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and m.group(2) == " ":  # top level of the import tree: its cumulative time counts once
            name = m.group(3).split(".")[0]
            totals[name] = totals.get(name, 0.0) + int(m.group(1)) / 1000
    return totals


def byte_compile() -> str:
    """Compile core/, bots/ and resume_bot/ to bytecode, as `pip install .` does for an installed copy.

    An editable install under PYTHONDONTWRITEBYTECODE=1 (this sandbox sets it)
    never writes .pyc files, so every run would compile ~5,000 lines of source
    first (60-130 ms) -- a cost no installed user pays. Nor does it write the compiled
    regular expressions (core/regex_cache.py), which a first run writes otherwise.
    """
    for module in (["compileall", "-q", "core", "bots", "resume_bot"], ["core.regex_cache"]):
        subprocess.run(
            [sys.executable, "-m", *module], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
    return "bytecode and patterns compiled first (as pip install and a first run leave them)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--no-compile", action="store_true", help="don't byte-compile core/ and bots/ first"
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--file", type=Path, default=ROOT / "examples" / "resume.pdf")
    args = parser.parse_args()
    runs = max(5, args.runs)
    compiled = "source compiled every run (--no-compile)" if args.no_compile else byte_compile()
    ours_argv = command(args.file)
    floor_argv = [sys.executable, "-c", FLOOR, str(args.file)]
    wall(ours_argv), wall(floor_argv)  # warm the page cache for both
    ours, floor = [], []
    for _ in range(runs):
        ours.append(wall(ours_argv))
        floor.append(wall(floor_argv))
    mine, base = statistics.median(t for t, _ in ours), statistics.median(t for t, _ in floor)
    mine_cpu, base_cpu = (
        statistics.median(c for _, c in ours),
        statistics.median(c for _, c in floor),
    )
    print(
        f"file: {args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}, "
        f"median of {runs} fresh processes; {compiled}"
    )
    print(
        f"ours   resume-bot optimize FILE --json:              {mine * 1000:7.0f} ms wall {mine_cpu * 1000:5.0f} ms CPU"
    )
    print(
        f"floor  python, import pypdfium2, extract the text: {base * 1000:7.0f} ms wall {base_cpu * 1000:5.0f} ms CPU"
    )
    print(
        f"ours/floor = {mine / base:.2f}x wall (goal <= {GOAL:g}x)  {'ok' if mine / base <= GOAL else 'OVER GOAL'}; "
        f"{mine_cpu / base_cpu:.2f}x CPU (less sensitive to a busy machine)"
    )
    totals = imports(args.file)
    heavy = sorted(((ms, name) for name, ms in totals.items() if ms >= 5), reverse=True)
    print(
        "imports (cumulative ms, top-level packages >= 5 ms): "
        + ", ".join(f"{name} {ms:.0f}" for ms, name in heavy)
    )
    loaded = [name for name in BOT_LIBRARIES if name in totals]
    print(f"bot libraries loaded by optimize: {', '.join(loaded) if loaded else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
