"""Dates as resumes print them, in the languages we read: 'Sept 2018 – May 2023',
'03/2019 – heute', 'mar/2022 – atual', '2019年4月～現在', 'depuis 2020', '平成30年4月'.

The words live in core/data/dates.json; this module turns them into patterns.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from core import regex_cache

_DATA = json.loads(resources.files("core.data").joinpath("dates.json").read_text(encoding="utf-8"))
MONTHS: dict[str, int] = {
    name: int(num) for num, names in _DATA["months"].items() for name in names
}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_NOW_ALT = "|".join(sorted((re.escape(w) for w in _DATA["now"]), key=len, reverse=True))
_EXPECTED_ALT = "|".join(sorted((re.escape(w) for w in _DATA["expected"]), key=len, reverse=True))
_SINCE_ALT = "|".join(sorted((re.escape(w) for w in _DATA["since"]), key=len, reverse=True))
PLACEHOLDER = "(?:" + "|".join(_DATA["placeholders"]) + ")"
"""A template's unfilled date ('Month 20XX', 'xx/xxxx'): a date without a year we could use."""

YEAR = r"(?:19|20)\d{2}"
MONTH = rf"(?:{_MONTH_ALT})\.?"
_ERA = r"(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*年(?:\s*\d{1,2}\s*月)?"
_CJK = rf"{YEAR}\s*年(?:\s*\d{{1,2}}\s*月)?(?:\s*\d{{1,2}}\s*日)?"
DATE = (
    rf"(?:{YEAR}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}(?!\d)"  # 2012-01-01
    # Sept 2018, mar/2022, 1 gennaio 2005, mai de 2025
    rf"|(?:\d{{1,2}}\.?\s+)?{MONTH}\s*(?:de\s+|del\s+)?[/.,'’-]?\s*(?:{YEAR}|'\d{{2}})"
    rf"|{_CJK}|{_ERA}"
    rf"|\d{{1,2}}\s*[/.-]\s*{YEAR}"  # 03/2019, 03.2019
    rf"|{YEAR}\s*[/.-]\s*\d{{1,2}}(?![\d])"  # 2019-04, 2019/04
    rf"|{YEAR}(?:\s*\(\w+\))?"  # 2019
    rf"|{PLACEHOLDER})"  # Month 20XX, xx/xxxx
)
NOW = rf"(?:{_NOW_ALT})"
_SEP = r"\s*(?:[-–—~〜～‑]+|to|bis|until|till|à|au|a|até|al|fino a|tot|по|→)\s*"
# 'ago. 2024 –' with nothing after the dash: a range still open (its end is empty)
_OPEN_END = r"(?:(?<=[-–—~〜～])|(?<=[-–—~〜～]\s))(?=\s*$)"
# 'since 2019' is a range too: its start is the date and its end is empty (never None).
DATE_RANGE_RE = regex_cache.compile(
    rf"(?<![\w/])(?:(?P<since>{_SINCE_ALT})\s+)?(?P<start>{DATE})"
    rf"(?(since)|(?:{_SEP}|\s+))(?P<end>(?(since)|(?:(?:(?:{_EXPECTED_ALT})\s*)?(?:{DATE}|{NOW})"
    rf"|{_OPEN_END})))(?![\w/])",
    re.I,
)
SINGLE_DATE_RE = regex_cache.compile(rf"(?<![\w/]){DATE}(?![\w/])|(?<!\w){NOW}(?!\w)", re.I)
YEAR_RE = regex_cache.compile(YEAR)
_DURATION = regex_cache.compile(
    r"^\(?\s*\d+\s*(?:years?|yrs?|months?|mos?|ans?|mois|años?|meses|anni|mesi|jahre?|monate?|jaar|maanden|лет|года?|месяц\w*|年|ヶ月|个月)"
    r"(?:\s*(?:and|,|et|y|e|und)?\s*\d+\s*(?:months?|mos?|mois|meses|mesi|monate?|maanden|месяц\w*|ヶ月|个月))?\s*\)?$",
    re.I,
)


_DURATION_TAIL = regex_cache.compile(
    r"[\s,·|]*\(?\s*\d+\s*(?:years?|yrs?|months?|mos?|ans?|mois|años?|meses|anni|mesi|jahre?|monate?|лет|года?|ヶ月|个月)"
    r"(?:\s*(?:and|,|et|y|e|und)?\s*\d+\s*(?:months?|mos?|mois|meses|mesi|monate?|ヶ月|个月))?\s*\)?\s*$",
    re.I,
)


# every date we read has digits, or is a placeholder
_DIGIT = regex_cache.compile(r"\d|xx|yyyy", re.I)


def has_date_chars(text: str) -> bool:
    """Could `text` hold a date at all? (A fast test before the long patterns.)"""
    return bool(_DIGIT.search(text))


def without_duration(text: str) -> str:
    """'June 2023 – present 2 years 10 months' → 'June 2023 – present'."""
    return _DURATION_TAIL.sub("", text).strip()


# One parse asks about the same text's dates several times (each distinct text ~3 times over
# the corpus), so the answers below are kept for one document: `parse_document` calls
# `clear_caches()` first, so no line of one resume stays in a worker while it reads the next.
_KEPT_PER_DOCUMENT = 4096


def clear_caches() -> None:
    """Forget the dates asked about so far (the previous document's lines)."""
    for cached in (find_range, find_date, is_current, only_dates):
        cached.cache_clear()


@lru_cache(maxsize=_KEPT_PER_DOCUMENT)
def find_range(text: str) -> re.Match[str] | None:
    """The first date range in `text` ('Jan 2020 – Present', 'since 2019'), or None."""
    if not _DIGIT.search(text):
        return None  # no digit and no placeholder: skip the long month pattern
    return DATE_RANGE_RE.search(text)


@lru_cache(maxsize=_KEPT_PER_DOCUMENT)
def find_date(text: str) -> re.Match[str] | None:
    """A range if there is one, else a single date ('2019', 'May 2021')."""
    if not _DIGIT.search(text):
        return None
    return DATE_RANGE_RE.search(text) or SINGLE_DATE_RE.search(text)


def is_duration(text: str) -> bool:
    """'2 years 10 months', '(4 months)': printed beside dates, not a date of its own."""
    return bool(_DURATION.match(text.strip()))


_SINCE_ALONE = regex_cache.compile(rf"^(?:{_SINCE_ALT})$", re.I)


def opens_range(text: str) -> bool:
    """A date column's line that the next line completes: 'June 2020 –', 'Starting'."""
    text = text.rstrip()
    return text.endswith(("-", "–", "—", "~", "〜", "～")) or bool(_SINCE_ALONE.match(text))


_NOW_RE = regex_cache.compile(NOW, re.I)
_DURATION_WORDS = regex_cache.compile(r"\(?\s*\d+\s*(?:years?|yrs?|months?|mos?)\b\s*\)?", re.I)
_HEDGES = regex_cache.compile(rf"\b(?:exp|expected|est|ca|approx|circa|{_SINCE_ALT})\b\.?", re.I)
_DAY = regex_cache.compile(r"(?<!\d)(?:[1-9]|[12]\d|3[01])(?!\d)")  # a day: '3 – 28 July 2017'
_SEPARATORS = regex_cache.compile(r"[\s\-–—~〜～|,.:;()/·•]+")


@lru_cache(maxsize=_KEPT_PER_DOCUMENT)
def is_current(range_text: str) -> bool:
    m = DATE_RANGE_RE.search(range_text)
    if not m:
        return False
    end = (m["end"] or "").strip()
    if m["since"] or not end:
        return True  # 'since 2019', 'ago. 2024 –'
    return bool(_NOW_RE.fullmatch(end))


def years(range_text: str) -> tuple[int | None, int | None]:
    found = [int(y) for y in YEAR_RE.findall(range_text)]
    if not found:
        return None, None
    return found[0], (found[1] if len(found) > 1 else None)


@lru_cache(maxsize=_KEPT_PER_DOCUMENT)
def only_dates(text: str) -> bool:
    """Nothing but dates, separators and durations ('2019 – 2021', 'Sept 2018 – May 2023 (4 years)')."""
    rest = DATE_RANGE_RE.sub(" ", text)
    rest = SINGLE_DATE_RE.sub(" ", rest)
    rest = _DURATION_WORDS.sub(" ", rest)
    rest = _HEDGES.sub(" ", rest)
    rest = _DAY.sub(" ", rest)
    return not _SEPARATORS.sub("", rest)
