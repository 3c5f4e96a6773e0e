"""The one-file command line's isolation without an event loop (`run_isolated_blocking`):
the same limits as the bots' workers, and `resume-bot optimize FILE` never imports asyncio."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import EncryptedFileError, ParseTimeoutError, ProcessingError
from core.isolation import run_isolated_blocking
from tests.conftest import EXAMPLES
from tests.test_isolation import _eat_memory, _raise_ours, _raise_with_secret, _sleep_forever

ROOT = Path(__file__).resolve().parent.parent


def _big_answer(n: int) -> bytes:
    return bytes(range(256)) * n


def test_a_hung_parser_is_killed_at_the_time_limit() -> None:
    started = time.perf_counter()
    with pytest.raises(ParseTimeoutError):
        run_isolated_blocking(_sleep_forever, timeout_s=0.5, memory_mb=512)
    assert time.perf_counter() - started < 3


def test_a_memory_bomb_is_stopped_by_the_memory_limit() -> None:
    with pytest.raises(ParseTimeoutError):
        run_isolated_blocking(_eat_memory, timeout_s=20, memory_mb=256)


def test_errors_cross_as_ours_and_foreign_ones_without_their_text() -> None:
    with pytest.raises(EncryptedFileError) as ours:
        run_isolated_blocking(_raise_ours, timeout_s=10, memory_mb=512)
    assert ours.value.for_user() == "custom message custom hint"
    with pytest.raises(ProcessingError) as foreign:
        run_isolated_blocking(_raise_with_secret, timeout_s=10, memory_mb=512)
    assert "CANARY" not in str(foreign.value) and "CANARY" not in foreign.value.for_user()


def test_an_answer_bigger_than_a_pipe_comes_back_whole() -> None:
    answer = run_isolated_blocking(_big_answer, 20_000, timeout_s=20, memory_mb=512)
    assert answer == bytes(range(256)) * 20_000  # 5 MB through a 64 kB pipe


def test_one_file_offline_never_loads_asyncio(tmp_path: Path) -> None:
    resume_file = EXAMPLES / "resume.pdf"
    code = (
        "import sys\n"
        "from resume_bot.cli import main\n"
        f"code = main(['optimize', {str(resume_file)!r}, '--json', '--engine', 'offline'])\n"
        "print('asyncio' in sys.modules, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stderr.strip().splitlines()[-1] == "False"
    result = json.loads(done.stdout)
    assert result["engine"] == "offline" and 0 <= result["score"] <= 100
