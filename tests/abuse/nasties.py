"""Hostile inputs, generated on the fly so no binary bomb is ever committed.

Shared by `tests/abuse/test_hostile.py` and `benchmarks/hostile.py`. Every
generator is deterministic (fixed seeds) and cheap: the bombs are a few MB on
the wire and only become gigabytes when something inflates them, which is
exactly what the parser must refuse to do inside the bot process.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NotAResumeError,
    NoTextError,
    ParseLimitError,
    ResumeBotError,
    TooManyPagesError,
    UnsupportedFileError,
)

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_CORPUS = ROOT.parent / "shared" / "corpus" / "hostile"

MIB = 1024 * 1024
GIB = 1024 * MIB
INFLATE_CHUNK = (
    16 * MIB
)  # zeros per full-flush deflate block; all blocks compress to the same bytes
PDF_BOMB_BYTES = 4 * GIB  # what the bomb's content stream inflates to
ZIP_BOMB_BYTES = 2 * GIB  # what the .docx bomb's document.xml inflates to
MANY_PARAGRAPHS = 100_000
MANY_PAGES = 300
BIG_UPLOAD_BYTES = 50 * MIB
LONG_JOB_CHARS = 100_000
RANDOM_BYTES = 64 * 1024
ADLER_MOD = 65521  # the largest prime below 2**16 (RFC 1950)

RESUME = """Avery Quinn
avery.quinn@example.com | +1 206 555 0142 | github.com/avery-quinn-example

Summary
Data engineer with 7 years of experience building batch and streaming pipelines.

Experience
Senior Data Engineer, Harbor Analytics — Mar 2020 – Present
• Built a Kafka and Spark pipeline that processes 3 billion events per day
• Responsible for the data quality checks on 40 warehouse tables
• Cut the nightly load from 5 hours to 50 minutes by partitioning the jobs

Data Engineer, Pinecrest Retail — Jul 2016 – Feb 2020
• Helped with the migration of reports from Oracle to PostgreSQL
• Wrote Airflow DAGs for 25 daily jobs

Education
B.Sc. Computer Science, Riverside University — 2012 – 2016

Skills
Python, SQL, Spark, Kafka, Airflow, PostgreSQL, AWS
"""


@dataclass(frozen=True, slots=True)
class Nasty:
    """One hostile upload and what a user must be told about it.

    `expect` is the error class the review must raise, or None when a normal
    review is the right answer (the file is odd but legitimate). Generators
    run at test time: nothing here is a committed binary.
    """

    name: str
    filename: str
    make: Callable[[], bytes]
    expect: type[ResumeBotError] | None  # ResumeBotError itself: any clear error will do
    job_description: str | None = None


# --- PDF helpers ---------------------------------------------------------------------


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A syntactically correct PDF (header, numbered objects, xref, trailer) from object bodies."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def inflate_bomb(total: int, chunk: int = INFLATE_CHUNK, fill: bytes = b"\0") -> bytes:
    """A zlib stream that inflates to `total` bytes of `fill`, built without ever holding them.

    After a full flush deflate forgets its history, so every chunk of identical
    input compresses to identical bytes: compress one chunk, repeat it, and
    write the Adler-32 trailer ourselves.
    """
    block = fill * (chunk // len(fill))
    chunk = len(block)
    comp = zlib.compressobj(9)
    header_and_first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    repeated = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.flush(zlib.Z_FINISH)[:-4]  # the empty final block, without the checksum
    n = total // chunk
    checksum = adler32_repeat(block, n)
    return header_and_first + repeated * (n - 1) + tail + struct.pack(">I", checksum)


def adler32_repeat(block: bytes, times: int, start: int = 1) -> int:
    """Adler-32 of `block` repeated `times` times after `start`; instant for zeros.

    Zero bytes leave the low sum `a` alone and add `a` to the high sum `b` once each.
    """
    if block.count(0) != len(block):
        checksum = start
        for _ in range(times):
            checksum = zlib.adler32(block, checksum)
        return checksum
    a, b = start & 0xFFFF, start >> 16
    b = (b + len(block) * times * a) % ADLER_MOD
    return (b << 16) | a


def pdf_content_bomb(inflated: int = PDF_BOMB_BYTES) -> bytes:
    """One page whose FlateDecode content stream inflates to gigabytes of zeros."""
    bomb = inflate_bomb(inflated)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(bomb, b"/Filter /FlateDecode "),
        ]
    )


def pdf_text_bomb(inflated: int = GIB) -> bytes:
    """A content stream that inflates to ~1 GB of real text-showing operators (work, not just zeros)."""
    op = b"BT /F1 12 Tf 72 720 Td (Resume bomb text resume bomb text) Tj ET\n"
    bomb = inflate_bomb(inflated, chunk=min(INFLATE_CHUNK, inflated), fill=op)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(bomb, b"/Filter /FlateDecode "),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def pdf_object_stream_bomb(inflated: int = 2 * GIB) -> bytes:
    """The page tree lives in an object stream (/Type /ObjStm) padded to inflate to gigabytes.

    A reader has to inflate the stream to find the pages, so this exercises the
    decoder's memory use rather than the page renderer's.
    """
    pages = b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>"
    page = b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>"
    header = b"3 0 4 %d " % (len(pages) + 1)
    first = header + pages + b" " + page + b" "
    comp = zlib.compressobj(9)
    head = comp.compress(first) + comp.flush(zlib.Z_FULL_FLUSH)
    padding = inflate_bomb(inflated)[2:-4]  # same stream continued: no second zlib header
    checksum = adler32_repeat(bytes(INFLATE_CHUNK), inflated // INFLATE_CHUNK, zlib.adler32(first))
    data = head + padding + struct.pack(">I", checksum)

    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {1: out.tell()}
    out.write(b"1 0 obj\n<< /Type /Catalog /Pages 3 0 R >>\nendobj\n")
    offsets[2] = out.tell()
    extra = b"/Type /ObjStm /N 2 /First %d /Filter /FlateDecode " % len(header)
    out.write(b"2 0 obj\n" + _stream(data, extra) + b"\nendobj\n")
    offsets[5] = out.tell()
    rows = [
        struct.pack(">BIH", 0, 0, 65535),
        struct.pack(">BIH", 1, offsets[1], 0),
        struct.pack(">BIH", 1, offsets[2], 0),
        struct.pack(">BIH", 2, 2, 0),
        struct.pack(">BIH", 2, 2, 1),
        struct.pack(">BIH", 1, offsets[5], 0),
    ]
    xref = b"".join(rows)
    out.write(
        b"5 0 obj\n" + _stream(xref, b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R ") + b"\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[5])
    return out.getvalue()


def pdf_many_pages(pages: int = MANY_PAGES) -> bytes:
    """A `pages`-page PDF with one line of text each."""
    font = 3 + pages * 2
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
    ]
    for i in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        objects.append(
            _stream(b"BT /F1 12 Tf 72 720 Td (Page %d of a very long document) Tj ET" % (i + 1))
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objects)


def pdf_page_tree_cycle() -> bytes:
    """A page tree whose /Kids point back at itself."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Parent 2 0 R /Count 9999999 >>",
        ]
    )


def pdf_deep_nesting(depth: int = 200_000) -> bytes:
    """An object nested 200k arrays deep (recursive-descent parsers overflow their stack)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Junk " + b"[" * depth + b"]" * depth + b" >>",
            b"<< /Type /Pages /Kids [] /Count 0 >>",
        ]
    )


# --- DOCX helpers --------------------------------------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
_DOC_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
_DOC_CLOSE = b"</w:body></w:document>"


def _docx(document_xml: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def _paragraph(text: str) -> bytes:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return b"<w:p><w:r><w:t>" + escaped.encode() + b"</w:t></w:r></w:p>"


def docx_many_paragraphs(count: int = MANY_PARAGRAPHS) -> bytes:
    """A real resume followed by 100k short paragraphs."""
    parts = [_paragraph(line) for line in RESUME.splitlines() if line]
    parts += [_paragraph(f"Line {i}") for i in range(count)]
    return _docx(_DOC_OPEN + b"".join(parts) + _DOC_CLOSE)


@functools.cache
def _zip_bomb_member() -> tuple[bytes, int]:
    """Raw deflate of ZIP_BOMB_BYTES spaces and their CRC-32 (computed once: ~1 s)."""
    deflate = inflate_bomb(ZIP_BOMB_BYTES, fill=b" ")[2:-4]  # zip stores raw deflate
    block = b" " * INFLATE_CHUNK
    crc = 0
    for _ in range(ZIP_BOMB_BYTES // INFLATE_CHUNK):
        crc = zlib.crc32(block, crc)
    return deflate, crc


def zip_bomb_docx(honest_header: bool = True) -> bytes:
    """A valid-looking .docx whose document.xml inflates to gigabytes.

    With `honest_header` the ZIP declares the real uncompressed size; without it
    the headers claim a small size, so only a reader that counts what it
    inflates notices.
    """
    deflate, crc = _zip_bomb_member()
    declared = ZIP_BOMB_BYTES if honest_header else 4096
    name = b"word/document.xml"
    buf = io.BytesIO()
    entries: list[tuple[bytes, int, int, int, int]] = []  # name, offset, crc, csize, usize

    def add(entry: bytes, data: bytes, crc_: int, usize: int, method: int) -> None:
        offset = buf.tell()
        buf.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                method,
                0,
                0,
                crc_,
                len(data),
                usize,
                len(entry),
                0,
            )
        )
        buf.write(entry + data)
        entries.append((entry, offset, crc_, len(data), usize, method))  # type: ignore[arg-type]

    add(b"[Content_Types].xml", _CONTENT_TYPES, zlib.crc32(_CONTENT_TYPES), len(_CONTENT_TYPES), 0)
    add(b"_rels/.rels", _RELS, zlib.crc32(_RELS), len(_RELS), 0)
    add(name, deflate, crc, declared if not honest_header else ZIP_BOMB_BYTES, 8)
    central = buf.tell()
    for entry, offset, crc_, csize, usize, method in entries:  # type: ignore[misc]
        buf.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0,
                crc_,
                csize,
                usize,
                len(entry),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        buf.write(entry)
    size = buf.tell() - central
    buf.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), size, central, 0)
    )
    return buf.getvalue()


def docx_billion_laughs() -> bytes:
    """document.xml with nested entity definitions (the XML 'billion laughs')."""
    entities = b'<!ENTITY lol0 "lollollollollollollollollollol">'
    for i in range(1, 10):
        entities += b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10)))
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE w:document ['
        + entities
        + b"]>"
        + _DOC_OPEN.split(b"?>", 1)[1]
        + b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
        + _DOC_CLOSE
    )
    return _docx(xml)


# --- text helpers --------------------------------------------------------------------


def random_bytes() -> bytes:
    return random.Random(7).randbytes(RANDOM_BYTES)


def fake_exe() -> bytes:
    """An MZ/PE header followed by padding: a Windows program renamed .pdf."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + bytes(50)
        + b"PE\x00\x00"
        + bytes(4096)
    )


def big_upload() -> bytes:
    """A 50 MB text file: refused by size before anyone reads it."""
    return (RESUME.encode() * (BIG_UPLOAD_BYTES // len(RESUME) + 1))[:BIG_UPLOAD_BYTES]


def long_job_description() -> str:
    words = [
        "Python",
        "SQL",
        "Kafka",
        "Spark",
        "Airflow",
        "Terraform",
        "Kubernetes",
        "leadership",
        "stakeholder",
        "mentoring",
    ]
    rng = random.Random(11)
    text = " ".join(rng.choice(words) for _ in range(LONG_JOB_CHARS // 6))
    return text[:LONG_JOB_CHARS]


NASTIES: list[Nasty] = [
    Nasty("0-byte file", "resume.pdf", lambda: b"", EmptyFileError),
    Nasty("whitespace only", "resume.txt", lambda: b" \n\t\r\n" * 1000, EmptyFileError),
    Nasty("UTF-16 LE text with BOM", "resume.txt", lambda: RESUME.encode("utf-16"), None),
    Nasty("UTF-16 LE text without BOM", "resume.txt", lambda: RESUME.encode("utf-16-le"), None),
    Nasty("UTF-16 BE text without BOM", "resume.txt", lambda: RESUME.encode("utf-16-be"), None),
    Nasty("random bytes (64 KB)", "resume.pdf", random_bytes, UnsupportedFileError),
    Nasty(".exe renamed .pdf", "resume.pdf", fake_exe, UnsupportedFileError),
    Nasty("50 MB upload", "resume.txt", big_upload, FileTooLargeError),
    Nasty("300-page PDF", "resume.pdf", pdf_many_pages, TooManyPagesError),
    Nasty("PDF content stream → 4 GB zeros", "resume.pdf", pdf_content_bomb, ParseLimitError),
    Nasty("PDF content stream → 1 GB text ops", "resume.pdf", pdf_text_bomb, ParseLimitError),
    Nasty("PDF object stream → 2 GB", "resume.pdf", pdf_object_stream_bomb, ParseLimitError),
    Nasty("PDF page tree that loops", "resume.pdf", pdf_page_tree_cycle, DamagedFileError),
    Nasty("PDF arrays nested 200k deep", "resume.pdf", pdf_deep_nesting, DamagedFileError),
    Nasty("zip bomb .docx (sizes declared)", "resume.docx", zip_bomb_docx, FileTooLargeError),
    Nasty(
        "zip bomb .docx (sizes lie)",
        "resume.docx",
        lambda: zip_bomb_docx(honest_header=False),
        DamagedFileError,
    ),
    Nasty("DOCX billion laughs", "resume.docx", docx_billion_laughs, DamagedFileError),
    Nasty("DOCX with 100k paragraphs", "resume.docx", docx_many_paragraphs, TooManyPagesError),
    Nasty("100k-char job description", "resume.txt", RESUME.encode, None, long_job_description()),
]


# What each corpus file must end in (None: a review). A file not listed only needs a clear answer.
CORPUS_EXPECT: dict[str, type[ResumeBotError] | None] = {
    "arabic_rtl_weasyprint.pdf": NotAResumeError,  # one short line of text
    "broken_xref_table.pdf": NotAResumeError,  # rebuilt, but says only "test example"
    "encrypted_aes256_owner_only_empty_user_pw.pdf": NotAResumeError,  # opens: empty user password
    "encrypted_aes256_user_and_owner_password.pdf": EncryptedFileError,
    "encrypted_rc4_128_libreoffice_user_password.pdf": EncryptedFileError,
    "image_only_ccitt_fax_scan.pdf": NoTextError,
    "image_only_grayscale_page.pdf": NoTextError,
    "many_pages_117.pdf": TooManyPagesError,
    "multilang_scripts_libreoffice.pdf": None,
    "scanned_with_ocr_layer_6_pages.pdf": None,  # the OCR layer is real text
    "truncated_resume_50pct.pdf": DamagedFileError,
    "unterminated_object_utf8_title.pdf": NotAResumeError,
}


def corpus_nasties() -> list[Nasty]:
    """Every file in ../shared/corpus/hostile (empty when the corpus is absent)."""
    if not HOSTILE_CORPUS.is_dir():
        return []
    return [
        Nasty(
            f"corpus: {path.name}",
            path.name,
            path.read_bytes,
            CORPUS_EXPECT.get(path.name, ResumeBotError),
        )
        for path in sorted(HOSTILE_CORPUS.iterdir())
        if path.is_file()
    ]
