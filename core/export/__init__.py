"""The rewrite as files, made once here for every adapter: Word (DOCX), PDF and Markdown.

All three come from the same rewrite: `markdown.parse_rewrite()` turns its
Markdown into blocks (name, contact lines, sections, entries, dates, bullets)
and `docx.py` and `pdf.py` lay those blocks out, so the two documents always
agree. The file names and the words the bots use for them ("as Word, PDF and
Markdown") live here too, so adding or dropping a format changes one place.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from core.export.markdown import clean_xml_text, parse_rewrite
from core.models import Attachment, ReviewResult

log = logging.getLogger(__name__)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"
MARKDOWN_MIME = "text/markdown"


@dataclass(frozen=True, slots=True)
class AttachmentFormat:
    key: str  # what `--format` takes
    extension: str
    label: str  # how a message names it: "as Word, PDF and Markdown"
    mime: str


# In the order they are attached and named.
ATTACHMENT_FORMATS: tuple[AttachmentFormat, ...] = (
    AttachmentFormat("docx", ".docx", "Word", DOCX_MIME),
    AttachmentFormat("pdf", ".pdf", "PDF", PDF_MIME),
    AttachmentFormat("md", ".md", "Markdown", MARKDOWN_MIME),
)
FORMAT_KEYS: tuple[str, ...] = tuple(f.key for f in ATTACHMENT_FORMATS)
_STEM_MAX = 60


@dataclass(slots=True)
class Export:
    """The files of one rewrite, and why any asked-for format is missing (user-facing, no resume text)."""

    attachments: list[Attachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def prepare() -> None:
    """Do the per-process set-up once, before review children fork, so each child inherits it.

    The styled DOCX template (~20 ms), the CJK font look-up (~40 ms when one
    is installed) and the folders each worker's kept typesetter uses. Nothing
    here starts a thread: Typst's thread pool must not exist in a process that
    forks (see core/export/pdf.py).
    """
    from core.export import docx, fonts, pdf

    docx.prepare()
    fonts.find_cjk_font()
    pdf.prepare_workspace()


def safe_stem(source_name: str) -> str:
    """A file-name stem safe on every OS and platform: no path, no odd characters, bounded length."""
    name = PurePath(source_name.replace("\\", "/")).name
    stem = PurePath(name).stem if "." in name.lstrip(".") else name
    stem = re.sub(r"[^\w.-]+", "_", stem, flags=re.ASCII).strip("._-")
    return stem[:_STEM_MAX].rstrip("._-") or "resume"


def rewrite_filename(source_name: str, key: str) -> str:
    """`<stem>-rewritten.<ext>` for the format `key` ('docx', 'pdf', 'md')."""
    fmt = next(f for f in ATTACHMENT_FORMATS if f.key == key)
    return f"{safe_stem(source_name)}-rewritten{fmt.extension}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def describe_attachments(attachments: Iterable[Attachment] | None = None) -> str:
    """How a message names the rewrite's files: 'Word, PDF and Markdown' (all formats when None).

    Only the formats actually attached are named, so a reply never promises a PDF
    that couldn't be made.
    """
    if attachments is None:
        return _join([f.label for f in ATTACHMENT_FORMATS])
    extensions = {PurePath(a.filename).suffix.lower() for a in attachments}
    labels = [f.label for f in ATTACHMENT_FORMATS if f.extension in extensions]
    return _join(labels) if labels else "no files"


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,pdf' → ('docx', 'pdf'); raises ValueError naming an unknown format."""
    keys = [k.strip().lower().lstrip(".") for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in FORMAT_KEYS]
    if unknown or not keys:
        raise ValueError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {','.join(FORMAT_KEYS)}"
        )
    return tuple(k for k in FORMAT_KEYS if k in keys)


def export_rewrite(result: ReviewResult, formats: Sequence[str] = FORMAT_KEYS) -> Export:
    """The rewrite as `<stem>-rewritten.{docx,pdf,md}`, and a warning for a PDF that couldn't be made.

    Runs inside the isolated review child (see `core.review`), like the review itself.
    """
    markdown = clean_xml_text(result.rewritten)
    blocks = parse_rewrite(markdown)
    out = Export()
    for fmt in ATTACHMENT_FORMATS:
        if fmt.key not in formats:
            continue
        if fmt.key == "docx":
            from core.export import docx  # python-docx loads only when a DOCX is made (~30 ms)

            content: bytes | None = docx.blocks_to_docx(blocks)
        elif fmt.key == "pdf":
            from core.export import pdf  # the typesetter loads only when a PDF is wanted

            made = pdf.blocks_to_pdf(blocks, source_pages=result.extraction.pages)
            content = made.content
            if made.warning:
                out.warnings.append(made.warning)
        else:
            content = markdown.encode("utf-8")
        if content is not None:
            out.attachments.append(
                Attachment(
                    filename=rewrite_filename(result.source_name, fmt.key),
                    content=content,
                    mime=fmt.mime,
                )
            )
    return out


def markdown_to_docx(markdown: str) -> bytes:
    """The rewrite's Markdown as a .docx (see core/export/docx.py; imported on first use)."""
    from core.export import docx

    return docx.markdown_to_docx(markdown)


def rewrite_attachments(
    result: ReviewResult, formats: Sequence[str] = FORMAT_KEYS
) -> list[Attachment]:
    """The rewrite's files (Word, PDF, Markdown); see `export_rewrite` for the warnings too."""
    return export_rewrite(result, formats).attachments


__all__ = [
    "ATTACHMENT_FORMATS",
    "DOCX_MIME",
    "FORMAT_KEYS",
    "MARKDOWN_MIME",
    "PDF_MIME",
    "AttachmentFormat",
    "Export",
    "clean_xml_text",
    "describe_attachments",
    "export_rewrite",
    "markdown_to_docx",
    "parse_formats",
    "prepare",
    "rewrite_attachments",
    "rewrite_filename",
    "safe_stem",
]
