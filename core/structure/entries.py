"""Where a section's lines become entries: title, organization, location, dates, bullets.

Resumes order an entry's parts every way (title first, company first, date
first, the date at the right edge or in a left margin, dates on the line below).
What stays true across them: an entry starts with short header lines, then
has bullets or prose; a new header line after that content, or a second date,
starts the next entry. Dates come from the header text, or from the aside or
label column printed beside the entry's first lines.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from core import regex_cache
from core.models import Role
from core.reading.lines import Line
from core.structure import dates
from core.structure.headings import _CJK_RE

_DATA = json.loads(
    resources.files("core.data").joinpath("entries.json").read_text(encoding="utf-8")
)


def _word_set(words: list[str]) -> tuple[set[str], list[str]]:
    latin = {w for w in words if not _CJK_RE.search(w)}
    cjk = [w for w in words if _CJK_RE.search(w)]
    return latin, cjk


_TITLE_WORDS, _TITLE_CJK = _word_set(_DATA["title"])
_KIND_WORDS = {
    kind: regex_cache.compile(
        "|".join(
            re.escape(w) if _CJK_RE.search(w) else rf"(?<!\w){re.escape(w)}(?!\w)"
            for w in sorted(words, key=len, reverse=True)
        ),
        re.I,
    )
    for kind, words in _DATA["kinds"].items()
}


def kind_of_entries(roles: list[Role]) -> str | None:
    """The kind every entry's header names ('Volunteer Data Analyst', '@Persönliches Projekt')."""
    headers = [" ".join(r.header) for r in roles]
    if not headers or not all(headers):
        return None
    for kind, pattern in _KIND_WORDS.items():
        if all(pattern.search(h) for h in headers):
            return kind
    return None


_ORG_WORDS, _ORG_CJK = _word_set(_DATA["organization"])
_SEPARATORS = regex_cache.compile(
    r"\s+[|·•–—]\s+|\s+-\s+|\s*[|·•;]\s*|\s+(?:at|@|bei|chez|presso)\s+|\s+@(?=\w)"
)
_DEGREE = regex_cache.compile(
    r"^(?:ph\.?\s?d|b\.?\s?sc?|m\.?\s?sc?|b\.?\s?a|m\.?\s?a|mba|m\.?\s?eng|b\.?\s?eng|bachelor|master|doctor|doctorate|"
    r"diplom|diploma|licence|licenciatura|laurea|magister|mestrado|bacharelado)\b\.?",
    re.I,
)
_LEGAL_SUFFIX = regex_cache.compile(
    r"^(?:inc|ltd|llc|llp|plc|gmbh|ag|co|corp|s\.?a|s\.?l|b\.?v|n\.?v|pty|sarl|srl|s\.?p\.?a)\.?$",
    re.I,
)
# 'Analyst @Acme'
_STRONG_SEPARATORS = regex_cache.compile(r"\s+[|·•–—]\s+|\s+-\s+|\s*[|·•;]\s*|\s+@(?=\w)")
_LOCATION = regex_cache.compile(
    r"^(?:remote|hybrid|on-?site|télétravail|remoto)$"
    r"|^[A-ZÀ-Ý][\w.'’À-ÿ-]+(?:[ -][A-ZÀ-Ý][\w.'’À-ÿ-]+)*,\s*"
    r"(?:[A-Z]{2}|[A-ZÀ-Ý][\w.'’À-ÿ-]+(?:[ -][A-ZÀ-Ý][\w.'’À-ÿ-]+)*)$",
)
_SENTENCE = regex_cache.compile(r"[.!?。]$")
# 'Awards:', 'Relevant coursework:'
_LIST_LABEL = regex_cache.compile(r"^[^\W\d_][\w &/'’-]{0,30}[:：]$")
_LABEL_VALUE = regex_cache.compile(r"^[^\W\d_][\w .&/-]{0,19}\s*[:：]\s*\S")
_TOKEN = regex_cache.compile(r"[\w.&+-]+")
_LABELLED = regex_cache.compile(r"^[\w .-]{1,20}:\s")  # 'GPA: 3.5'
_LINK_START = regex_cache.compile(r"^(?:https?://|www\.)", re.I)


def _count(words: set[str], cjk: list[str], text: str) -> int:
    low = text.lower()
    tokens = set(_TOKEN.findall(low))
    tokens |= {t.strip(".") for t in tokens}
    return len(tokens & words) + sum(1 for w in cjk if w in text)


def is_location(text: str) -> bool:
    text = text.strip(" ,()")
    if not text or len(text) > 40 or any(ch.isdigit() for ch in text) or not _LOCATION.match(text):
        return False
    return not _count(_ORG_WORDS, _ORG_CJK, text) and not _count(_TITLE_WORDS, _TITLE_CJK, text)


def _is_header(line: Line) -> bool:
    """Could this line head an entry (as opposed to being its prose)?"""
    text = line.text.strip()
    if not text:
        return bool(line.aside or line.label)
    if (
        line.bold
        or line.heading
        or dates.find_date(text)
        or dates.find_date(line.aside)
        or dates.find_date(line.label)
    ):
        return True
    if _CJK_RE.search(text):  # the first field decides: '…硕士（GPA：4.9/5.0） | 俄罗斯，圣彼得堡'
        first = re.split(r"\s+[|·•]\s+", text, maxsplit=1)[0]
        return len(first) <= 30 and not _SENTENCE.search(text)
    return len(text.split()) <= 12 and not _SENTENCE.search(text)


def _date_of(line: Line) -> str | None:
    """The entry date a line carries: its aside or label first, then its own text."""
    if not dates.has_date_chars(line.text + line.aside + line.label):
        return None
    for source in (line.aside, line.label):
        if (
            source
            and dates.only_dates(source)
            and dates.SINGLE_DATE_RE.search(source)
            and (dates.YEAR_RE.search(source) or re.search(dates.PLACEHOLDER, source, re.I))
        ):
            return dates.without_duration(source).strip(
                " |"
            )  # a date column holds the whole date as printed ('Sep. 2013, Mar. 2011 - Oct. 2011')
    for source in (line.aside, line.label, line.text):
        if not source:
            continue
        m = dates.find_range(source) or (
            dates.SINGLE_DATE_RE.search(source) if dates.has_date_chars(source) else None
        )
        if m and (source is not line.text or dates.find_range(source) or _looks_dated(source, m)):
            return m.group(0).strip()
    return None


def _looks_dated(text: str, m: re.Match[str]) -> bool:
    """A single date in a header line counts when it stands apart ('UC Berkeley | 2019', '2019')."""
    before, after = text[: m.start()].rstrip(), text[m.end() :].lstrip()
    if dates.NOW and re.fullmatch(dates.NOW, m.group(0).strip(), re.I):
        return False
    return (not before or before.endswith((",", "|", "–", "—", "-", "(", "·"))) or (
        not after or after[:1] in ",|)–—-·"
    )


def _starts_entry(lines: list[Line], index: int) -> bool:
    """After an entry's content, does this header-like line open the next entry?

    It does when it looks like one: bold (wholly, or a bold first part), a
    heading, a date on it or on one of the next two lines (a bullet's aside
    counts: rendercv prints the dates beside the first bullet). A short plain
    line after bullets (a tag line, 'Technologies: ...') stays with the entry.
    """
    line = lines[index]
    if line.bold or line.heading or _date_of(line):
        return True
    nxt = lines[index + 1] if index + 1 < len(lines) else None
    if nxt is not None and not nxt.bullet and (nxt.bold or nxt.heading) and _date_of(nxt):
        return False  # the next line opens the next entry: this one still belongs to the last
    for nxt in lines[index + 1 : index + 3]:
        if _date_of(nxt) and (not nxt.bullet or nxt.aside or nxt.label):
            return True
        if nxt.bullet:
            return not (index > 0 and lines[index - 1].bullet) or bool(line.parts)
    return False


def _join_wrapped_dates(lines: list[Line]) -> list[Line]:
    """'June 2020 –' over 'Present', or 'Starting' over 'xx/xxxx', in a date column is one date;
    so is a table's date cell read between the bullets of the cell beside it
    ('2018年04月～' / • … / '現在')."""
    out = list(lines)
    drop: set[int] = set()
    for i in range(len(out) - 2):
        here, bullet, rest = out[i], out[i + 1], out[i + 2]
        if (
            not here.bullet
            and dates.opens_range(here.text)
            and dates.only_dates(here.text)
            and bullet.bullet
            and not rest.bullet
            and rest.gap <= here.gap + 0.5
            and dates.only_dates(rest.text)
            and dates.SINGLE_DATE_RE.fullmatch(rest.text.strip())
        ):
            out[i] = Line(
                **{**_fields_of(here), "text": f"{here.text.rstrip()} {rest.text.strip()}"}
            )
            drop.add(i + 2)
    out = [line for k, line in enumerate(out) if k not in drop]
    for i in range(len(out) - 1):
        for attr in ("label", "aside"):
            here, nxt = getattr(out[i], attr), getattr(out[i + 1], attr)
            if dates.opens_range(here) and nxt and dates.SINGLE_DATE_RE.match(nxt.strip()):
                setattr(out[i], attr, f"{here.rstrip()} {nxt.strip()}")
                setattr(out[i + 1], attr, "")
    return out


def _fields_of(line: Line) -> dict[str, object]:
    return {f: getattr(line, f) for f in line.__slots__}  # type: ignore[attr-defined]


def _opens_entry(
    lines: list[Line],
    index: int,
    cur: Role,
    content: bool,
    date: str | None,
    entry_style: tuple[float, bool, bool] | None,
    opened_by: tuple[int, int] = (0, 0),
) -> bool:
    """Does this header-like line open a new entry, given the entry being read?
    `opened_by` is the format heading level of the line that opened it, if any."""
    line = lines[index]
    if content and _starts_entry(lines, index):
        return True  # a header after bullets or prose
    if line.heading and cur.header and opened_by == (line.heading, line.level):
        return True  # '### Master…' after '### PhD…' and its date: headings of one level
    if (
        date
        and cur.dates
        and cur.header
        and (line.aside or line.label or dates.find_range(line.text))
    ):
        return True  # a second date: one entry per date
    if entry_style is None or not cur.header or line.gap < 0.8:
        return False
    prev = lines[index - 1]
    look = (round(line.size, 1), line.bold, line.caps)
    # the look the section's first entry opened with opens the next one too
    return look == entry_style and (round(prev.size, 1), prev.bold, prev.caps) != entry_style


def split_entries(
    lines: list[Line], entry_style: tuple[float, bool, bool] | None = None
) -> list[Role]:
    """The entries of one section, in order, nothing dropped: every line lands in one entry."""
    lines = _join_wrapped_dates(lines)
    roles: list[Role] = []
    asides: dict[int, list[str]] = {}
    first_parts: dict[
        int, list[str]
    ] = {}  # the parts of each entry's first header line, when the reader gave them
    cur: Role | None = None
    content = False  # the current entry has bullets or prose already
    header_looks: set[tuple[float, bool, bool]] = set()
    opened: dict[int, tuple[int, int]] = {}  # entry → heading level of its first line
    in_prose: set[int] = set()  # entries whose date so far is one date inside a longer line
    listing: Role | None = None  # the entry whose 'Awards:' list is being read
    for index, line in enumerate(lines):
        date = _date_of(line)
        nested_under = (
            line.bullet
            and line.depth == 0
            and date
            and index + 1 < len(lines)
            and lines[index + 1].bullet
            and lines[index + 1].depth > line.depth
        )
        if line.bullet and not nested_under:
            if cur is None:
                cur = Role()
                roles.append(cur)
            if cur.dates is None and date and len(cur.bullets) <= 1 and (line.aside or line.label):
                _set_dates(cur, date)
            _keep_beside(cur, line)
            cur.bullets.append(line.text)
            content = True
            continue
        if listing is not None and listing is cur:
            if line.bold or line.heading or dates.find_range(line.text + " " + line.aside):
                listing = None
            else:
                cur.description.append(line.full_text())  # 'Dean's List  2020' under 'Awards:'
                content = True
                continue
        if (
            cur is not None
            and cur.dates
            and cur.header
            and not line.bullet
            and _LIST_LABEL.match(line.text.strip())
            and not dates.find_date(line.text + line.aside)
        ):
            cur.description.append(line.text)  # 'Awards:' opens a list inside the entry
            listing, content = cur, True
            continue
        if (
            cur is not None
            and not content
            and cur.header
            and not line.bold
            and not dates.find_date(line.text)
            and _LABEL_VALUE.match(line.text)
        ):
            cur.description.append(line.text)  # '事業内容：…', 'Stack: Go': about the entry
            continue
        header = _is_header(line) or bool(
            nested_under
        )  # '- 2022–2023: Engineer at X' over its duties
        if (
            not header
            and cur is not None
            and not content
            and cur.header
            and len(cur.header) <= 1
            and not _SENTENCE.search(line.text)
            and len(line.text.split()) <= 30
            and cur.dates
            and dates.only_dates(cur.header[0].split(" | ")[0])
        ):
            header = True  # the title line under a date line, however long ('BACHELOR OF SCIENCE – University …')
        look = (round(line.size, 1), line.bold, line.caps)
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            cur is not None
            and content
            and roles[0].dates
            and not date
            and following is not None
            and following.bullet
            and not _date_of(following)
            and len(line.text.split()) <= 5
        ):
            cur.description.append(
                line.text
            )  # 'Leadership' over some bullets: a sub-heading inside a dated entry
            continue
        new = cur is None or (
            header
            and _opens_entry(
                lines, index, cur, content, date, entry_style, opened.get(id(cur), (0, 0))
            )
        )
        if (
            new
            and cur is not None
            and cur.header
            and cur.dates is None
            and date
            and dates.only_dates(line.text)
            and not line.bold
        ):
            _set_dates(cur, date)  # the last entry's date, pushed onto the next line or page
            continue
        if (
            new
            and cur is not None
            and id(cur) in in_prose
            and not content
            and dates.find_range(line.text)
            and dates.only_dates(line.text)
        ):
            in_prose.discard(id(cur))  # 'Defended in Apr. 2025' then 'Sep. 2021 – Jun. 2025':
            _set_dates(cur, date or line.text.strip())  # the range line is the entry's date
            continue
        if new:
            cur = Role()
            roles.append(cur)
            content = False
        assert cur is not None
        if header and not content:
            if not cur.header and line.heading:
                opened[id(cur)] = (line.heading, line.level)
            if not cur.header and len(line.parts) >= 2 and line.source == "json":
                first_parts[id(cur)] = (
                    line.parts
                )  # a JSON Resume entry says which part is the title
            cur.header.append(_header_text(line))
            asides.setdefault(id(cur), []).extend(p for p in (line.aside, line.label) if p)
            header_looks.add(look)
            if cur.dates is None and date:
                _set_dates(cur, date)
                single = not dates.find_range(date) and not dates.only_dates(line.text)
                if single and (
                    len(cur.header) > 1
                    or (not line.aside and not line.label and len(line.text.split()) > 4)
                ):
                    in_prose.add(id(cur))  # one date inside a longer line, not the entry's range
        else:
            if cur.dates is None and date and (line.aside or line.label):
                _set_dates(cur, date)
            _keep_beside(cur, line)
            cur.description.append(line.text)
            content = True
    for role in roles:
        _fields(role, asides.get(id(role), []), first_parts.get(id(role)))
    return roles


def _keep_beside(role: Role, line: Line) -> None:
    """Text printed beside a bullet or a prose line that isn't the entry's date stays with the entry."""
    for side in (line.label, line.aside):
        rest = side
        if role.dates and role.dates in rest:
            rest = rest.replace(role.dates, " ")
        rest = dates.without_duration(rest).strip(" |·–—-") if rest.strip() else ""
        if rest and not dates.only_dates(rest):
            role.description.append(rest)
        elif rest and rest != (role.dates or ""):
            role.header.append(
                rest
            ) if not role.bullets and not role.description else role.description.append(rest)


def _header_text(line: Line) -> str:
    """The header as printed, with what sat beside it (label before, aside after)."""
    parts = [p for p in (line.label, line.text, line.aside) if p]
    return " | ".join(parts) if len(parts) > 1 else (parts[0] if parts else "")


def _set_dates(role: Role, date: str) -> None:
    role.dates = date
    role.start_year, role.end_year = dates.years(date)
    role.current = dates.is_current(date)


def _ends_in_title(text: str) -> int:
    """'Software Engineer': a title word closing the phrase is its head, whatever modifies it."""
    words = _TOKEN.findall(text.lower())
    return int(bool(words) and words[-1].strip(".") in _TITLE_WORDS)


def _place_like(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 3
        and not any(ch.isdigit() for ch in text)
        and all(w[:1].isupper() for w in words)
        and not _count(_TITLE_WORDS, _TITLE_CJK, text)
        and not _count(_ORG_WORDS, _ORG_CJK, text)
    )


def _comma_split(piece: str) -> list[str]:
    """'Nexus AI, Co-Founder & CTO' is two fields, 'Developer, OpenAI, San Francisco, USA' three
    (the place stays whole); 'University of California, Los Angeles' is one."""
    halves: list[str] = []
    for half in (h.strip() for h in piece.split(", ")):
        head, _, tail = half.partition(" ")
        if halves and _LEGAL_SUFFIX.match(half):
            halves[-1] = f"{halves[-1]}, {half}"  # 'ABC Company, Inc.' is one name
        elif halves and head.endswith(".") and _LEGAL_SUFFIX.match(head) and tail:
            halves[-1] = (
                f"{halves[-1]}, {head}"  # 'Acme Co., Ltd. Chief Technology Officer': the name ends at 'Ltd.'
            )
            halves.append(tail)
        else:
            halves.append(half)
    if len(halves) < 2:
        return [", ".join(halves)]
    titled = [_count(_TITLE_WORDS, _TITLE_CJK, h) > 0 for h in halves]
    if not any(titled) or all(titled):
        return [piece]
    if (
        _DEGREE.match(halves[0])
        and len(halves) == 2
        and not _count(_ORG_WORDS, _ORG_CJK, halves[1])
    ):
        return [piece]  # 'PhD, Computer Science': a degree and its field are one title
    place: list[str] = []
    while len(halves) > 2 and len(place) < 2 and _place_like(halves[-1]):
        place.insert(0, halves.pop())
    return [*halves, ", ".join(place)] if place else halves


def _fields(role: Role, asides: list[str], parts: list[str] | None = None) -> None:
    """Split the header lines into title, organization and location (text kept as printed)."""
    pieces: list[str] = []
    separators = (
        _SEPARATORS if len(role.header) < 2 else _STRONG_SEPARATORS
    )  # 'Intern at X' on its own line stays whole
    for text in role.header:
        if role.dates:
            text = text.replace(role.dates, " ")
        for part in separators.split(text):
            part = part.strip(" ,|·•–—-:")
            if part.count("(") != part.count(")"):
                part = part.strip("()")
            if not part or dates.only_dates(part) or dates.is_duration(part):
                continue
            pieces.extend(p for p in _comma_split(part) if p)
    # 'GPA: 3.5', 'Flavor: military' and links describe the entry; they are not its title or organization
    pieces = [p for p in pieces if not _LABELLED.match(p) and not _LINK_START.match(p)] or pieces
    if not pieces:
        return
    aside_text = " ".join(asides)
    location = next((p for p in pieces if p in aside_text and is_location(p)), None)
    location = location or next(
        (
            p
            for p in pieces
            if p in aside_text
            and len(p.split()) <= 4
            and not any(ch.isdigit() for ch in p)
            and not _count(_TITLE_WORDS, _TITLE_CJK, p)
            and not _count(_ORG_WORDS, _ORG_CJK, p)
        ),
        None,
    )  # what sits beside a header and isn't its date is its place ('S.Korea', 'Remote')
    location = location or next(
        (
            p
            for p in reversed(pieces)
            if is_location(p) or (", " in p and all(_place_like(x) for x in p.split(", ")))
        ),
        None,
    )
    rest = [p for p in pieces if p != location]
    opening = [
        p.strip(" ,|·•–—-:")
        for p in (parts or [])
        if p.strip(" ,|·•–—-:") and p != location and not dates.only_dates(p)
    ]
    if len(opening) >= 2:
        rest = opening  # the file says which is the title and which the organization
    if not rest:
        role.title = location
        return
    title_scores = [_count(_TITLE_WORDS, _TITLE_CJK, p) + _ends_in_title(p) for p in rest]
    org_scores = [_count(_ORG_WORDS, _ORG_CJK, p) for p in rest]
    title_i = max(range(len(rest)), key=lambda k: (title_scores[k] - org_scores[k], -k))
    if title_scores[title_i] - org_scores[title_i] <= 0 and len(rest) > 1:
        org_i = max(range(len(rest)), key=lambda k: (org_scores[k] - title_scores[k], -k))
        title_i = (
            next((k for k in range(len(rest)) if k != org_i), 0)
            if org_scores[org_i] > title_scores[org_i]
            else 0
        )
    role.title = rest[title_i]
    others = [p for k, p in enumerate(rest) if k != title_i]
    if others:
        home = next((h for h in role.header if role.title in h), "")
        beside = [p for p in others if p in home and _count(_ORG_WORDS, _ORG_CJK, p)]
        others = beside or others  # the organization named on the title's own line comes first
        org_i = max(range(len(others)), key=lambda k: (_count(_ORG_WORDS, _ORG_CJK, others[k]), -k))
        role.organization = others[org_i]
    role.location = location
    role.title = _title_with_its_subject(role)


def _title_with_its_subject(role: Role) -> str | None:
    """'Attestato di frequenza - Office 97, Excel' over the school's line: what follows the title
    on its own line, when it is neither the organization nor a place, belongs to the title."""
    title, org = role.title, role.organization
    if not title or not org:
        return title
    line = next((h for h in role.header if title in h), None)
    if line is None or org in line:
        return title
    tail = line[line.index(title) + len(title) :].split(" | ")[0]
    m = re.match(r"^\s+[-–—]\s+(?P<subject>[^|·•]+)$", tail)
    if not m or dates.find_date(m["subject"]) or (role.location and role.location in tail):
        return title
    return f"{title}{tail}".rstrip()
