"""The report form (core/report.py): one entry per quoted text, the after whole."""

from __future__ import annotations

from core.config import Settings
from core.models import Finding, SectionName
from core.offline import review
from core.reading import read_file
from core.report import group_findings, shorten
from resume_bot.cli import format_report
from tests.samples import GOOD_RESUME

LONG = (
    "Worked on a project to reorganise the warehouse layout and improve the picking speed for all of the staff "
    "that work in the building every day of the week including weekends and public holidays during the busy "
    "season and beyond, which was a lot of work for everyone involved in it at the time"
)


def test_a_bullet_with_three_problems_is_quoted_once() -> None:
    text = GOOD_RESUME.replace(
        "• Migrated 30 services from a monolith to Kubernetes with zero downtime", f"• {LONG}"
    )
    result = review(read_file(text.encode(), "cv.txt", 10), "cv.txt", None, None, Settings())
    entries = [
        e
        for e in group_findings(result.findings)
        if e.before and e.before.startswith("Worked on a project")
    ]
    assert len(entries) == 1
    assert {"bullet.weak_opener", "bullet.no_metric", "bullet.too_long"} <= {
        f.rule for f in entries[0].findings
    }
    report = format_report(result, 100)
    assert report.count("before: Worked on a project") == 1


def test_the_after_is_whole_and_the_before_is_cut_at_a_word() -> None:
    after = "Managed " + LONG[len("Worked on ") :]
    finding = Finding(
        rule="bullet.weak_opener",
        severity="medium",
        category="impact",
        section=SectionName.EXPERIENCE,
        before=LONG,
        after=after,
        message="m",
    )
    entry = group_findings([finding])[0]
    assert entry.afters == [after]
    report_lines = format_report_for([finding])
    assert " ".join(report_lines.split("after:", 1)[1].split()).endswith("at the time")
    short = shorten(LONG, 120)
    assert short.endswith("…") and LONG.startswith(short[:-1]) and LONG[len(short) - 1] == " "


def test_missing_keywords_are_not_labelled_before() -> None:
    f = Finding(
        rule="keywords.missing",
        severity="high",
        category="keywords",
        section=SectionName.SKILLS,
        before="Terraform, Kafka",
        message="40% of the job's keywords…",
    )
    out = format_report_for([f])
    assert "missing: Terraform, Kafka" in out and "before:" not in out


def format_report_for(findings: list[Finding]) -> str:
    from core.models import Extraction, FileKind, ReviewResult

    result = ReviewResult(
        source_name="cv.txt",
        score=50,
        breakdown={},
        findings=findings,
        rewritten="",
        engine="offline",
        extraction=Extraction(kind=FileKind.TEXT, pages=1, chars=1),
    )
    return format_report(result, 100)


def test_a_note_on_the_whole_section_is_not_printed_under_a_quote() -> None:
    quoted = Finding(
        rule="bullet.weak_opener",
        severity="medium",
        category="impact",
        section=SectionName.EXPERIENCE,
        before="Assisted in the audit",
        message="'Assisted in' hides what you did.",
    )
    note = Finding(
        rule="bullet.no_metric",
        severity="low",
        category="impact",
        section=SectionName.EXPERIENCE,
        message="5 of 5 experience bullets show no figure.",
    )
    entries = group_findings([quoted, note])
    assert [e.before for e in entries] == [None, "Assisted in the audit"]
