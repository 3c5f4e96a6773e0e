"""Headings, dates and personal data in the languages the reader understands (en, de, fr, es, pt,
it, nl, ru, zh, ja), and unfilled templates: what a person writes, what the review must see."""

from __future__ import annotations

import pytest

from core.config import Settings
from core.models import SectionName as S
from core.offline import review
from core.reading import read_file
from core.structure import parse_date_range
from core.structure.headings import kind_of

SETTINGS = Settings()


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Berufserfahrung", S.EXPERIENCE),
        ("Expérience professionnelle", S.EXPERIENCE),
        ("Experiencia en la industria", S.EXPERIENCE),
        ("EXPERIÊNCIA PROFISSIONAL", S.EXPERIENCE),
        ("Esperienze lavorative", S.EXPERIENCE),
        ("Werkervaring", S.EXPERIENCE),
        ("Опыт работы", S.EXPERIENCE),
        ("工作经历", S.EXPERIENCE),
        ("【職務経歴】", S.EXPERIENCE),
        ("Formación académica", S.EDUCATION),
        ("Ausbildung", S.EDUCATION),
        ("Istruzione e formazione", S.EDUCATION),
        ("Opleiding", S.EDUCATION),
        ("Образование", S.EDUCATION),
        ("教育背景", S.EDUCATION),
        ("学歴", S.EDUCATION),
        ("Compétences techniques", S.SKILLS),
        ("Habilidades Técnicas", S.SKILLS),
        ("Kenntnisse", S.SKILLS),
        ("Навыки", S.SKILLS),
        ("技能", S.SKILLS),
        ("Langues", S.LANGUAGES),
        ("Idiomas", S.LANGUAGES),
        ("Sprachen", S.LANGUAGES),
        ("Centres d'intérêt", S.INTERESTS),
        ("Referenzen", S.REFERENCES),
        ("Selected Honors", S.AWARDS),
        ("Invited Talks", S.OTHER),
        ("Volunteer Experience", S.VOLUNTEERING),
        ("Informazioni personali", S.CONTACT),
        ("Perfil Profesional", S.SUMMARY),
        ("自己PR", S.SUMMARY),
    ],
)
def test_section_headings_in_ten_languages(heading: str, kind: S) -> None:
    assert kind_of(heading) == kind


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("mar/2022 – atual", 2022, None, True),
        ("03/2019 – heute", 2019, None, True),
        ("2019年4月～現在", 2019, None, True),
        ("depuis 2020", 2020, None, True),
        ("gennaio 2005 - alla data attuale", 2005, None, True),
        ("2014-04 – 2016-03", 2014, 2016, False),
        ("Sept. 2018 – May 2023", 2018, 2023, False),
        ("sept. 2019 - juin 2021", 2019, 2021, False),
        ("enero 2020 – presente", 2020, None, True),
        ("сентябрь 2019 – по настоящее время", 2019, None, True),
        ("mai de 2025 - jun de 2025", 2025, 2025, False),
        ("2021.09 – 2025.06", 2021, 2025, False),
    ],
)
def test_date_ranges_in_the_forms_people_write(
    text: str, start: int, end: int | None, current: bool
) -> None:
    parsed = parse_date_range(text)
    assert parsed is not None, text
    assert parsed[1:] == (start, end, current)


def _review(text: str):
    document = read_file(text.encode(), "cv.txt", 10)
    return review(document, "cv.txt", None, None, SETTINGS)


BODY = """
{heading}
Backend Developer, Example GmbH, 2019 - 2023
• Built the payment service used by 2 million people
"""


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Geburtsdatum: 01.02.1990", "date of birth"),
        ("Date de naissance : 1 février 1990", "date of birth"),
        ("Fecha de nacimiento: 1/2/1990", "date of birth"),
        ("Data de nascimento: 01/02/1990", "date of birth"),
        ("Data di nascita: 1 febbraio 1990", "date of birth"),
        ("Geboortedatum: 01-02-1990", "date of birth"),
        ("Дата рождения: 01.02.1990", "date of birth"),
        ("出生日期：1990年2月", "date of birth"),
        ("Familienstand: verheiratet", "marital status"),
        ("Estado civil: casado", "marital status"),
        ("Nationalité : française", "nationality"),
        ("Nazionalità: italiana", "nationality"),
        ("Gender: female", "gender"),
        ("Geschlecht: weiblich", "gender"),
        ("性别：男", "gender"),
        ("Age: 34", "age"),
        ("34 years old", "age"),
    ],
)
def test_personal_data_is_flagged_in_every_language_we_read(line: str, label: str) -> None:
    result = _review(
        f"Jane Example\njane@example.com | +49 30 1234567\n{line}\n"
        + BODY.format(heading="Experience")
    )
    messages = [f.message for f in result.findings if f.rule == "privacy.sensitive_data"]
    assert any(label in m for m in messages), messages


def test_a_rirekisho_form_is_not_told_to_drop_what_the_form_asks_for() -> None:
    result = _review(
        "履歴書\n氏名 田中 花子\n生年月日 1990年5月15日生（満 34歳）\n性別 女\n現住所 東京都新宿区西新宿2-2-2\n"
        "電話 090-1234-5678\n\n学歴\n2010年4月 東京工業大学 コンピューターサイエンス 入学\n"
        "2014年3月 東京工業大学 コンピューターサイエンス 卒業\n\n職歴\n2014年4月 株式会社デジタルフロンティア 入社\n"
    )
    assert "privacy.sensitive_data" not in {f.rule for f in result.findings}


def test_an_unfilled_template_is_flagged_and_not_scored_as_ready() -> None:
    result = _review(
        "YOUR NAME HERE\nyour.email@example.com\n\nExperience\nJob Title 1, Company 1, Month 20XX – Present\n"
        "• Accomplishment 1\n• Accomplishment 2\n\nEducation\nDegree, University Name, 20XX\n\nSkills\nPython\n"
    )
    finding = next(f for f in result.findings if f.rule == "template.unfilled")
    assert "YOUR NAME HERE" in finding.before and "Job Title 1" in finding.before
    assert result.score <= 40


def test_a_real_resume_is_not_called_a_template() -> None:
    result = _review(
        "Jane Example\njane@example.com\n"
        + BODY.format(heading="Experience")
        + "\nSkills\nPython, SQL\n"
    )
    assert "template.unfilled" not in {f.rule for f in result.findings}
