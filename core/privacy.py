"""Contact details out before text leaves the machine, back in when the rewrite returns.

The model needs the shape of a resume, not the person's email, phone, street
address or profile links. `Redactor` swaps each for a numbered placeholder
(`[EMAIL_1]`, `[PHONE_1]`, `[ADDRESS_1]`, `[URL_1]`) and remembers the
originals, so the same value gets the same placeholder across the resume, the
job description and the findings we send, and `restore()` puts them back.
Pure string work: no I/O, nothing logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["EMAIL", "URL", "PHONE", "ADDRESS"]

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(
    r"(?:https?://[^\s<>()\]]+|www\.[^\s<>()\]]+|"
    r"\b(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com|behance\.net|dribbble\.com|"
    r"medium\.com|stackoverflow\.com|orcid\.org|scholar\.google\.com)/[^\s<>()\]]+|"
    # a bare personal domain, lower case only ("janedoe.dev"), so "ASP.NET" and "Node.js" stay
    r"(?-i:(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|io|dev|me|net|org|co|ai|app|page|site|tech|blog)\b"
    r"(?:/[^\s<>()\]]*)?))",
    re.I,
)
PHONE_RE = re.compile(r"(?<![\w/.])[(+]{0,2}\d[\d\s().\-]{6,}\d(?![\w/])")
_YEAR_RANGE_RE = re.compile(r"^\s*(?:19|20)\d{2}\s*[-–.]\s*(?:19|20)\d{2}\s*$")
_STREET_WORDS = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    r"Terrace|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir"
)
ADDRESS_RE = re.compile(
    # "221B Baker Street", "1600 Pennsylvania Ave NW, Apt 4"
    rf"\b\d{{1,5}}[A-Z]?\s+(?:[A-Z][\w'.-]*\s+){{0,4}}(?:{_STREET_WORDS})\b\.?"
    r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?(?:,?\s*(?:Apt|Suite|Unit|#)\.?\s*\w+)?"
    # "Musterstraße 12a", "Hauptstr. 5"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)\s+\d{1,4}[a-z]?\b",
)
PLACEHOLDER_RE = re.compile(r"\[\s*(EMAIL|URL|PHONE|ADDRESS)_(\d{1,3})\s*\]", re.I)

# URLs and emails first: a phone pattern would otherwise eat digits inside them.
_ORDER: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("EMAIL", EMAIL_RE),
    ("URL", URL_RE),
    ("ADDRESS", ADDRESS_RE),
    ("PHONE", PHONE_RE),
)


def _is_phone(candidate: str) -> bool:
    """Phone-shaped digits that are not a year range like '2019 - 2021'."""
    digits = re.sub(r"\D", "", candidate)
    return 8 <= len(digits) <= 15 and not _YEAR_RANGE_RE.match(candidate)


@dataclass
class Redactor:
    """Replaces contact details with placeholders and remembers how to put them back."""

    originals: dict[str, str] = field(default_factory=dict)  # placeholder → original
    _by_value: dict[tuple[Kind, str], str] = field(default_factory=dict)
    _counts: dict[Kind, int] = field(default_factory=dict)

    def _placeholder(self, kind: Kind, value: str) -> str:
        key = (kind, value.strip().lower())
        if key not in self._by_value:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            token = f"[{kind}_{self._counts[kind]}]"
            self._by_value[key] = token
            self.originals[token] = value
        return self._by_value[key]

    def redact(self, text: str) -> str:
        """`text` with every email, URL, street address and phone number replaced."""
        for kind, pattern in _ORDER:
            text = pattern.sub(lambda m, k=kind: self._sub(k, m), text)
        return text

    def _sub(self, kind: Kind, match: re.Match[str]) -> str:
        value = match.group(0)
        if kind == "URL":
            stripped = value.rstrip(".,;:!?'\"")
            return self._placeholder(kind, stripped) + value[len(stripped) :]
        if kind == "PHONE":
            if not _is_phone(value):
                return value
            stripped = value.strip()
            lead = value[: len(value) - len(value.lstrip())]
            trail = value[len(value.rstrip()) :]
            return lead + self._placeholder(kind, stripped) + trail
        return self._placeholder(kind, value)

    def restore(self, text: str) -> str:
        """Put the originals back; a placeholder the model made up becomes a visible note."""

        def back(match: re.Match[str]) -> str:
            token = f"[{match.group(1).upper()}_{int(match.group(2))}]"
            return self.originals.get(token, f"[check: {match.group(1).lower()}]")

        return PLACEHOLDER_RE.sub(back, text)

    @property
    def count(self) -> int:
        return len(self.originals)


def redact(text: str) -> tuple[str, Redactor]:
    """Convenience: redact one text and return the redactor that can restore it."""
    redactor = Redactor()
    return redactor.redact(text), redactor
