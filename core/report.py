"""The review's findings in the form a person reads them: one entry per quoted text.

A 48-word bullet with a weak opener, no number and too many words used to be quoted three
times; here it is quoted once, with its problems listed under it. The "before" may be
shortened (it is on the person's own resume already); the "after" is always shown whole, since
it is the text they would paste back. Adapters render `group_findings()` however they like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from core.models import Finding, SectionName, Severity

BEFORE_LIMIT = 220


@cache
def _not_a_quote() -> frozenset[str]:
    """Rules whose finding quotes something other than the resume's own words (the registry says)."""
    from core.rules import REGISTRY

    return REGISTRY.ids(quotes_resume=False)


@dataclass(slots=True)
class ReportEntry:
    """One quoted text (or one finding that quotes nothing) and everything said about it."""

    section: SectionName | None
    before: str | None
    findings: list[Finding] = field(default_factory=list)
    afters: list[str] = field(default_factory=list)  # whole, never cut; usually one

    @property
    def severity(self) -> Severity:
        return min((Severity(f.severity) for f in self.findings), key=lambda s: s.rank)


def shorten(text: str, limit: int = BEFORE_LIMIT) -> str:
    """Cut a quote at a word boundary with '…' (only ever used for a 'before')."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def quote_label(entry: ReportEntry) -> str:
    """What the quote is: the resume's words ('Before'), or the job's terms the resume lacks."""
    rules = {f.rule for f in entry.findings}
    if rules == {"keywords.missing"}:
        return "Missing"
    return "Found" if rules & _not_a_quote() else "Before"


def group_findings(findings: list[Finding]) -> list[ReportEntry]:
    """Findings grouped per quoted text, in the order each text first appears; a finding that
    quotes nothing ('10 of 10 experience bullets show no figure') comes before its section's
    first quote, so it never reads as one more problem of the quote printed above it."""
    entries: list[ReportEntry] = []
    by_quote: dict[tuple[SectionName | None, str], ReportEntry] = {}
    for finding in findings:
        quote = finding.before if finding.rule not in _not_a_quote() else None
        key = (finding.section, " ".join(quote.rstrip("…").split())) if quote else None
        entry = by_quote.get(key) if key else None
        if entry is None:
            entry = ReportEntry(section=finding.section, before=finding.before)
            entries.append(entry)
            if key:
                by_quote[key] = entry
        entry.findings.append(finding)
        if finding.after and finding.after not in entry.afters:
            entry.afters.append(finding.after)
    ordered: list[ReportEntry] = []
    for entry in entries:  # a section-wide note goes before that section's first quote
        first_quote = next(
            (i for i, e in enumerate(ordered) if e.section == entry.section and e.before),
            None,
        )
        if entry.before is None and entry.section is not None and first_quote is not None:
            ordered.insert(first_quote, entry)
        else:
            ordered.append(entry)
    return ordered
