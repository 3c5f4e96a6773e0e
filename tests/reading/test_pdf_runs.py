"""The per-character PDF reader asks PDFium for a size and weight once per text object.

That holds because PDFium's size and weight of a character are its text object's. If a
PDFium upgrade ever made them per character, the runs read the cheap way would differ
from the runs read asking every character: these tests compare the two on real pages
(the sample resume, pages built here, and every corpus PDF when the corpus is present).
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from core.reading.pdf import _runs_by_char
from tests.conftest import CORPUS, EXAMPLES
from tests.reading.pdfmaker import Page, build

CORPUS_PDFS = sorted((CORPUS / "resumes" / "pdf").glob("*.pdf"))


def _pages_agree(data: bytes) -> int:
    """Compare both ways on every page; returns how many runs were compared."""
    pdf = pdfium.PdfDocument(data)
    compared = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                each_char = _runs_by_char(textpage, by_object=False)
                once_per_object = _runs_by_char(textpage, by_object=True)
            finally:
                textpage.close()
                page.close()
            assert once_per_object == each_char, f"page {index + 1}"
            compared += len(each_char)
    finally:
        pdf.close()
    return compared


def test_sample_resume_reads_the_same_runs_either_way() -> None:
    assert _pages_agree((EXAMPLES / "resume.pdf").read_bytes()) > 20


def test_size_and_weight_changes_inside_a_line_split_runs_either_way() -> None:
    page = Page()
    page.text("Data Engineer", 50, 700, 12, True).text("Acme Corp", 140, 700, 10)
    page.text("Jan 2021 - Present", 480, 700, 9)
    page.text("Built the billing pipeline", 60, 680, 10).text("(40k invoices)", 200, 680, 10, True)
    runs = _pages_agree(build(page))
    assert runs >= 5


@pytest.mark.skipif(not CORPUS_PDFS, reason="corpus not present")
@pytest.mark.parametrize("path", CORPUS_PDFS, ids=[p.name for p in CORPUS_PDFS])
def test_corpus_pdf_reads_the_same_runs_either_way(path: Path) -> None:
    _pages_agree(path.read_bytes())
