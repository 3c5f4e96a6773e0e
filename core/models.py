"""The data that flows through a review, ending in one `ReviewResult`.

file bytes → `Document` (text + extraction facts) → `Resume` (sections, roles,
bullets) → `Finding`s and a score → rewrite → `ReviewResult`, which both
engines return and every adapter renders.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FileKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    MARKDOWN = "markdown"


class Extraction(BaseModel):
    """Facts about how the text came out of the file."""

    kind: FileKind
    pages: int = Field(ge=0, description="pages in the file (1 for text formats)")
    chars: int = Field(ge=0, description="characters of text extracted")
    text_layer: bool = True
    empty_pages: int = Field(default=0, ge=0, description="pages with no text at all (scans, images)")
    garbled_ratio: float = Field(
        default=0.0, ge=0, le=1, description="share of unreadable glyphs: (cid:N), U+FFFD, private-use"
    )
    multi_column: bool = False
    quality: Literal["good", "fair", "poor"] = "good"


class Document(BaseModel):
    """Plain text of a file plus how it was extracted. Internal, never rendered."""

    text: str
    extraction: Extraction


class SectionName(StrEnum):
    CONTACT = "contact"
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    CERTIFICATIONS = "certifications"
    OTHER = "other"


class Role(BaseModel):
    """One job (or project/degree) entry: its heading lines, dates and bullets."""

    header: list[str] = Field(default_factory=list)
    dates: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    current: bool = False
    bullets: list[str] = Field(default_factory=list)


class Section(BaseModel):
    name: SectionName
    heading: str = Field(description="the heading as written in the resume ('' for the top block)")
    lines: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)


class Resume(BaseModel):
    """The resume split into what a reader sees: contact block and sections."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    links: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    def section(self, name: SectionName) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def bullets(self) -> list[tuple[Section, Role, str]]:
        return [(s, r, b) for s in self.sections for r in s.roles for b in r.bullets]


Severity = Literal["high", "medium", "low"]


class Finding(BaseModel):
    """One concrete problem, quoted from the resume, with a better version when one can be made honestly."""

    rule: str = Field(description="stable rule id, e.g. bullet.weak_opener")
    severity: Severity
    category: Literal["impact", "clarity", "ats", "completeness", "keywords", "security"]
    section: SectionName | None = None
    before: str | None = Field(default=None, description="text quoted from the resume")
    after: str | None = Field(default=None, description="an improved version, never invented facts")
    message: str = Field(description="one line: why this matters / what to do")


class KeywordMatch(BaseModel):
    match_percent: int = Field(ge=0, le=100)
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    target_percent: int = 80


class Attachment(BaseModel):
    """A file the adapters upload as-is (the rewrite as DOCX and Markdown)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    filename: str
    content: bytes
    mime: str


class ReviewResult(BaseModel):
    """What both engines return and every adapter renders."""

    source_name: str = Field(description="the uploaded file's name, for titles and attachment names")
    score: int = Field(ge=0, le=100)
    breakdown: dict[str, int] = Field(description="category → 0..100")
    findings: list[Finding] = Field(default_factory=list)
    keywords: KeywordMatch | None = None
    rewritten: str = Field(description="the whole resume, rewritten, as Markdown")
    engine: str = Field(description="'offline' or 'huggingface:<model>'")
    warnings: list[str] = Field(default_factory=list)
    extraction: Extraction
    attachments: list[Attachment] = Field(default_factory=list, exclude=True)
