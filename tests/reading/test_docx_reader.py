"""The DOCX reader on small files built here with python-docx: each Word feature → the Line it should be."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from core import errors
from core.reading.docx import read_docx
from core.reading.lines import Line


def _save(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _png() -> bytes:
    """A 2×3 grey PNG, enough for python-docx to place a picture."""
    raw = b"".join(b"\x00" + b"\x80" * 2 for _ in range(3))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 3, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _lines(data: bytes) -> list[Line]:
    return read_docx(data, 1000).lines


def _by_text(lines: list[Line], text: str) -> Line:
    return next(line for line in lines if line.text == text)


def test_heading_styles_title_and_bold_only_headings() -> None:
    d = docx.Document()
    d.add_paragraph("Jane Doe", style="Title")
    d.add_paragraph("Experience", style="Heading 2")
    d.add_paragraph("Data Engineer, Beispiel GmbH", style="Heading 3")
    p = d.add_paragraph()
    p.add_run("EDUCATION").bold = True
    p.add_run("  ")  # a trailing space run is not text: still all bold
    mixed = d.add_paragraph()
    mixed.add_run("Languages:").bold = True
    mixed.add_run(" Python, SQL")
    lines = _lines(_save(d))
    assert _by_text(lines, "Jane Doe").title
    exp = _by_text(lines, "Experience")
    assert (exp.heading, exp.level) == (1, 2)
    role = _by_text(lines, "Data Engineer, Beispiel GmbH")
    assert (role.heading, role.level) == (2, 3)
    edu = _by_text(lines, "EDUCATION")
    assert edu.bold and edu.caps and not edu.heading
    assert not _by_text(lines, "Languages: Python, SQL").bold
    assert _by_text(lines, "Languages: Python, SQL").parts == ["Languages", "Python, SQL"]
    assert _by_text(lines, "EDUCATION").parts == []


def test_localized_heading_styles_by_outline_level_or_name() -> None:
    d = docx.Document()
    custom = d.styles.add_style(
        "Titre Perso", WD_STYLE_TYPE.PARAGRAPH
    )  # any name: the outline level decides
    ppr = custom.element.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    ppr.append(outline)
    d.styles.add_style(
        "Überschrift 3", WD_STYLE_TYPE.PARAGRAPH
    )  # no outline level: the name says it
    d.styles.add_style(
        "标题 1", WD_STYLE_TYPE.PARAGRAPH
    )  # Chinese Heading 1, not the Title ("标题")
    d.add_paragraph("Berufserfahrung", style="Titre Perso")
    d.add_paragraph("Werkstudent", style="Überschrift 3")
    d.add_paragraph("Normaler Text")
    d.add_paragraph("工作经历", style="标题 1")
    lines = _lines(_save(d))
    assert (_by_text(lines, "工作经历").heading, _by_text(lines, "工作经历").title) == (1, False)
    assert (
        _by_text(lines, "Berufserfahrung").heading,
        _by_text(lines, "Berufserfahrung").level,
    ) == (1, 1)
    assert _by_text(lines, "Werkstudent").heading == 2
    assert _by_text(lines, "Normaler Text").heading == 0


def test_lists_numbering_levels_and_typed_glyphs() -> None:
    d = docx.Document()
    d.add_paragraph("Built the pipeline", style="List Bullet")
    d.add_paragraph("Nested detail", style="List Bullet 2")
    d.add_paragraph("First numbered", style="List Number")
    d.add_paragraph("• Typed glyph bullet")
    d.add_paragraph("➢Glued arrow bullet")
    lines = _lines(_save(d))
    assert [(ln.text, ln.bullet, ln.depth) for ln in lines] == [
        ("Built the pipeline", True, 0),
        ("Nested detail", True, 1),
        ("First numbered", True, 0),
        ("Typed glyph bullet", True, 0),
        ("Glued arrow bullet", True, 0),
    ]


def test_styles_that_only_sound_like_lists_are_not_bullets() -> None:
    d = docx.Document()
    d.add_paragraph(
        "A subtitle", style="Subtitle"
    )  # Word's Subtitle carries a numPr with a level only
    d.add_paragraph("Indented prose", style="List Paragraph")  # no numbering: no bullet to see
    d.add_paragraph("Continued text", style="List Continue")
    assert not any(line.bullet for line in _lines(_save(d)))


def test_direct_numbering_with_ilvl_and_a_typed_number_inside() -> None:
    d = docx.Document()
    for text, level in (("1.参与需求讨论", 0), ("Sub point", 1)):
        p = d.add_paragraph(text)
        num = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), str(level))
        num_id = OxmlElement("w:numId")
        num_id.set(qn("w:val"), "1")
        num.append(ilvl)
        num.append(num_id)
        p._p.get_or_add_pPr().append(num)
    lines = _lines(_save(d))
    assert [(ln.text, ln.bullet, ln.depth) for ln in lines] == [
        ("参与需求讨论", True, 0),
        ("Sub point", True, 1),
    ]


def test_manual_line_breaks_split_a_contact_block_and_tabs_make_asides() -> None:
    d = docx.Document()
    p = d.add_paragraph()
    run = p.add_run("Email: jane@example.com")
    run.add_break()
    p.add_run("Phone: +49 170 1234567")
    d.add_paragraph("Beispiel GmbH – Berlin\t03/2019 – heute")
    d.add_paragraph("Senior Engineer\tBerlin, Germany")
    lines = _lines(_save(d))
    assert [ln.text for ln in lines[:2]] == ["Email: jane@example.com", "Phone: +49 170 1234567"]
    assert (lines[2].text, lines[2].aside) == ("Beispiel GmbH – Berlin", "03/2019 – heute")
    assert (lines[3].text, lines[3].aside) == ("Senior Engineer", "Berlin, Germany")


def test_table_rows_role_beside_date_and_label_beside_value() -> None:
    d = docx.Document()
    d.add_paragraph("Experience", style="Heading 1")
    grid = d.add_table(rows=3, cols=2)
    grid.cell(0, 0).text = "Backend Engineer, Firma A"
    grid.cell(0, 1).text = "2022 – 2023"
    grid.cell(1, 0).text = "Jan 2019 – Dec 2021"
    grid.cell(1, 1).text = "Data Analyst, Firma B"
    grid.cell(2, 0).text = "Languages"
    grid.cell(2, 1).text = "Python, SQL, Bash"
    lines = _lines(_save(d))
    rows = [(ln.text, ln.aside, ln.source) for ln in lines[1:]]
    assert rows == [
        ("Backend Engineer, Firma A", "2022 – 2023", "table"),
        ("Data Analyst, Firma B", "Jan 2019 – Dec 2021", "table"),
        ("Languages: Python, SQL, Bash", "", "table"),
    ]


def test_a_date_cell_beside_a_cell_of_several_paragraphs_heads_its_first_line() -> None:
    d = docx.Document()
    grid = d.add_table(rows=1, cols=2)
    grid.cell(0, 0).text = "03/2019 – heute"
    right = grid.cell(0, 1)
    right.text = "Data Engineer"
    right.add_paragraph("Beispiel GmbH")
    right.add_paragraph("Built pipelines", style="List Bullet")
    lines = _lines(_save(d))
    assert (lines[0].text, lines[0].aside) == ("Data Engineer", "03/2019 – heute")
    assert [ln.text for ln in lines[1:]] == ["Beispiel GmbH", "Built pipelines"]
    assert lines[2].bullet


def test_a_one_row_layout_table_is_read_column_by_column_with_a_sidebar_photo() -> None:
    d = docx.Document()
    grid = d.add_table(rows=1, cols=2)
    side, main = grid.cell(0, 0), grid.cell(0, 1)
    side.paragraphs[0].add_run().add_picture(io.BytesIO(_png()), width=Inches(1.2))
    for text in ("Jane Doe", "jane@example.com", "Skills", "Python"):
        side.add_paragraph(text)
    main.text = "Experience"
    for text in ("Data Engineer", "Built pipelines", "Education", "B.Sc. Informatik"):
        main.add_paragraph(text)
    inner = main.add_table(rows=1, cols=2)  # nested tables recurse
    inner.cell(0, 0).text = "Intern, Firma C"
    inner.cell(0, 1).text = "2018"
    layout = read_docx(_save(d), 1000)
    texts = [(ln.text, ln.block) for ln in layout.lines]
    assert texts[:4] == [("Jane Doe", 0), ("jane@example.com", 0), ("Skills", 0), ("Python", 0)]
    assert texts[4:9] == [
        ("Experience", 1),
        ("Data Engineer", 1),
        ("Built pipelines", 1),
        ("Education", 1),
        ("B.Sc. Informatik", 1),
    ]
    assert (layout.lines[9].text, layout.lines[9].aside) == ("Intern, Firma C", "2018")
    assert layout.images == 1 and layout.photo


def test_a_picture_far_down_the_main_column_is_not_a_photo() -> None:
    d = docx.Document()
    for i in range(12):
        d.add_paragraph(f"Line {i} of the resume body")
    d.add_paragraph().add_run().add_picture(io.BytesIO(_png()), width=Inches(1.2))
    layout = read_docx(_save(d), 1000)
    assert layout.images == 1 and not layout.photo


def test_icons_are_not_photos_and_sizes_are_relative_to_the_body() -> None:
    d = docx.Document()
    d.add_paragraph().add_run().add_picture(io.BytesIO(_png()), width=Pt(12))  # a phone icon
    big = d.add_paragraph().add_run("EXPERIENCE")
    big.font.size = Pt(16)
    for i in range(3):
        d.add_paragraph(f"Body line {i} in the document's normal size")
    layout = read_docx(_save(d), 1000)
    assert layout.images == 0 and not layout.photo
    assert _by_text(layout.lines, "EXPERIENCE").size > 1.3
    assert _by_text(layout.lines, "Body line 0 in the document's normal size").size == 1.0


def test_a_single_heading_1_at_the_top_is_the_title_and_wide_spaces_make_an_aside() -> None:
    d = docx.Document()
    d.add_paragraph("Jane Doe", style="Heading 1")
    d.add_paragraph("Experience", style="Heading 2")
    d.add_paragraph("Data Engineer, Firma A          2019 – 2021")
    lines = _lines(_save(d))
    assert lines[0].title and not lines[1].title
    assert (lines[2].text, lines[2].aside) == ("Data Engineer, Firma A", "2019 – 2021")
    several = docx.Document()
    several.add_paragraph("Summary", style="Heading 1")
    several.add_paragraph("Experience", style="Heading 1")
    assert not any(line.title for line in _lines(_save(several)))


def test_a_header_row_above_a_sidebar_and_main_row() -> None:
    d = docx.Document()
    grid = d.add_table(rows=2, cols=2)
    top = grid.cell(0, 0).merge(grid.cell(0, 1))
    top.text = "Jane Doe"
    side, main = grid.cell(1, 0), grid.cell(1, 1)
    side.text = "Contact"
    for text in ("jane@example.com", "Berlin"):
        side.add_paragraph(text)
    main.text = "Experience"
    for text in ("Data Engineer", "Built pipelines"):
        main.add_paragraph(text)
    lines = _lines(_save(d))
    assert [(ln.text, ln.block) for ln in lines] == [
        ("Jane Doe", 0),
        ("Contact", 0),
        ("jane@example.com", 0),
        ("Berlin", 0),
        ("Experience", 1),
        ("Data Engineer", 1),
        ("Built pipelines", 1),
    ]


def test_a_name_typed_far_larger_than_the_rest_is_the_title() -> None:
    d = docx.Document()
    d.add_paragraph().add_run("Jane Doe").font.size = Pt(24)
    d.add_paragraph("jane@example.com")
    d.add_paragraph().add_run("EXPERIENCE").font.size = Pt(14)
    d.add_paragraph("Data Engineer at Firma A, building pipelines")
    lines = _lines(_save(d))
    assert lines[0].title and not any(line.title for line in lines[1:])


def test_hyperlink_targets_become_layout_links() -> None:
    d = docx.Document()
    p = d.add_paragraph("Profile: ")
    rid = d.part.relate_to("https://github.com/janedoe", RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "GitHub"
    run.append(t)
    link.append(run)
    p._p.append(link)
    layout = read_docx(_save(d), 1000)
    assert layout.lines[0].text == "Profile: GitHub"
    assert layout.links == ["https://github.com/janedoe"]


def test_header_contact_details_are_read_first() -> None:
    d = docx.Document()
    d.sections[0].header.is_linked_to_previous = False
    d.sections[0].header.paragraphs[0].text = "jane@example.com | +49 170 1234567"
    d.add_paragraph("Experience", style="Heading 1")
    lines = _lines(_save(d))
    assert lines[0].text == "jane@example.com | +49 170 1234567" and lines[0].source == "header"
    assert lines[1].text == "Experience"


def test_ornamental_rules_around_a_bold_heading_are_dropped() -> None:
    d = docx.Document()
    d.add_paragraph().add_run("———    个人信息    ———").bold = True
    lines = _lines(_save(d))
    assert lines[0].text == "个人信息" and lines[0].bold and not lines[0].bullet


def test_unsafe_or_wrong_files_raise_the_same_typed_errors() -> None:
    with pytest.raises(errors.DamagedFileError):
        read_docx(b"PK\x03\x04 not really a zip", 100)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    with pytest.raises(errors.UnsupportedFileError):
        read_docx(buf.getvalue(), 100)


def test_zip_bomb_is_refused_while_inflating() -> None:
    from tests.abuse.nasties import zip_bomb_docx

    start = time.process_time()
    with pytest.raises((errors.FileTooLargeError, errors.DamagedFileError)):
        read_docx(zip_bomb_docx(honest_header=False), 1000)
    assert time.process_time() - start < 10


def test_reading_stops_past_max_lines_quickly() -> None:
    from tests.abuse.nasties import docx_many_paragraphs

    data = docx_many_paragraphs()
    start = time.process_time()
    layout = read_docx(data, 300)
    assert len(layout.lines) <= 301
    assert time.process_time() - start < 5
