"""The honest rewrite. Placeholder while the full rewrite lands."""

from __future__ import annotations

from core.models import Finding, Resume


def rewrite_markdown(resume: Resume, findings: list[Finding]) -> str:
    out = [f"# {resume.name or 'Resume'}", ""]
    for s in resume.sections:
        if s.heading:
            out += [f"## {s.heading}", ""]
        out += [f"- {ln[2:]}" if ln.startswith("• ") else ln for ln in s.lines] + [""]
    return "\n".join(out)
