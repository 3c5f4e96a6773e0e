"""tidy() answers a printable-ASCII line (most PDF lines) on a short path: it must agree with
the general one, which the same line takes once a line break follows it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.reading.clean import tidy

PRINTABLE_ASCII = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E))
FLAGS = st.fixed_dictionaries(
    {"keep_tabs": st.booleans(), "keep_indent": st.booleans(), "keep_marks": st.booleans()}
)


@settings(max_examples=500, deadline=None)
@given(PRINTABLE_ASCII | st.sampled_from(["", " ", "  a  b  ", "a   b ", "   x"]), FLAGS)
def test_a_printable_ascii_line_reads_the_same_on_both_paths(text: str, flags: dict) -> None:
    assert text.isascii() and text.isprintable()
    assert tidy(text, **flags) == tidy(text + "\n", **flags)[:-1]
