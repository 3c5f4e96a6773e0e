"""The resume's language, from its script and its most common small words."""

from __future__ import annotations

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


_KANA = regex_cache.compile(r"[\u3040-\u30ff]")
_HAN = regex_cache.compile(r"[\u4e00-\u9fff]")
_CYRILLIC = regex_cache.compile(r"[\u0400-\u04ff]")
_LATIN = regex_cache.compile(r"[A-Za-zÀ-ÿ]")
_LATIN_WORD = regex_cache.compile(r"[a-zà-ÿ]+")


def detect_language(text: str) -> str:
    """ISO 639-1 code: ja, zh, ru by script; the Latin-script languages by their small words."""
    sample = text[:20_000]
    kana = len(_KANA.findall(sample))
    han = len(_HAN.findall(sample))
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if kana >= 10 and kana + han > latin * 0.2:
        return "ja"
    if han >= 20 and han > latin * 0.2:
        return "zh"
    if cyrillic > latin * 0.5:
        return "ru"
    words = _LATIN_WORD.findall(sample.lower())
    counts = {lang: 0 for lang in _STOPWORDS}
    for word in words:
        for lang, stop in _STOPWORDS.items():
            if word in stop:
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 3 and counts[best] > counts["en"] * 1.15 else "en"
