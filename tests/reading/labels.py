"""Checks Lines against the corpus labels (`../shared/corpus/expected/`), at the level a person sees.

Used by test_corpus_lines.py and runnable on its own for a per-file table:
`python tests/reading/labels.py`.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.reading.docx import read_docx  # noqa: E402
from core.reading.jsonresume import read_json_resume  # noqa: E402
from core.reading.lines import Layout, Line  # noqa: E402
from core.reading.text import read_text  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FORMATS = (".docx", ".md", ".txt", ".json")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().\-]{7,}\d(?![\w/])")
LINK_WORDS = {
    "linkedin": ("linkedin",),
    "github": ("github",),
    "twitter": ("twitter", "x.com"),
    "x": ("x.com", "twitter"),
    "soundcloud": ("soundcloud",),
    "orcid": ("orcid",),
    "gitlab": ("gitlab",),
}


def norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def labelled_files() -> list[tuple[Path, dict]]:
    out = []
    folder = CORPUS / "expected"
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        if label["file"].endswith(FORMATS):
            out.append((CORPUS / label["file"], label))
    return out


def read(path: Path) -> Layout:
    data = path.read_bytes()
    if path.suffix == ".docx":
        return read_docx(data, 3000)
    if path.suffix == ".json":
        return read_json_resume(json.loads(data.decode("utf-8")))
    return read_text(data.decode("utf-8-sig"), path.suffix in (".md", ".markdown"))


@dataclass
class Score:
    headings: tuple[int, int] = (0, 0)
    dates: tuple[int, int] = (0, 0)
    bullets: tuple[int, int] = (0, 0)
    name: bool | None = None
    contact: tuple[int, int] = (0, 0)
    misses: list[str] = field(default_factory=list)


def _is_heading(line: Line) -> bool:
    return (
        line.heading > 0 or line.title or ((line.bold or line.caps) and len(line.text.split()) <= 8)
    )


def _clean_heading(text: str) -> str:
    return norm(text).rstrip(":：").strip()


def _title_index(lines: list[Line], role: dict, start: int = 0) -> int | None:
    title, org = norm(role["title"]), norm(role["organization"])
    key = title or org
    hits = [i for i in range(start, len(lines)) if key and key in norm(lines[i].text)]
    both = [i for i in hits if org and org in norm(lines[i].text + " " + lines[i].aside)]
    found = both or hits
    return found[0] if found else None


def _date_tokens(dates: str) -> list[str]:
    return re.findall(r"\w+", norm(dates))


def _count_bullets(lines: list[Line], at: int, other_titles: set[int]) -> int:
    head = lines[at]
    count = 0
    for j in range(at + 1, len(lines)):
        line = lines[j]
        if line.heading or j in other_titles:
            break
        if head.bullet:  # the entry is itself a list item: its sub-items are its bullets
            if not line.bullet or line.depth <= head.depth:
                break
            count += 1
            continue
        if line.bullet:
            count += 1
        elif count and line.bold:
            break
    return count


def score(path: Path, label: dict) -> Score:
    layout = read(path)
    lines = layout.lines
    result = Score()
    # headings
    found = 0
    for section in label["sections"]:
        want = _clean_heading(section["heading"])
        if any(_clean_heading(line.text) == want and _is_heading(line) for line in lines):
            found += 1
        else:
            result.misses.append(f"heading {section['heading']!r}")
    result.headings = (found, len(label["sections"]))
    # roles: dates and bullets
    titles = {i for role in label["roles"] if (i := _title_index(lines, role)) is not None}
    dated = with_dates = bullets_ok = 0
    for role in label["roles"]:
        at = _title_index(lines, role)
        if role["dates"]:
            with_dates += 1
            window = (
                " ".join(norm(f"{ln.text} {ln.aside}") for ln in lines[at : at + 4])
                if at is not None
                else ""
            )
            tokens = set(re.findall(r"\w+", window))
            if at is not None and all(t in tokens for t in _date_tokens(role["dates"])):
                dated += 1
            else:
                result.misses.append(f"dates of {role['title'] or role['organization']!r}")
        count = _count_bullets(lines, at, titles - {at}) if at is not None else -1
        if count == role["bullets"]:
            bullets_ok += 1
        else:
            result.misses.append(
                f"bullets of {role['title'] or role['organization']!r}: {count} != {role['bullets']}"
            )
    result.dates = (dated, with_dates)
    result.bullets = (bullets_ok, len(label["roles"]))
    # name
    if label["name"]:
        want = norm(label["name"])
        idx = next((i for i, line in enumerate(lines) if norm(line.text) == want), None)
        first_heading = next(
            (i for i, line in enumerate(lines) if line.heading or line.title), None
        )
        result.name = idx is not None and (
            lines[idx].title or idx == first_heading or idx < 3 or idx >= len(lines) - 3
        )
        if not result.name:
            result.misses.append(f"name {label['name']!r}")
    # contact
    text = "\n".join(f"{line.text} {line.aside}" for line in lines)
    everything = norm(text + "\n" + "\n".join(layout.links))
    checks = []
    contact = label["contact"]
    if contact["email"]:
        checks.append(("email", bool(EMAIL.search(text))))
    if contact["phone"]:
        checks.append(("phone", bool(PHONE.search(text))))
    for kind in contact["links"]:
        if kind == "website":
            others = [
                u
                for u in layout.links
                if not any(
                    w in u.lower() for w in ("linkedin", "github", "twitter", "mailto:", "tel:")
                )
            ]
            ok = bool(others) or bool(
                re.search(
                    r"https?://(?!(?:www\.)?(?:linkedin|github|twitter))|www\.(?!linkedin)|\b[\w-]+\.(?:me|io|dev|top|com|org|net)/",
                    text,
                )
            )
        else:
            ok = any(w in everything for w in LINK_WORDS.get(kind, (kind,)))
        checks.append((kind, ok))
    for kind, ok in checks:
        if not ok:
            result.misses.append(f"contact {kind}")
    result.contact = (sum(ok for _, ok in checks), len(checks))
    return result


def table() -> str:
    rows = [
        "| file | headings | role dates | bullet counts | name | contact |",
        "|---|---|---|---|---|---|",
    ]
    totals = [0] * 8
    for path, label in labelled_files():
        s = score(path, label)
        name = "–" if s.name is None else ("yes" if s.name else "no")
        rows.append(
            f"| {path.name} | {s.headings[0]}/{s.headings[1]} | {s.dates[0]}/{s.dates[1]} | "
            f"{s.bullets[0]}/{s.bullets[1]} | {name} | {s.contact[0]}/{s.contact[1]} |"
        )
        for k, v in enumerate((*s.headings, *s.dates, *s.bullets, *s.contact)):
            totals[k] += v
    rows.append(
        "| **total** | "
        + " | ".join(f"{totals[i]}/{totals[i + 1]}" for i in (0, 2, 4))
        + f" | | {totals[6]}/{totals[7]} |"
    )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
    for path, label in labelled_files():
        misses = score(path, label).misses
        if misses:
            print(f"{path.name}: " + "; ".join(misses))
