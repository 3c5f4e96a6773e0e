"""Batch mode as a career centre runs it: `resume-bot optimize FILE...` in a real subprocess.

Also: `optimize` loads no bot library, no httpx and no pydantic-settings (start-up).
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from core.models import ReviewResult
from core.serial import from_data
from tests.conftest import ROOT
from tests.samples import FLAWED_RESUME, GOOD_RESUME

ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("HUGGINGFACE_", "HF_", "SLACK_", "DISCORD_"))
}
ENV["PYTHONPATH"] = str(ROOT)


def cli(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "resume_bot.cli", *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=180,
        **kwargs,
    )  # type: ignore[call-overload]


@pytest.fixture
def cohort(tmp_path: Path) -> list[Path]:
    """Two resumes and a file that is no resume at all, in the order a user would type them."""
    folder = tmp_path / "cohort"
    folder.mkdir()
    (folder / "sam.txt").write_text(FLAWED_RESUME)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "jordan.md").write_text(GOOD_RESUME)
    return [
        Path("cohort/sam.txt"),
        Path("cohort/empty.pdf"),
        Path("cohort/jordan.md"),
    ]  # relative to tmp_path


def test_a_bad_file_is_reported_on_its_line_and_the_rest_are_reviewed(
    cohort: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = cli("optimize", *map(str, cohort), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # one failed
    assert done.stderr == ""  # not a terminal: no progress bar
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["file", "score", "top", "problem"]
    rows = lines[1:4]
    assert [r.split()[0] for r in rows] == [str(p) for p in cohort]  # the order given
    assert (
        rows[0].split()[1].isdigit() and "[medium] contact.phone_missing" in rows[0]
    )  # the first most severe
    assert rows[1].split()[1] == "error" and "empty" in rows[1]
    assert rows[2].split()[1].isdigit()
    assert "2 reviewed, 1 failed" in done.stdout and f"Rewrites written to {out}/" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "jordan-rewritten.docx",
        "jordan-rewritten.md",
        "jordan-rewritten.pdf",
        "sam-rewritten.docx",
        "sam-rewritten.md",
        "sam-rewritten.pdf",
    ]
    text = "\n".join(p.text for p in docx.Document(str(out / "sam-rewritten.docx")).paragraphs)
    assert "Managed the weekly shipping schedule" in text
    assert "Traceback" not in done.stdout + done.stderr


def test_json_is_one_object_per_line_in_the_order_given(cohort: list[Path], tmp_path: Path) -> None:
    job = tmp_path / "job.txt"
    job.write_text(
        "Operations Coordinator. Requirements: logistics, vendor management, SAP, Excel, forecasting."
    )
    done = cli(
        "optimize",
        *map(str, cohort),
        "--json",
        "--job",
        str(job),
        "--role",
        "Logistics Manager",
        cwd=tmp_path,
    )
    assert done.returncode == 1
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["file"] for o in objects] == [str(p) for p in cohort]
    sam, empty, jordan = objects
    assert "error" in empty and "empty" in empty["error"] and empty["source_name"] == "empty.pdf"
    for good in (sam, jordan):
        result = from_data(ReviewResult, good)  # the single-file --json model, plus "file"
        assert result.keywords is not None and result.engine == "offline"
    assert from_data(ReviewResult, sam).source_name == "sam.txt"
    assert (
        "2 reviewed, 1 failed" in done.stderr
    )  # the table goes to stderr: stdout stays JSON lines


def test_all_good_exits_zero_and_repeated_names_are_numbered_in_input_order(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "cv.txt").write_text(GOOD_RESUME if folder == "a" else FLAWED_RESUME)
    out = tmp_path / "out"
    done = cli("optimize", "a/cv.txt", "b/cv.txt", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 reviewed, 0 failed" in done.stdout
    assert (out / "cv-rewritten.md").read_text().startswith("# Jordan Lee")  # the first file given
    assert (out / "cv-rewritten-2.md").read_text().startswith("# Sam Parker")


def test_progress_shows_on_a_terminal_for_more_than_a_few_files(tmp_path: Path) -> None:
    files = []
    for i in range(4):
        path = tmp_path / f"cv{i}.txt"
        path.write_text(GOOD_RESUME)
        files.append(str(path))
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "resume_bot.cli", "optimize", *files],
            cwd=tmp_path,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            timeout=180,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert done.returncode == 0
    assert b"reviewed 4/4" in shown and b"\r" in shown
    assert "reviewed 4/4" not in done.stdout and "4 reviewed, 0 failed" in done.stdout


def test_one_file_prints_exactly_the_single_review(tmp_path: Path) -> None:
    path = tmp_path / "sam.txt"
    path.write_text(FLAWED_RESUME)
    done = cli("optimize", str(path), "--json", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("{\n  ") and "file" not in json.loads(
        done.stdout
    )  # indented, no batch fields
    report = cli("optimize", str(path), cwd=tmp_path).stdout
    assert report.startswith("sam.txt: ") and "top problem" not in report


def test_optimize_loads_no_bot_library_no_httpx_no_pydantic(tmp_path: Path) -> None:
    """Nor pydantic (only the model engine's answer needs it), nor asyncio (one file runs no
    event loop), nor python-docx (no DOCX read or written) or the spelling list: the worker
    loads that."""
    path = tmp_path / "sam.txt"
    path.write_text(FLAWED_RESUME)
    script = (
        "import sys, contextlib, io\n"
        "from resume_bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['optimize', {str(path)!r}, '--json'])\n"
        "heavy = {'slack_bolt', 'slack_sdk', 'discord', 'aiohttp', 'httpx', 'pydantic', 'asyncio',\n"
        "         'docx', 'spellchecker'}\n"
        "adapters = {m for m in sys.modules if m.startswith('bots.') and m.count('.') > 1}\n"
        "from core.spelling import speller\n"
        "if speller.cache_info().currsize: adapters.add('the spelling list')\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & heavy | adapters))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr
