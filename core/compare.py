"""A review against the one before it: what a person's last change did.

One `Comparison` (core/models.py) per answer, made here and only rendered by the
adapters: the score before → after, per category; findings fixed, still open and
new; bullets added, removed and changed. Findings are matched by rule id and by
the text they quote (a bullet reworded a little is the same bullet), so a
finding on a reworded bullet is "still open", not "fixed" plus "new".

`rewrite_score` scores the suggested rewrite with the same rules as the resume
("with the suggested rewrite: 88"): never the model's opinion of itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Literal, Protocol

from core.config import Settings
from core.models import (
    BulletChange,
    CategoryChange,
    Comparison,
    Finding,
    KeywordMatch,
    ReviewResult,
    Structure,
)
from core.scoring import CATEGORY_LABELS

SAME_TEXT_RATIO = 0.6  # two quotes this similar are the same bullet, reworded
CHANGED_BULLET_RATIO = 0.5  # a removed and an added bullet this similar: one bullet changed
CHANGED_BULLET_KEPT = 0.7  # …or the shorter one this much inside the other (a bullet extended)
REWRITE_FILENAME = "rewrite.md"
_SPACE = re.compile(r"\s+")


class Previous(Protocol):
    """What a comparison needs of the previous version (a stored `Snapshot` has it)."""

    @property
    def score(self) -> int: ...
    @property
    def breakdown(self) -> dict[str, int]: ...
    @property
    def findings(self) -> list[Finding] | None: ...
    @property
    def structure(self) -> Structure | None: ...
    @property
    def keywords(self) -> KeywordMatch | None: ...


def _norm(text: str | None) -> str:
    return _SPACE.sub(" ", (text or "").strip().lower())


def _similar(a: str | None, b: str | None) -> float:
    a, b = _norm(a), _norm(b)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    import difflib  # 5 ms: only a comparison pays it, not every review

    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_findings(
    before: Sequence[Finding], after: Sequence[Finding]
) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(fixed, still open, new): each earlier finding is paired with at most one later one."""
    unmatched = list(after)
    fixed: list[Finding] = []
    still: list[Finding] = []
    for old in before:
        best, best_ratio = None, SAME_TEXT_RATIO
        for new in unmatched:
            if new.rule != old.rule:
                continue
            ratio = _similar(old.before, new.before)
            if ratio >= best_ratio or (old.before is None and new.before is None):
                best, best_ratio = new, max(ratio, best_ratio)
                if ratio == 1.0:
                    break
        if best is None:
            fixed.append(old)
        else:
            unmatched.remove(best)
            still.append(best)
    return fixed, still, unmatched


def bullets(structure: Structure | None) -> list[str]:
    """Every bullet of the resume, in reading order."""
    if structure is None:
        return []
    return [b for s in structure.sections for e in s.entries for b in e.bullets]


def _kept(a: str, b: str) -> float:
    """How much of the shorter text is found, in order, in the longer one (0..1)."""
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    import difflib

    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / min(len(a), len(b))


def diff_bullets(
    before: Iterable[str], after: Iterable[str]
) -> tuple[list[str], list[str], list[BulletChange]]:
    """(added, removed, changed): a removed bullet much like an added one counts as changed."""
    old, new = list(before), list(after)
    old_set, new_set = {_norm(b) for b in old}, {_norm(b) for b in new}
    removed = [b for b in old if _norm(b) not in new_set]
    added = [b for b in new if _norm(b) not in old_set]
    changed: list[BulletChange] = []
    for gone in list(removed):
        best, best_ratio = None, 0.0
        for came in added:
            ratio = _similar(gone, came)
            if (ratio >= CHANGED_BULLET_RATIO or _kept(gone, came) >= CHANGED_BULLET_KEPT) and (
                ratio > best_ratio
            ):
                best, best_ratio = came, ratio
        if best is not None:
            removed.remove(gone)
            added.remove(best)
            changed.append(BulletChange(before=gone, after=best))
    return added, removed, changed


def compare(
    previous: Previous,
    result: ReviewResult,
    *,
    number: int,
    kind: Literal["version", "job", "role"] = "version",
) -> Comparison:
    """`result` against `previous` (the same conversation's last version)."""
    names = list(dict.fromkeys([*previous.breakdown, *result.breakdown]))
    categories = [
        CategoryChange(
            category=name, before=previous.breakdown.get(name), after=result.breakdown.get(name)
        )
        for name in names
    ]
    comparison = Comparison(
        kind=kind,
        number=number,
        source_name=result.source_name,
        previous_score=previous.score,
        score=result.score,
        categories=categories,
        detailed=previous.findings is not None,
        previous_keywords=previous.keywords.match_percent if previous.keywords else None,
    )
    if previous.findings is None:
        return comparison
    fixed, still, new = match_findings(previous.findings, result.findings)
    added, removed, changed = diff_bullets(bullets(previous.structure), bullets(result.structure))
    return replace(
        comparison,
        fixed=fixed,
        still_open=still,
        new=new,
        bullets_added=added,
        bullets_removed=removed,
        bullets_changed=changed,
    )


# --- words every adapter shows ------------------------------------------------------------


def _delta(before: int, after: int) -> str:
    change = after - before
    sign = "+" if change > 0 else "±" if change == 0 else "−"
    return f"{before} → {after} ({sign}{abs(change)})"


def headline(c: Comparison) -> str:
    """The answer's first line: 'v2 of resume.pdf: 71 → 84 (+13). Fixed 6, 2 still open, 1 new.'"""
    score = _delta(c.previous_score, c.score)
    if c.kind == "job":
        head = f"v{c.number} of {c.source_name} against the job description you sent: {score}."
    elif c.kind == "role":
        head = f"v{c.number} of {c.source_name} for the role you named: {score}."
    else:
        head = f"v{c.number} of {c.source_name}: {score}."
    if not c.detailed:
        return f"{head} (v{c.number - 1}'s details weren't kept across my restart: scores only.)"
    if c.kind != "version":
        return head
    return f"{head} Fixed {len(c.fixed)}, {len(c.still_open)} still open, {len(c.new)} new."


def category_lines(c: Comparison) -> list[str]:
    """'Impact: 60 → 80 (+20)' per category; 'Keyword match: 62 (new)' for one scored now only."""
    lines = []
    for ch in c.categories:
        label = CATEGORY_LABELS.get(ch.category, ch.category)
        if ch.before is not None and ch.after is not None:
            lines.append(f"{label}: {_delta(ch.before, ch.after)}")
        elif ch.after is not None:
            lines.append(f"{label}: {ch.after} (new)")
    return lines


def bullet_lines(c: Comparison) -> list[str]:
    """The bullets that changed, as short plain lines ('Changed: … → …', 'Added: …')."""
    return (
        [f"Changed: {ch.before} → {ch.after}" for ch in c.bullets_changed]
        + [f"Added: {b}" for b in c.bullets_added]
        + [f"Removed: {b}" for b in c.bullets_removed]
    )


def rewrite_line(result: ReviewResult) -> str | None:
    """'With the suggested rewrite: 88', when the rewrite was scored."""
    if result.rewrite_score is None:
        return None
    return f"With the suggested rewrite: {result.rewrite_score}/100 (same rules, our own scoring)."


def comparison_markdown(c: Comparison) -> list[str]:
    """The comparison as Markdown lines, for the review file."""
    out = [f"## Since v{c.number - 1}" if c.kind == "version" else "## Re-run", "", headline(c), ""]
    out += [f"- {line}" for line in category_lines(c)] + [""]
    for label, items in (("Fixed", c.fixed), ("Still open", c.still_open), ("New", c.new)):
        if items:
            out += [f"### {label}", "", *[f"- {f.message}" for f in items], ""]
    changes = bullet_lines(c)
    if changes:
        out += ["### Bullets", "", *[f"- {line}" for line in changes], ""]
    return out


def rewrite_score(
    result: ReviewResult, job: str | None, role: str | None, settings: Settings
) -> int:
    """Our score of the suggested rewrite: the rewrite read back as Markdown and reviewed."""
    from core import offline
    from core.reading import read_file

    document = read_file(result.rewritten.encode(), REWRITE_FILENAME, settings.max_pages)
    return offline.score(document, job, role, settings)
