"""The `resume-bot` command as a user runs it: a subprocess, real files, stdout/stderr and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from core.models import ReviewResult
from core.serial import from_data
from tests.conftest import EXAMPLES
from tests.samples import FLAWED_RESUME

ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("HUGGINGFACE_", "HF_", "SLACK_", "DISCORD_"))
}


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "resume_bot.cli", *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def resume_file(tmp_path: Path) -> Path:
    path = tmp_path / "sam.txt"
    path.write_text(FLAWED_RESUME)
    return path


def test_json_output_validates_against_the_result_model(resume_file: Path, tmp_path: Path) -> None:
    done = cli("optimize", str(resume_file), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = from_data(ReviewResult, json.loads(done.stdout))
    assert result.engine == "offline" and result.source_name == "sam.txt"
    assert json.loads(done.stdout)["keywords"] is None


def test_report_is_readable_and_fits_a_terminal(resume_file: Path, tmp_path: Path) -> None:
    job = tmp_path / "job.txt"
    job.write_text(
        "Operations Coordinator. Requirements: logistics, vendor management, SAP, Excel, forecasting."
    )
    done = cli("optimize", str(resume_file), "--job", str(job), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("sam.txt: ") and "/100" in out
    assert "Keyword match:" in out and "EXPERIENCE" in out
    assert "before: Responsible for managing the weekly shipping schedule" in out
    assert "after:  Managed the weekly shipping schedule" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_out_writes_markdown_and_a_real_docx(resume_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = cli("optimize", str(resume_file), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    md = (out / "sam-rewritten.md").read_text()
    assert md.startswith("# Sam Parker")
    document = docx.Document(str(out / "sam-rewritten.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Sam Parker" in text and "Managed the weekly shipping schedule" in text


def test_out_writes_the_pdf_too_and_format_chooses_the_files(
    resume_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = cli("optimize", str(resume_file), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "sam-rewritten.docx",
        "sam-rewritten.md",
        "sam-rewritten.pdf",
    ]
    assert (out / "sam-rewritten.pdf").read_bytes().startswith(b"%PDF-")

    only = tmp_path / "only"
    done = cli("optimize", str(resume_file), "--out", str(only), "--format", "pdf,md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in only.iterdir()) == ["sam-rewritten.md", "sam-rewritten.pdf"]
    assert "(sam-rewritten.pdf, sam-rewritten.md)" in done.stdout

    bad = cli("optimize", str(resume_file), "--out", str(only), "--format", "pdf,odt", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown format odt" in bad.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"MZ\x90\x00" + bytes(300), "Windows program")],
    ids=["empty", "exe-renamed-pdf"],
)
def test_errors_are_one_line_on_stderr_with_nonzero_exit(
    content: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "resume.pdf"
    path.write_bytes(content)
    done = cli("optimize", str(path), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    done = cli("optimize", str(tmp_path / "nope.pdf"), cwd=tmp_path)
    assert done.returncode == 2 and "can't read" in done.stderr and "Traceback" not in done.stderr


def test_invalid_setting_fails_with_one_line_naming_the_variable(
    resume_file: Path, tmp_path: Path
) -> None:
    env = {**ENV, "MAX_FILE_MB": "-3"}
    done = subprocess.run(
        [sys.executable, "-m", "resume_bot.cli", "optimize", str(resume_file)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "MAX_FILE_MB" in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["resume.pdf", "resume.docx"])
def test_examples_review_offline(name: str, tmp_path: Path) -> None:
    path = EXAMPLES / name
    if not path.exists():
        pytest.skip("examples not built yet")
    done = cli("optimize", str(path), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = from_data(ReviewResult, json.loads(done.stdout))
    assert result.findings and result.score < 90
