"""Score from findings. Placeholder while the full scoring lands."""

from __future__ import annotations

from core.models import Finding, KeywordMatch, Resume


def score_findings(findings: list[Finding], resume: Resume, keywords: KeywordMatch | None) -> tuple[int, dict[str, int]]:
    breakdown = {"impact": 80, "clarity": 80, "ats": 80, "completeness": 80 - 10 * len(findings)}
    if keywords:
        breakdown["keywords"] = keywords.match_percent
    return round(sum(breakdown.values()) / len(breakdown)), breakdown
