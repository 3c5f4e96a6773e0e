"""The `resume-bot` command: review a file in the terminal, run a bot, or check the set-up.

    resume-bot optimize FILE [--job FILE] [--role TEXT] [--engine auto|offline|huggingface]
                             [--json] [--out DIR] [--format docx,pdf,md]
    resume-bot slack | discord | doctor
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import sys
import textwrap
import traceback
from pathlib import Path

from core.config import Settings, load_settings
from core.errors import ResumeBotError
from core.models import ReviewResult
from core.scoring import CATEGORY_LABELS

log = logging.getLogger("resume_bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="resume-bot", description="Review and rewrite resumes.")
    sub = parser.add_subparsers(dest="command", required=True)
    opt = sub.add_parser("optimize", help="review a resume file (PDF, DOCX, TXT, Markdown)")
    opt.add_argument("file", type=Path)
    opt.add_argument("--job", type=Path, help="a job description file to match keywords against")
    opt.add_argument("--role", help="the role you are targeting, e.g. 'Data Analyst'")
    opt.add_argument("--engine", choices=["auto", "offline", "huggingface"], default="auto")
    opt.add_argument("--json", action="store_true", help="print the result as JSON")
    opt.add_argument("--out", type=Path, help="write the rewrite (.docx, .pdf, .md) into this folder")
    opt.add_argument("--format", dest="formats", type=_formats, default=None, metavar="docx,pdf,md",
                     help="which files --out writes (default: all three)")
    sub.add_parser("slack", help="run the Slack bot (Socket Mode if SLACK_APP_TOKEN is set)")
    sub.add_parser("discord", help="run the Discord bot")
    sub.add_parser("doctor", help="check the configuration and the services it points at")
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
    width = max(50, min(width, 100))
    lines = [f"{result.source_name}: {result.score}/100  (engine: {result.engine})", ""]
    lines.append("  ".join(f"{CATEGORY_LABELS.get(name, name)} {value}" for name, value in result.breakdown.items()))
    for warning in result.warnings:
        lines.append(_wrap(f"! {warning}", width))
    if result.keywords is not None:
        kw = result.keywords
        verdict = "on target" if kw.match_percent >= kw.target_percent else f"aim for {kw.target_percent}%"
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


async def _optimize(args: argparse.Namespace, settings: Settings) -> int:
    import httpx

    from core.review import ReviewRequest, review_resume

    try:
        data = args.file.read_bytes()
        job = args.job.read_text(encoding="utf-8", errors="replace") if args.job else None
    except OSError as exc:
        print(f"resume-bot: can't read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    request = ReviewRequest(data=data, filename=args.file.name, job_description=job, role=args.role, engine=args.engine)
    async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0)) as http:
        result = await review_resume(request, settings, http)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(format_report(result, shutil.get_terminal_size((88, 24)).columns))
    if args.out:
        from core.export import FORMAT_KEYS, rewrite_filename

        wanted = {rewrite_filename(result.source_name, key) for key in (args.formats or FORMAT_KEYS)}
        written = [a for a in result.attachments if a.filename in wanted]
        args.out.mkdir(parents=True, exist_ok=True)
        for attachment in written:
            (args.out / attachment.filename).write_bytes(attachment.content)
        if not args.json:
            print(f"\nRewrite written to {args.out}/ ({', '.join(a.filename for a in written)})")
    return 0


async def _doctor(settings: Settings) -> int:
    import httpx

    from core.doctor import run_doctor

    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
        checks = await run_doctor(settings, http)
    for check in checks:
        mark = "skip" if check.ok is None else ("ok" if check.ok else "FAIL")
        print(f"[{mark:>4}] {check.name}: {check.detail}")
    return 0 if all(c.ok is not False for c in checks) else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if args.command == "optimize":
            return asyncio.run(_optimize(args, settings))
        if args.command == "doctor":
            return asyncio.run(_doctor(settings))
        if args.command == "slack":
            from bots.slack.run import run as run_slack

            asyncio.run(run_slack(settings))
        elif args.command == "discord":
            from bots.discord.run import run as run_discord

            asyncio.run(run_discord(settings))
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
        log.error("unexpected %s%s", type(exc).__name__, where)  # type and place only: no message text
        print(f"resume-bot: unexpected error ({type(exc).__name__}); please report it.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
