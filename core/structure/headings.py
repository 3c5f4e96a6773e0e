"""Which lines are section headings, and what kind of section each opens.

A heading is recognised from two kinds of evidence together:
- **words**: a multilingual table (core/data/headings.json) matched exactly, or as
  a whole word inside the heading ('Professional Experience', 'Competenze
  informatiche'), or as a substring for Chinese and Japanese;
- **style**: the format's own heading marks (Markdown `#`, Word 'Heading n'), or,
  for PDFs and plain text, the look of the lines whose words matched (size,
  weight, capitals). Every other short line printed in that same look is a
  heading too, even if its words are unknown ('Invited Talks', 'A Day of My Life').
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources

from core import regex_cache
from core.models import SectionName
from core.reading.lines import Line
from core.structure.dates import find_date

_DATA = json.loads(
    resources.files("core.data").joinpath("headings.json").read_text(encoding="utf-8")
)
_EXACT: dict[str, SectionName] = {}
for _kind, _phrases in _DATA.items():
    if _kind.startswith("_"):
        continue
    for _phrase in _phrases:
        _EXACT.setdefault(_phrase, SectionName(_kind))
_CJK_RE = regex_cache.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LATIN_PHRASES = sorted(
    (p for p in _EXACT if len(p) >= 2 and not _CJK_RE.search(p)), key=len, reverse=True
)
_BY_CONTENT = frozenset(_DATA["_by_content"])
_CONTENT = {
    kind: regex_cache.compile(
        "|".join(w if _CJK_RE.search(w) else rf"(?<!\w){re.escape(w)}" for w in words), re.I
    )
    for kind, words in _DATA["_content"].items()
}
_CJK_PHRASES = sorted((p for p in _EXACT if _CJK_RE.search(p)), key=len, reverse=True)
_PHRASE_RE = regex_cache.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in _LATIN_PHRASES) + r")(?!\w)"
)
_BRACKETED = regex_cache.compile(r"^(?:\[[^\]]+\]|【[^】]+】|〔[^〕]+〕|<[^>]+>)$")
_PAREN_TAIL = regex_cache.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_COLUMN_HEADS = regex_cache.compile(
    r"^(?:"
    + "|".join(
        re.escape(h).replace(r"\ ", r"\s*")
        for h in sorted(_DATA["_column_heads"], key=len, reverse=True)
    )
    + r")\s+(?=\S)"
)
_LIST_TAIL = regex_cache.compile(
    r"(?:" + "|".join(re.escape(w) for w in _DATA["_list_tail"]) + r")\s*[:：]?$"
)
_CONTACT_HINT = regex_cache.compile(
    r"@|https?://|www\.|\+?\d[\d\s().-]{7,}\d|linkedin|github|〒\s*\d", re.I
)


def split_column_heads(text: str) -> tuple[str, str]:
    """'年 月 免許・資格' → ('年 月', '免許・資格'): a form's column labels before a box's label."""
    m = _COLUMN_HEADS.match(text.strip())
    if m and _CJK_RE.search(text[m.end() :]):
        return m.group(0).strip(), text.strip()[m.end() :]
    return "", text


def _first_topic(key: str) -> str:
    """'志望の動機、特技、好きな学科など' → '志望の動機': a form label listing its topics."""
    if "、" not in key or not _CJK_RE.search(key):
        return key
    return key.split("、", 1)[0] if _LIST_TAIL.search(key) or key.count("、") >= 2 else key


def kind_by_words(lines: list[str]) -> SectionName | None:
    """The kind most of a section's lines name ('Fantastic Achievement', 'Another award')."""
    texts = [t for t in lines if t.strip()]
    for kind, pattern in _CONTENT.items():
        if len(texts) >= 2 and sum(1 for t in texts if pattern.search(t)) >= 0.5 * len(texts):
            return SectionName(kind)
    return None


def by_content(text: str) -> bool:
    """'Extracurricular Activities': a heading whose kind the content decides."""
    return heading_key(_PAREN_TAIL.sub("", text.strip())) in _BY_CONTENT


_ORNAMENTS = regex_cache.compile(r"^[\W_]+|[\W_]+$")
_SPACES = regex_cache.compile(r"[\s\u3000]+")
_LETTER_SPACED = regex_cache.compile(r"(?:\w ){2,}\w")


def heading_key(text: str) -> str:
    """Lower case, no ornaments: '【職務経歴】' → '職務経歴', 'E X P E R I E N C E' → 'experience'."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = _ORNAMENTS.sub("", text)
    text = _SPACES.sub(" ", text)
    if _LETTER_SPACED.fullmatch(text):  # letter-spaced capitals
        text = text.replace(" ", "")
    return text


@lru_cache(maxsize=2048)
def kind_of(text: str) -> SectionName | None:
    """The section kind the words of a heading name, or None.

    Cached: one parse asks about the same line several times (~6 times for each distinct
    text over the corpus). `parse_document` empties the cache for each document, so no line
    of one resume stays in a worker's memory while it reads the next.
    """
    key = heading_key(_PAREN_TAIL.sub("", split_column_heads(text)[1].strip()))
    if not key or len(key) > 60:
        return None
    if key in _EXACT:
        return _EXACT[key]
    if _first_topic(key) in _EXACT:
        return _EXACT[_first_topic(key)]
    squashed = key.replace(" ", "")
    if squashed in _EXACT:
        return _EXACT[squashed]
    found: list[tuple[int, int, str]] = []
    words = max(1, len(key.split()))
    for m in _PHRASE_RE.finditer(key):
        # a known phrase opens the heading, or is most of it ('Selected Honors'), not a word in a title
        if m.start() == 0 or len(m.group(0).split()) >= 0.4 * words:
            found.append((m.start(), -len(m.group(0)), m.group(0)))
    if _CJK_RE.search(key):  # every phrase here has a CJK character: else none is in `key`
        for phrase in _CJK_PHRASES:
            at = key.find(phrase)
            if at >= 0:
                found.append((at, -len(phrase), phrase))
    return _EXACT[min(found)[2]] if found else None


def exact(text: str) -> bool:
    """The whole heading is a known phrase ('Work Experience', not 'Project 1')."""
    key = heading_key(_PAREN_TAIL.sub("", split_column_heads(text)[1].strip()))
    return key in _EXACT or key.replace(" ", "") in _EXACT or _first_topic(key) in _EXACT


def is_short(line: Line) -> bool:
    text = split_column_heads(line.text)[1].strip()
    if line.caps or _CJK_RE.search(text):  # a form label's instructions: '本人希望記入欄（…）'
        text = _PAREN_TAIL.sub("", text)
    if not text or line.bullet or len(text) > 70:
        return False
    if _CJK_RE.search(text):
        return len(text) <= 40 and not text.endswith(("。", "."))
    words = text.split()
    return len(words) <= 7 and not text.endswith((".", ";", ",")) and not _CONTACT_HINT.search(text)


def signature(line: Line) -> tuple[float, bool, bool, int, bool]:
    """How a line looks: size bucket, bold, capitals, format heading level, and brackets
    ('【職務経歴】': a bold company name under it is not a heading of the same look)."""
    return (
        round(line.size * 10) / 10,
        line.bold,
        line.caps,
        line.heading,
        bool(_BRACKETED.match(line.text.strip())),
    )


def _distinctive(line: Line) -> bool:
    return (
        line.heading > 0
        or line.size >= 1.08
        or line.bold
        or line.caps
        or line.text.rstrip().endswith((":", "："))
    )


def find_headings(lines: list[Line], title_index: int | None) -> dict[int, SectionName]:
    """Index of each heading line → its kind (OTHER when the words are unknown)."""
    candidates = [
        i
        for i, line in enumerate(lines)
        if ((i != title_index and not line.title) or exact(line.text))
        and is_short(line)
        and not find_date(line.text)
        and (
            len(line.parts) < 2
            or line.heading > 0
            or all(p.startswith(("(", "（")) for p in line.parts[1:])
        )
        # 'Languages: English, French' in two styles is a label and its value, not a heading
    ]
    kinds = {i: kind_of(lines[i].text) for i in candidates}
    explicit = [i for i in candidates if lines[i].heading > 0]
    if sum(1 for i in explicit if kinds[i]) >= 2:
        level = Counter(lines[i].heading for i in explicit if kinds[i]).most_common(1)[0][0]
        chosen = {i: kinds[i] or SectionName.OTHER for i in explicit if lines[i].heading == level}
        # a short line in the same look as matched headings but without a format mark
        return chosen
    matched = [
        i
        for i in candidates
        if kinds[i] is not None
        and (_distinctive(lines[i]) or (_CJK_RE.search(lines[i].text) and exact(lines[i].text)))
    ]  # Chinese and Japanese have no capitals: an exact heading phrase on its own line is enough
    looks = Counter(signature(lines[i]) for i in matched)
    chosen: dict[int, SectionName] = {}
    if looks:
        top = looks.most_common()
        styles = {
            sig
            for sig, n in top
            if (n >= 2 and n >= 0.4 * top[0][1]) or (n == top[0][1] and len(matched) <= 2)
        }
        primary = top[0][0]
        # a smaller look than the main headings' is a sub-heading level ('Languages' inside 'Skills')
        styles = {
            sig for sig in styles if sig == primary or sig[0] >= 0.8 * primary[0] or sig[3] > 0
        }
        body_like = {
            sig for sig in styles if sig[0] <= 1.0 and not sig[1] and not sig[2] and not sig[3]
        }
        styles -= body_like
        first = next((k for k, ln in enumerate(lines) if ln.text), 0)
        for i in candidates:
            if signature(lines[i]) in styles and not lines[i].aside and _alone(lines, i):
                if kinds[i] is None and i <= first + 1:
                    continue  # the first line of a resume is the name, whatever it looks like
                chosen[i] = kinds[i] or SectionName.OTHER
        first_chosen = min(chosen, default=len(lines))
        for i in matched:
            smaller = (
                signature(lines[i])[0] < 0.8 * primary[0]
                and lines[i].heading == 0
                and i > first_chosen
            )
            if (
                i not in chosen
                and not smaller
                and exact(lines[i].text)
                and _alone(lines, i)
                and not lines[i].aside
            ):
                chosen[i] = kinds[i] or SectionName.OTHER
    else:
        for i in candidates:
            if kinds[i] is not None and _alone(lines, i):
                chosen[i] = kinds[i]
    if not chosen:
        for i in candidates:
            if kinds[i] is not None and _alone(lines, i):
                chosen[i] = kinds[i]
    for i in (
        candidates
    ):  # '[Experience]', '【職務経歴】': brackets mark a heading whatever the font says
        if (
            i not in chosen
            and kinds[i] is not None
            and _BRACKETED.match(lines[i].text.strip())
            and exact(lines[i].text)
        ):
            chosen[i] = kinds[i]
    return chosen


def _alone(lines: list[Line], i: int) -> bool:
    """A heading stands on its own: not the middle of a wrapped sentence, followed by something."""
    if i + 1 >= len(lines):
        return False
    prev = lines[i - 1].text if i > 0 else ""
    return not (
        prev.endswith((",", "-", " and", " &"))
        and not lines[i].caps
        and not lines[i].bold
        and lines[i].gap < 1
    )
