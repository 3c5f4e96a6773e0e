"""The DOCX builder as it was before the fast path (python-docx `add_paragraph`/`add_run`).

Frozen here as the reference the fast builder in `core/export/docx.py` must match,
XML for XML (tests/test_export_docx_same.py), and as the "old" column of
`benchmarks/export.py`. Not used by the bot.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

_FONT = "Calibri"
_BODY_PT = 10.5
_CONTACT_PT = 9.5
_TITLE_PT = 20
_H1_PT = 12.5
_H2_PT = 11
_MARGIN_INCHES = 0.75
_ACCENT_RGB = (0x1F, 0x3A, 0x5F)

# XML 1.0 forbids these code points; Word refuses a file that contains them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# \* escapes (the Markdown grammar moved on: the rewrite escapes the person's own '*', '_'…),
# **bold**, *italic* / _italic_, [text](url), `code`
_INLINE = re.compile(
    r"\\(?P<esc>[!-/:-@\[-`{-~])"
    r"|\*\*(?P<bold>.+?)\*\*|__(?P<bold2>.+?)__|(?<![\w*])\*(?P<ital>[^*\s](?:[^*]*[^*\s])?)\*(?!\w)"
    r"|(?<![\w_])_(?P<ital2>[^_\s](?:[^_]*[^_\s])?)_(?![\w_])|\[(?P<link>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"|`(?P<code>[^`]+)`"
)
_CONTACT_HINT = re.compile(r"@|\+?\d[\d ()-]{6,}|linkedin|github|https?://|www\.|\|")
_DATE_HINT = re.compile(r"\b(19|20)\d{2}\b|\bpresent\b|\bcurrent\b", re.I)


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    bold: bool = False
    italic: bool = False


def clean_xml_text(text: str) -> str:
    """Drop characters XML 1.0 can't hold (control bytes, lone surrogates) so Word opens the file."""
    return _XML_INVALID.sub("", text)


def _inline_runs(text: str, *, bold: bool = False, italic: bool = False) -> list[_Run]:
    """Split Markdown inline markup into styled runs; links become their text (plus the URL if different)."""
    runs: list[_Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(_Run(text[pos : m.start()], bold, italic))
        if m["esc"] is not None:
            runs.append(_Run(m["esc"], bold, italic))
        elif (inner := m["bold"] or m["bold2"]) is not None:
            runs.extend(_inline_runs(inner, bold=True, italic=italic))
        elif (inner := m["ital"] or m["ital2"]) is not None:
            runs.extend(_inline_runs(inner, bold=bold, italic=True))
        elif m["link"] is not None:
            label, url = m["link"], m["url"]
            shown = (
                label
                if url.removeprefix("mailto:") in label or label in url
                else f"{label} ({url})"
            )
            runs.append(_Run(shown, bold, italic))
        else:
            runs.append(_Run(m["code"], bold, italic))
        pos = m.end()
    if pos < len(text):
        runs.append(_Run(text[pos:], bold, italic))
    return [r for r in runs if r.text]


def _plain(text: str) -> str:
    return "".join(r.text for r in _inline_runs(text))


def _add_runs(paragraph: object, text: str, *, bold: bool = False, italic: bool = False) -> None:
    for run in _inline_runs(clean_xml_text(text), bold=bold, italic=italic):
        r = paragraph.add_run(run.text)  # type: ignore[attr-defined]
        r.bold = run.bold or None
        r.italic = run.italic or None


def _setup_styles(document: object) -> None:
    """Fonts, sizes and spacing that read as a resume; kept on the built-in styles so Word's UI shows them."""

    styles = document.styles  # type: ignore[attr-defined]
    accent = RGBColor(*_ACCENT_RGB)
    normal = styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(_BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), _FONT)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.line_spacing = 1.08

    title = styles["Title"]
    title.font.name = _FONT
    title.font.size = Pt(_TITLE_PT)
    title.font.bold = True
    title.font.color.rgb = accent
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(2)

    for name, size, before in (("Heading 1", _H1_PT, 10), ("Heading 2", _H2_PT, 6)):
        style = styles[name]
        style.font.name = _FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = accent if name == "Heading 1" else RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.keep_with_next = True

    bullet = styles["List Bullet"]
    bullet.font.name = _FONT
    bullet.font.size = Pt(_BODY_PT)
    bullet.paragraph_format.space_after = Pt(1)

    for section in document.sections:  # type: ignore[attr-defined]
        section.top_margin = section.bottom_margin = Inches(_MARGIN_INCHES)
        section.left_margin = section.right_margin = Inches(_MARGIN_INCHES)


def _heading_rule(paragraph: object) -> None:
    """A thin line under a section heading, the way resume templates separate sections."""

    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "".join(f"{c:02X}" for c in _ACCENT_RGB)),
    ):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def markdown_to_docx(markdown: str) -> bytes:
    """Render the rewrite's Markdown (#, ##, ###, bullets, **bold**, *italic*, links) as a resume DOCX."""

    document = docx.Document()
    _setup_styles(document)
    # python-docx resolves a style *name* by scanning every style on each call (≈7 ms each);
    # resolve the ids once and set them on the paragraph XML directly.
    style_ids = {
        name: document.styles[name].style_id
        for name in ("Title", "Heading 1", "Heading 2", "List Bullet")
    }

    def add_paragraph(style: str | None = None) -> object:
        paragraph = document.add_paragraph()
        if style is not None:
            paragraph._p.style = style_ids[style]
        return paragraph

    title_text = ""
    in_header = False  # between the name and the first section: contact lines
    for raw in clean_xml_text(markdown).splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or re.fullmatch(r"[-*_]{3,}", stripped):
            continue
        if m := re.match(r"^(#{1,6})\s+(.*)$", stripped):
            level, text = len(m[1]), m[2].strip().rstrip("#").strip()
            if level == 1 and not title_text:
                title_text = _plain(text)
                paragraph = add_paragraph("Title")
                _add_runs(paragraph, text)
                in_header = True
            elif level <= 2:
                paragraph = add_paragraph("Heading 1")
                _add_runs(paragraph, text)
                _heading_rule(paragraph)
                in_header = False
            else:
                paragraph = add_paragraph("Heading 2")
                _add_runs(paragraph, text)
                in_header = False
            continue
        if m := re.match(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+(.*)$", line):
            paragraph = add_paragraph("List Bullet")
            _add_runs(paragraph, m[1])
            continue
        paragraph = document.add_paragraph()
        if in_header:  # headline and contact lines sit centred under the name
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_runs(paragraph, stripped)
            if _CONTACT_HINT.search(stripped):
                for run in paragraph.runs:
                    run.font.size = Pt(_CONTACT_PT)
        elif re.fullmatch(r"[*_][^*_].*[*_]", stripped) and _DATE_HINT.search(stripped):
            _add_runs(paragraph, stripped)  # the italic date line under a role
            paragraph.paragraph_format.space_after = Pt(1)
        else:
            _add_runs(paragraph, stripped)
    props = document.core_properties
    props.title = clean_xml_text(title_text or "Resume")[:255]
    props.subject = "Resume"
    props.author = props.title if title_text else ""
    props.last_modified_by = ""
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = ""
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
