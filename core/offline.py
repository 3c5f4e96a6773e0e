"""The offline engine: a deterministic, rule-based review that needs no network.

It is the review most users meet (the model is often unavailable), so every
finding quotes the resume in front of it.
"""

from __future__ import annotations

from core.config import Settings
from core.keywords import match_keywords
from core.models import Document, Finding, KeywordMatch, ReviewResult
from core.rewrite import rewrite_markdown
from core.rules import run_rules
from core.scoring import score_findings
from core.structure import Parsed, parse_document


def _job(job_description: str | None, settings: Settings) -> tuple[str | None, list[str]]:
    """The job text the review matches against (cut to MAX_JOB_CHARS), and a warning if cut."""
    job = job_description.strip() if job_description else None
    if job and len(job) > settings.max_job_chars:
        return job[: settings.max_job_chars], [
            f"The job description was {len(job):,} characters; I used the first "
            f"{settings.max_job_chars:,}. Paste just the role's requirements for a sharper match."
        ]
    return job, []


def _scored(
    document: Document, job: str | None, role: str | None
) -> tuple[Parsed, KeywordMatch | None, list[Finding], int, dict[str, int]]:
    parsed = parse_document(document)
    resume = parsed.resume
    names = [r.organization for s in resume.sections for r in s.roles if r.organization]
    keywords = match_keywords(job, document.text, names) if job else None
    findings, counts = run_rules(resume, document, keywords, role.strip() if role else None)
    score, breakdown = score_findings(findings, resume, keywords, counts)
    return parsed, keywords, findings, score, breakdown


def score(
    document: Document, job_description: str | None, role: str | None, settings: Settings
) -> int:
    """`review(...).score` without the rest of a result (the rewrite's own score)."""
    return _scored(document, _job(job_description, settings)[0], role)[3]


def review(
    document: Document,
    source_name: str,
    job_description: str | None,
    role: str | None,
    settings: Settings,
) -> ReviewResult:
    """Review `document` with rules only. Pure and synchronous (run it off the loop)."""
    job, warnings = _job(job_description, settings)
    parsed, keywords, findings, points, breakdown = _scored(document, job, role)
    resume = parsed.resume
    warnings += resume.doubts
    if document.extraction.quality == "poor":
        warnings.append(
            "Much of the text in this file could not be read cleanly; the review may miss things."
        )
    return ReviewResult(
        source_name=source_name,
        score=points,
        breakdown=breakdown,
        findings=findings,
        keywords=keywords,
        rewritten=rewrite_markdown(resume),
        engine="offline",
        warnings=warnings,
        extraction=document.extraction,
        structure=parsed.structure,
    )
