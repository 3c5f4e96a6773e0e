"""The offline rules. Placeholder while the full rule set lands."""

from __future__ import annotations

from core.models import Document, Finding, KeywordMatch, Resume, SectionName


def run_rules(resume: Resume, document: Document, keywords: KeywordMatch | None) -> list[Finding]:
    findings: list[Finding] = []
    if not resume.email:
        findings.append(Finding(rule="contact.email_missing", severity="high", category="completeness",
                                section=SectionName.CONTACT, message="Add an email address."))
    return findings
