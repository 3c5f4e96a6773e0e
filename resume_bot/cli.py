"""The `resume-bot` command: review a file in the terminal, run a bot, or check the set-up.

    resume-bot optimize FILE... [--job FILE] [--role TEXT] [--engine auto|offline|huggingface]
                                [--json] [--out DIR] [--format docx,pdf,md]
    resume-bot slack | discord | doctor
    resume-bot stats [--since 7d] [--json] [--plot FILE]

The application's entry point, outside `core` on purpose: it is the one place that
knows both core and the registered chat platforms (`resume_bot.platforms`).

Imports are lazy: each command loads only what it needs (`optimize` never loads
the Slack or Discord libraries, nor httpx unless the model engine is on), so the
command starts in about a third of the time it took when this module imported
the whole of `core` up front.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import sys
import textwrap
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ConfigError, ResumeBotError
from resume_bot.platforms import PLATFORMS

if TYPE_CHECKING:
    from core.batch import BatchOutcome
    from core.config import Settings
    from core.models import ReviewResult

log = logging.getLogger("resume_bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="resume-bot", description="Review and rewrite resumes.")
    sub = parser.add_subparsers(dest="command", required=True)
    opt = sub.add_parser(
        "optimize", help="review resume files (PDF, DOCX, TXT, Markdown, JSON Resume)"
    )
    opt.add_argument(
        "file", type=Path, nargs="+", help="one file, or many for a batch with a summary table"
    )
    opt.add_argument("--job", type=Path, help="a job description file to match keywords against")
    opt.add_argument("--role", help="the role you are targeting, e.g. 'Data Analyst'")
    opt.add_argument("--engine", choices=["auto", "offline", "huggingface"], default="auto")
    opt.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON (one object per line for many files)",
    )
    opt.add_argument(
        "--out", type=Path, help="write the rewrite (.docx, .pdf, .md) into this folder"
    )
    opt.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help="an earlier version of the resume: show what changed since (one file only)",
    )
    opt.add_argument(
        "--format",
        dest="formats",
        type=_formats,
        default=None,
        metavar="docx,pdf,md",
        help="which files --out writes (default: all three)",
    )
    for platform in PLATFORMS:
        sub.add_parser(platform.name, help=platform.help)
    sub.add_parser("doctor", help="check the configuration and the services it points at")
    sub.add_parser("worker", help="review jobs from Redis (REDIS_URL; several bots, many machines)")
    stats = sub.add_parser("stats", help="reviews, cache savings, fallbacks and votes per model")
    stats.add_argument("--since", default="7d", help="how far back: 30m, 12h, 7d, 2w (default 7d)")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.add_argument("--plot", type=Path, metavar="FILE", help="also draw them as a PNG chart")
    return parser


def _formats(text: str) -> tuple[str, ...]:
    from core.export import parse_formats

    try:
        return parse_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _wrap(text: str, width: int, indent: str = "") -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ")


def format_report(result: ReviewResult, width: int = 88) -> str:
    """The terminal report: score, breakdown, findings grouped by section, keywords, warnings."""
    from core.compare import bullet_lines, category_lines, headline, rewrite_line
    from core.scoring import CATEGORY_LABELS

    width = max(50, min(width, 100))
    lines = []
    if result.comparison is not None:  # first: what the last change did
        lines += [_wrap(headline(result.comparison), width)]
        lines += [f"  {line}" for line in category_lines(result.comparison)]
        lines += [_wrap(line, width, "  ") for line in bullet_lines(result.comparison)]
        lines.append("")
    lines += [f"{result.source_name}: {result.score}/100  (engine: {result.engine})", ""]
    lines.append(
        "  ".join(
            f"{CATEGORY_LABELS.get(name, name)} {value}" for name, value in result.breakdown.items()
        )
    )
    if result.structure is not None:
        lines.append(
            result.structure.summary_line()
        )  # what was read, so a misread shows at a glance
    if rewrite_line(result):
        lines.append(rewrite_line(result))
    for warning in result.warnings:
        lines.append(_wrap(f"! {warning}", width))
    if result.keywords is not None:
        kw = result.keywords
        verdict = (
            "on target"
            if kw.match_percent >= kw.target_percent
            else f"aim for {kw.target_percent}%"
        )
        lines += ["", f"Keyword match: {kw.match_percent}% ({verdict})"]
        if kw.matched:
            lines.append(_wrap("matched: " + ", ".join(kw.matched), width, "  "))
        if kw.missing:
            lines.append(_wrap("missing: " + ", ".join(kw.missing), width, "  "))
    from core.report import group_findings, shorten

    by_section: dict[str, list] = {}
    for entry in group_findings(result.findings):
        key = entry.section.value if entry.section else "general"
        by_section.setdefault(key, []).append(entry)
    for section, entries in by_section.items():
        lines += ["", section.upper()]
        for entry in entries:
            if entry.before and entry.findings[0].rule == "keywords.missing":
                lines.append(_wrap(f"missing: {entry.before}", width, "  "))
            elif entry.before:
                lines.append(_wrap(f"before: {shorten(entry.before)}", width, "  "))
            for f in entry.findings:
                lines.append(_wrap(f"[{f.severity}] {f.rule}: {f.message}", width, "    "))
            for after in entry.afters:  # whole: it's the text to paste back
                lines.append(_wrap(f"after:  {after}", width, "  "))
    return "\n".join(lines)


def _model_client(engine: str, settings: Settings):  # -> httpx.AsyncClient | contextlib.nullcontext
    """An HTTP client for the model engine, or a no-op context when the review is offline (no httpx import)."""
    from core.review import resolve_engine

    if resolve_engine(engine, settings) == "offline":  # type: ignore[arg-type]
        import contextlib

        return contextlib.nullcontext()
    import httpx

    return httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0))


def _inputs(args: argparse.Namespace) -> tuple[bytes, bytes | None, str | None] | None:
    """(the file, the --previous file, the job text), or None once a read error was printed."""
    try:
        previous = args.previous.read_bytes() if args.previous else None
        data = args.file[0].read_bytes()
        job = args.job.read_text(encoding="utf-8", errors="replace") if args.job else None
    except OSError as exc:
        print(f"resume-bot: can't read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return None
    return data, previous, job


def _show(args: argparse.Namespace, result: ReviewResult) -> int:
    """Print the review (report or JSON) and write the rewrite's files into --out."""
    if args.json:
        from core.serial import to_json

        print(to_json(result, indent=2))
    else:
        print(format_report(result, shutil.get_terminal_size((88, 24)).columns))
    if args.out:
        from core.export import FORMAT_KEYS, rewrite_filename

        wanted = {
            rewrite_filename(result.source_name, key) for key in (args.formats or FORMAT_KEYS)
        }
        written = [a for a in result.attachments if a.filename in wanted]
        args.out.mkdir(parents=True, exist_ok=True)
        for attachment in written:
            (args.out / attachment.filename).write_bytes(attachment.content)
        if not args.json:
            print(f"\nRewrite written to {args.out}/ ({', '.join(a.filename for a in written)})")
    return 0


def _optimize_offline(args: argparse.Namespace, settings: Settings) -> int:
    """One file, offline engine: the isolated child reviews it, no event loop (nor asyncio)."""
    from core.review import ReviewRequest, review_offline_blocking

    inputs = _inputs(args)
    if inputs is None:
        return 2
    data, previous, job = inputs
    request = ReviewRequest(
        data=data, filename=args.file[0].name, job_description=job, role=args.role
    )
    result = review_offline_blocking(request, settings, with_files=args.out is not None)
    if previous is not None:
        from core.compare import compare

        before = ReviewRequest(
            data=previous, filename=args.previous.name, job_description=job, role=args.role
        )
        earlier = review_offline_blocking(before, settings, with_files=False)
        result.comparison = compare(earlier, result, number=2)
    return _show(args, result)


async def _optimize(args: argparse.Namespace, settings: Settings) -> int:
    from core.review import ReviewRequest, review_resume

    if len(args.file) > 1:
        if args.previous:
            print("resume-bot: --previous compares one file with it", file=sys.stderr)
            return 2
        return await _optimize_many(args, settings)
    inputs = _inputs(args)
    if inputs is None:
        return 2
    data, previous, job = inputs
    path = args.file[0]
    request = ReviewRequest(
        data=data, filename=path.name, job_description=job, role=args.role, engine=args.engine
    )
    async with _model_client(args.engine, settings) as http:
        result = await review_resume(  # one file, one worker: it loads only what this file needs
            request, settings, http, with_files=args.out is not None, warm=False
        )
        if previous is not None:
            from core.compare import compare

            before = ReviewRequest(
                data=previous,
                filename=args.previous.name,
                job_description=job,
                role=args.role,
                engine="offline",  # the comparison is of our own scores, whatever the engine
            )
            earlier = await review_resume(before, settings, http, with_files=False, warm=False)
            result.comparison = compare(earlier, result, number=2)
    return _show(args, result)


# --- batch: many files in one process (core/batch.py does the work) ----------------


def format_summary(outcomes: list[BatchOutcome], width: int = 100) -> str:
    """One row per file: the file as given, its score (or 'error'), the top problem (or the error)."""
    width = max(60, min(width, 160))
    names = [str(o.path) for o in outcomes]
    name_w = min(max([len("file"), *map(len, names)]), max(20, width // 3))
    rest = width - name_w - 9

    def cut(text: str, n: int, *, keep_end: bool = False) -> str:
        text = " ".join(text.split())
        if len(text) <= n:
            return text
        return "…" + text[len(text) - n + 1 :] if keep_end else text[: n - 1].rstrip() + "…"

    lines = [f"{'file':<{name_w}}  {'score':>5}  top problem"]
    for name, o in zip(names, outcomes, strict=True):
        if o.result is None:
            score, problem = "error", o.error or "failed"
        else:
            top = o.top_finding()
            score = str(o.result.score)
            problem = f"[{top.severity}] {top.rule}: {top.message}" if top else "no problems found"
        lines.append(
            f"{cut(name, name_w, keep_end=True):<{name_w}}  {score:>5}  {cut(problem, rest)}"
        )
    failed = sum(not o.ok for o in outcomes)
    lines.append(f"\n{len(outcomes) - failed} reviewed, {failed} failed")
    return "\n".join(lines)


def _outcome_json(outcome: BatchOutcome) -> str:
    """One line of JSON: the file as given, then the result model's fields, or the error."""
    import json

    from core.serial import to_json

    head = {"file": str(outcome.path)}
    if outcome.written:
        head["written"] = [str(p) for p in outcome.written]  # type: ignore[assignment]
    if outcome.result is None:
        return json.dumps(
            {**head, "source_name": outcome.path.name, "error": outcome.error}, ensure_ascii=False
        )
    return json.dumps(head, ensure_ascii=False)[:-1] + ", " + to_json(outcome.result)[1:]


class _Progress:
    """'reviewed 12/40' on a terminal's stderr, redrawn in place; silent when stderr is not a terminal."""

    MIN_FILES = 4

    def __init__(self, total: int) -> None:
        self.on = total >= self.MIN_FILES and sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.on:
            bar = "#" * (20 * done // total)
            sys.stderr.write(f"\r[{bar:<20}] reviewed {done}/{total}")
            sys.stderr.flush()

    def clear(self) -> None:
        if self.on:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


async def _optimize_many(args: argparse.Namespace, settings: Settings) -> int:
    from core.batch import review_batch

    try:
        job = args.job.read_text(encoding="utf-8", errors="replace") if args.job else None
    except OSError as exc:
        print(f"resume-bot: can't read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    progress = _Progress(len(args.file))

    def emit(_index: int, outcome: BatchOutcome) -> None:
        if args.json:
            progress.clear()
            print(_outcome_json(outcome), flush=True)

    async with _model_client(args.engine, settings) as http:
        outcomes = await review_batch(
            args.file,
            settings,
            job_description=job,
            role=args.role,
            engine=args.engine,
            out_dir=args.out,
            http=http,
            on_outcome=emit,
            on_progress=progress,
        )
    progress.clear()
    summary = format_summary(outcomes, shutil.get_terminal_size((100, 24)).columns)
    if args.out and any(o.written for o in outcomes):
        summary += f"\nRewrites written to {args.out}/"
    print(
        summary, file=sys.stderr if args.json else sys.stdout
    )  # with --json, stdout is JSON lines only
    return 0 if all(o.ok for o in outcomes) else 1


async def _doctor(settings: Settings) -> int:
    import httpx

    from core.doctor import run_doctor

    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
        checks = await run_doctor(settings, http, [p.doctor for p in PLATFORMS])
    for check in checks:
        mark = "skip" if check.ok is None else ("ok" if check.ok else "FAIL")
        print(f"[{mark:>4}] {check.name}: {check.detail}")
    return 0 if all(c.ok is not False for c in checks) else 1


async def _stats(args: argparse.Namespace, settings: Settings) -> int:
    """`resume-bot stats`: the usage summary from the state database (core/stats.py)."""
    import json

    from core.state.store import DEFAULT_STATE_FILE, open_state
    from core.stats import format_stats, parse_since, summarise

    since_s = parse_since(args.since)
    if settings.state_url is None and not (Path.cwd() / DEFAULT_STATE_FILE).exists():
        raise ConfigError(
            f"no state database here ({DEFAULT_STATE_FILE}): set STATE_URL to the bots' database."
        )
    store = await open_state(settings)
    try:
        reviews, votes = await store.usage(store.clock() - since_s)
    finally:
        await store.close()
    stats = summarise(reviews, votes, since_s)
    if args.json:
        print(json.dumps(stats.as_json(), ensure_ascii=False, indent=2))
    else:
        print(format_stats(stats))
    if args.plot is not None:
        from core.stats_chart import chart_png

        try:
            args.plot.write_bytes(chart_png(stats))
        except OSError as exc:
            raise ConfigError(f"--plot: can't write {args.plot} ({exc.strerror}).") from None
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "optimize":
        # pydantic looks for plugins by scanning every installed package's entry points
        # when it builds the first model (~30 ms); a terminal review has no use for them
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        from core.config import load_settings

        settings = load_settings()
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        if args.command == "optimize" and len(args.file) == 1:
            from core.review import resolve_engine

            if resolve_engine(args.engine, settings) == "offline":
                return _optimize_offline(args, settings)
        import asyncio  # the bots, the model engine and batches run on an event loop

        if args.command == "optimize":
            return asyncio.run(_optimize(args, settings))
        if args.command == "doctor":
            return asyncio.run(_doctor(settings))
        if args.command == "worker":
            from resume_bot.worker import run as run_worker

            asyncio.run(run_worker(settings))
            return 0
        if args.command == "stats":
            return asyncio.run(_stats(args, settings))
        platform = next(p for p in PLATFORMS if p.name == args.command)
        asyncio.run(platform.run(settings))
        return 0
    except ResumeBotError as exc:
        print(f"resume-bot: {exc.for_user()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `resume-bot optimize cv.pdf | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # one line, never a traceback that could quote the resume
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {frame.filename}:{frame.lineno}" if frame else ""
        log.error(
            "unexpected %s%s", type(exc).__name__, where
        )  # type and place only: no message text
        print(
            f"resume-bot: unexpected error ({type(exc).__name__}); please report it.",
            file=sys.stderr,
        )
        return 1


def run() -> None:
    """The `resume-bot` command: `main()`, then exit without a last pass of the garbage collector.

    That pass walks every object a review loaded (~25 ms of a one-file review) only to free
    memory the system takes back anyway; frozen objects are skipped. Exit handlers (workers
    ended, temporary folders removed) still run. Tests call `main()`, which freezes nothing.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
