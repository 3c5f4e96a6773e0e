"""What kind of file an upload is, judged from its bytes, and the guards every reader shares.

The type comes from the bytes, never from the file name (a renamed `.exe` is
rejected); the name only tells Markdown from plain text.
"""

from __future__ import annotations

import re
import unicodedata

from core import limits, regex_cache
from core.errors import EmptyFileError, TooManyPagesError, UnsupportedFileError
from core.models import FileKind

_CID_RE = regex_cache.compile(r"\(cid:\d+\)")
# Unicode's control characters (category Cc: U+0000-001F, U+007F-009F, fixed by its stability
# policy) but tab, line feed, form feed and carriage return
_CONTROL = regex_cache.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# everything but printable ASCII, which is never garbled: only these need a category look-up
_NOT_PRINTABLE_ASCII = regex_cache.compile(r"[^\x20-\x7e]")

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
    text = decode_text(data)  # raises UnsupportedFileError for binary data
    if filename.lower().endswith((".md", ".markdown")) or re.search(r"^#{1,3} \S", text, re.M):
        return FileKind.MARKDOWN
    return FileKind.TEXT


def decode_text(data: bytes) -> str:
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
    controls = len(_CONTROL.findall(text, 0, 4096))
    if controls > max(8, len(text[:4096]) // 50) or text[:4096].count("\ufffd") > 20:
        raise UnsupportedFileError()
    return text


def visible(text: str) -> str:
    """The text without whitespace (str.split's whitespace is str.isspace's, done in C)."""
    return "".join(text.split())


def _is_garbled(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return ch == "\ufffd" or cat in ("Co", "Cs", "Cn") or (cat == "Cc" and ch not in "\n\t")


def garbled_ratio(text: str) -> float:
    shown = visible(text)
    if not shown:
        return 0.0
    odd = _NOT_PRINTABLE_ASCII.findall(shown)
    bad = sum(1 for ch in odd if _is_garbled(ch)) + 5 * len(_CID_RE.findall(text))
    return min(1.0, bad / len(shown))


def refuse_book_length(chars: int, lines: int, max_pages: int) -> None:
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
