"""The import graph's contract, read from the source (no import side effects, nothing to install).

* `core` never imports a chat platform (`bots`) or the application (`resume_bot`);
* no platform imports another: `bots.slack` knows nothing of `bots.discord`, and vice versa;
* nothing in `bots` imports `resume_bot` (the application registers platforms, not the reverse).

Every `import`/`from … import` anywhere in a module counts, lazy ones inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = sorted(p.name for p in (ROOT / "bots").iterdir() if (p / "__init__.py").exists())


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Absolute names of every module `path` imports (relative imports resolved)."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def forbidden(path: Path) -> list[str]:
    """The packages `path` must not import."""
    name = module_name(path)
    if name.split(".")[0] == "core":
        return ["bots", "resume_bot"]
    if name.startswith("bots."):
        own = name.split(".")[1]
        return ["resume_bot", *(f"bots.{p}" for p in PLATFORMS if p != own)]
    return []


def violations(path: Path) -> list[str]:
    bad = forbidden(path)
    return sorted(m for m in imports_of(path) if any(m == b or m.startswith(b + ".") for b in bad))


SOURCES = sorted((*(ROOT / "core").rglob("*.py"), *(ROOT / "bots").rglob("*.py")))


def test_there_is_something_to_check() -> None:
    assert len(SOURCES) > 20 and {"slack", "discord"} <= set(PLATFORMS)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_keeps_the_import_contract(path: Path) -> None:
    assert violations(path) == [], f"{module_name(path)} imports what its layer must not"


def test_the_checker_catches_a_violation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A contract test that can't fail proves nothing: plant each kind of violation."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    for rel, source in {
        "core/x.py": "def f():\n    from bots.slack.app import build_bot\n",
        "core/y.py": "import resume_bot.cli\n",
        "bots/slack/z.py": "from ..discord import render\n",
    }.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    assert violations(tmp_path / "core/x.py") == ["bots.slack.app", "bots.slack.app.build_bot"]
    assert violations(tmp_path / "core/y.py") == ["resume_bot.cli"]
    assert "bots.discord" in violations(tmp_path / "bots/slack/z.py")
