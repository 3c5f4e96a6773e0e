"""The English word list behind `style.misspelling`, ready in about 2 ms.

pyspellchecker's own loader (gzip, then JSON with 160,000 frequencies, then a Counter and a
letter set built word by word) took about 0.12 s per process; a Python set of the same
160,000 words still took ~35 ms to build, most of a one-file review's own work. So the
dictionary is shipped as `core/data/spelling_en.txt` in alphabetical order, one
`word<TAB>rank` per line (the rank in base 36: 0 is the most frequent word), and the header
line carries what pyspellchecker derives at load time (the alphabet, the longest word) and
where each two-letter prefix's lines start and end. Loading is one read and a small JSON
index; a look-up reads only its prefix's lines (three letters: a few dozen words), once.

`Speller.unknown()` and `Speller.correction()` answer exactly as
`spellchecker.SpellChecker(distance=1)` does (same candidates: one edit with the
dictionary's letters; a candidate differing only by an accent first; then the most
frequent), except that a tie in frequency, which pyspellchecker breaks by set order (so
differently from one run to the next), goes to the alphabetically first word.
tests/test_spelling.py checks both against pyspellchecker.

Regenerate the list after upgrading pyspellchecker:
    python -m core.spelling > core/data/spelling_en.txt
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

WORD_LIST = "spelling_en.txt"
_HEADER = "# resume-bot spelling list"
_PREFIX = 3  # letters a look-up's span is keyed on
_WORD = re.compile(r"\n([^\t]+)\t")  # a line's word, before its rank


class Speller:
    """Membership and one-edit corrections over an indexed, alphabetical word list."""

    __slots__ = ("_body", "_groups", "_index", "_letters", "_longest")

    def __init__(self, text: str) -> None:
        header = text[: text.index("\n")]
        fields = dict(part.split("=", 1) for part in header.split("\t")[1:])
        self._letters = fields["letters"]
        self._longest = int(fields["longest"])
        # "\nword\trank" per word after the header; the index counts from the header's end
        base = len(header)
        self._index = {
            k: (start + base, end + base) for k, (start, end) in json.loads(fields["index"]).items()
        }
        self._body = text
        self._groups: dict[str, frozenset[str]] = {}

    def _group(self, prefix: str) -> frozenset[str]:
        """The words starting with `prefix` (a few dozen, on average), as a set made on first use.

        A correction looks up some 700 one-edit variants of a word; most share a few prefixes.
        """
        words = self._groups.get(prefix)
        if words is None:
            span = self._index.get(prefix)
            words = frozenset(_WORD.findall(self._body, *span)) if span else frozenset()
            self._groups[prefix] = words
        return words

    def __contains__(self, word: str) -> bool:
        return word in self._group(word[:_PREFIX])

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
        return {w for w in lowered if self._checked(w) and w not in self}

    def candidates(self, word: str) -> set[str]:
        """Dictionary words one edit (delete, transpose, replace, insert) from `word`."""
        word = word.lower()
        letters = self._letters
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        edits = {left + right[1:] for left, right in splits if right}
        edits.update(left + right[1] + right[0] + right[2:] for left, right in splits[:-2])
        edits.update(left + c + right[1:] for left, right in splits if right for c in letters)
        edits.update(left + c + right for left, right in splits for c in letters)
        return {w for w in edits if w in self and self._checked(w)}

    def _rank(self, word: str) -> int:
        """0 for the most frequent word (a tie in frequency was ranked alphabetically)."""
        span = self._index[word[:_PREFIX]]
        start = self._body.find("\n" + word + "\t", *span) + len(word) + 2
        return int(self._body[start : self._body.find("\n", start)], 36)

    def correction(self, word: str) -> str | None:
        """The most frequent dictionary word one edit away (the word itself if known), or None."""
        word = word.lower()
        if word in self or not self._checked(word):
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
    import pkgutil

    import spellchecker

    raw = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    assert raw is not None
    counts: dict[str, int] = {}
    for key, value in json.loads(gzip.decompress(raw).decode("utf-8")).items():
        counts[key.lower()] = counts.get(key.lower(), 0) + value  # as pyspellchecker folds case
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    rank = {w: n for n, w in enumerate(ranked)}
    letters = "".join(sorted(set().union(*ranked)))
    lines, index, at = [], {}, 0
    for word in sorted(ranked):
        key = word[:_PREFIX]
        span = index.setdefault(key, [at, at])
        lines.append(f"\n{word}\t{_base36(rank[word])}")
        at += len(lines[-1])
        span[1] = at
    version = getattr(spellchecker, "__version__", "?")
    header = (
        f"{_HEADER} (pyspellchecker {version} 'en', MIT; alphabetical, word TAB rank in base 36)"
        f"\tletters={letters}\tlongest={max(map(len, ranked))}"
        f"\tindex={json.dumps(index, ensure_ascii=False, separators=(',', ':'))}"
    )
    return header + "".join(lines) + "\n"


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = digits[digit] + out
        if not number:
            return out


if __name__ == "__main__":
    import sys

    sys.stdout.write(build_word_list())
