"""core/compare: a review against the previous version, on real reviews of real text."""

from __future__ import annotations

import re
from dataclasses import replace

from core.compare import bullet_lines, compare, diff_bullets, headline, match_findings
from core.config import Settings
from core.models import Finding
from core.review import offline_pipeline
from tests.samples import FLAWED_RESUME

SETTINGS = Settings()
WEAK = "• Responsible for managing the weekly shipping schedule for the regional depots"
STRONG = "• Ran the weekly shipping schedule for 6 regional depots, cutting late loads by 30%"
FIRST_PERSON = "• I coordinated deliveries with the dispatch team and the drivers every morning"
FIXED_PERSON = "• Coordinated deliveries with the dispatch team and 12 drivers every morning"


def review(text: str):
    return offline_pipeline(text.encode(), "sam.txt", None, None, SETTINGS, False)[1]


def test_a_better_version_says_what_it_fixed_in_the_first_line() -> None:
    v1 = review(FLAWED_RESUME)
    v2 = review(FLAWED_RESUME.replace(WEAK, STRONG).replace(FIRST_PERSON, FIXED_PERSON))
    c = compare(v1, v2, number=2)
    line = headline(c)
    assert re.fullmatch(
        r"v2 of sam\.txt: \d+ → \d+ \(\+\d+\)\. Fixed \d+, \d+ still open, \d+ new\.", line
    ), line
    assert c.score > c.previous_score
    fixed = {f.rule for f in c.fixed}
    assert {"bullet.weak_opener", "style.first_person"} <= fixed
    assert all(f.rule not in fixed or f.before not in (WEAK, FIRST_PERSON) for f in c.still_open)
    assert [(b.before, b.after) for b in c.bullets_changed] == [
        (WEAK[2:], STRONG[2:]),
        (FIRST_PERSON[2:], FIXED_PERSON[2:]),
    ]
    assert not c.bullets_added and not c.bullets_removed
    impact = next(ch for ch in c.categories if ch.category == "impact")
    assert impact.after > impact.before


def test_the_same_file_again_changes_nothing() -> None:
    v1 = review(FLAWED_RESUME)
    c = compare(v1, review(FLAWED_RESUME), number=2)
    assert headline(c) == (
        f"v2 of sam.txt: {v1.score} → {v1.score} (±0). "
        f"Fixed 0, {len(v1.findings)} still open, 0 new."
    )
    assert bullet_lines(c) == []


def test_a_reworded_bullet_keeps_its_finding_open_not_fixed_and_new() -> None:
    old = Finding(
        rule="bullet.no_metric",
        severity="low",
        category="impact",
        before="Built the onboarding checklist for new warehouse staff",
        message="No number here.",
    )
    new = replace(old, before="Built the onboarding checklist for new warehouse hires")
    fixed, still, added = match_findings([old], [new])
    assert (fixed, still, added) == ([], [new], [])


def test_bullets_added_and_removed() -> None:
    added, removed, changed = diff_bullets(
        ["Coordinated pallet loading", "Ran stock counts"],
        ["Coordinated pallet loading", "Trained 5 new associates on the scanners"],
    )
    assert (added, removed, changed) == (
        ["Trained 5 new associates on the scanners"],
        ["Ran stock counts"],
        [],
    )


def test_each_review_scores_its_own_rewrite_by_the_same_rules() -> None:
    result = review(FLAWED_RESUME)
    assert result.rewrite_score is not None
    assert result.rewrite_score >= result.score  # the fixes it applies never cost points
