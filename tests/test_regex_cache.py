"""The compiled-pattern cache (core/regex_cache.py) gives back exactly what `re.compile` does."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
from pathlib import Path

import core.review  # noqa: F401  (every module that compiles its patterns at import)
from core import regex_cache
from core.regex_cache import _Cache

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = [
    (r"(?P<start>\d{4})\s*[-–]\s*(?P<end>\d{4}|present)", re.I),
    (r"(?<!\w)(?:summary|profil|berufserfahrung)(?!\w)", re.I),
    (r"^\s*[-*•]\s+(.*)$", re.M),
    (r"[\u3040-\u30ff\u4e00-\u9fff]", 0),
]


def test_every_pattern_core_compiled_is_the_one_re_compiles() -> None:
    here = regex_cache.compiled_here()
    assert len(here) > 150  # the structure, reading and rules modules' patterns
    for (pattern, flags), compiled in here.items():
        assert compiled == re.compile(pattern, flags)  # same flags, pattern and matching code
        assert compiled.groupindex == re.compile(pattern, flags).groupindex


def test_a_second_process_reads_the_patterns_back(tmp_path: Path) -> None:
    path = tmp_path / "regex.marshal"
    first = _Cache(path)
    built = [first.compile(p, f) for p, f in PATTERNS]
    assert first.missed
    first.save()  # honours PYTHONDONTWRITEBYTECODE like Python's own .pyc files
    assert path.exists() is not sys.dont_write_bytecode
    first.save(force=True)
    second = _Cache(path)
    again = [second.compile(p, f) for p, f in PATTERNS]
    assert not second.missed  # all found
    assert again == built == [re.compile(p, f) for p, f in PATTERNS]
    m = again[0].search("Analyst 2019 – present")
    assert m is not None and m["start"] == "2019" and m["end"] == "present"


def test_a_damaged_file_falls_back_to_compiling(tmp_path: Path) -> None:
    path = tmp_path / "regex.marshal"
    path.write_bytes(b"\x00not marshal")
    assert _Cache(path).compile(*PATTERNS[0]) == re.compile(*PATTERNS[0])
    pattern, flags = PATTERNS[1]
    cache = _Cache(path)
    entry = regex_cache._build(pattern, int(flags))
    bad = (entry[0], [999_999, *entry[1]], *entry[2:])  # code the regex engine refuses
    path.write_bytes(marshal.dumps({(pattern, int(flags)): bad}))
    cache = _Cache(path)
    assert cache.compile(pattern, flags) == re.compile(pattern, flags)
    assert cache.missed  # and it will be written right next time


def test_an_unwritable_folder_is_no_error(tmp_path: Path) -> None:
    cache = _Cache(tmp_path / "missing" / "deeper" / "regex.marshal")
    assert cache.compile(*PATTERNS[2]) == re.compile(*PATTERNS[2])
    cache.save(force=True)  # can't create the folder: nothing written, nothing raised
    assert not (tmp_path / "missing").exists()


def test_bad_patterns_raise_as_re_compile_does() -> None:
    try:
        re.compile("(unclosed")
    except re.error as expected:
        message = str(expected)
    try:
        _Cache(None).compile("(unclosed")
    except re.error as got:
        assert str(got) == message
    else:
        raise AssertionError("no re.error")


def test_python_m_writes_the_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "core.regex_cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "patterns cached in" in done.stdout
    count = int(done.stdout.split()[0])
    assert count > 150
