"""Job-description keyword match (ATS style). Placeholder: being replaced by the full matcher."""

from __future__ import annotations

import re

from core.models import KeywordMatch


def match_keywords(job_text: str, resume_text: str) -> KeywordMatch:
    terms = sorted({w for w in re.findall(r"\b[A-Z][A-Za-z+#.]{1,20}\b", job_text)})[:40]
    low = resume_text.lower()
    matched = [t for t in terms if t.lower() in low]
    missing = [t for t in terms if t.lower() not in low]
    pct = round(100 * len(matched) / len(terms)) if terms else 0
    return KeywordMatch(match_percent=pct, matched=matched, missing=missing)
