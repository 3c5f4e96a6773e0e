"""Privacy: resume and job text never reach a log line, an error a user sees, or the disk; tokens are masked.

A resume with a unique canary word (in a bullet) and a job description with
another goes through every path a user can take (the CLI, the model engine
through an error and a success, the Slack app, the Discord client) with the
root logger at DEBUG. Every log record (message, args, extra fields,
traceback) and everything written to the process' stdout/stderr at the file
descriptor level (which includes the forked parse child) is searched for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import resource
import socket
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx

from core import isolation
from core.config import Settings
from core.doctor import mask, run_doctor
from core.errors import DamagedFileError, ModelAuthError, ResumeBotError, UnsupportedFileError
from core.review import ReviewRequest, review_resume
from core.serial import to_data
from tests.discord.conftest import running_bot
from tests.fakes.discord import FakeDiscord, is_followup
from tests.fakes.slack import (
    APP_TOKEN,
    BOT_TOKEN,
    LOCALHOST,
    SIGNING_SECRET,
    FakeSlack,
    dm_file_share,
    event_callback,
)
from tests.slack.conftest import BoltServer

RESUME_CANARY = "quokkaZ7731"
JOB_CANARY = "wombatJ4402"
EMAIL = "casey.canary@example.org"
CANARIES = (RESUME_CANARY, JOB_CANARY, EMAIL)
HF_KEY = "hf_privacytestsecretkey0123456789"
HF_BASE = "https://hf.test/v1"

RESUME = f"""Casey Morgan
{EMAIL} | +1 312 555 0177

Summary
Platform engineer who keeps payment systems fast and boring.

Experience
Staff Engineer, Lakeview Payments — Feb 2019 – Present
• Built the {RESUME_CANARY} ledger service that settles 2 million payments a day
• Responsible for the on-call rotation of 6 engineers
• Cut p99 latency from 900 ms to 120 ms by caching account lookups

Education
B.Sc. Computer Science, Northfield University — 2010 – 2014

Skills
Go, Python, PostgreSQL, Kafka, Kubernetes
"""
JOB = f"Platform Engineer. Go, Kafka, Terraform and {JOB_CANARY} experience required. Kubernetes a plus."


class Everything(logging.Handler):
    """Keeps every record with all it carries: message, args, extra fields, traceback, stack."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self.names: list[str] = []
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        parts = [repr(vars(record))]
        with contextlib.suppress(Exception):
            parts.append(record.getMessage())
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        parts += [record.exc_text or "", record.stack_info or ""]
        self.texts.append("\n".join(parts))
        self.names.append(record.name)

    def text(self, *, ignore: tuple[str, ...] = ()) -> str:
        """All records, except those from loggers named in `ignore` (and their children)."""
        return "\n".join(
            t
            for n, t in zip(self.names, self.texts, strict=True)
            if not any(n == i or n.startswith(i + ".") for i in ignore)
        )


class ToStderrFd(logging.Handler):
    """Formats every record onto file descriptor 2, where `capfd` (and a forked child's writes) land."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            os.write(2, (self.format(record) + "\n").encode("utf-8", "replace"))


@pytest.fixture(autouse=True)
def fresh_parse_workers() -> Iterator[None]:
    """Parse workers forked during the test, as the one-off children were.

    A worker inherits fd 2 and the logging handlers of the moment it is forked:
    one left by an earlier test would write past `capfd` and past the handlers
    below, and the test would no longer see what the parsing process emits.
    """
    isolation.shutdown()
    yield
    isolation.shutdown()


@pytest.fixture
def logs() -> Iterator[Everything]:
    """Root at DEBUG with a handler that keeps everything, plus one writing to stderr (fd 2)."""
    root = logging.getLogger()
    handler, stream = Everything(), ToStderrFd()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    root.addHandler(stream)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.removeHandler(stream)
        root.setLevel(old_level)


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every `tempfile` user writes under here, so the test can tell whether anything did."""
    folder = tmp_path / "tempfiles"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def assert_nothing_leaked(logs: Everything, *outputs: str, ignore: tuple[str, ...] = ()) -> None:
    assert logs.count, "logging was captured"
    logged = logs.text(ignore=ignore)
    for canary in CANARIES:
        assert canary not in logged, f"{canary} reached a log record"
        for output in outputs:
            assert canary not in output, f"{canary} reached stdout/stderr"


def resume_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in RESUME.splitlines():
        document.add_paragraph(
            line[2:] if line.startswith("• ") else line,
            style="List Bullet" if line.startswith("• ") else None,
        )
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def broken_docx_quoting_the_canary() -> bytes:
    """A DOCX whose document.xml is cut off mid-way, right after the canary."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", f"<w:document><w:body><w:p><w:t>{RESUME_CANARY} {EMAIL}")
    return buf.getvalue()


# --- (a) the CLI, in process ------------------------------------------------------------


def test_cli_review_logs_nothing_of_the_resume_and_writes_only_the_requested_files(
    tmp_path: Path,
    private_tmp: Path,
    logs: Everything,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from resume_bot.cli import main

    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    resume, job, out = tmp_path / "casey.docx", tmp_path / "job.txt", tmp_path / "out"
    resume.write_bytes(resume_docx())
    job.write_text(JOB, encoding="utf-8")
    before = files_under(tmp_path)

    assert (
        main(["optimize", str(resume), "--job", str(job), "--engine", "offline", "--out", str(out)])
        == 0
    )
    shown = capfd.readouterr()
    assert_nothing_leaked(logs, shown.err)
    written = files_under(tmp_path) - before
    assert written == {out / f"casey-rewritten.{ext}" for ext in ("docx", "pdf", "md")}
    assert RESUME_CANARY in (out / "casey-rewritten.md").read_text(encoding="utf-8")


def test_cli_error_for_a_damaged_file_quotes_nothing_of_it(
    tmp_path: Path,
    private_tmp: Path,
    logs: Everything,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from resume_bot.cli import main

    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    broken = tmp_path / "casey.docx"
    broken.write_bytes(broken_docx_quoting_the_canary())
    before = files_under(tmp_path)
    assert main(["optimize", str(broken), "--engine", "offline"]) == 1
    shown = capfd.readouterr()
    assert DamagedFileError().for_user() in shown.err
    assert_nothing_leaked(logs, shown.out, shown.err)
    assert files_under(tmp_path) == before


async def test_errors_a_user_sees_never_quote_the_file(
    settings: Settings, logs: Everything
) -> None:
    """Binary junk around the canary, a damaged DOCX: the error text is ours, not the file's."""
    junk = b"\x00\x01\x02" * 200 + RESUME_CANARY.encode() + bytes(range(256)) * 8
    for data, filename, expected in (
        (junk, "casey.pdf", UnsupportedFileError),
        (broken_docx_quoting_the_canary(), "casey.docx", DamagedFileError),
    ):
        with pytest.raises(expected) as info:
            await review_resume(
                ReviewRequest(data=data, filename=filename, job_description=JOB), settings
            )
        assert not any(c in info.value.for_user() or c in str(info.value) for c in CANARIES)
    assert_nothing_leaked(logs)


async def test_a_crashing_parse_child_leaves_no_core_dump(
    tmp_path: Path, settings: Settings, logs: Everything
) -> None:
    """PDFium aborts at the memory limit; with core dumps allowed the child's memory (the file) would land in cwd."""
    from tests.abuse.nasties import pdf_content_bomb

    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    if hard == 0:
        pytest.skip("core dumps are disabled for this user; nothing to prove")
    resource.setrlimit(
        resource.RLIMIT_CORE, (hard, hard)
    )  # as on a host with `ulimit -c unlimited`
    try:
        with pytest.raises(ResumeBotError):
            await review_resume(
                ReviewRequest(data=pdf_content_bomb(), filename="bomb.pdf"), settings
            )
    finally:
        resource.setrlimit(resource.RLIMIT_CORE, (soft, hard))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("core")]


# --- (b) the model engine: an error, an unusable answer, then a success ------------------


def _chat(content: str) -> dict[str, object]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


@respx.mock
async def test_model_engine_errors_and_answers_never_reach_the_logs(
    private_tmp: Path, logs: Everything
) -> None:
    settings = Settings(huggingface_api_key=HF_KEY, huggingface_base_url=HF_BASE)
    good = json.dumps(
        {
            "rewritten_markdown": (
                "# Casey Morgan\n\n## Experience\n"
                f"- Built the {RESUME_CANARY} ledger service that settles 2 million payments a day\n"
            ),
            "findings": [],
        }
    )
    unusable = json.dumps(
        {"rewritten_markdown": [RESUME_CANARY], "findings": f"{RESUME_CANARY} {EMAIL}"}
    )
    route = respx.post(f"{HF_BASE}/chat/completions").mock(
        side_effect=[
            httpx.Response(
                503, headers={"Retry-After": "0"}, text=f"overloaded while reading {RESUME_CANARY}"
            ),
            httpx.Response(200, json=_chat(unusable)),
            httpx.Response(200, json=_chat(good)),
            httpx.Response(401, json={"error": f"bad token for request about {RESUME_CANARY}"}),
        ]
    )
    request = ReviewRequest(
        data=RESUME.encode(), filename="casey.txt", job_description=JOB, engine="huggingface"
    )

    result = await review_resume(request, settings)
    assert result.engine.startswith("huggingface:") and RESUME_CANARY in result.rewritten
    offline = await review_resume(request, settings)  # the token is now rejected
    assert offline.engine == "offline"
    assert any(ModelAuthError.user_message in w for w in offline.warnings)

    assert route.call_count == 4
    for call in route.calls:
        assert call.request.url.host == "hf.test"
        assert call.request.headers["authorization"] == f"Bearer {HF_KEY}"
    for warning in result.warnings + offline.warnings:
        assert RESUME_CANARY not in warning and JOB_CANARY not in warning
    assert_nothing_leaked(logs)
    assert HF_KEY not in logs.text()
    assert files_under(private_tmp) == set()


# --- (c) Slack, end to end ---------------------------------------------------------------


async def _slack_review(bolt: BoltServer, fake_slack: FakeSlack) -> None:
    file = fake_slack.add_file("casey.txt", RESUME.encode())
    event = dm_file_share([file], text=JOB)
    assert (await bolt.event(event_callback(event))).status_code == 200
    uploads = await fake_slack.wait_for(lambda: fake_slack.uploads_in("D0USER", event["ts"]))
    markdown = next(u for u in uploads if u.filename.endswith(".md"))
    assert RESUME_CANARY.encode() in markdown.content, "the review really ran on the canary resume"


async def test_slack_review_logs_nothing_of_the_resume_or_job_in_our_code(
    bolt: BoltServer,
    fake_slack: FakeSlack,
    private_tmp: Path,
    logs: Everything,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Bolt, our adapter and core at DEBUG; slack_sdk's own DEBUG lines are the known gap below."""
    await _slack_review(bolt, fake_slack)
    capfd.readouterr()
    assert_nothing_leaked(logs, ignore=("slack_sdk",))
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in logs.text()
    assert files_under(private_tmp) == set()


async def test_slack_review_logs_nothing_of_the_resume_or_job_anywhere(
    bolt: BoltServer,
    fake_slack: FakeSlack,
    logs: Everything,
    capfd: pytest.CaptureFixture[str],
) -> None:
    await _slack_review(bolt, fake_slack)
    shown = capfd.readouterr()
    assert_nothing_leaked(logs, shown.out, shown.err)


# --- (d) Discord, end to end -------------------------------------------------------------


async def test_discord_review_logs_nothing_of_the_resume_or_job(
    private_tmp: Path, logs: Everything, capfd: pytest.CaptureFixture[str]
) -> None:
    async with running_bot() as running:
        fake = running.fake
        attachment = fake.attachment("casey.txt", RESUME.encode())
        await fake.dispatch("INTERACTION_CREATE", fake.optimize(attachment, job_description=JOB))
        (followup,) = await fake.wait_for(is_followup)
        markdown = next(f for f in followup.files if f.filename.endswith("-rewritten.md"))
        assert RESUME_CANARY.encode() in markdown.content
        token = fake.token
    shown = capfd.readouterr()
    assert_nothing_leaked(logs, shown.out, shown.err)
    assert token not in logs.text() and token not in shown.err
    assert files_under(private_tmp) == set()


# --- secrets are masked wherever they could be printed -----------------------------------


def _all_secrets_settings(**extra: object) -> Settings:
    return Settings(
        huggingface_api_key=HF_KEY,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=APP_TOKEN,
        discord_bot_token="discord-privacy-test-token-0123456789",
        **extra,
    )


SECRETS = (HF_KEY, BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, "discord-privacy-test-token-0123456789")


def test_settings_repr_str_and_dump_mask_every_token() -> None:
    settings = _all_secrets_settings()
    for shown in (
        repr(settings),
        str(settings),
        f"{settings}",
        json.dumps(to_data(settings)),
    ):
        for secret in SECRETS:
            assert secret not in shown
    assert "**********" in repr(settings)


async def test_doctor_lines_show_tokens_masked(
    fake_slack: FakeSlack, logs: Everything, refused_port: int
) -> None:
    fake_discord = FakeDiscord()
    await fake_discord.start()
    try:
        settings = _all_secrets_settings(
            huggingface_base_url=f"http://{LOCALHOST}:{refused_port}/v1",  # nothing listens: a failing check
            slack_api_url=fake_slack.api_url,
            discord_api_url=fake_discord.api_url,
        )
        async with httpx.AsyncClient(timeout=5) as http:
            checks = await run_doctor(settings, http)
    finally:
        await fake_discord.close()
    lines = "\n".join(f"{c.name}: {c.detail}" for c in checks)
    assert checks and any(c.ok is False for c in checks)
    for secret in SECRETS:
        assert secret not in lines and secret not in logs.text()
    assert mask(HF_KEY) in lines or mask(BOT_TOKEN) in lines


async def test_bots_start_up_logs_never_show_tokens(
    fake_slack: FakeSlack, logs: Everything, capfd: pytest.CaptureFixture[str]
) -> None:
    """Both bots' run() at DEBUG: Slack over HTTP and in Socket Mode, Discord to ready."""
    from bots.discord.run import run as run_discord
    from bots.slack.run import run as run_slack

    http_mode = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        port=0,
    )
    socket_mode = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=APP_TOKEN,
        slack_api_url=fake_slack.api_url,
    )
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(run_slack(http_mode, host=LOCALHOST, listening=listening))
    try:
        assert _listening(await asyncio.wait_for(listening, timeout=60))
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    for settings, ready in ((socket_mode, lambda: fake_slack.socket_connected),):
        task = asyncio.create_task(run_slack(settings, host=LOCALHOST))
        try:
            await fake_slack.wait_for(ready, within_s=60)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    fake = FakeDiscord()
    await fake.start()
    task = asyncio.create_task(
        run_discord(Settings(discord_bot_token=fake.token, discord_api_url=fake.api_url))
    )
    try:
        await asyncio.wait_for(fake.ready.wait(), timeout=60)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        await fake.close()

    shown = capfd.readouterr()
    assert logs.count
    for secret in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, fake.token):
        assert secret not in logs.text(), f"{secret} in a start-up log line"
        assert secret not in shown.err and secret not in shown.out


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((LOCALHOST, port)) == 0
