"""The shipped word list answers as pyspellchecker does (core/spelling.py)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from core.spelling import build_word_list, speller

spellchecker = pytest.importorskip("spellchecker")

MISSPELT = [
    "managable",
    "strategiy",
    "recieve",
    "acheive",
    "seperate",
    "occured",
    "developement",
    "responsability",
    "cliche",  # -> 'cliché': the accent-only candidate wins, as in pyspellchecker
    "naive",
    "kubernetes",
    "dockerized",
    "microservices",
    "infinity",
]


@pytest.fixture(scope="module")
def reference():
    return spellchecker.SpellChecker(distance=1)


def _bare(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _acceptable(reference, word: str) -> set[str]:
    """What pyspellchecker may answer: its best candidates (a tie in frequency goes either way)."""
    found = reference.candidates(word) or set()
    if not found:
        return {None}
    accents = {c for c in found if _bare(c) == _bare(word)}
    pool = accents or found
    best = max(reference[c] for c in pool)
    return {c for c in pool if reference[c] == best}


def test_the_shipped_list_is_the_installed_dictionary() -> None:
    from importlib import resources

    shipped = resources.files("core.data").joinpath("spelling_en.txt").read_text(encoding="utf-8")
    assert shipped.split("\n", 1)[1] == build_word_list().split("\n", 1)[1], (
        "regenerate: python -m core.spelling > core/data/spelling_en.txt"
    )


def test_unknown_and_corrections_match_pyspellchecker(reference) -> None:
    rng = random.Random(12)
    known = [w for w in reference.word_frequency.dictionary if len(w) >= 5 and w.isalpha()]
    words = list(MISSPELT)
    for word in rng.sample(known, 300):  # one random edit of a real word: a plausible typo
        i = rng.randrange(len(word))
        c = rng.choice("abcdefghijklmnopqrstuvwxyz")
        words.append(rng.choice([word[:i] + word[i + 1 :], word[:i] + c + word[i + 1 :]]))
    words += rng.sample(known, 100)
    ours = speller()
    assert ours.unknown(words) == reference.unknown(words)
    for word in sorted(reference.unknown(words)):
        assert ours.correction(word) in _acceptable(reference, word), word
    assert ours.correction("cliche") == "cliché"
    assert ours.correction("managable") == "manageable"
    assert ours.correction("developer") == "developer"  # a known word is its own correction
