"""Every labelled DOCX, Markdown, text and JSON Resume file of the corpus, checked at the Line level.

What a person sees must be in the Lines: each labelled section heading is a heading
line (or a short bold/capitals line), each role's dates sit on or just under its
title line, each role has as many bullet Lines as the label counts, the name is a
line of its own where a reader would look for it, contact details are present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.reading.labels import labelled_files, read, score

FILES = labelled_files()
IDS = [path.name for path, _ in FILES]

# Known gaps, with the reason: tests may name files, reader rules never do.
NO_MARKUP_HEADINGS = {
    # An unfilled one_resume template: '[Experience]' and '[name]' are plain 'Normal' paragraphs
    # with no style, weight or case; only the parser's word list can call them headings.
    "one_resume_template_sherlock.docx",
}


@pytest.mark.parametrize(("path", "label"), FILES, ids=IDS)
def test_labelled_section_headings_are_heading_lines(path: Path, label: dict) -> None:
    result = score(path, label)
    found, total = result.headings
    if path.name in NO_MARKUP_HEADINGS:
        pytest.xfail("headings carry no markup in this file")
    assert found == total, result.misses


@pytest.mark.parametrize(("path", "label"), FILES, ids=IDS)
def test_role_dates_sit_on_or_under_the_title_line(path: Path, label: dict) -> None:
    result = score(path, label)
    assert result.dates[0] == result.dates[1], result.misses


@pytest.mark.parametrize(("path", "label"), FILES, ids=IDS)
def test_each_role_has_the_labelled_number_of_bullet_lines(path: Path, label: dict) -> None:
    result = score(path, label)
    assert result.bullets[0] == result.bullets[1], result.misses


@pytest.mark.parametrize(("path", "label"), FILES, ids=IDS)
def test_the_name_is_a_line_where_a_reader_looks(path: Path, label: dict) -> None:
    result = score(path, label)
    if result.name is None:
        pytest.skip("the label has no name")
    if path.name in NO_MARKUP_HEADINGS:
        pytest.xfail("the name placeholder is inside a template loop marker ('<[name]')")
    assert result.name, result.misses


@pytest.mark.parametrize(("path", "label"), FILES, ids=IDS)
def test_contact_details_are_in_the_text_or_the_links(path: Path, label: dict) -> None:
    result = score(path, label)
    assert result.contact[0] == result.contact[1], result.misses


def test_corpus_has_files_of_every_reader_format() -> None:
    if not FILES:
        pytest.skip("../shared/corpus is not present")
    suffixes = {path.suffix for path, _ in FILES}
    assert {".docx", ".md", ".txt", ".json"} <= suffixes


def test_example_docx_skills_table_is_one_section_with_labels_beside_values() -> None:
    """The issue: the table became an empty 'Skills' and a 'Languages' section, labels apart from values."""
    lines = read(EXAMPLES / "resume.docx").lines
    at = next(i for i, line in enumerate(lines) if line.heading and line.text == "Skills")
    rows = lines[at + 1 :]
    assert [line.text.split(":")[0] for line in rows] == [
        "Languages",
        "Data",
        "Infrastructure",
        "Practices",
    ]
    assert rows[0].text == "Languages: Python, SQL, Bash"
    assert not any(line.heading or line.bold for line in rows)


def test_example_docx_roles_keep_heading_styles_bullets_and_dates() -> None:
    lines = read(EXAMPLES / "resume.docx").lines
    assert lines[0].title and lines[0].text == "Alex Rivera"
    sections = [line.text for line in lines if line.heading and line.level == 1]
    assert sections == ["Summary", "Experience", "Education", "Skills"]
    roles = [i for i, line in enumerate(lines) if line.level == 2]
    assert len(roles) == 3
    assert lines[roles[0] + 1].text == "2021 - Present"
    assert sum(1 for line in lines[roles[0] : roles[1]] if line.bullet) == 5


def test_example_txt_reads_headings_bullets_and_contact() -> None:
    path = EXAMPLES / "resume.txt"
    layout = read(path)
    text = "\n".join(line.text for line in layout.lines)
    assert "alex.rivera@example.com" in text
    assert any(line.bullet for line in layout.lines)
    assert any(line.caps or line.heading for line in layout.lines)
