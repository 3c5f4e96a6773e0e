"""The rewrite as files: Markdown and DOCX, made once here for every adapter."""

from __future__ import annotations

import io
import re
from pathlib import PurePath

from core.models import Attachment, ReviewResult

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def markdown_to_docx(markdown: str) -> bytes:
    import docx

    document = docx.Document()
    for line in markdown.splitlines():
        if not line.strip():
            continue
        if m := re.match(r"^(#{1,3})\s+(.*)", line):
            document.add_heading(m[2], level=len(m[1]) - 1 if len(m[1]) > 1 else 0)
        elif line.startswith(("- ", "* ")):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def rewrite_attachments(result: ReviewResult) -> list[Attachment]:
    stem = re.sub(r"[^\w.-]+", "_", PurePath(result.source_name).stem)[:60] or "resume"
    return [
        Attachment(filename=f"{stem}-rewritten.docx", content=markdown_to_docx(result.rewritten), mime=DOCX_MIME),
        Attachment(filename=f"{stem}-rewritten.md", content=result.rewritten.encode(), mime="text/markdown"),
    ]
