"""Reading files: type sniffing, PDF/DOCX/text extraction, and a clear error for every bad file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from core import errors
from core.config import Settings
from core.models import FileKind
from core.reading import extract, read_document, sniff_kind
from core.reading.text import plain_text
from tests.conftest import CORPUS, corpus_files, require_corpus
from tests.samples import GOOD_RESUME, make_docx

HOSTILE_EXPECTED = {
    "encrypted_aes256_user_and_owner_password.pdf": errors.EncryptedFileError,
    "encrypted_rc4_128_libreoffice_user_password.pdf": errors.EncryptedFileError,
    "image_only_ccitt_fax_scan.pdf": errors.NoTextError,
    "image_only_grayscale_page.pdf": errors.NoTextError,
    "many_pages_117.pdf": errors.TooManyPagesError,
    "truncated_resume_50pct.pdf": errors.DamagedFileError,
}


@pytest.mark.parametrize("path", corpus_files("hostile", "*.pdf"), ids=lambda p: p.name)
async def test_every_hostile_pdf_ends_in_a_result_or_a_clear_error(
    path: Path, settings: Settings
) -> None:
    try:
        document = await read_document(path.read_bytes(), path.name, settings)
    except errors.InputError as exc:
        expected = HOSTILE_EXPECTED.get(path.name, errors.InputError)
        assert isinstance(exc, expected), f"{path.name}: {type(exc).__name__}"
        text = exc.for_user()
        assert "Traceback" not in text and len(text) < 400 and exc.hint in text
    else:
        assert path.name not in HOSTILE_EXPECTED
        assert document.text.strip()


def test_hostile_expectations_cover_real_files() -> None:
    require_corpus()
    assert {p.name for p in corpus_files("hostile", "*.pdf")} >= set(HOSTILE_EXPECTED)


def test_encrypted_error_says_password_and_never_cracks() -> None:
    require_corpus()
    data = (CORPUS / "hostile" / "encrypted_aes256_user_and_owner_password.pdf").read_bytes()
    with pytest.raises(errors.EncryptedFileError) as info:
        extract(data, "cv.pdf", 10)
    assert "password" in info.value.for_user().lower()


def test_page_limit_names_the_count() -> None:
    require_corpus()
    data = (CORPUS / "hostile" / "many_pages_117.pdf").read_bytes()
    with pytest.raises(errors.TooManyPagesError, match="117 pages"):
        extract(data, "cv.pdf", 10)


@pytest.mark.parametrize(
    "path",
    corpus_files("resumes/pdf", "*.pdf")
    + corpus_files("resumes/docx", "*.docx")
    + corpus_files("resumes/text", "*"),
    ids=lambda p: p.name,
)
def test_every_corpus_resume_reads_as_clean_text(path: Path) -> None:
    text, extraction = extract(path.read_bytes(), path.name, 10)
    assert extraction.chars == len(text) > 150
    assert "\ufffd" not in text and "(cid:" not in text
    if (
        "no_tounicode" in path.name
    ):  # its CJK font has no character map: the words can't be read, and we say so
        assert extraction.quality == "poor" and extraction.garbled_ratio > 0.15
        return
    assert extraction.quality in ("good", "fair")
    assert extraction.garbled_ratio < 0.02


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("billryan_resume_zh_CN.pdf", ["你的大名", "教育背景", "上海交通大学"]),
        ("jsonresume_rirekisho_tanaka_hanako.pdf", ["履", "田中", "花子"]),
        ("billryan_resume_en.pdf", ["Shanghai Jiao Tong University"]),
        ("brilliant_cv_john_doe.pdf", ["Data Analyst"]),
    ],
)
def test_cjk_and_latin_pdfs_read_correctly(name: str, expected: list[str]) -> None:
    path = CORPUS / "resumes" / "pdf" / name
    if not path.exists():
        pytest.skip("corpus absent")
    text, _ = extract(path.read_bytes(), name, 10)
    for needle in expected:
        assert needle in text


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("altacv_sample_two_column.pdf", True),
        ("resumematcher_modern_two_column_john_doe.pdf", True),
        ("rendercv_engineeringresumes_john_doe.pdf", False),
        ("awesomecv_resume.pdf", False),
        ("rendercv_classic_john_doe.pdf", False),
    ],
)
def test_multi_column_layouts_are_detected(name: str, columns: bool) -> None:
    path = CORPUS / "resumes" / "pdf" / name
    if not path.exists():
        pytest.skip("corpus absent")
    _, extraction = extract(path.read_bytes(), name, 10)
    assert extraction.multi_column is columns


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"", "cv.pdf", errors.EmptyFileError),
        (b"   \n\n  ", "cv.txt", errors.EmptyFileError),
        (b"MZ\x90\x00\x03" + bytes(200), "resume.pdf", errors.UnsupportedFileError),
        (b"\x7fELF\x02\x01" + bytes(100), "resume.docx", errors.UnsupportedFileError),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "resume.pdf", errors.UnsupportedFileError),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "resume.doc",
            errors.UnsupportedFileError,
        ),
        (bytes(range(256)) * 20, "resume.txt", errors.UnsupportedFileError),
        (b"%PDF-1.7\n" + bytes(50), "cv.pdf", errors.DamagedFileError),
        (b"Jane\nSkills: Python", "cv.txt", errors.NotAResumeError),
    ],
    ids=[
        "empty",
        "blank",
        "exe-as-pdf",
        "elf-as-docx",
        "png-as-pdf",
        "old-doc",
        "random-bytes",
        "broken-pdf",
        "too-short",
    ],
)
def test_bad_uploads_get_typed_errors(
    data: bytes, name: str, error: type[errors.InputError]
) -> None:
    with pytest.raises(error) as info:
        extract(data, name, 10)
    assert info.value.for_user()


def test_type_comes_from_bytes_not_name() -> None:
    assert sniff_kind(GOOD_RESUME.encode(), "resume.pdf") is FileKind.TEXT
    assert sniff_kind(b"# Jordan\n\n## Skills\n- Python", "cv.txt") is FileKind.MARKDOWN
    docx_bytes = make_docx([("Jordan Lee", None)])
    assert sniff_kind(docx_bytes, "resume.txt") is FileKind.DOCX


def test_zip_that_is_not_a_word_document_is_rejected() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(errors.UnsupportedFileError, match="ZIP"):
        extract(buf.getvalue(), "cv.docx", 10)


def test_docx_zip_bomb_is_refused_before_unpacking() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/media/bomb.bin", b"\0" * (60 * 1024 * 1024))
    assert len(buf.getvalue()) < 1024 * 1024
    with pytest.raises(errors.FileTooLargeError):
        extract(buf.getvalue(), "cv.docx", 10)


def test_utf16_text_resume_is_read() -> None:
    text, extraction = extract(GOOD_RESUME.encode("utf-16"), "cv.txt", 10)
    assert "Brightwater Payments" in text and extraction.kind is FileKind.TEXT


def test_docx_paragraphs_tables_and_word_bullets() -> None:
    data = make_docx(
        [
            ("Jordan Lee", "Title"),
            ("jordan.lee@example.com", None),
            ("Experience", "Heading 1"),
            ("Senior Software Engineer, Brightwater Payments, Jan 2021 – Present", None),
            ("Cut reconciliation time from 6 hours to 40 minutes", "List Bullet"),
            ("Built REST APIs used by 120 merchant integrations", "List Bullet"),
            ("Skills", "Heading 1"),
        ],
        table=[["Languages", "Python, SQL"], ["Cloud", "AWS, Kubernetes"]],
    )
    text, extraction = extract(data, "cv.docx", 10)
    assert extraction.kind is FileKind.DOCX
    assert "• Cut reconciliation time from 6 hours to 40 minutes" in text
    assert "• Built REST APIs used by 120 merchant integrations" in text
    assert "Python, SQL" in text and "AWS, Kubernetes" in text
    assert text.index("Experience") < text.index("Cut reconciliation") < text.index("Python, SQL")


def test_wrapped_pdf_bullets_are_joined_and_glyphs_normalised() -> None:
    raw = (
        "Experience\n"
        "▪ Designed and shipped the billing pipeline that processes invoices for every\n"
        "customer in the EU region each night\n"
        "- Cut costs by 20%\n"
        "Education\n"
        "1/2\n"
    )
    cleaned = plain_text(raw)
    assert (
        "• Designed and shipped the billing pipeline that processes invoices for every customer "
        "in the EU region each night" in cleaned
    )
    assert "• Cut costs by 20%" in cleaned
    assert "1/2" not in cleaned
    assert "\nEducation" in cleaned


def test_hyphenated_line_breaks_are_rejoined_keeping_the_typed_hyphen() -> None:
    # in typed text a hyphen at a line end was typed: keep it (a PDF's own hyphenation marks are undone)
    raw = "• Improved the reliability of the nightly data pipe-\nline for the reporting team across regions"
    assert "pipe-line for the reporting team" in plain_text(raw)


async def test_declared_size_over_limit_is_rejected(settings: Settings) -> None:
    from core.review import ReviewRequest, review_resume

    big = b"%PDF-1.4\n" + b"0" * (settings.max_file_bytes + 1)
    with pytest.raises(errors.FileTooLargeError, match="limit is 10 MB"):
        await review_resume(ReviewRequest(data=big, filename="cv.pdf"), settings)


@pytest.mark.parametrize("path", corpus_files("resumes/json", "*.json"), ids=lambda p: p.name)
def test_json_resume_files_read_as_the_resume_they_describe(path: Path) -> None:
    import json

    from core.reading.jsonresume import read_json_resume

    data = json.loads(path.read_text(encoding="utf-8"))
    text, extraction = extract(path.read_bytes(), path.name, 10)
    assert extraction.kind is FileKind.TEXT and "{" not in text
    assert text.splitlines()[0] == data["basics"]["name"]
    # Sections are the file's top-level keys ("Work"), which the labels use; the old
    # parse_resume() has no "work" synonym, so roles are checked on the Lines here.
    lines = read_json_resume(data).lines
    work = next(i for i, line in enumerate(lines) if line.heading and line.text == "Work")
    entries = [line for line in lines[work + 1 :] if line.bold and line.aside]
    assert data["work"][0]["position"] in entries[0].text


def test_json_that_is_not_a_resume_stays_text() -> None:
    text, _ = extract(
        b'{"name": "build config", "steps": ["lint", "test", "deploy"], "notes": "'
        + b"x " * 100
        + b'"}',
        "ci.json",
        10,
    )
    assert text.startswith("{")
