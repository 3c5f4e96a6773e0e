"""How the score is computed, from the findings and the resume's own counts.

Each category starts at 100 and loses points per finding, by severity
(high 25, medium 12, low 4), with each rule capped at 30 points so one
habit can't sink a category. Impact is special: weak openers and bullets
without numbers are scored as a *share* of the resume's bullets, so a long
resume isn't punished for being long:

    impact = 100 − 45 × (weak-opener share) − 45 × (no-number share) − other impact findings

A prompt-injection attempt or unfilled template text caps the overall score at 40.

The overall score is the weighted mean of the categories:
impact 30 %, clarity 20 %, ATS/format 20 %, completeness 30 %; with a job
description, keyword match (its match percent) takes 30 % and the others
shrink proportionally (21/14/14/21).
"""

from __future__ import annotations

from collections import Counter

from core.models import Category, Finding, KeywordMatch, Resume, SectionName
from core.registry import PENALTY

# what adapters show for each breakdown key
CATEGORY_LABELS: dict[str, str] = {c.value: c.label for c in Category if c is not Category.SECURITY}

RULE_CAP = 30
WEIGHTS = {"impact": 0.30, "clarity": 0.20, "ats": 0.20, "completeness": 0.30}
KEYWORD_WEIGHT = 0.30


def _statement_count(resume: Resume) -> int:
    from core.rules import _work_statements  # the same statements the rules looked at

    return sum(1 for _ in _work_statements(resume))


def score_findings(
    findings: list[Finding],
    resume: Resume,
    keywords: KeywordMatch | None,
    counts: Counter[str] | None = None,
) -> tuple[int, dict[str, int]]:
    """Return (overall 0..100, {category: 0..100}). `counts` are per-rule totals before display caps."""
    from core.rules import REGISTRY  # the rules' penalties and caps are declared there

    counts = counts or Counter(f.rule for f in findings)
    # as the findings carry it (a check may raise or lower its rule's usual severity; a model's
    # finding, ai.*, carries the model's judgement); categories as the registry declares them
    shown: dict[str, list[int]] = {}
    for f in findings:  # each finding costs what its own severity says
        shown.setdefault(f.rule, []).append(PENALTY[f.severity])
    severity = {f.rule: f.severity for f in findings}
    category = {f.rule: f.category for f in findings}
    for rule in REGISTRY:
        category[rule.id] = rule.category
    statements = max(1, _statement_count(resume))
    lost: dict[str, float] = dict.fromkeys(WEIGHTS, 0.0)
    for rule, n in counts.items():
        cat = category.get(rule)
        if cat not in lost:
            continue  # keywords and security are scored elsewhere
        declared = REGISTRY.get(rule)
        if declared is not None and declared.share_penalty:
            lost[cat] += declared.share_penalty * min(1.0, n / statements)
        else:
            # past the display cap, a finding costs its rule's usual severity
            paid = shown.get(rule, [])[:n]
            usual = (declared.severity if declared else None) or severity.get(rule)
            hidden = (n - len(paid)) * PENALTY[usual] if usual is not None else 0
            lost[cat] += min(RULE_CAP, sum(paid) + hidden)
    if (
        resume.section(SectionName.EXPERIENCE) is None
        and resume.section(SectionName.PROJECTS) is None
    ):
        lost["impact"] += 40  # nothing to show impact with
    breakdown = {cat: max(0, min(100, round(100 - loss))) for cat, loss in lost.items()}
    if keywords is None:
        overall = sum(breakdown[c] * w for c, w in WEIGHTS.items())
    else:
        breakdown["keywords"] = keywords.match_percent
        scale = 1 - KEYWORD_WEIGHT
        overall = (
            sum(breakdown[c] * w * scale for c, w in WEIGHTS.items())
            + keywords.match_percent * KEYWORD_WEIGHT
        )
    # hidden instructions to AI screeners are a red flag; placeholders left in: not ready to send
    for rule in REGISTRY:
        if rule.caps_score is not None and counts.get(rule.id):
            overall = min(overall, rule.caps_score)
    return max(0, min(100, round(overall))), breakdown
