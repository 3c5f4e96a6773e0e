"""Splitting resumes into the sections and roles a person sees."""

from __future__ import annotations

import pytest

from core.models import SectionName as S
from core.reading import extract
from core.structure import heading_section, parse_date_range, parse_resume
from tests.conftest import CORPUS
from tests.samples import GOOD_RESUME

# What a person sees in each corpus resume (the sections, in order, that matter for a review).
EXPECTED = {
    "pdf/rendercv_engineeringresumes_john_doe.pdf": [S.EDUCATION, S.EXPERIENCE, S.PROJECTS, S.OTHER, S.OTHER, S.SKILLS, S.OTHER],
    "pdf/resumematcher_john_doe.pdf": [S.SUMMARY, S.SKILLS, S.EXPERIENCE, S.EDUCATION, S.CERTIFICATIONS],
    "pdf/resumematcher_modern_two_column_john_doe.pdf": [S.SUMMARY, S.EXPERIENCE, S.PROJECTS, S.EDUCATION, S.SKILLS],
    "pdf/resumematcher_bruce_wayne_fullstack.pdf": [S.SUMMARY, S.SKILLS, S.EXPERIENCE, S.EDUCATION, S.PROJECTS],
    "pdf/billryan_resume_en.pdf": [S.EDUCATION, S.EXPERIENCE, S.SKILLS, S.OTHER, S.OTHER],
    "pdf/billryan_resume_zh_CN.pdf": [S.EDUCATION, S.EXPERIENCE, S.SKILLS, S.OTHER, S.OTHER],
    "pdf/brilliant_cv_john_doe.pdf": [S.EDUCATION, S.EXPERIENCE, S.PROJECTS, S.CERTIFICATIONS, S.OTHER, S.SKILLS],
    "pdf/awesomecv_resume.pdf": [S.SUMMARY, S.EXPERIENCE, S.OTHER, S.OTHER, S.CERTIFICATIONS, S.EDUCATION],
    "pdf/altacv_sample_two_column.pdf": [S.EXPERIENCE, S.PROJECTS, S.OTHER, S.EDUCATION, S.OTHER],
    "pdf/jsonresume_rirekisho_tanaka_hanako.pdf": [S.EDUCATION, S.EXPERIENCE],
    "text/rendercv_sample_cv_sarah_johnson.txt": [S.EXPERIENCE, S.EDUCATION, S.SKILLS],
    "text/resumematcher_german_resume_max_mustermann.md": [S.SUMMARY, S.EXPERIENCE, S.SKILLS, S.EDUCATION, S.OTHER],
    "text/pandoc_resume_johnny_coder.md": [S.EDUCATION, S.EXPERIENCE, S.PROJECTS],
    "docx/pandoc_resume_johnny_coder.docx": [S.EDUCATION, S.EXPERIENCE, S.PROJECTS],
}


@pytest.mark.parametrize(("relpath", "sections"), EXPECTED.items(), ids=list(EXPECTED))
def test_corpus_sections_match_what_a_person_sees(relpath: str, sections: list[S]) -> None:
    path = CORPUS / "resumes" / relpath
    if not path.exists():
        pytest.skip("corpus absent")
    text, _ = extract(path.read_bytes(), path.name, 10)
    resume = parse_resume(text)
    assert [s.name for s in resume.sections if s.name is not S.CONTACT] == sections


@pytest.mark.parametrize(
    ("relpath", "dates"),
    [
        ("pdf/resumematcher_modern_two_column_john_doe.pdf", ["Jan 2023 - Present", "Jun 2021 - Dec 2022", "Jul 2019 - May 2021"]),
        ("pdf/resumematcher_bruce_wayne_fullstack.pdf", ["June 2020 – Present", "July 2015 – May 2020", "June 2012 – June 2015"]),
        ("text/rendercv_sample_cv_sarah_johnson.txt", ["Jan 2022 - Present", "Jun 2020 - Dec 2021"]),
    ],
)
def test_experience_splits_into_dated_roles(relpath: str, dates: list[str]) -> None:
    path = CORPUS / "resumes" / relpath
    if not path.exists():
        pytest.skip("corpus absent")
    text, _ = extract(path.read_bytes(), path.name, 10)
    experience = parse_resume(text).section(S.EXPERIENCE)
    assert experience is not None
    assert [r.dates for r in experience.roles] == dates


def test_sample_resume_structure_and_contact() -> None:
    resume = parse_resume(GOOD_RESUME)
    assert resume.name == "Jordan Lee"
    assert resume.email == "jordan.lee@example.com"
    assert resume.phone == "+1 415 555 0199"
    assert any("linkedin.com/in/jordanlee-example" in link for link in resume.links)
    experience = resume.section(S.EXPERIENCE)
    assert experience is not None and len(experience.roles) == 2
    current, past = experience.roles
    assert current.current and current.start_year == 2021 and len(current.bullets) == 3
    assert not past.current and (past.start_year, past.end_year) == (2017, 2020)


@pytest.mark.parametrize(
    ("line", "name"),
    [("EXPERIENCE", S.EXPERIENCE), ("Work History:", S.EXPERIENCE), ("## Skills", S.SKILLS),
     ("Professional Summary", S.SUMMARY), ("教育背景", S.EDUCATION), ("Berufserfahrung", S.EXPERIENCE),
     ("——— 工作经历 ———", S.EXPERIENCE), ("Licenses & Certifications", S.CERTIFICATIONS),
     ("Experience building payment systems at scale", None), ("• Skills", None)],
)
def test_heading_synonyms(line: str, name: S | None) -> None:
    assert heading_section(line) == name


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [("Jan 2020 – Present", 2020, None, True), ("03/2019 - 05/2022", 2019, 2022, False),
     ("2015 年 3 月 – 至今", 2015, None, True), ("Sept 2018 to May 2023", 2018, 2023, False)],
)
def test_date_ranges(text: str, start: int, end: int | None, current: bool) -> None:
    parsed = parse_date_range(text)
    assert parsed is not None
    assert parsed[1:] == (start, end, current)
