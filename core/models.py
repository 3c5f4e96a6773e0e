"""The data that flows through a review, ending in one `ReviewResult`.

file bytes → `Document` (text + extraction facts) → `Resume` (sections, roles,
bullets) → `Finding`s and a score → rewrite → `ReviewResult`, which both
engines return and every adapter renders.

They are plain dataclasses, not pydantic models: the command line reviews a file
in about a fifth of a second, and importing pydantic and building these classes
with it took most of that. What crosses a process or a disk (the state store,
`--json`) goes through `to_data` and `from_data` in core/serial.py; the model engine's
answer, which is untrusted, is still validated with pydantic in core/ai_engine.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal


class FileKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    MARKDOWN = "markdown"


@dataclass(kw_only=True, slots=True)
class Extraction:
    """Facts about how the text came out of the file."""

    kind: FileKind
    pages: int  # pages in the file (1 for text formats); >= 0
    chars: int  # characters of text extracted; >= 0
    text_layer: bool = True
    empty_pages: int = 0  # pages with no text at all (scans, images); >= 0
    # share of unreadable glyphs: (cid:N), U+FFFD, private-use; >= 0, <= 1
    garbled_ratio: float = 0.0
    multi_column: bool = False
    quality: Literal["good", "fair", "poor"] = "good"


@dataclass(kw_only=True, slots=True)
class Document:
    """A file as read: its lines with what the page showed, plain text, and how it was extracted.

    Internal, never rendered. `lines` (core/reading/lines.py) carry layout facts
    the structure parser uses; `text` is the same content as plain text, for the
    rules that scan words and for the model's prompt.
    """

    text: str
    extraction: Extraction
    lines: list[Any] = field(default_factory=list)  # core.reading.lines.Line, in reading order
    links: list[str] = field(default_factory=list)  # link targets carried apart from the text
    # those of them placed in the page-one header
    header_links: list[str] = field(default_factory=list)
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


@dataclass(kw_only=True, slots=True)
class Role:
    """One entry of a section (a job, a degree, a project): who, where, when, and its bullets.

    `header` keeps the entry's heading lines as printed, so the rewrite can show
    them unchanged; `title`, `organization`, `location` and `dates` are the same
    text split into fields. `description` holds prose lines under the header.
    """

    header: list[str] = field(default_factory=list)
    title: str | None = None
    organization: str | None = None
    location: str | None = None
    dates: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    current: bool = False
    description: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class Section:
    name: SectionName
    heading: str  # the heading as written in the resume ('' for the top block)
    lines: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class Resume:
    """The resume split into what a reader sees: contact block and sections."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    links: list[str] = field(default_factory=list)
    location: str | None = None
    language: str = "en"
    photo: bool = False
    form: bool = False  # a Japanese rirekisho/shokumu form, whose layout requires personal data
    # what the parser is unsure of, in one line each
    doubts: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def section(self, name: SectionName) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def bullets(self) -> list[tuple[Section, Role, str]]:
        return [(s, r, b) for s in self.sections for r in s.roles for b in r.bullets]


@dataclass(kw_only=True, slots=True)
class Entry:
    """An entry as printed: values are the resume's own text."""

    title: str | None = None
    organization: str | None = None
    location: str | None = None
    dates: str | None = None
    bullets: list[str] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class StructureSection:
    heading: str
    kind: SectionName
    entries: list[Entry] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class Contact:
    email: str | None = None
    phone: str | None = None
    links: list[str] = field(default_factory=list)
    location: str | None = None


@dataclass(kw_only=True, slots=True)
class Structure:
    """What was read from the resume, so a person (and `--json`) can check it at a glance."""

    name: str | None = None
    language: str = "en"
    contact: Contact = field(default_factory=Contact)
    sections: list[StructureSection] = field(default_factory=list)

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


@dataclass(kw_only=True, slots=True)
class Finding:
    """One concrete problem, quoted from the resume, with a better version when one can be made honestly."""

    rule: str  # stable rule id, e.g. bullet.weak_opener
    severity: Severity
    category: Category
    section: SectionName | None = None
    before: str | None = None  # text quoted from the resume
    after: str | None = None  # an improved version, never invented facts
    message: str  # one line: why this matters / what to do

    def __post_init__(self) -> None:
        # the model engine's findings arrive as words ('high', 'clarity'); renderers sort by
        # `severity.rank` and label by `category.label`, so every finding holds the enums
        self.severity = Severity(self.severity)
        self.category = Category(self.category)
        if self.section is not None:
            self.section = SectionName(self.section)


@dataclass(kw_only=True, slots=True)
class KeywordMatch:
    match_percent: int  # >= 0, <= 100
    matched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    target_percent: int = 80


@dataclass(kw_only=True, slots=True)
class Attachment:
    """A file the adapters upload as-is (the rewrite as DOCX and Markdown)."""

    filename: str
    content: bytes
    mime: str


@dataclass(kw_only=True, slots=True)
class CategoryChange:
    category: str
    before: int | None = None
    after: int | None = None


@dataclass(kw_only=True, slots=True)
class BulletChange:
    before: str
    after: str


@dataclass(kw_only=True, slots=True)
class Comparison:
    """This review against the previous version in the same conversation (core/compare.py)."""

    kind: Literal["version", "job", "role"] = "version"
    number: int  # this version's number in the conversation (2, 3, …)
    source_name: str
    previous_score: int
    score: int
    categories: list[CategoryChange] = field(default_factory=list)
    detailed: bool = True  # False when the previous version's text was not kept
    fixed: list[Finding] = field(default_factory=list)
    still_open: list[Finding] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)
    bullets_added: list[str] = field(default_factory=list)
    bullets_removed: list[str] = field(default_factory=list)
    bullets_changed: list[BulletChange] = field(default_factory=list)
    previous_keywords: int | None = None  # keyword match % before


@dataclass(kw_only=True, slots=True)
class ReviewResult:
    """What both engines return and every adapter renders."""

    source_name: str  # the uploaded file's name, for titles and attachment names
    score: int  # >= 0, <= 100
    breakdown: dict[str, int]  # category → 0..100
    findings: list[Finding] = field(default_factory=list)
    keywords: KeywordMatch | None = None
    rewritten: str  # the whole resume, rewritten, as Markdown
    engine: str  # 'offline' or 'huggingface:<model>'
    warnings: list[str] = field(default_factory=list)
    extraction: Extraction
    structure: Structure | None = None  # what was read: sections, entries, contact
    attachments: list[Attachment] = field(default_factory=list, metadata={"exclude": True})
    rewrite_score: int | None = None  # our own score of the suggested rewrite, by the same rules
    comparison: Comparison | None = None  # against the previous version in the same conversation
    # whether the model's answer came from the cache (None: no model)
    model_cache: Literal["hit", "miss"] | None = None
    fallback: str | None = None  # why the model's rewrite is missing, when it is (a reason code)
    feedback_id: str | None = None  # the id people's 👍/👎 on this review are recorded under
