"""The rewrite as files: the DOCX must read like a resume and open anywhere."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from core import ReviewRequest, review_resume
from core.export import DOCX_MIME, markdown_to_docx, rewrite_attachments, safe_stem
from core.models import Extraction, FileKind, ReviewResult

REWRITE = """\
# Jane Doe
jane@example.com | +1 555 0100 | [linkedin.com/in/jane](https://linkedin.com/in/jane)

## Summary
Backend engineer with **8 years** of *Python* experience.\x07\x0b

## Experience
### Senior Engineer, Acme Corp
*Jan 2020 – Present*
- Cut p95 latency by **40%** by caching pricing lookups
- Led a team of 4 engineers; see [the talk](https://example.com/talk)

### Engineer, Globex
Mar 2017 – Dec 2019
- Built the billing export used by 300 customers

## Skills
- Python, SQL
Plain paragraph lines too.
"""


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def by_style(document: docx.document.Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def test_docx_reads_like_a_resume() -> None:
    document = read(markdown_to_docx(REWRITE))
    assert by_style(document, "Title") == ["Jane Doe"]
    assert by_style(document, "Heading 1") == ["Summary", "Experience", "Skills"]
    assert by_style(document, "Heading 2") == ["Senior Engineer, Acme Corp", "Engineer, Globex"]
    bullets = by_style(document, "List Bullet")
    assert len(bullets) == 4
    assert bullets[0] == "Cut p95 latency by 40% by caching pricing lookups"
    assert "Python, SQL" in bullets
    text = "\n".join(p.text for p in document.paragraphs)
    assert "**" not in text and "](" not in text
    assert "linkedin.com/in/jane" in text
    assert "the talk (https://example.com/talk)" in text
    assert "Plain paragraph lines too." in text


def test_inline_bold_italic_and_contact_line() -> None:
    document = read(markdown_to_docx(REWRITE))
    paragraphs = document.paragraphs
    contact = paragraphs[1]
    assert "jane@example.com" in contact.text
    assert contact.alignment is not None and int(contact.alignment) == 1  # centred
    summary = next(p for p in paragraphs if p.text.startswith("Backend engineer"))
    assert [r.text for r in summary.runs if r.bold] == ["8 years"]
    assert [r.text for r in summary.runs if r.italic] == ["Python"]
    date = next(p for p in paragraphs if p.text == "Jan 2020 – Present")
    assert all(r.italic for r in date.runs)


def test_fonts_margins_and_properties() -> None:
    document = read(markdown_to_docx(REWRITE))
    normal = document.styles["Normal"].font
    assert normal.name == "Calibri"
    assert 10 <= normal.size.pt <= 11
    section = document.sections[0]
    assert 0.5 <= section.left_margin.inches <= 1.0
    props = document.core_properties
    assert props.title == "Jane Doe"
    assert props.author in ("", "Jane Doe")
    assert props.last_modified_by == ""
    assert "python-docx" not in (props.author + props.comments + props.last_modified_by)


def test_control_characters_are_stripped_and_xml_is_valid() -> None:
    nasty = "# Bad\x00 Name\x1f\n\n## Sec\x0btion\n- bullet \x08with\ufffe junk\n"
    data = markdown_to_docx(nasty)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        for name in zf.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(zf.read(name))  # well-formed XML, or this raises
        body = zf.read("word/document.xml").decode("utf-8")
    assert "\x00" not in body and "\x08" not in body
    document = read(data)
    assert by_style(document, "Title") == ["Bad Name"]
    assert by_style(document, "List Bullet") == ["bullet with junk"]


def test_empty_and_headingless_markdown_still_make_a_document() -> None:
    for markdown in ("", "Just a line of text.", "- only\n- bullets"):
        document = read(markdown_to_docx(markdown))
        assert document.core_properties.title == "Resume"


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("cv.pdf", "cv"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\My CV (final).docx", "My_CV_final"),
        ("résumé 2024.pdf", "r_sum_2024"),
        ("...", "resume"),
        ("", "resume"),
        ("a" * 300 + ".pdf", "a" * 60),
    ],
)
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def _result(source_name: str) -> ReviewResult:
    return ReviewResult(
        source_name=source_name,
        score=50,
        breakdown={},
        rewritten=REWRITE,
        engine="offline",
        extraction=Extraction(kind=FileKind.TEXT, pages=1, chars=100),
    )


def test_rewrite_attachments_names_and_content() -> None:
    docx_file, pdf_file, md_file = rewrite_attachments(_result("Jane Doe CV.pdf"))
    assert docx_file.filename == "Jane_Doe_CV-rewritten.docx"
    assert pdf_file.filename == "Jane_Doe_CV-rewritten.pdf"
    assert pdf_file.mime == "application/pdf" and pdf_file.content.startswith(b"%PDF-")
    assert docx_file.mime == DOCX_MIME
    assert md_file.filename == "Jane_Doe_CV-rewritten.md"
    assert md_file.mime.startswith("text/markdown")
    assert md_file.content.decode("utf-8").startswith("# Jane Doe")
    assert "\x07" not in md_file.content.decode("utf-8")
    assert by_style(read(docx_file.content), "Title") == ["Jane Doe"]


async def test_review_resume_returns_all_three_attachments(settings) -> None:  # type: ignore[no-untyped-def]
    resume = (
        b"Sam Park\nsam@example.com | +1 555 0199\n\nEXPERIENCE\nData Engineer, Initech\n2020 - Present\n"
        b"- Responsible for the nightly ETL jobs\n- Built 12 Airflow DAGs that load 3 TB a day\n\n"
        b"SKILLS\nPython, SQL, Airflow\n"
    )
    result = await review_resume(
        ReviewRequest(data=resume, filename="sam park.txt", engine="offline"), settings
    )
    names = sorted(a.filename for a in result.attachments)
    assert names == ["sam_park-rewritten.docx", "sam_park-rewritten.md", "sam_park-rewritten.pdf"]
    document = read(next(a for a in result.attachments if a.filename.endswith(".docx")).content)
    assert document.paragraphs, "the DOCX has content"


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)"
)
def test_libreoffice_opens_and_converts_it(tmp_path: Path) -> None:
    source = tmp_path / "resume.docx"
    source.write_bytes(markdown_to_docx(REWRITE))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "resume.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-")
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf.read_bytes())
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "Jane Doe" in text and "Cut p95 latency" in text
