"""Where a resume's text becomes structure: contact block, sections, roles, bullets.

Headings are recognised from a synonym table (English, German, Chinese,
Japanese) and layout cues (Markdown `#`, short title-case or upper-case lines);
experience-like sections are split into roles at each non-bullet line that
follows bullets or carries a date range.
"""

from __future__ import annotations

import re

from core.models import Resume, Role, Section, SectionName

_SYNONYMS: dict[SectionName, tuple[str, ...]] = {
    SectionName.SUMMARY: (
        "summary", "professional summary", "profile", "professional profile", "about", "about me",
        "objective", "career objective", "career summary", "executive summary", "overview",
        "personal statement", "profil", "kurzprofil", "zusammenfassung", "个人简介", "自我评价",
        "个人总结", "自己pr", "自己ＰＲ", "志望動機", "summary of qualifications", "qualifications",
    ),
    SectionName.EXPERIENCE: (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "relevant experience",
        "experiences", "internships", "internship", "internship experience", "professional background",
        "berufserfahrung", "berufliche erfahrung", "werdegang", "工作经历", "工作经验", "实习经历",
        "实习/项目经历", "实习经验", "职业经历", "職歴", "学歴・職歴", "職務経歴", "research experience",
        "teaching experience", "military experience", "leadership experience", "career",
    ),
    SectionName.EDUCATION: (
        "education", "academic background", "education and training", "academics",
        "educational background", "academic qualifications", "ausbildung", "bildung", "studium",
        "教育背景", "教育经历", "学历", "学歴",
    ),
    SectionName.SKILLS: (
        "skills", "technical skills", "core competencies", "competencies", "technologies",
        "tools", "skills and interests", "skills & interests", "key skills", "skills summary",
        "technical expertise", "expertise", "tech stack", "programming skills", "computer skills",
        "kenntnisse", "fähigkeiten", "fachkenntnisse", "technische fähigkeiten", "it-kenntnisse",
        "技能", "专业技能", "技能清单", "it 技能", "スキル", "programming", "languages and technologies",
    ),
    SectionName.PROJECTS: (
        "projects", "personal projects", "selected projects", "side projects", "key projects",
        "academic projects", "open source", "open source projects", "projekte", "项目经历",
        "项目经验", "research projects",
    ),
    SectionName.CERTIFICATIONS: (
        "certifications", "certificates", "certification", "licenses", "licenses and certifications",
        "licenses & certifications", "zertifikate", "zertifizierungen", "证书", "资格证书",
        "免許・資格", "資格", "courses", "training",
    ),
    SectionName.OTHER: (
        "publications", "awards", "honors", "honors and awards", "honors & awards", "awards and honors",
        "languages", "interests", "hobbies", "volunteer", "volunteering", "volunteer experience",
        "activities", "extracurricular activities", "references", "presentations", "talks",
        "patents", "affiliations", "memberships", "leadership", "additional information",
        "miscellaneous", "sprachen", "interessen", "hobbys", "获奖情况", "其他", "荣誉奖项",
        "语言能力", "趣味・特技", "extracurricular", "writing", "achievements", "selected honors",
        "community", "service", "teaching", "press", "other",
    ),
}
_LOOKUP = {syn: name for name, syns in _SYNONYMS.items() for syn in syns}

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember)\.?"
)
_NOW = r"(?:present|current|now|today|ongoing|heute|aktuell|至今|现在|今|現在)"
_DATE = rf"(?:{_MONTH}\s+(?:19|20)\d{{2}}|\d{{1,2}}[/.](?:19|20)\d{{2}}|(?:19|20)\d{{2}}(?:[/.-]\d{{1,2}})?(?:\s*年\s*\d{{1,2}}\s*月)?)"
DATE_RANGE_RE = re.compile(
    rf"(?P<start>{_DATE})\s*(?:[-–—~〜‑]|to|bis|until)\s*(?P<end>{_DATE}|{_NOW})", re.I
)
SINGLE_DATE_RE = re.compile(rf"\b{_DATE}\b|{_NOW}\b", re.I)
YEAR_RE = re.compile(r"(?:19|20)\d{2}")

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().\-]{7,}\d(?![\w/])")
LINK_RE = re.compile(
    r"(?:https?://\S+|www\.\S+|(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com)/\S+"
    r"|(?<![@\w.])[a-z0-9-]+\.(?:com|io|dev|me|org|net|ai|co|app|page|site)(?:/\S*)?(?![\w@]))",
    re.I,
)

_ROLE_SECTIONS = {SectionName.EXPERIENCE, SectionName.PROJECTS, SectionName.EDUCATION, SectionName.OTHER}


def _normalise_heading(line: str) -> str:
    text = line.strip().lstrip("#").strip().rstrip(":：").strip()
    text = re.sub(r"^[\W_]+(?=\w)", "", text)  # leading icons, ornaments
    text = re.sub(r"[\s\u3000]+", " ", text).lower()
    text = re.sub(r"^[—–-]+\s*|\s*[—–-]+$", "", text)
    return text.strip()


def heading_section(line: str) -> SectionName | None:
    """The section a line opens, or None when it isn't a heading."""
    stripped = line.strip()
    if not stripped or stripped.startswith("•") or len(stripped) > 48:
        return None
    key = _normalise_heading(stripped)
    if key in _LOOKUP:
        return _LOOKUP[key]
    # "Work Experience & Internships", "Skills / Tools": try the first part
    first = re.split(r"\s*(?:&|/|\||,| and )\s*", key)[0]
    if first in _LOOKUP and len(key.split()) <= 4:
        return _LOOKUP[first]
    return None


def parse_date_range(text: str) -> tuple[str, int | None, int | None, bool] | None:
    """Find 'Jan 2020 – Present' style ranges; returns (as written, start, end, current)."""
    m = DATE_RANGE_RE.search(text)
    if not m:
        return None
    start = YEAR_RE.search(m["start"])
    end = YEAR_RE.search(m["end"])
    current = bool(re.fullmatch(_NOW, m["end"].strip(), re.I))
    return (
        m.group(0),
        int(start.group(0)) if start else None,
        int(end.group(0)) if end else None,
        current,
    )


def _is_heading_like(line: str, markdown: bool) -> bool:
    return markdown and bool(re.match(r"^#{1,3}\s", line))


def parse_resume(text: str) -> Resume:
    """Split cleaned resume text into sections and roles."""
    lines = [ln.strip() for ln in text.split("\n")]
    markdown = any(re.match(r"^#{1,3}\s", ln) for ln in lines)
    sections: list[Section] = [Section(name=SectionName.CONTACT, heading="")]
    for line in lines:
        if not line or re.fullmatch(r"[-=_*]{3,}", line):
            continue
        name = heading_section(line)
        if name is None and _is_heading_like(line, markdown) and len(sections) == 1 and sections[0].lines:
            name = None  # a Markdown title (the person's name) stays in the contact block
        if name is not None:
            sections.append(Section(name=name, heading=line.lstrip("#").strip().rstrip(":：")))
            continue
        sections[-1].lines.append(line.lstrip("#").strip() if markdown else line)
    for section in sections:
        if section.name in _ROLE_SECTIONS:
            section.roles = _split_roles(section.lines)
    resume = Resume(sections=[s for s in sections if s.lines or s.name is not SectionName.CONTACT])
    _fill_contact(resume, text)
    return resume


def _split_roles(lines: list[str]) -> list[Role]:
    roles: list[Role] = []
    current: Role | None = None
    for line in lines:
        is_bullet = line.startswith("• ")
        if is_bullet:
            if current is None:
                current = Role()
                roles.append(current)
            current.bullets.append(line[2:].strip())
            continue
        dated = parse_date_range(line)
        if current is None or current.bullets or (dated and current.dates):
            current = Role()
            roles.append(current)
        current.header.append(line)
        if dated and current.dates is None:
            current.dates, current.start_year, current.end_year, current.current = dated
    return roles


def _fill_contact(resume: Resume, text: str) -> None:
    head = text[:1500]
    email = EMAIL_RE.search(text)
    resume.email = email.group(0) if email else None
    for m in PHONE_RE.finditer(head):
        candidate = m.group(0).strip()
        digits = re.sub(r"\D", "", candidate)
        if 8 <= len(digits) <= 15 and not DATE_RANGE_RE.search(candidate) and not re.fullmatch(
            r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}", candidate
        ):
            resume.phone = candidate
            break
    resume.links = list(dict.fromkeys(m.group(0).rstrip(".,;)") for m in LINK_RE.finditer(text)))[:10]
    contact = resume.section(SectionName.CONTACT)
    for line in contact.lines if contact else []:
        if EMAIL_RE.search(line) or PHONE_RE.search(line) or LINK_RE.search(line):
            continue
        if re.match(r"^(last updated|updated|page \d)", line, re.I):
            continue
        if 1 <= len(line.split()) <= 5 and not any(ch.isdigit() for ch in line) and len(line) <= 40:
            resume.name = line
            break
