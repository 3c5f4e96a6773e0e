"""JSON Resume → Lines: every field kept, the file's keys as headings in file order."""

from __future__ import annotations

import json
import re

import pytest

from core.jsonresume import (  # the old import path still works
    looks_like_json_resume,
    render_json_resume,
)
from core.reading.jsonresume import natural, read_json_resume
from tests.conftest import corpus_files

RESUME = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "田中 花子",
        "nameFurigana": "たなか はなこ",
        "label": "ソフトウェアエンジニア",
        "email": "hanako@example.com",
        "phone": "090-1234-5678",
        "birthDate": "1990-05-15",
        "location": {
            "address": "神宮前1-1-1",
            "city": "渋谷区",
            "region": "東京都",
            "postalCode": "150-0001",
        },
        "profiles": [
            {"network": "GitHub", "username": "hanako", "url": "https://github.com/hanako"}
        ],
    },
    "work": [
        {
            "name": "テック株式会社",
            "position": "エンジニア",
            "location": "東京都渋谷区",
            "startDate": "2018-04",
            "summary": "設計と実装",
            "highlights": ["導入", "開発"],
        }
    ],
    "education": [
        {
            "institution": "Cornell University",
            "studyType": "B.S.",
            "area": "Computer Science",
            "gpa": "3.5",
            "startDate": "2005-09",
            "endDate": "2008-05",
            "courses": ["Algorithms", "Databases"],
        }
    ],
    "certificates": [{"name": "TOEIC", "issuer": "ETS", "date": "2018-12", "score": 920}],
    "languages": [{"language": "English", "fluency": "Business"}],
    "interests": [{"name": "Outdoors", "keywords": ["Hiking", "Camping"]}],
    "references": [{"name": "Yamada Taro", "reference": "An excellent engineer."}],
    "awards": [
        {
            "title": "Hackathon winner",
            "awarder": "TechFest",
            "date": "2017-11",
            "summary": "Built an app in 24 h",
        }
    ],
    "publications": [{"name": "On Caching", "publisher": "ACM", "releaseDate": "2019-03"}],
    "projects": [
        {
            "name": "Smart Home",
            "roles": ["Lead"],
            "keywords": ["IoT"],
            "url": "https://sh.example.com",
            "highlights": ["Designed the backend"],
            "startDate": "2020-01",
            "endDate": "2020-12",
        }
    ],
    "volunteer": [],
    "strengths": ["Problem solving", "Fast learner"],
    "meta": {"version": "v1"},
}


def test_sections_are_the_non_empty_top_level_keys_in_file_order() -> None:
    lines = read_json_resume(RESUME).lines
    headings = [line.text for line in lines if line.heading and not line.title]
    assert headings == [
        "Basics",
        "Work",
        "Education",
        "Certificates",
        "Languages",
        "Interests",
        "References",
        "Awards",
        "Publications",
        "Projects",
        "Strengths",
    ]
    assert lines[0].title and lines[0].text == "田中 花子"


def test_every_field_is_kept_in_the_text() -> None:
    text = render_json_resume(RESUME)
    for value in (
        "たなか はなこ",
        "1990-05-15",
        "渋谷区",
        "150-0001",
        "https://github.com/hanako",
        "東京都渋谷区",
        "設計と実装",
        "GPA: 3.5",
        "Algorithms",
        "Score: 920",
        "English: Business",
        "Outdoors: Hiking, Camping",
        "Yamada Taro",
        "An excellent engineer.",
        "Built an app in 24 h",
        "2019-03",
        "Roles: Lead",
        "Keywords: IoT",
        "https://sh.example.com",
        "Designed the backend",
        "Problem solving",
    ):
        assert value in text, value
    assert "v1" not in text  # meta is about the file, not the person


def test_entries_are_bold_title_lines_with_dates_aside_and_bullets() -> None:
    lines = read_json_resume(RESUME).lines
    work = next(line for line in lines if line.text == "エンジニア, テック株式会社")
    assert (
        work.bold and work.aside == "2018-04 – 現在"
    )  # an open end date means current, in the resume's language
    edu = next(line for line in lines if line.text.startswith("B.S. Computer Science"))
    assert edu.aside == "2005-09 – 2008-05"
    assert [line.text for line in lines if line.bullet][:4] == [
        "導入",
        "開発",
        "Algorithms",
        "Databases",
    ]


def test_natural_names() -> None:
    assert [natural(k) for k in ("work", "nameFurigana", "pr", "birth_date")] == [
        "Work",
        "Name furigana",
        "PR",
        "Birth date",
    ]


def test_looks_like_json_resume() -> None:
    assert looks_like_json_resume(json.dumps(RESUME)) is not None
    assert looks_like_json_resume('{"name": "ci", "steps": []}') is None


@pytest.mark.parametrize("path", corpus_files("resumes/json", "*.json"), ids=lambda p: p.name)
def test_corpus_json_values_all_reach_the_text(path) -> None:
    """Every scalar in the file (except file metadata and flags) is somewhere in the text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    text = render_json_resume(data)
    flat = " ".join(text.split())
    missing = []

    def walk(value: object, key: str = "") -> None:
        if key in ("$schema", "meta"):
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and value.strip() and key not in ("image", "picture"):
            for part in value.split("\n"):
                part = re.sub(
                    r"\[([^\]]*)\]\([^)]*\)", r"\1", part
                )  # Markdown links show their text
                words = " ".join(part.replace("**", "").split())
                if words and words not in flat and not words.startswith("["):
                    missing.append(f"{key}: {words[:40]}")
        elif (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and str(value) not in flat
        ):
            missing.append(f"{key}: {value}")

    walk(data)
    assert not missing
