"""The fast DOCX builder writes the same document python-docx built run by run (issue 12, Export).

Every part of the package is compared byte for byte, except the creation and
modification times in docProps/core.xml, which are the clock's.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.export import markdown_to_docx
from tests.conftest import CORPUS, corpus_files
from tests.corpus_reviews import corpus_review
from tests.export_reference import markdown_to_docx as reference_docx
from tests.test_export import REWRITE

RESUMES = [p for p in corpus_files("resumes", "*/*") if p.is_file()]
_TIMES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {name: _TIMES.sub(b"", zf.read(name)) for name in zf.namelist()}


def assert_same_document(markdown: str) -> None:
    new, old = parts(markdown_to_docx(markdown)), parts(reference_docx(markdown))
    assert new.keys() == old.keys()
    for name in old:
        assert new[name] == old[name], name


def corpus_rewrite(path: Path) -> str:
    return corpus_review(path)[1].rewritten


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", RESUMES, ids=[p.name for p in RESUMES])
def test_corpus_rewrite_docx_is_the_same_document(path: Path) -> None:
    try:
        rewrite = corpus_rewrite(path)
    except Exception as exc:
        pytest.skip(f"not reviewable: {type(exc).__name__}")
    assert_same_document(rewrite)


@pytest.mark.parametrize(
    "markdown",
    [
        REWRITE,
        "",
        "Just a line of text.",
        "- only\n- bullets",
        "# Bad\x00 Name\x1f\n\n## Sec\x0btion\n- bullet \x08with\ufffe junk\n",
        "#  \n# Second title\n",
        "# **\n# Real Name\nheadline\n",
        "## No name\n### Role\n_2020 – 2021_\n-  tab\there  \n1. numbered\n2) also\n",
        "# A & B <c>\n a@b.c | +1 (555) 010-0000 \n\n---\n## \"Quotes\" & 'apostrophes'\n*not a date*\n",
        "# Ünïcödé 李明\n\n## 職務経歴\n- 売上を **20%** 伸ばした [link](https://x.y) `code`\n",
    ],
)
def test_edge_cases_are_the_same_document(markdown: str) -> None:
    assert_same_document(markdown)


_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            ["# ", "## ", "### ", "- ", "* ", "1. ", "", "*", "**", "_", "---", "  ", "\t"]
        ),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(_LINES, max_size=8).map("\n".join))
def test_any_markdown_is_the_same_document(markdown: str) -> None:
    assert_same_document(markdown)
