"""The shortcuts taken for batch speed (issue 12) answer exactly as the work they skip.

Each shortcut skips a pattern or a loop when a cheap test says it can't find anything;
these tests hold each cheap test to the pattern it stands in for, on awkward lines and
on the corpus's text and Markdown resumes when they are present. Speed itself is measured
by `benchmarks/batch.py`, never here.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from core.reading import read_file
from core.rules import _CJK, _SENSITIVE
from core.structure import dates, parse_document
from core.structure.contact import EMAIL_RE, LINK_RE, PHONE_RE, find_email, find_link, phones_in
from core.structure.language import _STOPWORDS, detect_language
from tests.conftest import corpus_files

AWKWARD = [
    "",
    "Jane Doe",
    "jane.doe@example.com | +1 (555) 010-2345 | github.com/jane",
    "Email: jane@uni.edu.",
    "www.jane.dev",
    "https://x",
    "see ftp://files",
    "Ends with a full stop.",
    "e.g. three.js and Node.js",
    "3.97/4.00 GPA",
    "Tel ٠١٢٣٤٥٦٧٨٩ (Arabic-Indic digits)",
    "Phone：１２３４５６７８９０",
    "a@b",
    "@handle",
    "Date of birth: 1 May 1990",
    "DATE OF BIRTH 1990",
    "xDate of birth: 1990",
    "Staatsangehörigkeit: deutsch",
    "ſex: m",  # a long s, which re.I matches as 's'
    "Nationality:(EU)",
    "生年月日 1990年",
    "Marital status single",
    "age 31",
    "Age: 31",
]


def _span(m: re.Match[str] | None) -> tuple[tuple[int, int], str] | None:
    return None if m is None else (m.span(), m.group(0))


def _samples() -> list[str]:
    lines = list(AWKWARD)
    for path in corpus_files("resumes/text"):
        text = read_file(path.read_bytes(), path.name, 20).text
        lines += [text, *text.split("\n")]
    return lines


def test_email_link_and_phone_shortcuts_find_what_the_patterns_find() -> None:
    for text in _samples():
        assert _span(find_email(text)) == _span(EMAIL_RE.search(text)), text
        assert _span(find_link(text)) == _span(LINK_RE.search(text)), text
        if not any(ch.isdigit() for ch in text):  # phones_in skips text without a digit
            assert PHONE_RE.search(text) is None, text
    assert phones_in("+1 (555) 010-2345") == ["+1 (555) 010-2345"]
    assert phones_in("Tel: none") == []


def _plain_label_pattern(labels: list[str]) -> re.Pattern[str]:
    """The personal-data label pattern as it was before its word-boundary shortcut."""
    latin = [re.escape(w) for w in labels if w.isascii() or not _CJK.search(w)]
    cjk = [re.escape(w) for w in labels if _CJK.search(w)]
    parts = []
    if latin:
        parts.append(
            r"(?<![\w])(?:"
            + "|".join(sorted(latin, key=len, reverse=True))
            + r")(?!\w)\.?\s*[:：]?\s*(?=[\w(])"
        )
    if cjk:
        parts.append("(?:" + "|".join(cjk) + ")")
    return re.compile("|".join(parts), re.I)


def test_personal_data_labels_match_where_the_plain_pattern_matches() -> None:
    data = json.loads(resources.files("core.data").joinpath("personal.json").read_text("utf-8"))
    kinds = {label: words for label, words in data.items() if not label.startswith("_")}
    plain = [_plain_label_pattern(words) for words in kinds.values()]
    assert [label for _, label in _SENSITIVE] == list(kinds)
    samples = _samples() + [w for words in kinds.values() for w in words]
    samples += [f"{w.upper()}: x" for words in kinds.values() for w in words]
    for (fast, _), slow in zip(_SENSITIVE, plain, strict=True):
        for text in samples:
            assert [m.span() for m in fast.finditer(text)] == [
                m.span() for m in slow.finditer(text)
            ], text


def _language_by_list_scan(text: str) -> str:
    """detect_language as it was: letters counted one by one, every word against every list."""
    sample = text[:20_000]
    kana = len(re.findall(r"[\u3040-\u30ff]", sample))
    han = len(re.findall(r"[\u4e00-\u9fff]", sample))
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", sample))
    latin = len(re.findall(r"[A-Za-zÀ-ÿ]", sample))
    if kana >= 10 and kana + han > latin * 0.2:
        return "ja"
    if han >= 20 and han > latin * 0.2:
        return "zh"
    if cyrillic > latin * 0.5:
        return "ru"
    words = re.findall(r"[a-zà-ÿ]+", sample.lower())
    counts = dict.fromkeys(_STOPWORDS, 0)
    for word in words:
        for lang, stop in _STOPWORDS.items():
            if word in stop:
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 3 and counts[best] > counts["en"] * 1.15 else "en"


def test_the_language_vote_counts_as_the_list_scan_did() -> None:
    texts = [
        "Ingeniero de software con experiencia en el desarrollo de la plataforma y los datos",
        "Ingénieur logiciel avec une expérience dans le développement et la gestion des données",
        "Softwareentwickler mit Erfahrung in der Entwicklung und dem Betrieb von Diensten",
        "Engenheiro de software com experiência no desenvolvimento e na gestão de dados",
        "Ingegnere del software con esperienza nella progettazione e nello sviluppo di servizi",
        "Software-ingenieur met ervaring in het ontwikkelen van de diensten voor een bank",
        "Software engineer with experience in the design of the platform and its data",
        "de de de la la la en en en el el",  # ties between languages
        "Инженер-программист, опыт работы с данными и сервисами; Python, SQL",
        "ソフトウェアエンジニア、データ基盤の開発と運用 Python SQL",
        "软件工程师，负责数据平台的开发与运维，熟悉 Python 和 SQL 数据库系统",
    ]
    for text in texts + [t for t in _samples() if len(t) > 200]:
        assert detect_language(text) == _language_by_list_scan(text), text[:60]


def _kept(date: str) -> bool:
    """Is the answer for `date` kept from before (a cache hit)? Asks, so it is kept after."""
    hits = dates.find_date.cache_info().hits
    dates.find_date(date)
    return dates.find_date.cache_info().hits > hits


def test_a_documents_dates_are_forgotten_when_the_next_is_parsed() -> None:
    first = (
        "Jane Doe\njane@example.com\n\nExperience\nEngineer, Acme  Jan 2019 – Mar 2021\n"
        "- Built a tool that cut review time for the whole team\n"
    )
    second = (
        "Sam Lee\nsam@example.com\n\nSkills\n"
        "Python, SQL, data pipelines, testing and code review for small teams\n"
    )
    parse_document(read_file(first.encode(), "first.txt", 20))
    assert _kept("Jan 2019 – Mar 2021")  # asked about while the first was parsed
    parse_document(read_file(second.encode(), "second.txt", 20))
    assert not _kept("Jan 2019 – Mar 2021")  # no line of one resume stays for the next
    assert _span(dates.find_date("Jan 2019 – Mar 2021")) == _span(
        dates.DATE_RANGE_RE.search("Jan 2019 – Mar 2021")
    )
