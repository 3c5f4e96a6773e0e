"""The English word list behind `style.misspelling`, loaded in a few milliseconds.

pyspellchecker's own loader (gzip, then JSON with 160,000 frequencies, then a Counter and a
letter set built word by word) took about 0.12 s per process, most of a one-file review's
start-up. The same dictionary is shipped here as `core/data/spelling_en.txt`: every word once,
most frequent first, so a word's position is its rank and no frequency has to be parsed;
the header line carries what pyspellchecker derives at load time (the alphabet and the
longest word). Loading is one read, one split and one set.

`Speller.unknown()` and `Speller.correction()` answer exactly as
`spellchecker.SpellChecker(distance=1)` does (same candidates: one edit with the
dictionary's letters; a candidate differing only by an accent first; then the most
frequent), except that a tie in frequency, which pyspellchecker breaks by set order (so
differently from one run to the next), goes to the word listed first (alphabetical among
equals). tests/test_spelling.py checks both against pyspellchecker.

Regenerate the list after upgrading pyspellchecker:
    python -m core.spelling > core/data/spelling_en.txt
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

WORD_LIST = "spelling_en.txt"
_HEADER = "# resume-bot spelling list"


class Speller:
    """Membership and one-edit corrections over a frequency-ranked word list."""

    __slots__ = ("_letters", "_longest", "_ranked", "_words")

    def __init__(self, text: str) -> None:
        header, _, body = text.partition("\n")
        fields = dict(part.split("=", 1) for part in header.split("\t")[1:])
        self._letters = fields["letters"]
        self._longest = int(fields["longest"])
        body = body.strip("\n")
        self._ranked = "\n" + body + "\n"  # "\nword\n" found earlier = more frequent
        self._words = frozenset(body.split("\n"))

    def __contains__(self, word: str) -> bool:
        return word in self._words

    def _checked(self, word: str) -> bool:
        """pyspellchecker skips numbers and words longer than any it knows by more than 3."""
        if len(word) > self._longest + 3:
            return False
        if word in ("nan", "inf", "infinity"):
            return True
        try:
            float(word)
        except ValueError:
            return True
        return False

    def unknown(self, words: Iterable[str]) -> set[str]:
        """The words (lower-cased) that are not in the dictionary."""
        lowered = (w.lower() for w in words)
        return {w for w in lowered if self._checked(w) and w not in self._words}

    def candidates(self, word: str) -> set[str]:
        """Dictionary words one edit (delete, transpose, replace, insert) from `word`."""
        word = word.lower()
        letters = self._letters
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        edits = {left + right[1:] for left, right in splits if right}
        edits.update(left + right[1] + right[0] + right[2:] for left, right in splits[:-2])
        edits.update(left + c + right[1:] for left, right in splits if right for c in letters)
        edits.update(left + c + right for left, right in splits for c in letters)
        return {w for w in edits if w in self._words and self._checked(w)}

    def _rank(self, word: str) -> int:
        return self._ranked.find("\n" + word + "\n")

    def correction(self, word: str) -> str | None:
        """The most frequent dictionary word one edit away (the word itself if known), or None."""
        word = word.lower()
        if word in self._words or not self._checked(word):
            return word
        found = self.candidates(word)
        if not found:
            return None
        bare = _without_accents(word)
        same_letters = [c for c in found if _without_accents(c) == bare]
        return min(same_letters or found, key=self._rank)


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def speller() -> Speller:
    """The English speller, loaded once per process."""
    return Speller(resources.files("core.data").joinpath(WORD_LIST).read_text(encoding="utf-8"))


def preload() -> None:
    """Load the word list now, so review workers forked after this inherit it."""
    speller()


def build_word_list() -> str:
    """The shipped file's text, from the installed pyspellchecker's English dictionary."""
    import gzip
    import json
    import pkgutil

    import spellchecker

    raw = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    assert raw is not None
    counts: dict[str, int] = {}
    for key, value in json.loads(gzip.decompress(raw).decode("utf-8")).items():
        counts[key.lower()] = counts.get(key.lower(), 0) + value  # as pyspellchecker folds case
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    letters = "".join(sorted(set().union(*ranked)))
    version = getattr(spellchecker, "__version__", "?")
    header = (
        f"{_HEADER} (pyspellchecker {version} 'en', MIT; most frequent first)"
        f"\tletters={letters}\tlongest={max(map(len, ranked))}"
    )
    return header + "\n" + "\n".join(ranked) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(build_word_list())
