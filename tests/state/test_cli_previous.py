"""`resume-bot optimize v2 --previous v1`: the comparison in the terminal and in --json."""

from __future__ import annotations

import json
from pathlib import Path

from core.models import ReviewResult
from core.serial import from_data
from tests.state.threads import V1, V2
from tests.test_cli import cli


def versions(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "v1.txt").write_text(V1)
    (tmp_path / "v2.txt").write_text(V2)
    return tmp_path / "v1.txt", tmp_path / "v2.txt"


def test_the_report_opens_with_what_changed(tmp_path: Path) -> None:
    v1, v2 = versions(tmp_path)
    done = cli("optimize", str(v2), "--previous", str(v1), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("v2 of v2.txt: ") and "Fixed " in lines[0], lines[0]
    assert any(line.strip().startswith("Impact: ") and "→" in line for line in lines[1:6])
    assert "Added: Mentored 3 junior engineers" in done.stdout
    assert "With the suggested rewrite: " in done.stdout
    assert not list(tmp_path.glob("*.db"))  # the command line keeps nothing


def test_json_carries_the_comparison(tmp_path: Path) -> None:
    v1, v2 = versions(tmp_path)
    done = cli("optimize", str(v2), "--previous", str(v1), "--json", cwd=tmp_path)
    result = from_data(ReviewResult, json.loads(done.stdout))
    assert result.comparison is not None and result.comparison.number == 2
    assert result.comparison.score == result.score > result.comparison.previous_score
    assert result.comparison.fixed and result.rewrite_score is not None


def test_previous_needs_one_file(tmp_path: Path) -> None:
    v1, v2 = versions(tmp_path)
    done = cli("optimize", str(v1), str(v2), "--previous", str(v1), cwd=tmp_path)
    assert done.returncode == 2 and "--previous" in done.stderr
