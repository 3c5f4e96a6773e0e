"""Where a resume is read: file bytes → lines in reading order, plain text and extraction facts.

    sniff the type from the bytes → PDF (pdf.py: positions, columns, asides)
                                  → DOCX, Markdown, text, JSON Resume
    → `Document(lines, text, extraction)`

The PDF and text parsers are imported at module level: files are read in forked
children (core/isolation.py), which inherit what the bot has already imported
instead of paying the imports per review. The DOCX reader (python-docx, ~35 ms)
is imported on first use, so a one-file PDF review from the command line never
loads it; a bot calls `preload()` before its parse workers fork, so they inherit
it too. Every failure is a typed `InputError` a non-technical person can act on.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pypdfium2 as pdfium

from core import limits, regex_cache
from core.config import Settings
from core.errors import NotAResumeError, NoTextError
from core.models import Document, Extraction, FileKind
from core.reading.clean import PRIVATE_ICONS
from core.reading.jsonresume import looks_like_json_resume, read_json_resume
from core.reading.lines import Layout, Line, lines_to_text
from core.reading.pdf import read_pdf, read_pdf_fallback
from core.reading.sniff import decode_text, garbled_ratio, refuse_book_length, sniff_kind, visible
from core.reading.text import read_text

__all__ = [
    "Layout",
    "Line",
    "extract",
    "garbled_ratio",
    "preload",
    "read_document",
    "read_file",
    "sniff_kind",
]


def preload() -> None:
    """Import the DOCX reader now, so parse workers forked after this inherit it."""
    import core.reading.docx  # noqa: F401


# Characters that are never unreadable glyphs (printable ASCII and the breaks PDFium emits):
# only the rest, usually a handful per page, needs its Unicode category looked up.
_MAYBE_GARBLED = regex_cache.compile(r"[^\x20-\x7e\n\t\r\x02]")


def _pdf_garbled(raw: str) -> float:
    """Share of unreadable glyphs; a lone icon glyph between spaces is an icon, not damage."""
    shown = len(visible(raw))
    if not shown:
        return 0.0
    bad = 0
    for ch in set(_MAYBE_GARBLED.findall(raw)):  # each distinct character judged once
        cat = unicodedata.category(ch)
        if ch == "\ufffd" or cat in ("Cs", "Cn") or (cat == "Cc" and ch not in "\n\t\r\x02"):
            bad += raw.count(ch)
        elif cat == "Co" and ch not in PRIVATE_ICONS:
            i = raw.find(ch)
            while i >= 0:
                alone = (i == 0 or not raw[i - 1].isalnum()) and (
                    i + 1 >= len(raw) or not raw[i + 1].isalnum()
                )
                bad += 0 if alone else 1
                i = raw.find(ch, i + 1)
    return min(1.0, bad / shown)


def read_file(data: bytes, filename: str, max_pages: int) -> Document:
    """Synchronous, CPU-bound reading of one file. Runs in a worker, never on the event loop."""
    kind = sniff_kind(data, filename)
    layout: Layout
    if kind is FileKind.PDF:
        try:
            layout, pages, empty, columns, raw = read_pdf(data, max_pages)
        except pdfium.PdfiumError:
            text, pages = read_pdf_fallback(data, max_pages)
            layout, empty, columns, raw = read_text(text, markdown=False), 0, False, text
        text = lines_to_text(layout.lines)
        if len(visible(text)) < limits.MIN_RESUME_CHARS and (layout.images or not visible(text)):
            raise NoTextError()
        ratio = _pdf_garbled(raw)
        extraction = Extraction(
            kind=kind, pages=pages, chars=0, multi_column=columns, empty_pages=empty
        )
    elif kind is FileKind.DOCX:
        from core.reading.docx import read_docx

        layout = read_docx(data, max_pages * limits.RESUME_LINES_PER_PAGE_MAX)
        raw_text = lines_to_text(layout.lines)
        refuse_book_length(len(raw_text), raw_text.count("\n") + 1, max_pages)
        ratio = garbled_ratio(raw_text)
        extraction = Extraction(kind=kind, pages=1, chars=0)
    else:
        raw_text = decode_text(data)
        extraction = Extraction(kind=kind, pages=1, chars=0)
        refuse_book_length(len(raw_text), raw_text.count("\n") + 1, max_pages)
        raw_text = raw_text[: limits.MAX_TEXT_CHARS]
        ratio = garbled_ratio(raw_text)
        if (json_resume := looks_like_json_resume(raw_text)) is not None:
            layout = read_json_resume(json_resume)
        else:
            layout = read_text(raw_text, markdown=kind is FileKind.MARKDOWN)
    text = lines_to_text(layout.lines)
    refuse_book_length(len(text), text.count("\n") + 1, max_pages)
    if len(visible(text)) < limits.MIN_RESUME_CHARS:
        if (
            kind is FileKind.PDF and ratio > limits.GARBLED_POOR_RATIO
        ):  # glyphs that read as nothing
            raise NoTextError(
                "The text in that PDF can't be read back out (its fonts have no character map).",
                hint="Export the PDF again from your editor, or upload the DOCX.",
            )
        raise NotAResumeError()
    if kind is FileKind.PDF:
        ratio = max(
            ratio, layout.unmapped
        )  # glyphs that read as the wrong letters, for a resume-length text
    quality = (
        "poor"
        if ratio > limits.GARBLED_POOR_RATIO
        else "fair"
        if ratio > limits.GARBLED_FAIR_RATIO or extraction.multi_column
        else "good"
    )
    extraction = replace(
        extraction, chars=len(text), garbled_ratio=round(ratio, 4), quality=quality
    )
    return Document(
        text=text,
        extraction=extraction,
        lines=layout.lines,
        links=layout.links,
        header_links=layout.header_links,
        photo=layout.photo,
    )


def extract(data: bytes, filename: str, max_pages: int) -> tuple[str, Extraction]:
    """The text and extraction facts of a file, for callers that need no layout (benchmarks, the text tests)."""
    document = read_file(data, filename, max_pages)
    return document.text, document.extraction


async def read_document(data: bytes, filename: str, settings: Settings) -> Document:
    """Read an upload off the event loop, in an isolated worker with time and memory limits."""
    from core.isolation import run_isolated

    return await run_isolated(
        read_file,
        data,
        filename,
        settings.max_pages,
        timeout_s=settings.parse_timeout_s,
        memory_mb=settings.parse_memory_mb,
    )
