"""`compile()`: `re.compile` for the patterns written in core's source, compiled once per install.

CPython parses a pattern and generates its matching code in Python (`re._parser`,
`re._compiler`): the ~210 patterns of the reading, structure, rules, honesty and rewrite
modules took ~60 ms of every process that reviews a file. That code (a list of integers)
only depends on the pattern, its flags and the interpreter, so it is kept, like bytecode,
in a file beside this package's .pyc files and handed straight to the matcher
(`_sre.compile`, what `re.compile` itself ends with) in the next process. What comes back
is the same pattern: `Pattern.__eq__` compares the code (tests/test_regex_cache.py checks
every cached pattern against `re.compile`).

Written at exit by a process that compiled a pattern it didn't find, unless Python was told
not to write bytecode (PYTHONDONTWRITEBYTECODE, `-B`): then only `python -m
core.regex_cache`, the equivalent of `compileall`, writes it (benchmarks/startup.py does).

It sits with the package's .pyc files and is trusted as they are (whoever can write one can
write the other). Safe to lose: it is named for the interpreter and its regex engine
(`_sre.MAGIC`), any failure to read, use or write it falls back to `re.compile`, and the
engine validates code it is given. Only ever pass patterns written in the source or read
from core/data: the file is written to disk, so a pattern built from a person's text (a job
ad's terms) must go to `re.compile`, never here.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

try:  # CPython's regex engine and compiler: what `re.compile` runs
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter: plain re.compile
    _sre = None  # type: ignore[assignment]

_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_Key = tuple[str, int]

CACHE_DIR = Path(__file__).resolve().parent / "__pycache__"
# entries kept from earlier runs beyond this process's own, before the file is rewritten
# with only what this process compiled (old patterns from edited source don't pile up)
STALE_FACTOR = 2


def _cache_file() -> Path | None:
    if _sre is None:
        return None
    tag = sys.implementation.cache_tag or "none"
    return CACHE_DIR / f"regex.{tag}.{_sre.MAGIC}.{_sre.CODESIZE}.marshal"


class _Cache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.loaded: dict[_Key, _Entry] | None = None
        self.used: dict[_Key, _Entry] = {}
        self.missed = False
        self.owner = os.getpid()

    def entries(self) -> dict[_Key, _Entry]:
        if self.loaded is None:
            self.loaded = {}
            if self.path is not None:
                with contextlib.suppress(Exception):  # missing, unreadable, truncated, stale
                    data = marshal.loads(self.path.read_bytes())
                    if isinstance(data, dict):
                        self.loaded = data
        return self.loaded

    def compile(self, pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
        flags = int(flags)
        if _sre is None or not isinstance(pattern, str) or flags & re.DEBUG:
            return re.compile(pattern, flags)
        key = (pattern, flags)
        entry: Any = self.entries().get(key)
        if entry is not None:
            with contextlib.suppress(Exception):  # a malformed entry: compile it afresh
                compiled = _make(pattern, entry)
                self.used[key] = entry
                return compiled
        try:
            entry = _build(pattern, flags)
            compiled = _make(pattern, entry)
        except re.error:
            raise
        except Exception:  # the engine's internals changed under us: the public way
            return re.compile(pattern, flags)
        self.used[key] = entry
        self.missed = True
        return compiled

    def save(self, *, force: bool = False) -> None:
        """Write the file if this process compiled a pattern it didn't find (atexit)."""
        if not (force or (self.missed and not sys.dont_write_bytecode)):
            return
        if self.path is None or os.getpid() != self.owner:
            return
        merged = dict(self.entries())
        if len(merged) > STALE_FACTOR * max(len(self.used), 1):
            merged = {}
        merged.update(self.used)
        with contextlib.suppress(Exception):  # read-only install, full disk: compile next time
            self.path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".regex-")
            try:
                os.fchmod(fd, 0o644)  # readable like the .pyc files beside it
                with os.fdopen(fd, "wb") as out:
                    marshal.dump(merged, out)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        self.missed = False


_CACHE = _Cache(_cache_file())
atexit.register(_CACHE.save)


def _build(pattern: str, flags: int) -> _Entry:
    """What `re._compiler.compile` computes before handing over to `_sre.compile`."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (
        int(flags | parsed.state.flags),
        code,
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _make(pattern: str, entry: _Entry) -> re.Pattern[str]:
    final_flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, final_flags, code, groups, groupindex, indexgroup)


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)` for a pattern from core's source or data files."""
    return _CACHE.compile(pattern, flags)


def compiled_here() -> dict[tuple[str, int], re.Pattern[str]]:
    """Every pattern this process got from `compile()`, rebuilt from its entry (for tests)."""
    return {key: _make(key[0], entry) for key, entry in _CACHE.used.items()}


def write() -> int:
    """Compile every pattern core's modules build at import, and write the file: how many."""
    import core.honesty
    import core.review  # noqa: F401  (reading, structure, rules, keywords, wording, export)

    _CACHE.save(force=True)
    return len(_CACHE.used)


if __name__ == "__main__":  # run as __main__, this file is not the module the others import
    from core import regex_cache

    print(f"{regex_cache.write()} patterns cached in {regex_cache._CACHE.path}")
