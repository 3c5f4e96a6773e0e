"""The rewrite as a DOCX laid out like a resume.

The DOCX is what a user forwards to a recruiter, so it is laid out like a
resume (name as the title, a small centred contact line, section headings,
role headings, italic date lines, real Word bullets), not a dump of Markdown.
It is built only from the rewrite's own Markdown: no author name, template or
metadata from anywhere else ends up in the file.

Speed: python-docx's `add_paragraph` inserts before the section properties one
call at a time and `add_run`'s text setter walks the text a character at a
time; with opening the template, styling it and compressing every part on
each save, that was 34 ms a resume (issue 12). Now the styled empty document
is made once per process (`prepare()`, called before review children fork),
its constant parts compressed once; per resume only the body (one string,
runs whole) and the core properties are written, appended to a copy of that
zip. The parts are byte for byte what python-docx produced
(tests/test_export_docx_same.py compares them on every corpus rewrite).
"""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from core import regex_cache
from core.export.markdown import Block, clean_xml_text, document_title, parse_rewrite

FONT = "Calibri"
BODY_PT = 10.5
CONTACT_PT = 9.5
TITLE_PT = 20
H1_PT = 12.5
H2_PT = 11
MARGIN_INCHES = 0.75
ACCENT_RGB = (0x1F, 0x3A, 0x5F)
_ACCENT_HEX = "".join(f"{c:02X}" for c in ACCENT_RGB)

_STYLE_OF = {
    "title": "Title",
    "heading": "Heading 1",
    "entry": "Heading 2",
    "bullet": "List Bullet",
}
_TAB_OR_BREAK = regex_cache.compile(r"([\t\r\n])")
# A thin line under a section heading, the way resume templates separate sections.
_HEADING_RULE = (
    f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="{_ACCENT_HEX}"/></w:pBdr>'
)
_DATE_SPACING = f'<w:spacing w:after="{int(Pt(1).twips)}"/>'
_CONTACT_SIZE = f'<w:sz w:val="{round(CONTACT_PT * 2)}"/>'


def _setup_styles(document: object) -> None:
    """Fonts, sizes and spacing that read as a resume; kept on the built-in styles so Word's UI shows them."""

    styles = document.styles  # type: ignore[attr-defined]
    accent = RGBColor(*ACCENT_RGB)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.line_spacing = 1.08

    title = styles["Title"]
    title.font.name = FONT
    title.font.size = Pt(TITLE_PT)
    title.font.bold = True
    title.font.color.rgb = accent
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(2)

    for name, size, before in (("Heading 1", H1_PT, 10), ("Heading 2", H2_PT, 6)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = accent if name == "Heading 1" else RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.keep_with_next = True

    bullet = styles["List Bullet"]
    bullet.font.name = FONT
    bullet.font.size = Pt(BODY_PT)
    bullet.paragraph_format.space_after = Pt(1)

    for section in document.sections:  # type: ignore[attr-defined]
        section.top_margin = section.bottom_margin = Inches(MARGIN_INCHES)
        section.left_margin = section.right_margin = Inches(MARGIN_INCHES)


def _run_content(text: str) -> str:
    """A run's text as Word run content: `<w:t>` pieces, a tab as `<w:tab/>`, a break as `<w:br/>`."""
    parts: list[str] = []
    for piece in _TAB_OR_BREAK.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece.strip() != piece else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(parts)


def _paragraph_xml(block: Block, style_ids: dict[str, str]) -> str:
    ppr = ""
    if (style := _STYLE_OF.get(block.kind)) is not None:
        ppr = f'<w:pStyle w:val="{style_ids[style]}"/>'
        if block.kind == "heading":
            ppr += _HEADING_RULE
    elif block.kind == "header":  # headline and contact lines sit centred under the name
        ppr = '<w:jc w:val="center"/>'
    elif block.kind == "dates":  # the italic date line under a role
        ppr = _DATE_SPACING
    size = _CONTACT_SIZE if block.contact else ""
    runs = "".join(
        f"<w:r><w:rPr{'>' if (run.bold or run.italic or size) else '/>'}"
        f"{'<w:b/>' if run.bold else ''}{'<w:i/>' if run.italic else ''}{size}"
        f"{'</w:rPr>' if (run.bold or run.italic or size) else ''}"
        f"{_run_content(run.text)}</w:r>"
        for run in block.runs
    )
    if not ppr and not runs:
        return "<w:p/>"
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


@dataclass(frozen=True, slots=True)
class _Template:
    """The styled empty document, made once per process: everything but the body and the properties."""

    archive: bytes  # a zip of every constant part, already compressed
    body_head: str  # word/document.xml up to the body's section properties
    body_tail: str
    core_xml: bytes  # docProps/core.xml as python-docx's template has it
    style_ids: dict[str, str]


_DOCUMENT_PART = "word/document.xml"
_CORE_PART = "docProps/core.xml"


@functools.cache
def _template() -> _Template:
    document = docx.Document()
    _setup_styles(document)
    # python-docx resolves a style *name* by scanning every style; resolve the ids once.
    style_ids = {name: document.styles[name].style_id for name in _STYLE_OF.values()}
    saved = io.BytesIO()
    document.save(saved)
    archive = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            if name not in (_DOCUMENT_PART, _CORE_PART):
                target.writestr(name, source.read(name))
        document_xml = source.read(_DOCUMENT_PART).decode("utf-8")
        core_xml = source.read(_CORE_PART)
    cut = document_xml.index("<w:sectPr")
    return _Template(
        archive.getvalue(), document_xml[:cut], document_xml[cut:], core_xml, style_ids
    )


def prepare() -> None:
    """Build the per-process template now: call it before forking review children so they inherit it."""
    _template()


def _core_properties(template: _Template, title_text: str) -> bytes:
    """docProps/core.xml: the resume's name as title and author, nothing from python-docx or the machine."""
    props = CoreProperties(parse_xml(template.core_xml))
    props.title = clean_xml_text(title_text or "Resume")[:255]
    props.subject = "Resume"
    props.author = props.title if title_text else ""
    props.last_modified_by = ""
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = ""
    return serialize_part_xml(props._element)


def blocks_to_docx(blocks: list[Block]) -> bytes:
    """Lay the parsed rewrite out as a resume DOCX.

    The constant parts come from the per-process template, compressed once; only
    word/document.xml (its body spliced in as text) and docProps/core.xml are
    written per resume, appended to a copy of the template's zip.
    """
    template = _template()
    body_xml = "".join(_paragraph_xml(block, template.style_ids) for block in blocks)
    document_xml = (template.body_head + body_xml + template.body_tail).encode("utf-8")
    out = io.BytesIO(template.archive)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_DOCUMENT_PART, document_xml)
        archive.writestr(_CORE_PART, _core_properties(template, document_title(blocks)))
    return out.getvalue()


def markdown_to_docx(markdown: str) -> bytes:
    """Render the rewrite's Markdown (#, ##, ###, bullets, **bold**, *italic*, links) as a resume DOCX."""
    return blocks_to_docx(parse_rewrite(markdown))
