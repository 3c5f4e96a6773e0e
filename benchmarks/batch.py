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
and prints each, per file, and the ratio batch/floor (goal <= 3x). With --stages it also
prints where a review worker's CPU goes, stage by stage, over the same files (in one forked
process, as a worker is: read, review, the rewrite's own score, its blocks, DOCX, PDF). A file the
review refuses (e.g. longer than MAX_PAGES) still counts: it was read and answered.
With --overhead it runs `core.batch.review_batch` over the same files in this process (what the
CLI runs with --out, without its output) and splits its CPU: the parent's imports, warm-up and
batch loop (results unpickled, files written), the workers' total (and their system time and
page faults), and how much more the workers spent than the same stages cost once warm (each
worker's first use of fonts, patterns and copied memory).
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


STAGES = ("read", "review", "rewrite score", "rewrite as blocks", "docx", "pdf")


def stages(files: list[Path]) -> dict[str, float]:
    """CPU seconds per stage over `files`, measured in a forked child (after a warm-up pass).

    Forked like a review worker, after the same warm-up, so the PDF is typeset by a kept
    compiler as in a batch (in an unforked process Typst runs in a child of its own, whose
    CPU time this clock would miss).
    """
    import json as json_lib

    from core.review import warm_up

    warm_up()  # as a batch does before it forks its workers (the kept typesetter needs it)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            raw = pipe.read()
        os.waitpid(pid, 0)
        return json_lib.loads(raw)
    os.close(read_fd)
    payload, code = b"{}", 1
    try:
        payload, code = json_lib.dumps(_stage_times(files)).encode(), 0
    finally:
        os.write(write_fd, payload)  # a few hundred bytes: within the pipe's buffer
        os._exit(code)


def _stage_times(files: list[Path]) -> dict[str, float]:
    from core import offline
    from core.compare import rewrite_score
    from core.config import load_settings
    from core.errors import ResumeBotError
    from core.export import clean_xml_text, docx, parse_rewrite, pdf
    from core.reading import read_file

    settings = load_settings()
    clock = time.process_time
    totals = dict.fromkeys(STAGES, 0.0)
    for warm_up in (True, False):
        for path in files:
            marks = [clock()]
            try:
                document = read_file(path.read_bytes(), path.name, settings.max_pages)
            except ResumeBotError:
                continue
            marks.append(clock())
            result = offline.review(document, path.name, None, None, settings)
            marks.append(clock())
            rewrite_score(result, None, None, settings)
            marks.append(clock())
            blocks = parse_rewrite(clean_xml_text(result.rewritten))
            marks.append(clock())
            docx.blocks_to_docx(blocks)
            marks.append(clock())
            pdf.blocks_to_pdf(blocks, source_pages=result.extraction.pages)
            marks.append(clock())
            if not warm_up:
                for stage, start, end in zip(STAGES, marks, marks[1:], strict=False):
                    totals[stage] += end - start
    return totals


def overhead(files: list[Path]) -> str:
    """Where a batch's CPU goes besides the stages: the parent, and each worker's first use."""
    import asyncio

    clock = time.process_time
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the timed runs' processes
    started = clock()
    from core import isolation
    from core.batch import review_batch
    from core.config import load_settings
    from core.review import warm_up

    imported = clock()
    warm_up()  # review_batch's first review would do it; timed apart here
    warmed = clock()
    with tempfile.TemporaryDirectory() as out:
        outcomes = asyncio.run(
            review_batch(files, load_settings(), engine="offline", out_dir=Path(out))
        )
    done = clock()
    isolation.shutdown()  # the workers exit and are reaped: their CPU joins RUSAGE_CHILDREN
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    system = after.ru_stime - before.ru_stime
    worker_cpu = after.ru_utime - before.ru_utime + system
    faults = after.ru_minflt - before.ru_minflt
    warm = sum(stages(files).values())  # after the batch: its forked child is not counted above
    return (
        f"overhead  review_batch in-process ({sum(o.ok for o in outcomes)} reviewed): parent "
        f"{(done - started) * 1000:.0f} ms CPU (imports {(imported - started) * 1000:.0f}, "
        f"warm-up {(warmed - imported) * 1000:.0f}, batch loop {(done - warmed) * 1000:.0f}); "
        f"workers {worker_cpu * 1000:.0f} ms (system {system * 1000:.0f} ms, "
        f"{faults} page faults), the same stages warm {warm * 1000:.0f} ms: "
        f"{(worker_cpu - warm) * 1000:.0f} ms on first use"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--no-compile", action="store_true", help="don't byte-compile core/ and bots/ first"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-per-file", action="store_true", help="skip the one-process-per-file run"
    )
    parser.add_argument(
        "--stages", action="store_true", help="also print a review worker's CPU per stage"
    )
    parser.add_argument(
        "--overhead",
        action="store_true",
        help="also split an in-process batch's CPU: parent, workers, first use",
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
    if args.overhead:  # before --stages: this process must not have typeset yet
        print(overhead(files))
    if args.stages:
        split = stages(files)
        total = sum(split.values())
        print(
            f"worker CPU by stage ({n} files, one forked process): "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in split.items())
            + f"; total {total * 1000:.0f} ms ({total / n * 1000:.1f} ms/file)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
