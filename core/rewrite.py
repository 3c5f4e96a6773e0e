"""Where a resume is rewritten offline: the whole resume as clean Markdown.

Headings stay as the person wrote them, each entry is headed by its title or
organization with its dates under it, bullets get the honest fixes the findings
list with their before and after (weak openers, first person, tense, "by me"
passives; nothing else, so no edit is silent) and dates one format. Nothing is
added: no number, employer, title, date, degree or skill appears here that isn't
in the original (tests check this on every corpus resume).
"""

from __future__ import annotations

import re

from core import regex_cache
from core.models import Resume, Role, Section, SectionName
from core.structure import DATE_RANGE_RE, EMAIL_RE, LINK_RE, PHONE_RE
from core.structure.entries import is_location
from core.structure.headings import kind_of
from core.wording import (
    drop_first_person,
    fix_weak_opener,
    past_tense_sentence,
)

_MONTHS = {
    "jan": "Jan",
    "feb": "Feb",
    "mar": "Mar",
    "apr": "Apr",
    "may": "May",
    "jun": "Jun",
    "jul": "Jul",
    "aug": "Aug",
    "sep": "Sep",
    "oct": "Oct",
    "nov": "Nov",
    "dec": "Dec",
}
_BREAK = "  "  # a Markdown hard line break: the line ends here, it doesn't wrap into the next
_MD_INLINE = regex_cache.compile(r"([\\`*_\[\]<])")
_MD_LINE_START = regex_cache.compile(r"^(\s*)(?:([#>+-])|(\d{1,2})([.)]))(?=\s|$)")


def md(text: str) -> str:
    """The person's text as Markdown that shows it as printed: a masked '1820 ******' or a
    'first_name' stays as typed instead of turning bold or italic, and a line opening with
    '#1 in sales' or '- ' stays a line (every reader and our DOCX/PDF export undo the escapes)."""
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: m.group(1) + (f"\\{m[2]}" if m[2] else f"{m[3]}\\{m[4]}"), text
    )


_MONTH_NUM = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_PASSIVE_BY_ME = regex_cache.compile(
    r"^(?P<obj>.+?)\s+(?:was|were)\s+(?P<verb>\w+ed)\s+by\s+(?:me|myself)\b(?P<rest>.*)$", re.I
)


def normalise_date(part: str) -> str:
    """'Sept. 2019' → 'Sep 2019', '03/2021' → 'Mar 2021', 'present' → 'Present'. Never adds a month."""
    text = part.strip()
    if re.fullmatch(r"present|current|now|today|ongoing", text, re.I):
        return "Present"
    m = re.fullmatch(r"(\d{1,2})[/.]((?:19|20)\d{2})", text)
    if m and 1 <= int(m[1]) <= 12:
        return f"{_MONTH_NUM[int(m[1]) - 1]} {m[2]}"
    m = re.fullmatch(r"([A-Za-z]{3,9})\.?\s+((?:19|20)\d{2})", text)
    if m and m[1][:3].lower() in _MONTHS:
        return f"{_MONTHS[m[1][:3].lower()]} {m[2]}"
    return text


def normalise_range(text: str) -> str:
    """Rewrite every date range in `text` as 'Start – End'.

    An open range keeps its words: 'Starting 09/2020' → 'Starting Sep 2020', 'ago. 2024 –' stays
    open ('ago. 2024 –'), never 'Sep 2020 – ' with its meaning gone; and no dash is added where
    none was printed ('2024年 06月 29日 現在' is a date 'as of', not a range)."""

    def repl(m: re.Match[str]) -> str:
        start = normalise_date(m["start"])
        if m["since"]:
            return f"{m['since']} {start}"
        if not m["end"].strip():
            return f"{start} –"
        if not text[m.end("start") : m.start("end")].strip():
            return f"{start} {normalise_date(m['end'])}"  # '2024年 06月 29日 現在' is 'as of'
        return f"{start} – {normalise_date(m['end'])}"

    return DATE_RANGE_RE.sub(repl, text)


def improve_statement(text: str, past_role: bool) -> str:
    """The honest, mechanical fixes for one bullet."""
    weak = fix_weak_opener(text)
    if weak:
        text = weak[1]
    text = drop_first_person(text) or text
    by_me = _PASSIVE_BY_ME.match(text)
    if by_me:
        text = f"{by_me['verb'].capitalize()} {by_me['obj'][0].lower()}{by_me['obj'][1:]}{by_me['rest']}"
    if past_role:
        text = past_tense_sentence(text)
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text[:1].upper() + text[1:] if text else text


def _heading(section: Section) -> str:
    """The heading as the person wrote it ('RESEARCH EXPERIENCE', 'Berufserfahrung'): renaming it
    would be an edit no finding lists, and could drop its words ('Research')."""
    return section.heading.strip(" —–-:：") or section.heading


def _without_dates(text: str, dates: str | None) -> str:
    if dates and dates in text:
        text = text.replace(dates, " ")
    text = DATE_RANGE_RE.sub(" ", text) if dates else text
    text = re.sub(r"[(（]\s*[)）]", " ", text)  # 'Acme (2019 – 2021)': the brackets go with it
    return re.sub(r"\s{2,}", " ", text).strip(" ,|–—-")


def _is_place(text: str, role: Role) -> bool:
    return text == role.location or is_location(text)


def _printed_order(role: Role, printed: list[str], start: int) -> tuple[list[tuple[str, int]], int]:
    """The entry's prose lines and bullets in the order the resume printed them.

    `Role` keeps prose and bullets apart; the section's lines, read from `start`, say which came
    first (a 'Responsibilities: …' paragraph under the bullets stays under them). Returns
    ('prose'|'bullet', index) pairs and where the entry ends in `printed`; when a line can't be
    found the order is prose, then bullets, as before.
    """
    default = [("prose", i) for i in range(len(role.description))] + [
        ("bullet", i) for i in range(len(role.bullets))
    ]
    keyed: list[tuple[int, int, str, int]] = []
    for kind, texts in (("prose", role.description), ("bullet", role.bullets)):
        at = start
        for i, text in enumerate(texts):
            at = next((k for k in range(at, len(printed)) if text in printed[k]), -1)
            if at < 0:
                return default, start
            keyed.append((at, 0 if kind == "prose" else 1, kind, i))  # one line may hold two
    if not keyed:
        return default, start
    keyed.sort()
    return [(kind, i) for _at, _rank, kind, i in keyed], max(k[0] for k in keyed) + 1


def _role_lines(
    role: Role,
    bullets: list[str],
    past_role: bool,
    work: bool,
    order: list[tuple[str, int]] | None = None,
) -> list[str]:
    """One entry as printed: its header lines (title, organization, place), dates, prose, bullets.

    An undated entry headed by a section's words ('Skills', 'Other experiences' inside 'Technical
    Experience') is a sub-heading: it is written in bold, so it can't read as a section of its own.
    The entry is headed by its title or organization line: a place printed above it (a Europass
    'Feb 2019 – Aug 2024 | Rajshahi, Bangladesh' over the degree) goes on the dates line. Each
    head line ends in a Markdown hard break, so no reader runs them together into one paragraph.
    """
    lines: list[str] = []
    header = [h for h in (_without_dates(h, role.dates) for h in role.header) if h]
    places: list[str] = []
    while role.dates and len(header) > 1 and _is_place(header[0], role):
        places.append(header.pop(0))
    head = header[0] if header else role.title
    if head and not role.dates and kind_of(head):  # 'Skills' inside 'Technical Experience'
        lines.append(f"**{md(head)}**{_BREAK}")
    elif head:
        lines.append(f"### {md(head)}")
    lines += [f"{md(line)}{_BREAK}" for line in header[1:]]
    if role.dates:
        dated = " | ".join([normalise_range(role.dates), *places])
        lines.append(f"*{md(dated)}*{_BREAK}")
    prose = _improved_prose(role, past_role) if work and not role.bullets else role.description
    after_bullet = False
    for kind, i in order or [("prose", i) for i in range(len(prose))] + [
        ("bullet", i) for i in range(len(bullets))
    ]:
        if kind == "bullet":
            lines.append(f"- {md(bullets[i])}")
        else:
            text = md(prose[i])
            lines += ["", text] if after_bullet else [text]  # a blank line ends the list
        after_bullet = kind == "bullet"
    return lines


def _improved_prose(role: Role, past_role: bool) -> list[str]:
    """A role written as a paragraph, with the same honest fixes as bullets, sentence by sentence.

    Only the sentences the rules read as statements (core/rules.py `_statements`) are touched,
    so each edit here is one a finding lists with its before and after.
    """
    from core.rules import _statements

    statements = set(_statements(role))
    out = []
    for line in role.description:
        parts = re.split(r"((?<=[.!?])\s+(?=[A-Z]))", line)
        out.append(
            "".join(
                improve_statement(p.strip(), past_role) if p.strip() in statements else p
                for p in parts
            )
        )
    return out


def _improved_bullets(resume: Resume) -> list[list[list[str]]]:
    """Every role's bullets with the honest fixes, each of which a finding lists (core/rules.py).

    Repeated opener verbs are not swapped here: the style.repeated_verb finding lists the
    bullets and suggests verbs, and the person picks the one that is true.
    """
    from core.rules import is_work_role  # the rules judge exactly the bullets fixed here

    return [
        [
            [
                improve_statement(
                    b,
                    section.name is SectionName.EXPERIENCE
                    and r.dates is not None
                    and not r.current,
                )
                if is_work_role(section.name, r)
                else b
                for b in r.bullets
            ]
            for r in section.roles
        ]
        for section in resume.sections
    ]


_SAFE_URL = regex_cache.compile(r"(?:https?://)?[\w.-]+\.[a-z]{2,}(?:[/?#][^\s()<>\[\]]*)?", re.I)


def _bare(url: str) -> str:
    """'https://www.linkedin.com/in/jane/' as people print it: 'linkedin.com/in/jane'."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.I).rstrip("/")


def _missing_links(resume: Resume, details: list[str]) -> list[str]:
    """The person's web links whose address the resume never prints: a PDF's 'LinkedIn | GitHub'
    are hyperlinks behind the words, so a rewrite of the words alone would lose them."""
    printed = "\n".join([*(ln for s in resume.sections for ln in s.lines), *details]).casefold()
    missing: list[str] = []
    for url in resume.links:
        bare = _bare(url)
        if _SAFE_URL.fullmatch(url) and bare.casefold() not in printed:
            missing.append(url)  # not a mail or phone link, an odd scheme, or printed already
            printed += "\n" + bare.casefold()
    return missing


def _link_words(lines: list[str], urls: list[str]) -> tuple[list[str], list[str]]:
    """Markdown lines where a word naming a link's site ('LinkedIn' for linkedin.com) becomes
    the link, and the links no word names."""
    lines, left = list(lines), []
    for url in urls:
        site = _bare(url).split("/")[0].casefold().split(".")[0]
        label = re.compile(rf"(?<![\w\[/.]){re.escape(site)}(?![\w\]/.])", re.I)
        for i, line in enumerate(lines):
            if len(site) > 2 and (m := label.search(line)):
                target = url if "://" in url else f"https://{url}"
                lines[i] = f"{line[: m.start()]}[{m.group(0)}]({target}){line[m.end() :]}"
                break
        else:
            left.append(url)
    return lines, left


def keep_links(markdown: str, links: list[str]) -> str:
    """A rewrite someone else wrote (the model never sees the addresses behind a PDF's 'LinkedIn')
    with the person's links kept the same way: on the word naming the site in the lines above the
    first section, else written out after them."""
    lines = markdown.split("\n")
    missing = [
        u
        for u in links
        if _SAFE_URL.fullmatch(u) and _bare(u).casefold() not in markdown.casefold()
    ]
    if not missing:
        return markdown
    end = next((i for i, ln in enumerate(lines) if ln.startswith("## ")), len(lines))
    start = 1 if lines and lines[0].startswith("# ") else 0
    head, left = _link_words(lines[start:end], list(dict.fromkeys(missing)))
    if left:
        last = max((i for i, ln in enumerate(head) if ln.strip()), default=-1)
        head.insert(last + 1, " | ".join(md(_bare(u)) for u in left))
        if last < 0:
            head.insert(0, "")
    return "\n".join([*lines[:start], *head, *lines[end:]])


def _plain_lines(section: Section) -> list[str]:
    """A section without entries, as Markdown: its bullets as list items, dates in one format."""
    return [
        f"- {md(line[2:])}" if line.startswith("• ") else md(normalise_range(line))
        for line in section.lines
    ]


def rewrite_markdown(resume: Resume) -> str:
    """The whole resume, rewritten, as Markdown: the person's own sections, in their order and language."""
    out: list[str] = [f"# {md(resume.name) if resume.name else 'Resume'}"]
    top = resume.sections[0] if resume.sections and not resume.sections[0].heading else None
    details = []
    for line in top.lines if top else []:
        if line.strip() == resume.name:
            continue  # 'Last updated in Mar 2026' stays: dropping it would be an unlisted edit
        if resume.name and line.startswith(resume.name):
            line = line[len(resume.name) :].strip(" |·•—–-")
            if not line:
                continue
        if EMAIL_RE.search(line) or PHONE_RE.search(line) or LINK_RE.search(line):
            details.append(
                " | ".join(p.strip() for p in re.split(r"\s*[|·•—]\s*", line) if p.strip())
            )
        else:
            details.append(line)
    # the person's links: on the words that name them, at the top or in a contact section, or
    # written out under the contact lines; nothing the resume didn't link to
    top_md, unlinked = _link_words([md(d) for d in details], _missing_links(resume, details))
    contact = next(
        (s for s in resume.sections if s is not top and s.name is SectionName.CONTACT), None
    )
    contact_md: list[str] = []
    if contact is not None and not contact.roles:
        contact_md, unlinked = _link_words(_plain_lines(contact), unlinked)
    top_md += [" | ".join(md(_bare(url)) for url in unlinked)] if unlinked else []
    if top_md:
        out += ["", "  \n".join(top_md)]
    from core.rules import is_work_role

    improved = _improved_bullets(resume)
    for index, section in enumerate(resume.sections):
        if section is top:
            continue
        out += ["", f"## {md(_heading(section))}", ""]
        if section.roles:
            leading = [ln for ln in section.lines if ln.startswith(("(", "（"))][
                :1
            ]  # a heading's note
            out += [md(line) for line in leading]
            cursor = 0
            for role, bullets in zip(section.roles, improved[index], strict=True):
                past = (
                    section.name is SectionName.EXPERIENCE
                    and role.dates is not None
                    and not role.current
                )
                work = is_work_role(section.name, role)
                order, cursor = _printed_order(role, section.lines, cursor)
                out += [*_role_lines(role, bullets, past, work, order), ""]
        elif section.name is SectionName.SUMMARY:
            out += [md(drop_first_person(line) or line) for line in section.lines]
        else:
            out += contact_md if section is contact and contact_md else _plain_lines(section)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"
