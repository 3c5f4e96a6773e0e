"""Properties of the text readers on arbitrary input: no crash, nothing invented, tidy is stable."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from core.reading.clean import tidy
from core.reading.text import read_text

_ALPHABET = st.characters(blacklist_categories=("Cs",)) | st.sampled_from(
    [*"-*•#>=_|:\t\n  \\[]()!`<>0123456789", "**", "\\n", "---", "1. ", "  - ", "\ufb01", "\u00ad"]
)
TEXT = st.lists(_ALPHABET, max_size=400).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.booleans())
def test_reading_never_fails_and_lines_are_single_lines(text: str, markdown: bool) -> None:
    layout = read_text(text, markdown)
    for line in layout.lines:
        assert line.text or line.aside
        assert "\n" not in line.text and "\n" not in line.aside
        assert line.depth >= 0 and line.heading in (0, 1, 2)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_plain_text_invents_no_characters(text: str) -> None:
    source = set(tidy(text)) | set(tidy(text.replace("\\n", "\n")))
    for line in read_text(text, markdown=False).lines:
        assert set(line.text + line.aside) <= source | set(" |:"), line


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_tidy_is_stable(text: str) -> None:
    once = tidy(text)
    assert tidy(once) == once
    assert "\t" not in once and "\u00a0" not in once and "\ufb01" not in once


def test_deep_nesting_and_long_lines_stay_fast() -> None:
    nested = (
        "".join("  " * i + "- item\n" for i in range(2000))
        + "> " * 5000
        + "quote\n"
        + "x" * 200_000
    )
    start = time.process_time()
    for markdown in (True, False):
        read_text(nested, markdown)
    assert time.process_time() - start < 5
