"""Structure benchmark: what we read from each labelled corpus resume against its hand-made label.

Run from the project root:  python benchmarks/structure.py [--files] [--rewrite]

For every `../shared/corpus/expected/*.json` it reads the resume with the same
pipeline a review uses (bytes → lines → structure) and prints, per file and in
total:
  sections   labelled (heading, kind) pairs found (heading after NFKC/casefold/
             punctuation folding, same kind)
  entries    labelled roles found in the same section: title + organization
             tokens overlap (either order, ≥ 0.8 of the label's tokens, and at
             least half of what we read is the label's)
  dates      found entries whose dates are the label's (digits and month words)
  bullets    found entries whose bullet count is within ±10 % of the label's
  name       exact after NFKC/whitespace folding (null must stay null)
  contact    email, phone, location and the set of link kinds, 4 fields per file
  rewrite    (--rewrite) entries whose title, organization and dates come back as one entry
             when the offline rewrite is read again
The evaluation functions are imported by tests/test_structure_corpus.py, which
holds the floors; this script prints the figures.
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.serial import to_data

if TYPE_CHECKING:
    from core.models import ReviewResult

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

_MONTHS = {
    # English, German, French, Spanish, Portuguese, Italian, Dutch month names → number
    **{
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
}


def norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def heading_key(text: str | None) -> str:
    """Headings compare on letters and digits only ('About me:' = 'ABOUT ME', '【職歴】' = '職歴')."""
    return "".join(ch for ch in norm(text) if ch.isalnum())


def tokens(text: str | None) -> set[str]:
    return {t for t in re.findall(r"\w+", norm(text)) if t}


def date_key(text: str | None) -> tuple[str, ...]:
    """Years with their months, and 'now', in any spelling: 'Nov 2003 – Jun 2005' = '2003-11-01 – 2005-06'."""
    from core.structure import dates
    from core.structure.dates import MONTHS, NOW

    low = norm(text)
    out = []
    if re.search(NOW, low, re.I) or re.search(r"[-–—~]\s*$", low) or dates.is_current(low):
        out.append("now")  # an open range ('2013-09 –', 'since 2019') is a current one
    month_words = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
    for m in re.finditer(
        rf"(?P<y1>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m1>\d{{1,2}})(?!\d)"
        rf"(?:\s*[-/.月]\s*\d{{1,2}}(?!\d))?"
        rf"|(?P<m2>\d{{1,2}})\s*[/.]\s*(?P<y2>(?:19|20)\d\d)"
        rf"|(?P<m3>{month_words})\.?\s*(?:de\s+)?[,'/]?\s*(?P<y3>(?:19|20)\d\d)"
        rf"|(?P<y4>(?:19|20)\d\d)",
        low,
    ):
        if m["y1"]:
            out.append(f"{m['y1']}-{int(m['m1'])}")
        elif m["y2"]:
            out.append(f"{m['y2']}-{int(m['m2'])}")
        elif m["y3"]:
            out.append(f"{m['y3']}-{MONTHS[m['m3']]}")
        else:
            out.append(m["y4"])
    return tuple(sorted(out))


LINK_KINDS = (
    ("linkedin", r"linkedin"),
    ("github", r"github(?!\.io)"),
    ("twitter", r"twitter|(?<![\w.])x\.com"),
    ("orcid", r"orcid"),
    ("researchgate", r"researchgate"),
    ("mastodon", r"mastodon|fosstodon|mstdn|^https?://[^/]+/@\w"),  # 'instance.social/@me'
    ("facebook", r"facebook|fb\.com"),
    ("instagram", r"instagram"),
    # a platform the label schema has no kind for is 'other'; a personal domain is 'website'
    (
        "other",
        r"gitlab(?!\.io)|soundcloud|stackoverflow|kaggle|medium\.com|behance|dribbble|youtube",
    ),
)


def link_kind(link: str) -> str:
    low = link.lower()
    for kind, pattern in LINK_KINDS:
        if re.search(pattern, low):
            return kind
    return "website"


@dataclass
class FileScore:
    name: str
    sections: tuple[int, int] = (0, 0)
    entries: tuple[int, int] = (0, 0)
    dates: tuple[int, int] = (0, 0)
    bullets: tuple[int, int] = (0, 0)
    name_ok: bool = False
    contact: tuple[int, int] = (0, 0)
    problems: list[str] = field(default_factory=list)


def _entry_match(want: dict[str, Any], got: dict[str, Any]) -> bool:
    w = tokens(f"{want.get('title') or ''} {want.get('organization') or ''}")
    g = tokens(f"{got.get('title') or ''} {got.get('organization') or ''}")
    if not w or not g:
        return False
    common = len(w & g)
    return common >= 0.8 * len(w) and common >= 0.5 * len(g)


def _overlap(want: dict[str, Any], got: dict[str, Any]) -> float:
    """How closely two entries' words agree: picks 'Bachelor …' over 'Master …' at the same university."""
    w = tokens(f"{want.get('title') or ''} {want.get('organization') or ''}")
    g = tokens(f"{got.get('title') or ''} {got.get('organization') or ''}")
    return len(w & g) / max(len(w | g), 1)


def score_file(label: dict[str, Any], got: dict[str, Any]) -> FileScore:
    """Compare a structure (ReviewResult.structure as a dict) with a label file."""
    score = FileScore(name=Path(label["file"]).name)
    found_sections = got.get("sections", [])
    hits = 0
    section_of: dict[int, dict[str, Any]] = {}
    used: set[int] = set()
    for i, want in enumerate(label["sections"]):
        key = heading_key(want["heading"])
        for j, have in enumerate(found_sections):
            if (
                j not in used
                and heading_key(have.get("heading")) == key
                and have.get("kind") == want["kind"]
            ):
                used.add(j)
                section_of[i] = have
                hits += 1
                break
        else:
            kinds = [s.get("kind") for s in found_sections if heading_key(s.get("heading")) == key]
            score.problems.append(
                f"section {want['heading']!r} ({want['kind']}) "
                + (f"read as {kinds}" if kinds else "missing")
            )
    score.sections = (hits, len(label["sections"]))
    by_heading = {heading_key(s["heading"]): i for i, s in enumerate(label["sections"])}
    entries = dates = bullets = 0
    taken: set[int] = set()
    for want in label["roles"]:
        index = by_heading.get(heading_key(want["section"]))
        have_section = section_of.get(index) if index is not None else None
        pool = have_section.get("entries", []) if have_section else []
        candidates = [e for e in pool if id(e) not in taken and _entry_match(want, e)]
        match = max(candidates, key=lambda e: _overlap(want, e)) if candidates else None
        if match is None:
            score.problems.append(f"entry {want['title']!r} / {want['organization']!r} not found")
            continue
        taken.add(id(match))
        entries += 1
        if date_key(match.get("dates")) == date_key(want.get("dates")):
            dates += 1
        else:
            score.problems.append(
                f"dates of {want['title']!r}: {match.get('dates')!r} ≠ {want.get('dates')!r}"
            )
        n, expected = len(match.get("bullets") or []), want.get("bullets") or 0
        if abs(n - expected) <= 0.1 * expected:
            bullets += 1
        else:
            score.problems.append(f"bullets of {want['title']!r}: {n} ≠ {expected}")
    total = len(label["roles"])
    score.entries, score.dates, score.bullets = (entries, total), (dates, total), (bullets, total)
    score.name_ok = norm(got.get("name")) == norm(label.get("name"))
    if not score.name_ok:
        score.problems.append(f"name {got.get('name')!r} ≠ {label.get('name')!r}")
    contact, want_contact = got.get("contact") or {}, label["contact"]
    ok = 0
    for key in ("email", "phone", "location"):
        if bool(contact.get(key)) == bool(want_contact.get(key)):
            ok += 1
        else:
            score.problems.append(
                f"contact {key}: {contact.get(key)!r}, label {want_contact.get(key)}"
            )
    got_links = {link_kind(link) for link in contact.get("links") or []}
    known = {kind for kind, _pattern in LINK_KINDS} | {"website"}
    want_links = {"twitter" if k == "x" else k for k in want_contact.get("links") or []}
    want_links = {k if k in known else "other" for k in want_links}  # 'soundcloud' is 'other'
    if got_links == want_links:
        ok += 1
    else:
        score.problems.append(f"links {sorted(got_links)} ≠ {sorted(want_links)}")
    score.contact = (ok, 4)
    return score


def labelled_files() -> list[tuple[Path, dict[str, Any]]]:
    if not (CORPUS / "expected").is_dir():
        return []
    out = []
    for path in sorted((CORPUS / "expected").glob("*.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        out.append((CORPUS / label["file"], label))
    return out


def read_structure(path: Path) -> dict[str, Any]:
    """The structure a review would carry for this file, as a dict."""
    from core.config import Settings
    from core.reading import read_file
    from core.structure import parse_document

    document = read_file(path.read_bytes(), path.name, Settings().max_pages)
    return to_data(parse_document(document).structure)


def read_back(path: Path, result: ReviewResult | None = None) -> tuple[int, int]:
    """(entries found again, entries) when the file's rewrite is read again: each entry's title,
    organization and dates must come back as one entry. `result`: the file's review, if made."""
    from core.config import Settings
    from core.review import offline_pipeline
    from core.structure import parse_resume, to_structure

    if result is None:
        _document, result = offline_pipeline(
            path.read_bytes(), path.name, None, None, Settings(), False
        )
    if result.structure is None:
        return 0, 0
    pool = [e for s in to_structure(parse_resume(result.rewritten)).sections for e in s.entries]
    again = [to_data(e) for e in pool]
    found = total = 0
    for section in result.structure.sections:
        for entry in section.entries:
            if not (entry.title or entry.organization):
                continue
            total += 1
            want = to_data(entry)
            found += any(
                _entry_match(want, e) and date_key(e["dates"]) == date_key(want["dates"])
                for e in again
            )
    return found, total


def percent(pairs: list[tuple[int, int]]) -> float:
    hit, total = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    return 100.0 * hit / total if total else 100.0


def main() -> int:
    files = labelled_files()
    if not files:
        print("no corpus at", CORPUS)
        return 0
    show = "--files" in sys.argv
    scores: list[FileScore] = []
    started = time.perf_counter()
    print(f"{'file':58} {'sect':>7} {'entry':>7} {'dates':>7} {'bull':>7} name {'cont':>5}")
    for path, label in files:
        try:
            got = read_structure(path)
        except Exception as exc:  # a benchmark reports, it doesn't stop
            got = {}
            print(f"  {path.name}: {type(exc).__name__}")
        s = score_file(label, got)
        scores.append(s)
        fmt = lambda p: f"{p[0]}/{p[1]}"  # noqa: E731
        print(
            f"{s.name[:58]:58} {fmt(s.sections):>7} {fmt(s.entries):>7} {fmt(s.dates):>7} "
            f"{fmt(s.bullets):>7} {'ok' if s.name_ok else '--':>4} {fmt(s.contact):>5}"
        )
        if show:
            for problem in s.problems:
                print("      ", problem)
    elapsed = time.perf_counter() - started
    print()
    print(f"section recall     {percent([s.sections for s in scores]):5.1f} %   (goal ≥ 95)")
    print(f"entry recall       {percent([s.entries for s in scores]):5.1f} %   (goal ≥ 90)")
    entries_found = [(s.dates[0], s.entries[1]) for s in scores]
    print(f"right dates        {percent(entries_found):5.1f} %   of labelled entries (goal ≥ 90)")
    print(
        f"bullets ±10 %      {percent([(s.bullets[0], s.entries[1]) for s in scores]):5.1f} %   "
        "of labelled entries (goal ≥ 90)"
    )
    print(
        f"name exact         {percent([(int(s.name_ok), 1) for s in scores]):5.1f} %   (goal ≥ 95)"
    )
    print(f"contact fields     {percent([s.contact for s in scores]):5.1f} %   (goal ≥ 98)")
    if "--rewrite" in sys.argv:
        back = [read_back(path) for path, _label in files]
        found, total = sum(b[0] for b in back), sum(b[1] for b in back)
        print(f"rewrite read back  {percent(back):5.1f} %   ({found} of {total} entries whole)")
    print(f"{len(scores)} files in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
