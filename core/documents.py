"""Where a resume is read: file bytes → plain text plus extraction facts.

The parsers are imported here, at module level, on purpose: files are read in
forked children (core/isolation.py), which inherit what the bot has already
imported instead of paying ~0.3 s of imports per review.

The type is judged from the bytes, never from the file name (a renamed `.exe`
is rejected); the name only tells Markdown from plain text. PDF text comes
from PDFium (`pypdfium2`: fast, and reads the CJK resumes that pypdf garbles);
`pypdf` is the fallback for PDFs PDFium refuses. Every failure is a typed
`InputError` a non-technical person can act on.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable

import docx
import pypdfium2 as pdfium
from docx.enum.style import WD_STYLE_TYPE

from core import limits
from core.config import Settings
from core.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NotAResumeError,
    NoTextError,
    TooManyPagesError,
    UnsupportedFileError,
)
from core.jsonresume import looks_like_json_resume, render_json_resume
from core.models import Document, Extraction, FileKind

# Bullet glyphs PDF and Word emit, normalised to "• ".
BULLET_GLYPHS = "•▪▫◦●○■□►▸‣⁃∙·*-–—➢➤✓✔"
_BULLET_RE = re.compile(rf"^\s*(?:[{re.escape(BULLET_GLYPHS)}]|\d{{1,2}}[.)])\s+")
_CID_RE = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(r"^(?:\d{1,2}(?:\s*/\s*\d{1,2})?|page \d+(?: of \d+)?|- \d+ -)$", re.I)
_TERMINAL = (".", "!", "?", ":", ";")

_MAGIC_REJECTS: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "That file is a Windows program, not a resume."),
    (b"\x7fELF", "That file is a program, not a resume."),
    (b"\x89PNG", "That file is an image, not a document."),
    (b"\xff\xd8\xff", "That file is an image, not a document."),
    (b"GIF8", "That file is an image, not a document."),
    (b"\xd0\xcf\x11\xe0", "That is an old Word (.doc) file, which I can't read."),
    (b"Rar!", "That file is an archive, not a resume."),
    (b"\x1f\x8b", "That file is a compressed archive, not a resume."),
    (b"7z\xbc\xaf", "That file is an archive, not a resume."),
)


def sniff_kind(data: bytes, filename: str) -> FileKind:
    """Decide the file type from its first bytes; the name only separates .md from .txt."""
    if not data or not data.strip():
        raise EmptyFileError()
    head = data[:1024]
    if b"%PDF-" in head:
        return FileKind.PDF
    if data.startswith(b"PK\x03\x04"):
        return FileKind.DOCX  # confirmed (word/document.xml present) when opened
    for magic, message in _MAGIC_REJECTS:
        if data.startswith(magic):
            hint = "Save it as DOCX or PDF and upload that." if "Word" in message else None
            raise UnsupportedFileError(message, hint=hint)
    text = _decode_text(data)  # raises UnsupportedFileError for binary data
    if filename.lower().endswith((".md", ".markdown")) or re.search(r"^#{1,3} \S", text, re.M):
        return FileKind.MARKDOWN
    return FileKind.TEXT


def _decode_text(data: bytes) -> str:
    """Decode a text upload, honouring BOMs (UTF-16 included), refusing binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        sample = data[:4096]
        if sample.count(b"\x00") > len(sample) // 10:
            # UTF-16 without a BOM shows as every other byte NUL
            try:
                text = data.decode("utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be")
            except UnicodeDecodeError:
                raise UnsupportedFileError() from None
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:4096]) // 50) or text[:4096].count("\ufffd") > 20:
        raise UnsupportedFileError()
    return text


# --- PDF ---------------------------------------------------------------------------


def _read_pdf(data: bytes, max_pages: int) -> tuple[str, Extraction]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFileError() from None
        return _read_pdf_fallback(data, max_pages)
    try:
        n_pages = len(pdf)
        if n_pages > max_pages:
            raise TooManyPagesError(
                f"That PDF has {n_pages} pages; I review resumes of up to {max_pages} pages."
            )
        if n_pages == 0:
            raise DamagedFileError()
        pages_text: list[str] = []
        column_votes = 0
        has_images = False
        for index in range(n_pages):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:  # a page tree that loops or points nowhere
                raise DamagedFileError() from None
            textpage = page.get_textpage()
            pages_text.append(textpage.get_text_range())
            if _page_has_columns(page, textpage):
                column_votes += 1
            if not has_images:
                has_images = any(True for _ in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=1))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    text = "\n".join(pages_text).replace("\r\n", "\n").replace("\r", "\n")
    empty = sum(1 for page_text in pages_text if not _visible(page_text))
    extraction = Extraction(
        kind=FileKind.PDF, pages=n_pages, chars=0, multi_column=column_votes * 2 >= n_pages, empty_pages=empty
    )
    if len(_visible(text)) < limits.MIN_RESUME_CHARS and (has_images or not _visible(text)):
        raise NoTextError()
    return text, extraction


def _page_has_columns(page: object, textpage: object) -> bool:
    """A vertical gutter no text line crosses, with text on both sides: a multi-column page.

    Right-aligned dates don't count: full-width bullets cross the middle of a
    single-column page, so it has no gutter.
    """
    width = page.get_width()  # type: ignore[attr-defined]
    header_line = page.get_height() * 0.78  # type: ignore[attr-defined]  # full-width name blocks
    n = min(textpage.count_rects(), 6000)  # type: ignore[attr-defined]  # text runs: 5-8x cheaper than per-char boxes
    if n < 8 or width <= 0:
        return False
    bins = 50
    rows: list[set[int]] = [set() for _ in range(bins)]
    for i in range(n):
        left, bottom, right, _top = textpage.get_rect(i)  # type: ignore[attr-defined]
        if right <= left or bottom > header_line:
            continue
        row = int(bottom // 6)
        for k in range(max(0, int(left / width * bins)), min(bins - 1, int(right / width * bins)) + 1):
            rows[k].add(row)
    coverage = [len(r) for r in rows]
    peak = max(coverage)
    if peak < 10:
        return False
    for k in range(int(bins * 0.25), int(bins * 0.75)):
        if coverage[k] > peak * 0.04 or max(coverage[:k]) <= peak * 0.3:
            continue
        right_block = sum(1 for c in coverage[k + 1 :] if c > peak * 0.1)
        if max(coverage[k + 1 :]) > peak * 0.3 and right_block >= bins * 0.2:
            return True  # a real column, not a strip of right-aligned dates
    return False


def _read_pdf_fallback(data: bytes, max_pages: int) -> tuple[str, Extraction]:
    """PDFium refused the file: let pypdf try to rebuild it before calling it damaged."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EncryptedFileError()
        n_pages = len(reader.pages)
        if n_pages > max_pages:
            raise TooManyPagesError(
                f"That PDF has {n_pages} pages; I review resumes of up to {max_pages} pages."
            )
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (EncryptedFileError, TooManyPagesError):
        raise
    except FileNotDecryptedError:
        raise EncryptedFileError() from None
    except (PdfReadError, Exception):  # pypdf raises many types on broken files
        raise DamagedFileError() from None
    if len(_visible(text)) < limits.MIN_RESUME_CHARS:
        raise DamagedFileError()
    return text, Extraction(kind=FileKind.PDF, pages=n_pages, chars=0)


# --- DOCX --------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _read_docx(data: bytes, max_lines: int) -> tuple[str, Extraction]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise UnsupportedFileError(
                    "That file is a ZIP archive, not a Word document.",
                    hint="Upload your resume as PDF or DOCX.",
                )
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > limits.MAX_DOCX_UNCOMPRESSED_BYTES:
                raise _zip_bomb_error()
            _inflate_bounded(zf)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise DamagedFileError() from None  # bad CRC (a lying size), odd compression, encrypted member


    try:
        document = docx.Document(io.BytesIO(data))
        style_names = _paragraph_style_names(document)
    except Exception:  # python-docx raises KeyError/ValueError/lxml errors on broken parts
        raise DamagedFileError() from None

    lines: list[str] = []
    total = 0
    for section in document.sections[:1]:  # contact details often sit in the header
        try:
            for p in section.header.paragraphs:
                if p.text.strip():
                    lines.append(p.text.strip())
        except Exception:  # a missing header part is not worth failing over
            pass
    default_style = style_names.get(None, "")
    for p_el in _iter_paragraphs(document.element.body):
        text = p_el.text.strip()  # type: ignore[attr-defined]
        if not text:
            continue
        style = style_names.get(p_el.style, default_style)  # type: ignore[attr-defined]
        is_list = p_el.find(f"{_W}pPr/{_W}numPr") is not None or "List" in style
        if style.startswith(("Heading", "Title")):
            lines.append("")
        lines.append(f"• {text}" if is_list and not _BULLET_RE.match(text) else text)
        total += len(text)
        if total > limits.MAX_TEXT_CHARS or len(lines) > max_lines:
            break  # far past any resume: stop reading (extract refuses it)
    return "\n".join(lines), Extraction(kind=FileKind.DOCX, pages=1, chars=0)


_ZIP_READ_CHUNK = 64 * 1024


def _zip_bomb_error() -> FileTooLargeError:
    return FileTooLargeError(
        "That Word file unpacks to far more data than a resume holds.",
        hint="Save it again from Word (File → Save As → .docx) and upload that.",
    )


def _inflate_bounded(zf: zipfile.ZipFile) -> None:
    """Inflate every member in small reads, counting what comes out.

    The sizes in ZIP headers are the sender's word: a member that claims 4 KB
    but inflates to gigabytes fails its CRC after 4 KB here, where python-docx's
    `read()` would first inflate up to 2 GB in one call.
    """
    total = 0
    for info in zf.infolist():
        with zf.open(info) as member:
            while chunk := member.read(_ZIP_READ_CHUNK):
                total += len(chunk)
                if total > limits.MAX_DOCX_UNCOMPRESSED_BYTES:
                    raise _zip_bomb_error()


def _paragraph_style_names(document: object) -> dict[str | None, str]:
    """Paragraph style id → name, looked up once (key None: the default style).

    `Paragraph.style` scans every style in the file on each call: a DOCX with
    100k paragraphs took 20 s to read that way.
    """

    styles = document.styles  # type: ignore[attr-defined]
    names: dict[str | None, str] = {
        s.style_id: s.name or "" for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH
    }
    default = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    names[None] = (default.name or "") if default is not None else ""
    return names


def _iter_paragraphs(body: object) -> Iterable[object]:
    """Every w:p in reading order, tables and text boxes included, skipping mc:Fallback copies."""
    stack = [iter(body)]  # type: ignore[call-overload]
    while stack:
        for el in stack[-1]:
            tag = el.tag
            if tag == _MC_FALLBACK:
                continue
            if tag == f"{_W}p":
                yield el
                # text boxes live inside runs of a paragraph
                for box in el.iter(f"{_W}txbxContent"):
                    yield from (p for p in box.iter(f"{_W}p"))
                continue
            stack.append(iter(el))
            break
        else:
            stack.pop()


# --- text clean-up -----------------------------------------------------------------


def _visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _is_garbled(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return ch == "\ufffd" or cat in ("Co", "Cs", "Cn") or (cat == "Cc" and ch not in "\n\t")


def garbled_ratio(text: str) -> float:
    visible = _visible(text)
    if not visible:
        return 0.0
    bad = sum(1 for ch in visible if _is_garbled(ch)) + 5 * len(_CID_RE.findall(text))
    return min(1.0, bad / len(visible))


def clean_text(text: str, *, rewrap: bool = True) -> str:
    """Normalise spaces and glyphs, and join the lines PDF extraction breaks inside bullets.

    `rewrap` is off for DOCX, whose paragraphs arrive whole.
    """
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u200b", "")
    text = text.replace("\u00ad", "-").replace("\u2011", "-")
    text = text.replace("\ufb01", "fi").replace("\ufb02", "fl").replace("\ufb00", "ff")
    text = text.replace("\f", "\n").replace("\t", " ")
    text = "".join(ch for ch in text if not _is_garbled(ch) or ch == "\n")
    if text.count("\\n") >= 2:  # Markdown exported with literal escape sequences
        text = text.replace("\\n", "\n")
    lines = [re.sub(r"[ ]{2,}", " ", raw).strip() for raw in text.split("\n")]
    lines = ["" if _PAGE_NUMBER.match(line) else line for line in lines]
    lengths = sorted(len(ln) for ln in lines if ln)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[str] = []
    in_bullet = False
    for line in lines:
        if not line:
            out.append("")
            in_bullet = False
            continue
        m = _BULLET_RE.match(line)
        if m and not re.match(r"^\d{1,2}[.)]\s+\d", line) and not re.match(r"^[-–—]\s*(?:\d{4}|present)", line, re.I):
            out.append("• " + line[m.end() :].strip())
            in_bullet = True
            continue
        prev = out[-1] if out else ""
        if rewrap and prev and _continues(prev, line, in_bullet, width):
            joiner = "" if prev.endswith("-") and line[:1].islower() else " "
            out[-1] = (prev[:-1] if joiner == "" else prev) + joiner + line
            continue
        out.append(line)
        in_bullet = False
    cleaned = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()


_DATE_TAIL = re.compile(r"(?:19|20)\d{2}\s*$|(?:present|current|now|heute|至今)\s*$", re.I)


def _continues(prev: str, line: str, in_bullet: bool, width: int) -> bool:
    """Is `line` the wrapped tail of `prev`?"""
    from core.structure_old import heading_section

    if prev.endswith(("–", "—", " -", "‑")) and re.match(r"^(?:present|current|now|\w+\.? ?(?:19|20)\d{2})", line, re.I):
        return True  # "June 2020 –" / "Present"
    if prev.endswith(_TERMINAL) or _looks_like_heading(line) or heading_section(line) is not None:
        return False
    if _DATE_TAIL.search(line) or _DATE_TAIL.search(prev) or "@" in line:
        return False
    filled = width > 0 and len(prev) >= 0.72 * width
    if line[:1].islower() or line[:1] in "(&,":
        return filled or len(prev.split()) >= 6 or prev.endswith((",", "&"))
    if in_bullet and filled:
        return True
    return filled and prev.endswith((",", "&", " and", " of", " the", " to", " with", " for", " in"))


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return len(words) <= 4 and (line.isupper() or line.endswith(":"))


# --- entry points ------------------------------------------------------------------


def extract(data: bytes, filename: str, max_pages: int) -> tuple[str, Extraction]:
    """Synchronous, CPU-bound reading of one file. Runs in a worker, never on the event loop."""
    kind = sniff_kind(data, filename)
    if kind is FileKind.PDF:
        raw, extraction = _read_pdf(data, max_pages)
    elif kind is FileKind.DOCX:
        raw, extraction = _read_docx(data, max_pages * limits.RESUME_LINES_PER_PAGE_MAX)
    else:
        raw, extraction = _decode_text(data), Extraction(kind=kind, pages=1, chars=0)
        if (json_resume := looks_like_json_resume(raw)) is not None:
            raw = render_json_resume(json_resume)
    _refuse_book_length(len(raw), raw.count("\n") + 1, max_pages)
    raw = raw[: limits.MAX_TEXT_CHARS]
    ratio = garbled_ratio(raw)
    text = clean_text(raw, rewrap=kind is not FileKind.DOCX)
    _refuse_book_length(len(text), text.count("\n") + 1, max_pages)
    if len(_visible(text)) < limits.MIN_RESUME_CHARS:
        if kind is FileKind.PDF and ratio > limits.GARBLED_POOR_RATIO:
            raise NoTextError(
                "The text in that PDF can't be read back out (its fonts have no character map).",
                hint="Export the PDF again from your editor, or upload the DOCX.",
            )
        raise NotAResumeError()
    quality = (
        "poor" if ratio > limits.GARBLED_POOR_RATIO else "fair" if ratio > limits.GARBLED_FAIR_RATIO or extraction.multi_column else "good"
    )
    extraction = extraction.model_copy(
        update={"chars": len(text), "garbled_ratio": round(ratio, 4), "quality": quality}
    )
    return text, extraction


def _refuse_book_length(chars: int, lines: int, max_pages: int) -> None:
    """Text far longer than `max_pages` of a resume is refused, whatever the page count says.

    DOCX and TXT have no pages to count, and a PDF can pack a book onto a few
    pages; without this a 100k-paragraph DOCX took 23 s to review.
    """
    if (
        chars > max_pages * limits.RESUME_CHARS_PER_PAGE_MAX
        or lines > max_pages * limits.RESUME_LINES_PER_PAGE_MAX
    ):
        raise TooManyPagesError(
            f"That document is far longer than a resume; I review resumes of up to {max_pages} pages."
        )


async def read_document(data: bytes, filename: str, settings: Settings) -> Document:
    """Read an upload off the event loop, in an isolated worker with time and memory limits."""
    from core.isolation import run_isolated

    text, extraction = await run_isolated(
        extract, data, filename, settings.max_pages,
        timeout_s=settings.parse_timeout_s, memory_mb=settings.parse_memory_mb,
    )
    return Document(text=text, extraction=extraction)
