"""Batch benchmark: every corpus resume in one `resume-bot optimize FILE... --out DIR` run.

Run from the project root:  python benchmarks/batch.py [--runs 3] [--no-per-file]

Times, as fresh processes, median of --runs:
  batch     resume-bot optimize <every file in ../shared/corpus/resumes/*/> --out TMP --json
  floor     one Python process that extracts the text of the same files (pypdfium2 for
            PDFs, python-docx for DOCX, a plain read for the rest), nothing else
  no --out  the batch run again without --out (no DOCX/Markdown export): what the
            export costs is the difference
  per-file  (once) one `resume-bot optimize FILE --out TMP` process per file: what a
            career centre had to run before batch mode
and prints each, per file, and the ratio batch/floor (goal <= 3x). A file the
review refuses (e.g. longer than MAX_PAGES) still counts: it was read and answered.
core/ and bots/ are byte-compiled first, as an installed copy is (--no-compile to time the source).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import byte_compile  # noqa: E402  one definition: both time the installed CLI

CORPUS = ROOT.parent / "shared" / "corpus" / "resumes"
GOAL = 3.0
ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("HUGGINGFACE_", "HF_", "SLACK_", "DISCORD_"))
}

FLOOR = """
import sys
import docx
import pypdfium2 as pdfium
chars = 0
for name in sys.argv[1:]:
    if name.endswith(".pdf"):
        pdf = pdfium.PdfDocument(name)
        for page in pdf:
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
        pdf.close()
    elif name.endswith(".docx"):
        chars += sum(len(p.text) for p in docx.Document(name).paragraphs)
    else:
        with open(name, encoding="utf-8", errors="replace") as f:
            chars += len(f.read())
print(chars)
"""


def resume_bot() -> list[str]:
    script = Path(sys.executable).parent / "resume-bot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "resume_bot.cli"]


def wall(argv: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, int, float]:
    """(wall seconds, exit code, CPU seconds of the process and every child it reaped)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in ok_codes:
        raise SystemExit(
            f"{' '.join(argv[:3])}… failed ({done.returncode}): {done.stderr.decode(errors='replace')[-800:]}"
        )
    return elapsed, done.returncode, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--no-compile", action="store_true", help="don't byte-compile core/ and bots/ first"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-per-file", action="store_true", help="skip the one-process-per-file run"
    )
    args = parser.parse_args()
    files = sorted(p for p in CORPUS.glob("*/*") if p.is_file()) if CORPUS.is_dir() else []
    if not files:
        print(f"skipped: no corpus resumes at {CORPUS}")
        return 0
    names = [str(p) for p in files]
    compiled = "source compiled every run (--no-compile)" if args.no_compile else byte_compile()
    floor_argv = [sys.executable, "-c", FLOOR, *names]
    with tempfile.TemporaryDirectory() as tmp:
        batch_argv = [
            *resume_bot(),
            "optimize",
            *names,
            "--out",
            tmp,
            "--json",
            "--engine",
            "offline",
        ]
        wall(floor_argv), wall(batch_argv, (0, 1))  # warm the page cache
        no_out_argv = [a for a in batch_argv if a not in ("--out", tmp)]
        batch, floor, no_out = [], [], []
        cpu: dict[str, list[float]] = {"batch": [], "floor": [], "no_out": []}
        code = 0
        for _ in range(max(1, args.runs)):
            elapsed, code, used = wall(batch_argv, (0, 1))
            batch.append(elapsed)
            cpu["batch"].append(used)
            elapsed, _, used = wall(floor_argv)
            floor.append(elapsed)
            cpu["floor"].append(used)
            elapsed, _, used = wall(no_out_argv, (0, 1))
            no_out.append(elapsed)
            cpu["no_out"].append(used)
        written = len(list(Path(tmp).iterdir()))
        per_file = None
        if not args.no_per_file:
            started = time.perf_counter()
            for name in names:
                wall([*resume_bot(), "optimize", name, "--out", tmp, "--engine", "offline"], (0, 1))
            per_file = time.perf_counter() - started
    mine, base, review_only = (
        statistics.median(batch),
        statistics.median(floor),
        statistics.median(no_out),
    )
    cpu_mine, cpu_base, cpu_review = (
        statistics.median(cpu[k]) for k in ("batch", "floor", "no_out")
    )
    n = len(files)
    print(
        f"{n} corpus resumes ({', '.join(sorted({p.parent.name for p in files}))}), median of {len(batch)} runs; "
        f"{compiled}"
    )
    print(
        f"batch     resume-bot optimize FILE... --out DIR --json: {mine:6.2f} s  ({mine / n * 1000:5.0f} ms/file; "
        f"{written} files written; exit {code}); CPU {cpu_mine:5.2f} s"
    )
    print(
        f"  no --out the same without writing the rewrites:     {review_only:6.2f} s  "
        f"({review_only / n * 1000:5.0f} ms/file; the export is the difference); "
        f"CPU {cpu_review:5.2f} s"
    )
    print(
        f"floor     one process extracting the text:            {base:6.2f} s  "
        f"({base / n * 1000:5.0f} ms/file); "
        f"CPU {cpu_base:5.2f} s"
    )
    if per_file is not None:
        print(
            f"per-file  one resume-bot process per file:             {per_file:6.2f} s  "
            f"({per_file / n * 1000:5.0f} ms/file)"
        )
    print(
        f"batch/floor = {mine / base:.2f}x (goal <= {GOAL:g}x)  {'ok' if mine / base <= GOAL else 'OVER GOAL'}; "
        f"without --out {review_only / base:.2f}x; CPU {cpu_mine / cpu_base:.2f}x and "
        f"{cpu_review / cpu_base:.2f}x (less sensitive to a busy machine)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
