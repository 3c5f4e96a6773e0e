"""Where a resume's lines become structure: name and contact, sections, entries, bullets.

    lines (core/reading) → headings (headings.py) → sections → entries (entries.py)
                         → name, contact, location (contact.py), language (language.py)

`parse_document` is the entry point a review uses; `parse_resume` reads plain
text (tests, the model's rewrite). Nothing here knows the file format: a PDF's
right-edge dates and a Word table's date cell both arrive as a line's aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core import regex_cache
from core.models import (
    Contact,
    Document,
    Entry,
    Resume,
    Section,
    SectionName,
    Structure,
    StructureSection,
)
from core.reading.lines import Line
from core.structure import dates
from core.structure.contact import (
    EMAIL_RE,
    LINK_RE,
    PHONE_RE,
    find_email,
    find_link,
    find_location,
    find_name,
    is_address,
    labelled_location,
    links_in,
    phones_in,
)
from core.structure.dates import DATE_RANGE_RE, SINGLE_DATE_RE, YEAR_RE
from core.structure.entries import kind_of_entries, split_entries
from core.structure.headings import (
    _CJK_RE,
    by_content,
    exact,
    heading_key,
    kind_by_words,
    kind_of,
    split_column_heads,
)
from core.structure.headings import find_headings as _find_headings
from core.structure.language import detect_language

__all__ = [
    "DATE_RANGE_RE",
    "EMAIL_RE",
    "ENTRY_KINDS",
    "LINK_RE",
    "PHONE_RE",
    "SINGLE_DATE_RE",
    "YEAR_RE",
    "Parsed",
    "heading_section",
    "parse_date_range",
    "parse_document",
    "parse_lines",
    "parse_resume",
    "to_structure",
]

ENTRY_KINDS = {
    SectionName.EXPERIENCE,
    SectionName.EDUCATION,
    SectionName.VOLUNTEERING,
    SectionName.PROJECTS,
}
_PHONE_LABEL = regex_cache.compile(
    r"\b(?:tel|phone|mobile|cell|telefon|handy|téléphone|portable|teléfono|móvil|celular|telefone|cellulare)\b|电话|電話|携帯|\+\d",
    re.I,
)
_QUOTED = regex_cache.compile(r"^[“\"«„「『].{8,}[”\"»“」』]$")
_NOTE = regex_cache.compile(r"^[(（][^()（）]{8,}[)）]$")
_MARKDOWN_RE = regex_cache.compile(r"^#{1,6} \S", re.M)
_FORM_RE = regex_cache.compile(r"履歴書|職務経歴書|rirekisho", re.I)
_SOCIAL = (
    "linkedin",
    "github",
    "gitlab",
    "twitter",
    "x.com",
    "orcid",
    "researchgate",
    "mastodon",
    "facebook",
    "instagram",
)


@dataclass(slots=True)
class Parsed:
    resume: Resume
    structure: Structure


def heading_section(line: str) -> SectionName | None:
    """The section a heading's words name, or None (kept for callers that only have text)."""
    stripped = line.strip().lstrip("#").strip()
    if not stripped or stripped.startswith("•") or len(stripped) > 60:
        return None
    kind = kind_of(stripped)
    return kind if kind is not None and (len(stripped.split()) <= 5 or exact(stripped)) else None


def parse_date_range(text: str) -> tuple[str, int | None, int | None, bool] | None:
    """Find 'Jan 2020 – Present' style ranges; returns (as written, start, end, current)."""
    m = DATE_RANGE_RE.search(text)
    if not m:
        return None
    start, end = dates.years(m.group(0))
    return m.group(0), start, end, dates.is_current(m.group(0))


# --- lines → resume ------------------------------------------------------------------------


def _split_label_headings(lines: list[Line]) -> tuple[list[Line], set[int]]:
    """A heading printed in a label column beside content ('OCCUPAZIONE DESIDERATA' | 'HR manager')."""
    out: list[Line] = []
    forced: set[int] = set()
    for line in lines:
        if line.source == "label" and kind_of(line.text) and not dates.find_date(line.text):
            forced.add(len(out))
        elif line.label and kind_of(line.label) and not dates.find_date(line.label):
            forced.add(len(out))
            out.append(
                Line(
                    text=line.label,
                    caps=line.label.isupper(),
                    gap=max(line.gap, 1.0),
                    page=line.page,
                )
            )
            line = Line(**{**{f: getattr(line, f) for f in line.__slots__}, "label": ""})  # type: ignore[attr-defined]
        out.append(line)
    return out, forced


def parse_lines(
    lines: list[Line],
    links: list[str] | None = None,
    photo: bool = False,
    header_links: frozenset[str] = frozenset(),
) -> Resume:
    """Sections, entries and contact details from lines in reading order."""
    lines, forced = _split_label_headings([ln for ln in lines if ln.text or ln.aside or ln.label])
    title_index = next((i for i, ln in enumerate(lines) if ln.title), None)
    headings = _find_headings(lines, title_index)
    for i in forced:
        headings.setdefault(i, kind_of(lines[i].text) or SectionName.OTHER)
    sections: list[Section] = [Section(name=SectionName.CONTACT, heading="")]
    section_lines: list[list[Line]] = [[]]
    for i, line in enumerate(lines):
        if i in headings:
            heading, note = _heading_and_note(line.text.strip())
            sections.append(Section(name=headings[i], heading=heading))
            section_lines.append([])
            if note:
                sections[-1].lines.append(note)  # kept in the text, not taken for an entry
            continue
        if (
            sections[-1].heading
            and not section_lines[-1]
            and not line.bullet
            and _NOTE.match(line.text.strip())
        ):
            sections[-1].lines.append(line.text)  # the heading's note on the line under it
            continue
        section_lines[-1].append(line)
        sections[-1].lines.append(line.full_text())
    previous: tuple[Section, list[Line]] | None = None
    for section, own in zip(sections, section_lines, strict=True):
        section.name = _refine_kind(section, own, sections)
        if previous is not None and _laid_out_like(section, own, *previous):
            section.name = previous[0].name  # 'COMPRESSION' printed like 'WEB DEVELOPMENT' above it
        previous = (section, own)
        if section.name in ENTRY_KINDS or (section.name is SectionName.OTHER and _has_entries(own)):
            first = next((ln for ln in own if not ln.bullet), None)
            distinct = first is not None and (
                first.bold or first.caps or abs(first.size - 1.0) >= 0.08
            )
            style = (
                (round(first.size, 1), first.bold, first.caps)
                if first is not None and distinct
                else None
            )
            section.roles = split_entries(own, style)
            if (
                section.name is SectionName.VOLUNTEERING
                and by_content(section.heading)
                and not any(r.dates or r.header for r in section.roles)
            ):
                section.name = SectionName.INTERESTS  # activities listed, no positions held
                section.roles = []
            named = kind_of_entries(section.roles) if not exact(section.heading) else None
            if named == "volunteering" or (named and section.name is SectionName.OTHER):
                section.name = SectionName(named)  # 'Projects & Associations' over volunteer roles
            if (
                section.name is SectionName.EXPERIENCE
                and not exact(section.heading)
                and len(section.roles) >= 2
                and not any(r.dates for r in section.roles)
            ):
                section.name = (
                    SectionName.PROJECTS
                )  # 'Technical Experience' listing undated things built
    text = "\n".join(ln.full_text() for ln in lines)
    resume = Resume(sections=[s for s in sections if s.lines or s.heading], photo=photo)
    resume.language = detect_language(text)
    resume.form = bool(_FORM_RE.search(text))
    head = section_lines[0]
    opening_contact = (
        section_lines[1] if len(sections) > 1 and sections[1].name is SectionName.CONTACT else None
    )  # a resume that opens with a 'Contact' heading names the person under it
    resume.name = find_name(lines, title_index, head, opening_contact)
    _contact(resume, sections, section_lines, links or [], header_links)
    resume.doubts = _doubts(resume)
    return resume


def _heading_and_note(text: str) -> tuple[str, str]:
    """'EXPERIENCE (most recent, full history on LinkedIn)' → the heading, and its note as a line;
    '年 月 免許・資格' → the box's label, and the form's column labels as a line."""
    heads, rest = split_column_heads(text)
    if heads and kind_of(rest):
        return rest.strip(), heads
    if _CJK_RE.search(text):
        return text, ""  # a form's label prints its instructions in brackets: they are the label
    m = re.match(r"^(.*?\S)\s*([(（][^()（）]{8,}[)）])$", text)
    if m and kind_of(m.group(1)):
        return m.group(1), m.group(2)
    return text, ""


def _has_entries(own: list[Line]) -> bool:
    """An unnamed section laid out like jobs: dated header lines followed by bullets."""
    dated = sum(
        1
        for ln in own
        if not ln.bullet
        and (
            dates.find_range(ln.aside)
            or dates.find_range(ln.label)
            or (dates.find_date(ln.text) and dates.only_dates(ln.text))
        )
    )
    return dated >= 2 and any(ln.bullet for ln in own)


def _looks(own: list[Line]) -> list[tuple[float, bool, bool, bool]]:
    return [(round(ln.size, 1), ln.bold, ln.caps, ln.bullet) for ln in own]


def _laid_out_like(
    section: Section, own: list[Line], before: Section, before_own: list[Line]
) -> bool:
    """A section with unknown words laid out line for line like the skills group above it
    (a level, then its items, in the same type) is another skills group."""
    if (
        section.name is not SectionName.OTHER
        or kind_of(section.heading) is not None
        or before.name is not SectionName.SKILLS
        or not 2 <= len(own) <= 12
        or not before_own
        or any(dates.find_date(ln.text) for ln in own)
    ):
        return False
    mine, theirs = _looks(own), _looks(before_own)
    distinct = own[0].bold or own[0].caps or abs(own[0].size - 1.0) >= 0.08  # a level or a label
    return (
        distinct
        and mine[0] == theirs[0]
        and set(mine[1:]) == set(theirs[1:])
        and len(set(mine)) >= 2
    )


def _lists_skills(own: list[Line]) -> bool:
    """A short list whose items are mostly known tools and skills."""
    from core.keywords import is_known_skill

    items = [part.strip() for ln in own for part in re.split(r"[,|·•/]", ln.text) if part.strip()]
    if len(items) < 2 or any(len(item.split()) > 4 for item in items):
        return False
    return sum(1 for item in items if is_known_skill(item)) >= max(2, len(items) // 2)


def _refine_kind(section: Section, own: list[Line], sections: list[Section]) -> SectionName:
    """Correct a kind the heading's words got wrong, from what the section holds."""
    if not section.heading:
        return section.name
    text = [ln.full_text() for ln in own]
    contactish = sum(1 for t in text if find_email(t) or phones_in(t) or find_link(t))
    named = kind_of(section.heading)
    if (named in (SectionName.SUMMARY, None)) and own and contactish >= max(2, len(own) // 2):
        return SectionName.CONTACT  # 'About' over an address, a phone and links
    if (
        section.name is SectionName.OTHER
        and kind_of(section.heading) is None
        and _lists_skills(own)
    ):
        return SectionName.SKILLS  # 'WEB DEVELOPMENT' over HTML, CSS, JavaScript
    if section.name is SectionName.OTHER and kind_of(section.heading) is None:
        if own and len(own) <= 2 and all(_QUOTED.match(ln.text.strip()) for ln in own):
            return SectionName.SUMMARY  # a motto or a personal statement in quotation marks
        if (named_by_words := kind_by_words(text)) is not None:
            return named_by_words  # 'MOST PROUD OF' over achievements
        real = [s for s in sections if s.heading]
        prose = own and all(not ln.bullet and not dates.find_date(ln.text + ln.aside) for ln in own)
        if real and real[0] is section and prose:
            return SectionName.SUMMARY  # an unnamed paragraph section right under the name
    return section.name


def _contact(
    resume: Resume,
    sections: list[Section],
    section_lines: list[list[Line]],
    extra_links: list[str],
    header_links: frozenset[str] = frozenset(),
) -> None:
    candidate: list[
        str
    ] = []  # lines about the person (header, contact sections, short lines anywhere)
    everything: list[str] = []
    last = len(sections) - 1
    for k, (section, own) in enumerate(zip(sections, section_lines, strict=True)):
        if section.name is SectionName.REFERENCES:
            continue
        texts = [ln.full_text() for ln in own]
        everything += texts
        tail = texts[-6:] if k == last else []
        if section.name is SectionName.CONTACT or not section.heading:
            candidate += ([section.heading] if section.heading else []) + texts
        elif tail and any(find_email(t) or (phones_in(t) and _PHONE_LABEL.search(t)) for t in tail):
            candidate += tail  # a contact block at the very end
        else:
            candidate += [
                t for t in texts if len(t.split()) <= 6 and (find_email(t) or find_link(t))
            ]
    joined = "\n".join(everything)
    email = find_email("\n".join(candidate)) or find_email(joined)
    resume.email = email.group(0) if email else None
    # A line with a phone label, or under a short one. A label in a line is one in the lines
    # joined by line breaks too (a break is no word character, like the line's own ends), so
    # one search of the joined text answers for a resume without one; each line is searched
    # once.
    labelled: list[str] = []
    if _PHONE_LABEL.search(joined):
        label = [bool(_PHONE_LABEL.search(t)) for t in everything]
        labelled = [
            t
            for k, t in enumerate(everything)
            if label[k] or (k and label[k - 1] and len(everything[k - 1]) < 20)
        ]
    phones = phones_in("\n".join(candidate)) or phones_in("\n".join(labelled))
    # numbers in a street address ('ABC Road, 100/2 - 12345 Rome') are read like a phone: a
    # number on a line of its own, with a '+' or a label, comes first
    likely = [
        p for t in candidate if not is_address(t) or _PHONE_LABEL.search(t) for p in phones_in(t)
    ]
    resume.phone = (likely or phones or [None])[0]
    found = links_in("\n".join(candidate))
    candidate_text = EMAIL_RE.sub(
        " ", "\n".join(candidate)
    ).lower()  # an email's domain is not a website
    for link in extra_links:
        low = link.lower()
        if re.match(r"^(?:mailto|tel):", low):
            continue
        domain = re.sub(r"^[a-z]+://(?:www\.)?", "", low).split("/")[0]
        handle = low.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
        social = next((name for name in _SOCIAL if name in low), None)
        if social and (
            handle in candidate_text
            or social in candidate_text
            or len(handle) < 2
            or link in header_links
        ):
            found.append(
                link
            )  # an icon or a word in the header points at it: the person's own profile
        elif not social and domain and domain in candidate_text:
            found.append(link)
    resume.links = list(dict.fromkeys(found))[:12]
    resume.location = find_location(candidate[:20]) or labelled_location(everything)


def _doubts(resume: Resume) -> list[str]:
    doubts = []
    for section in resume.sections:
        if (
            section.name is SectionName.EXPERIENCE
            and section.lines
            and not any(r.header or r.bullets for r in section.roles)
        ):
            doubts.append(
                f"I couldn't tell the roles apart under '{section.heading}', so advice about them may be off."
            )
    empty = [s.heading for s in resume.sections if s.heading and not s.lines]
    if len(empty) >= 3:
        doubts.append(
            f"{len(empty)} headings have nothing under them ({', '.join(empty[:3])}…): "
            "the file's text may be out of order."
        )
    return doubts


def lines_from_text(text: str) -> list[Line]:
    """Plain or Markdown text (a model's rewrite, a test's sample) as lines."""
    from core.reading.text import read_text

    return read_text(text, markdown=bool(_MARKDOWN_RE.search(text))).lines


def parse_resume(text: str) -> Resume:
    """Split plain resume text into sections and roles."""
    return parse_lines(lines_from_text(text))


def parse_document(document: Document) -> Parsed:
    """The structure of a read file: the internal `Resume` and the public `Structure`."""
    kind_of.cache_clear()  # the previous document's headings (see `kind_of`)
    dates.clear_caches()  # and its dates
    lines = document.lines or lines_from_text(document.text)
    resume = parse_lines(lines, document.links, document.photo, frozenset(document.header_links))
    return Parsed(resume=resume, structure=to_structure(resume))


def to_structure(resume: Resume) -> Structure:
    sections = []
    for section in resume.sections:
        if not section.heading:
            continue
        entries = [
            Entry(
                title=r.title,
                organization=r.organization,
                location=r.location,
                dates=r.dates,
                bullets=list(r.bullets),
            )
            for r in section.roles
        ]
        sections.append(
            StructureSection(
                heading=section.heading,
                kind=section.name,
                entries=entries,
                lines=list(section.lines),
            )
        )
    return Structure(
        name=resume.name,
        language=resume.language,
        contact=Contact(
            email=resume.email,
            phone=resume.phone,
            links=list(resume.links),
            location=resume.location,
        ),
        sections=sections,
    )


_ = heading_key  # re-exported for tests
