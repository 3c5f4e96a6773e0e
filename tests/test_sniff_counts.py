"""The garbled-glyph ratio and the control-character count, found by regular expression, count
exactly what a character-by-character look-up of Unicode categories counts (core/reading/sniff.py)."""

from __future__ import annotations

import random
import unicodedata

from core.reading import sniff


def _ratio_by_category(text: str) -> float:
    shown = sniff.visible(text)
    if not shown:
        return 0.0
    bad = sum(
        1
        for ch in shown
        if ch == "\ufffd"
        or unicodedata.category(ch) in ("Co", "Cs", "Cn")
        or (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    )
    return min(1.0, (bad + 5 * len(sniff._CID_RE.findall(text))) / len(shown))


def _controls_by_category(text: str) -> int:
    return sum(1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")


def test_the_counts_match_a_category_look_up_for_any_character() -> None:
    rng = random.Random(3)
    texts = [
        "".join(map(chr, range(0, 0x3400))),  # every control, Latin, CJK punctuation, kana...
        "".join(map(chr, range(0xD7F0, 0xE100))),  # Hangul's end, surrogates, private use
        "Jane Doe (cid:12)(cid:7) résumé \ufffd\x00\x7f\x85\u200b\U000f0000 \U0010fffd",
        "",
        " \n\t ",
    ]
    for _ in range(200):
        size = rng.randrange(0, 400)
        texts.append("".join(chr(rng.randrange(0, 0x110000)) for _ in range(size)))
        texts.append("".join(chr(rng.randrange(0, 0x250)) for _ in range(size)))
    for text in texts:
        assert sniff.garbled_ratio(text) == _ratio_by_category(text)
        assert len(sniff._CONTROL.findall(text, 0, 4096)) == _controls_by_category(text)
