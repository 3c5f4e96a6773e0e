"""The shipped examples: the same fictional resume reads the same from TXT, DOCX and PDF."""

from __future__ import annotations

import io

import docx
import pypdfium2 as pdfium
import pytest

from core import ReviewRequest, review_resume
from core.keywords import match_keywords
from core.reading import extract
from tests.conftest import EXAMPLES

FORMATS = ("resume.txt", "resume.docx", "resume.pdf")
KEY_LINES = (
    "Alex Rivera",
    "Harborlight Analytics",
    "Bluefin Freight Systems",
    "Cedar & Pine Retail",
    "• Led the migration of 14 batch jobs from cron to Apache Airflow, "
    "cutting failed nightly runs from 9 a month to 1.",
    "• The legacy billing database was migrated by me to AWS RDS.",
    "Jan 2019 - 03/2021",
)


@pytest.mark.parametrize("name", FORMATS)
def test_example_reads_into_the_key_lines(name: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    text, extraction = extract(data, name, max_pages=10)
    assert extraction.quality == "good"
    for line in KEY_LINES:
        assert line in text, (name, line)


def test_all_formats_give_the_same_bullets() -> None:
    bullets = {}
    for name in FORMATS:
        text, _ = extract((EXAMPLES / name).read_bytes(), name, max_pages=10)
        bullets[name] = [ln for ln in text.splitlines() if ln.startswith("• ")]
    assert len(bullets["resume.txt"]) == 12
    assert bullets["resume.txt"] == bullets["resume.docx"] == bullets["resume.pdf"]


def test_pdf_has_a_real_text_layer_and_fits_two_pages() -> None:
    pdf = pdfium.PdfDocument((EXAMPLES / "resume.pdf").read_bytes())
    assert 1 <= len(pdf) <= 2
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Alex Rivera" in text and "Harborlight Analytics" in text


def test_docx_uses_word_bullets_and_a_skills_table() -> None:
    document = docx.Document(io.BytesIO((EXAMPLES / "resume.docx").read_bytes()))
    assert sum(p.style.name == "List Bullet" for p in document.paragraphs) == 12
    assert len(document.tables) == 1
    assert document.tables[0].cell(0, 0).text == "Languages"


def test_job_description_is_a_partial_match() -> None:
    resume, _ = extract((EXAMPLES / "resume.txt").read_bytes(), "resume.txt", max_pages=10)
    match = match_keywords((EXAMPLES / "job_description.txt").read_text(encoding="utf-8"), resume)
    assert 50 <= match.match_percent <= 75
    assert {"kubernetes", "terraform"} <= {m.lower() for m in match.missing}


async def test_example_reviews_end_to_end(settings) -> None:  # type: ignore[no-untyped-def]
    job = (EXAMPLES / "job_description.txt").read_text(encoding="utf-8")
    request = ReviewRequest(
        data=(EXAMPLES / "resume.pdf").read_bytes(),
        filename="resume.pdf",
        job_description=job,
        engine="offline",
    )
    result = await review_resume(request, settings)
    assert 0 <= result.score <= 100
    assert result.keywords is not None and result.keywords.matched
    assert {a.filename for a in result.attachments} == {
        "resume-rewritten.docx",
        "resume-rewritten.pdf",
        "resume-rewritten.md",
    }
