"""The data that flows through a review, ending in one `ReviewResult`.

file bytes → `Document` (text + extraction facts) → `Resume` (sections, roles,
bullets) → `Finding`s and a score → rewrite → `ReviewResult`, which both
engines return and every adapter renders.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

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
    empty_pages: int = Field(
        default=0, ge=0, description="pages with no text at all (scans, images)"
    )
    garbled_ratio: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="share of unreadable glyphs: (cid:N), U+FFFD, private-use",
    )
    multi_column: bool = False
    quality: Literal["good", "fair", "poor"] = "good"


class Document(BaseModel):
    """A file as read: its lines with what the page showed, plain text, and how it was extracted.

    Internal, never rendered. `lines` (core/reading/lines.py) carry layout facts
    the structure parser uses; `text` is the same content as plain text, for the
    rules that scan words and for the model's prompt.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    text: str
    extraction: Extraction
    lines: list[Any] = Field(
        default_factory=list, description="core.reading.lines.Line, in reading order"
    )
    links: list[str] = Field(
        default_factory=list, description="link targets carried apart from the text"
    )
    header_links: list[str] = Field(
        default_factory=list, description="those of them placed in the page-one header"
    )
    photo: bool = False


class SectionName(StrEnum):
    """What a section is, whatever its heading says ('Berufserfahrung' is experience)."""

    CONTACT = "contact"
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    PUBLICATIONS = "publications"
    CERTIFICATIONS = "certifications"
    AWARDS = "awards"
    LANGUAGES = "languages"
    VOLUNTEERING = "volunteering"
    INTERESTS = "interests"
    REFERENCES = "references"
    OTHER = "other"


class Role(BaseModel):
    """One entry of a section (a job, a degree, a project): who, where, when, and its bullets.

    `header` keeps the entry's heading lines as printed, so the rewrite can show
    them unchanged; `title`, `organization`, `location` and `dates` are the same
    text split into fields. `description` holds prose lines under the header.
    """

    header: list[str] = Field(default_factory=list)
    title: str | None = None
    organization: str | None = None
    location: str | None = None
    dates: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    current: bool = False
    description: list[str] = Field(default_factory=list)
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
    location: str | None = None
    language: str = "en"
    photo: bool = False
    form: bool = Field(
        default=False,
        description="a Japanese rirekisho/shokumu form, whose layout requires personal data",
    )
    doubts: list[str] = Field(
        default_factory=list, description="what the parser is unsure of, in one line each"
    )
    sections: list[Section] = Field(default_factory=list)

    def section(self, name: SectionName) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def bullets(self) -> list[tuple[Section, Role, str]]:
        return [(s, r, b) for s in self.sections for r in s.roles for b in r.bullets]


class Entry(BaseModel):
    """An entry as printed: values are the resume's own text."""

    title: str | None = None
    organization: str | None = None
    location: str | None = None
    dates: str | None = None
    bullets: list[str] = Field(default_factory=list)


class StructureSection(BaseModel):
    heading: str
    kind: SectionName
    entries: list[Entry] = Field(default_factory=list)
    lines: list[str] = Field(default_factory=list)


class Contact(BaseModel):
    email: str | None = None
    phone: str | None = None
    links: list[str] = Field(default_factory=list)
    location: str | None = None


class Structure(BaseModel):
    """What was read from the resume, so a person (and `--json`) can check it at a glance."""

    name: str | None = None
    language: str = "en"
    contact: Contact = Field(default_factory=Contact)
    sections: list[StructureSection] = Field(default_factory=list)

    def summary_line(self) -> str:
        """'Read: 5 sections, 3 roles, 14 bullets' — one line to spot a misread."""
        sections = [s for s in self.sections if s.kind is not SectionName.CONTACT]
        roles = sum(
            len(s.entries)
            for s in sections
            if s.kind in (SectionName.EXPERIENCE, SectionName.VOLUNTEERING)
        )
        bullets = sum(len(e.bullets) for s in sections for e in s.entries)
        plural = lambda n, w: f"{n} {w}{'' if n == 1 else 's'}"  # noqa: E731
        return f"Read: {plural(len(sections), 'section')}, {plural(roles, 'role')}, {plural(bullets, 'bullet')}"


class Severity(StrEnum):
    """How much a finding matters, in order: renderers sort by `rank`, scoring by `penalty`."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most severe: the order findings are shown in."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


class Category(StrEnum):
    """What a finding is about: one score in the breakdown each (security only caps the score)."""

    IMPACT = "impact"
    CLARITY = "clarity"
    ATS = "ats"
    COMPLETENESS = "completeness"
    KEYWORDS = "keywords"
    SECURITY = "security"

    @property
    def label(self) -> str:
        """What adapters show for this breakdown key."""
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.IMPACT: "Impact",
    Category.CLARITY: "Clarity",
    Category.ATS: "ATS & format",
    Category.COMPLETENESS: "Completeness",
    Category.KEYWORDS: "Keyword match",
    Category.SECURITY: "Security",
}


class Finding(BaseModel):
    """One concrete problem, quoted from the resume, with a better version when one can be made honestly."""

    rule: str = Field(description="stable rule id, e.g. bullet.weak_opener")
    severity: Severity
    category: Category
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


class CategoryChange(BaseModel):
    category: str
    before: int | None = None
    after: int | None = None


class BulletChange(BaseModel):
    before: str
    after: str


class Comparison(BaseModel):
    """This review against the previous version in the same conversation (core/compare.py)."""

    kind: Literal["version", "job", "role"] = "version"
    number: int = Field(description="this version's number in the conversation (2, 3, …)")
    source_name: str
    previous_score: int
    score: int
    categories: list[CategoryChange] = Field(default_factory=list)
    detailed: bool = Field(
        default=True, description="False when the previous version's text was not kept"
    )
    fixed: list[Finding] = Field(default_factory=list)
    still_open: list[Finding] = Field(default_factory=list)
    new: list[Finding] = Field(default_factory=list)
    bullets_added: list[str] = Field(default_factory=list)
    bullets_removed: list[str] = Field(default_factory=list)
    bullets_changed: list[BulletChange] = Field(default_factory=list)
    previous_keywords: int | None = Field(default=None, description="keyword match % before")


class ReviewResult(BaseModel):
    """What both engines return and every adapter renders."""

    source_name: str = Field(
        description="the uploaded file's name, for titles and attachment names"
    )
    score: int = Field(ge=0, le=100)
    breakdown: dict[str, int] = Field(description="category → 0..100")
    findings: list[Finding] = Field(default_factory=list)
    keywords: KeywordMatch | None = None
    rewritten: str = Field(description="the whole resume, rewritten, as Markdown")
    engine: str = Field(description="'offline' or 'huggingface:<model>'")
    warnings: list[str] = Field(default_factory=list)
    extraction: Extraction
    structure: Structure | None = Field(
        default=None, description="what was read: sections, entries, contact"
    )
    attachments: list[Attachment] = Field(default_factory=list, exclude=True)
    rewrite_score: int | None = Field(
        default=None, description="our own score of the suggested rewrite, by the same rules"
    )
    comparison: Comparison | None = Field(
        default=None, description="against the previous version in the same conversation"
    )
    model_cache: Literal["hit", "miss"] | None = Field(
        default=None, description="whether the model's answer came from the cache (None: no model)"
    )
    fallback: str | None = Field(
        default=None, description="why the model's rewrite is missing, when it is (a reason code)"
    )
    feedback_id: str | None = Field(
        default=None, description="the id people's 👍/👎 on this review are recorded under"
    )
