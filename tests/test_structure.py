"""Splitting resumes into the sections and roles a person sees."""

from __future__ import annotations

import pytest

from core.models import SectionName as S
from core.structure import heading_section, parse_date_range, parse_resume
from tests.samples import GOOD_RESUME


def test_a_street_address_s_numbers_are_not_taken_for_the_phone() -> None:
    """Europass prints the address above the phone: '100/2 - 12345' reads like a number."""
    resume = parse_resume(
        "Maria Bianchi\nVia Roma, 100/2 - 12345 Torino (Italia)\n+39 392 1234567\n"
        "maria.bianchi@example.org\n\nEsperienza\nTirocinio, Benetton, 2001 – 2004\n"
    )
    assert resume.phone == "+39 392 1234567"


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
    [
        ("EXPERIENCE", S.EXPERIENCE),
        ("Work History:", S.EXPERIENCE),
        ("## Skills", S.SKILLS),
        ("Professional Summary", S.SUMMARY),
        ("教育背景", S.EDUCATION),
        ("Berufserfahrung", S.EXPERIENCE),
        ("——— 工作经历 ———", S.EXPERIENCE),
        ("Licenses & Certifications", S.CERTIFICATIONS),
        ("Experience building payment systems at scale", None),
        ("• Skills", None),
    ],
)
def test_heading_synonyms(line: str, name: S | None) -> None:
    assert heading_section(line) == name


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("Jan 2020 – Present", 2020, None, True),
        ("03/2019 - 05/2022", 2019, 2022, False),
        ("2015 年 3 月 – 至今", 2015, None, True),
        ("Sept 2018 to May 2023", 2018, 2023, False),
    ],
)
def test_date_ranges(text: str, start: int, end: int | None, current: bool) -> None:
    parsed = parse_date_range(text)
    assert parsed is not None
    assert parsed[1:] == (start, end, current)
