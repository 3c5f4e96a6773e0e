"""The resume's language, from its script and its most common small words."""

from __future__ import annotations

import re

from core import regex_cache

_STOPWORDS = {
    "en": [
        "the",
        "and",
        "of",
        "in",
        "to",
        "for",
        "with",
        "on",
        "at",
        "as",
        "by",
        "from",
        "is",
        "are",
        "was",
        "my",
        "i",
    ],
    "de": [
        "und",
        "der",
        "die",
        "das",
        "mit",
        "von",
        "für",
        "im",
        "in",
        "bei",
        "zu",
        "auf",
        "ist",
        "als",
        "den",
        "des",
        "eine",
        "ein",
    ],
    "fr": [
        "et",
        "de",
        "la",
        "le",
        "les",
        "des",
        "du",
        "en",
        "pour",
        "avec",
        "dans",
        "au",
        "sur",
        "une",
        "un",
        "est",
        "à",
    ],
    "es": [
        "y",
        "de",
        "la",
        "el",
        "los",
        "las",
        "en",
        "con",
        "para",
        "por",
        "del",
        "una",
        "un",
        "se",
        "como",
        "al",
    ],
    "pt": [
        "e",
        "de",
        "da",
        "do",
        "das",
        "dos",
        "em",
        "com",
        "para",
        "por",
        "uma",
        "um",
        "no",
        "na",
        "ao",
        "os",
        "as",
    ],
    "it": [
        "e",
        "di",
        "il",
        "la",
        "le",
        "del",
        "della",
        "con",
        "per",
        "in",
        "un",
        "una",
        "nel",
        "alla",
        "dei",
        "gli",
    ],
    "nl": [
        "en",
        "de",
        "het",
        "van",
        "een",
        "met",
        "voor",
        "in",
        "op",
        "bij",
        "als",
        "is",
        "aan",
        "te",
    ],
}


# Each small word → the languages that list it (a word listed twice counts once), so a word is
# looked up once instead of in every language's list.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _word in dict.fromkeys(_words):
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)

# Runs of each script, not single characters: the count is the runs' total length, and
# findall returns a list item per run instead of one per letter.
_KANA = regex_cache.compile(r"[\u3040-\u30ff]+")
_HAN = regex_cache.compile(r"[\u4e00-\u9fff]+")
_CYRILLIC = regex_cache.compile(r"[\u0400-\u04ff]+")
_LATIN = regex_cache.compile(r"[A-Za-zÀ-ÿ]+")
_LATIN_WORD = regex_cache.compile(r"[a-zà-ÿ]+")


def _count(script: re.Pattern[str], text: str) -> int:
    """How many characters of `text` are in `script` (a pattern matching runs of them)."""
    return sum(map(len, script.findall(text)))


def detect_language(text: str) -> str:
    """ISO 639-1 code: ja, zh, ru by script; the Latin-script languages by their small words."""
    sample = text[:20_000]
    kana = _count(_KANA, sample)
    han = _count(_HAN, sample)
    cyrillic = _count(_CYRILLIC, sample)
    latin = _count(_LATIN, sample)
    if kana >= 10 and kana + han > latin * 0.2:
        return "ja"
    if han >= 20 and han > latin * 0.2:
        return "zh"
    if cyrillic > latin * 0.5:
        return "ru"
    words = _LATIN_WORD.findall(sample.lower())
    counts = {lang: 0 for lang in _STOPWORDS}
    for word in words:
        for lang in _LANGUAGES_OF.get(word, ()):
            counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 3 and counts[best] > counts["en"] * 1.15 else "en"
