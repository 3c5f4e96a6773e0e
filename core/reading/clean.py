"""Text tidy-up every reader needs, and the small judgements readers share.

`tidy` fixes what extraction leaves in the characters (spaces that aren't
spaces, invisible marks, soft hyphens, ligature code points, private-use icon
glyphs) without touching the words. `split_aside` and `is_dateish` decide when
text printed apart on the same row (after a TAB, in a table cell, in a
definition term) is a date or place that belongs beside the line.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources

from core import regex_cache
from core.reading.lines import Line

# Bullet glyphs typed into text or emitted by PDF/Word.
BULLET_GLYPHS = "•▪▫◦●○■□►▸‣⁃∙·*-–—➢➤✓✔➔→❖◆◇♦"
BULLET_RE = regex_cache.compile(rf"^\s*(?:[{re.escape(BULLET_GLYPHS)}]|\d{{1,2}}[.)])\s+")
# A typed bullet glyph with no space after it ("•Led", "➢Built"): only the round/arrow glyphs.
_GLUED_BULLET_RE = regex_cache.compile(r"^\s*[•▪◦●■►▸‣➢➤❖◆♦]\s*")

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u180e"
_TABLE = str.maketrans(
    {
        **{c: " " for c in _SPACES},
        **{c: None for c in _INVISIBLE},
        **_LIGATURES,
        "\u00ad": "-",
        "\u2011": "-",
        "\r": "\n",
        "\f": "\n",
        "\v": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
    }
)
# any character _TABLE changes: most lines have none, and then need no translation
_TRANSLATED = regex_cache.compile("[" + re.escape("".join(chr(c) for c in _TABLE)) + "]")
_HSPACE_RUN = regex_cache.compile(r"[ ]{2,}")
_TAB_RUN = regex_cache.compile(r" *\t[ \t]*")


# Font Awesome code points (private use area) that stand for a kind of contact detail.
PRIVATE_ICONS = {
    "\uf09b": "github",
    "\uf113": "github",
    "\uf092": "github",
    "\uf08c": "linkedin",
    "\uf0e1": "linkedin",
    "\uf099": "twitter",
    "\ue61b": "twitter",
    "\uf081": "twitter",
    "\uf09a": "facebook",
    "\uf39e": "facebook",
    "\uf082": "facebook",
    "\uf16d": "instagram",
    "\uf0e0": "email",
    "\uf003": "email",
    "\uf199": "email",
    "\uf095": "phone",
    "\uf10b": "phone",
    "\uf3cd": "phone",
    "\uf098": "phone",
    "\uf3c5": "location",
    "\uf041": "location",
    "\uf015": "location",
    "\uf0c1": "website",
    "\uf0ac": "website",
    "\uf57d": "website",
    "\uf8d2": "orcid",
    "\uf4e2": "researchgate",
    "\uf4f6": "mastodon",
}
HYPHEN_BREAK = (
    "\x02"  # PDFium's mark for a hyphen at a line break; the PDF reader decides what it was
)


# What `tidy` removes from ASCII text: control characters but line breaks and tabs (and,
# with keep_marks, the hyphen-break mark). _ODD_CHAR: the only characters `_keep` may drop.
_ASCII_CONTROL = regex_cache.compile(r"[\x00-\x08\x0b-\x1f]")
_ASCII_CONTROL_BUT_MARK = regex_cache.compile(r"[\x00\x01\x03-\x08\x0b-\x1f]")
_ODD_CHAR = regex_cache.compile(r"[^\x20-\x7e\n\t\u00a0-\u02ff]")


@functools.lru_cache(maxsize=4096)  # a text in one script repeats the same few hundred
def _keep(ch: str, marks: bool = False) -> bool:
    if ch in "\n\t":
        return True
    if ch == "\ufffd":
        return False  # a replacement character carries nothing a reader can use
    if marks and (ch == HYPHEN_BREAK or unicodedata.category(ch) == "Co"):
        return True
    return unicodedata.category(ch) not in ("Cc", "Co", "Cs", "Cn")


def tidy(
    text: str, *, keep_tabs: bool = False, keep_indent: bool = False, keep_marks: bool = False
) -> str:
    """Normalise characters, keep the words.

    NBSP and other odd spaces → " "; zero-width marks removed; U+00AD soft
    hyphen and U+2011 non-breaking hyphen → "-"; ligatures U+FB00–FB06
    expanded; private-use glyphs (icon fonts) and control characters removed;
    NFC. Each line gets single spaces and no edge spaces. TABs become a space
    unless `keep_tabs` (a reader that turns "Company<TAB>2019 – 2021" into an
    aside keeps them and calls `split_aside`). `keep_indent` keeps each line's
    leading whitespace (list nesting in text formats).
    """
    if text.isascii() and text.isprintable():
        # the usual PDF line: no line breaks, tabs or control characters, nothing to translate
        body = text.lstrip(" ")
        lead = text[: len(text) - len(body)] if keep_indent else ""
        if "  " in body:
            body = _HSPACE_RUN.sub(" ", body)
        return lead + body.rstrip(" ")
    if text.isascii():
        text = text.replace("\r\n", "\n").translate(_TABLE)
        text = (_ASCII_CONTROL_BUT_MARK if keep_marks else _ASCII_CONTROL).sub("", text)
    else:
        text = text.replace("\r\n", "\n")
        if _TRANSLATED.search(text):
            text = text.translate(_TABLE)
        text = unicodedata.normalize("NFC", text)
        # only these need their Unicode category looked up, each distinct one once
        drop = {ch: None for ch in set(_ODD_CHAR.findall(text)) if not _keep(ch, keep_marks)}
        if drop:
            text = text.translate(str.maketrans(drop))
    if not keep_tabs:
        text = text.replace("\t", " ")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        body = line.lstrip(" \t")
        lead = line[: len(line) - len(body)] if keep_indent else ""
        body = _HSPACE_RUN.sub(" ", body).rstrip(" \t" if not keep_tabs else " ")
        if keep_tabs:
            body = _TAB_RUN.sub("\t", body).rstrip("\t ")
        lines[i] = lead + body
    return "\n".join(lines)


# --- dates and places -------------------------------------------------------------

_CJK_DATE = regex_cache.compile(
    r"(?:明治|大正|昭和|平成|令和)?\s*\d{1,4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?"
    r"|至今|现在|現在|今|在学中|在籍中|予定|月"
)
_YEAR = regex_cache.compile(
    r"(?<!\d)(?:19|20)\d{2}(?!\d)|(?<!\d)\d{1,2}[/.](?:19|20)?\d{2}(?!\d)|\d{1,4}\s*年"
)
_TOKEN = regex_cache.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+|\S")


def _one_token(word: str) -> bool:
    return len(_TOKEN.findall(word)) == 1


# Month names and 'until now' / 'since' words and phrases, every language we read: the same data
# the structure reads dates with (core/data/dates.json), plus what joins two dates in a range.
_DATE_WORDS = json.loads(
    resources.files("core.data").joinpath("dates.json").read_text(encoding="utf-8")
)
_MONTHS = {w for words in _DATE_WORDS["months"].values() for w in words}
_NOW_PHRASES = [w for w in (*_DATE_WORDS["now"], *_DATE_WORDS["since"]) if not _one_token(w)]
_NOW_WORDS = {w for w in (*_DATE_WORDS["now"], *_DATE_WORDS["since"]) if _one_token(w)} | set(
    _DATE_WORDS["range_words"]
)
# 'alla data attuale', 'по настоящее время', 'bis heute': taken out whole before the words count
_NOW_PHRASE_RE = regex_cache.compile(
    "|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in sorted(_NOW_PHRASES, key=len, reverse=True)),
    re.I,
)


def is_dateish(text: str) -> bool:
    """Is `text` a date or date range and little else ('03/2019 – heute', 'mai de 2025 - jun de 2025')?"""
    text = text.strip()
    if not text or len(text) > 48 or not _YEAR.search(text):
        return False
    for token in _TOKEN.findall(_NOW_PHRASE_RE.sub(" ", _CJK_DATE.sub(" ", text))):
        t = token.casefold().rstrip(".")
        if t.isdigit():
            if len(t) > 4:
                return False
        elif t.isalpha():
            if t not in _MONTHS and t not in _NOW_WORDS:
                return False
        elif (token.isalnum() or "'" in token or "’" in token) and t not in _NOW_WORDS:
            return False
    return True


_PLACE = regex_cache.compile(
    r"^(?:remote|hybrid|on-?site|"
    r"[A-ZÀ-Ý][\w.'’-]*(?: [A-ZÀ-Ý][\w.'’-]*){0,2}, ?[A-ZÀ-Ý][\w.'’-]*(?: [A-ZÀ-Ý][\w.'’-]*){0,2})$",
    re.I,
)


def is_placeish(text: str) -> bool:
    """'Berlin, Germany', 'Portland, OR', 'Remote': a short place written the usual way."""
    text = text.strip()
    return (
        bool(text)
        and len(text) <= 40
        and bool(_PLACE.match(text))
        and (text[0].isupper() or text.lower() in ("remote", "hybrid", "onsite", "on-site"))
    )


def split_aside(text: str) -> tuple[str, str]:
    """'Company – City<TAB>2019 – 2021' → ('Company – City', '2019 – 2021').

    The part after the last TAB becomes the aside when it is a date or a place
    (the right-aligned column of a Word resume); a date before the first TAB
    ('2019 – 2021<TAB>Engineer', date-first layouts) is an aside too. Other TABs
    become spaces.
    """
    if "\t" not in text:
        return text, ""
    parts = [p.strip() for p in text.split("\t") if p.strip()]
    if len(parts) < 2:
        return " ".join(parts), ""
    last, first = parts[-1], parts[0]
    if is_dateish(last):
        return join_parts(parts[:-1]), last
    if is_dateish(first):
        return join_parts(parts[1:]), first
    if is_placeish(last) and not parts[-2].endswith((":", "：")):
        return join_parts(parts[:-1]), last
    return join_parts(parts), ""


def strip_bullet(text: str) -> tuple[str, bool]:
    """('Led the team', True) for '• Led the team' / '- Led' / '1. Led'; dates like '- 2019' are not bullets."""
    m = BULLET_RE.match(text)
    if (
        m
        and not re.match(r"^\s*\d{1,2}[.)]\s+\d", text)
        and not re.match(r"^\s*[-–—]\s*(?:\d{4}|present)", text, re.I)
    ):
        return text[m.end() :].strip(), True
    m = _GLUED_BULLET_RE.match(text)
    if m and len(text) > m.end():
        return text[m.end() :].strip(), True
    return text, False


_DECORATION = regex_cache.compile(r"^\s*(?:[—–\-=_~*·•#|]\s*){2,}|(?:\s*[—–\-=_~*·•#|]){2,}\s*$")


def strip_decoration(text: str) -> str:
    """'———  个人信息  ———' → '个人信息': ornamental rules drawn around a heading."""
    stripped = _DECORATION.sub("", text).strip()
    return (
        stripped
        if stripped and stripped != text.strip() and re.search(r"\w", stripped)
        else text.strip()
    )


def is_caps(text: str) -> bool:
    """Upper-case text with at least two letters ('EXPERIENCE', 'B.S. IN CS')."""
    letters = [ch for ch in text if ch.isalpha()]
    cased = [ch for ch in letters if ch.isupper() or ch.islower()]
    return (
        len(cased) >= 2 and len(cased) * 5 >= len(letters) * 3 and all(ch.isupper() for ch in cased)
    )


def join_row(cells: list[str]) -> tuple[str, str]:
    """One table row of one-line cells → (text, aside), the way a person reads the row.

    [role | date] and [date | role]: the date is the aside (that role's date);
    [text | place] with a longer text: the place is the aside; [label | value]
    (a short label such as 'Languages'): 'Languages: Python, SQL'; anything
    else: the cells in order, separated by ' | '.
    """
    cells = [c.strip() for c in cells if c.strip()]
    if not cells:
        return "", ""
    if len(cells) == 1:
        return cells[0], ""
    date_at = next((i for i in range(len(cells) - 1, -1, -1) if is_dateish(cells[i])), None)
    if date_at is not None:
        return join_parts([c for i, c in enumerate(cells) if i != date_at]), cells[date_at]
    if len(cells) == 2 and is_placeish(cells[1]) and len(cells[0].split()) > 2:
        return cells[0], cells[1]
    label = cells[0]
    if (
        len(cells) == 2
        and len(label) <= 30
        and len(label.split()) <= 4
        and not label.endswith((".", "。"))
        and not re.search(r"[<>@]|://|www\.", label)
    ):
        return f"{label}{' ' if label.endswith((':', '：')) else ': '}{cells[1]}", ""
    return join_parts(cells), ""


def join_parts(parts: list[str]) -> str:
    """Cells or TAB-separated parts on one line: ' | ' between them, a space after a 'Label:'."""
    out = ""
    for part in parts:
        if not out:
            out = part
        else:
            out += (" " if out.endswith((":", "：")) else " | ") + part
    return out


_SEPARATORS = regex_cache.compile(r"\s+[|·•—–-]\s+|,\s+|:\s+|\s*[|｜]\s*")
_PAREN_DATE = regex_cache.compile(r"^(?P<text>.*?\S)\s*[(（](?P<date>[^()（）]+)[)）]\s*[:：]?$")


def split_date(text: str, max_words: int = 14) -> tuple[str, str]:
    """An entry line with its dates written in: ('Engineer | Google', 'Jan 2020 – Present').

    'Software Engineer | Google | Jan 2020 – Present', 'Google – 2019 – 2021',
    '广州公司 - 后端研发（2021/05 - 2025/04）:' and '03/2019 – heute: Data Engineer'
    give the date as the aside. Lines longer than `max_words` are prose, not
    entry headers, and stay whole.
    """
    if len(text.split()) > max_words or not _YEAR_HINT.search(text) or is_dateish(text):
        return text, ""
    m = _PAREN_DATE.match(text)
    if m and is_dateish(m.group("date")):
        return m.group("text").rstrip(" -–—|,:："), m.group("date").strip()
    cuts = [
        (text[: sep.start()].strip(), text[sep.end() :].strip())
        for sep in _SEPARATORS.finditer(text)
    ]
    cuts = [
        (head, tail) for head, tail in cuts if head and tail and _balanced(head) and _balanced(tail)
    ]
    for head, tail in cuts:
        if is_dateish(tail) and not is_dateish(head) and not _DATE_END.search(head):
            return head.rstrip(" -–—|,:："), tail
    for head, tail in reversed(cuts):
        if is_dateish(head) and not is_dateish(tail) and not _DATE_START.match(tail):
            return tail, head
    return text, ""


# a cut between these would split a date range ('… Freight 03/2019 - 05/2022')
# longest first, then alphabetical: the same pattern in every process (sets have no order)
_MONTH_ALT = "|".join(re.escape(w) for w in sorted(_MONTHS, key=lambda w: (-len(w), w)))
_NOW_ALT = "|".join(
    re.escape(w)
    for w in sorted(
        {*(w for w in _NOW_WORDS if w.isalpha() and len(w) > 2), *_NOW_PHRASES},
        key=lambda w: (-len(w), w),
    )
)
_DATE_END = regex_cache.compile(rf"(?:\d|\b(?:{_MONTH_ALT})\.?)\s*$", re.I)
_DATE_START = regex_cache.compile(rf"^\s*(?:\d|(?:{_MONTH_ALT}|{_NOW_ALT})\b)", re.I)


def _balanced(text: str) -> bool:
    return text.count("(") + text.count("（") == text.count(")") + text.count("）")


_YEAR_HINT = regex_cache.compile(r"(?:19|20)\d{2}|\d{1,4}\s*年|\d{1,2}[/.]\d{2}")


def attach_dates(lines: list[Line]) -> None:
    """Entry lines (not bullets, not the title) with their dates written in get the dates as aside.

    A list item with items nested under it ('- 2022–2023: Backend Engineer' over its duties) is
    an entry written as a list, so it counts too."""
    for i, line in enumerate(lines):
        if line.aside or line.title:
            continue
        nested = (
            line.bullet
            and i + 1 < len(lines)
            and lines[i + 1].bullet
            and lines[i + 1].depth > line.depth
        )
        if not line.bullet or nested:
            line.text, line.aside = split_date(line.text)
