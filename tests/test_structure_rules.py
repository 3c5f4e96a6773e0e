"""General reading rules, each on a small resume written here (never a corpus file).

Each test is one rule the structure reader follows on unseen resumes: where the
name is when the header has none, what a template's unfilled date is, how an
open-ended range ('since 2020') reads.
"""

from __future__ import annotations

from core.config import Settings
from core.review import offline_pipeline
from core.structure import parse_resume


def test_a_cv_signed_only_at_the_end_is_named_by_its_signature() -> None:
    resume = parse_resume(
        "# Lebenslauf\n\n## Berufserfahrung\n\n- 2021–2023: Entwicklerin bei Beispiel AG\n\n"
        "## Anschreiben\n\nSehr geehrte Damen und Herren,\n\nich bewerbe mich gern.\n\n"
        "Mit freundlichen Grüßen\n\nErika Musterfrau\n"
    )
    assert resume.name == "Erika Musterfrau"


def test_a_closing_without_a_name_under_it_names_nobody() -> None:
    resume = parse_resume(
        "# Resume\n\n## Experience\n\nAnalyst, Acme | 2020 – 2022\n\nBest regards\n\nsee you soon\n"
    )
    assert resume.name is None


def test_template_text_in_the_name_s_place_is_read_as_printed() -> None:
    assert parse_resume("Lorem ipsum.\n\nEXPERIENCE\n\nAnalyst | 2020 – 2022\n").name == (
        "Lorem ipsum."
    )
    opens_with_contact = parse_resume(
        "[Contact]\n[name]\n[email]\n[phone]\n\n[Experience]\n[company] | [date]\n"
    )
    assert opens_with_contact.name == "[name]"


def test_a_real_name_under_a_contact_heading_is_the_name() -> None:
    resume = parse_resume("CONTACT\nPriya Raman\npriya@example.com\n\nEXPERIENCE\nAnalyst, Acme\n")
    assert resume.name == "Priya Raman"


def test_a_template_s_unfilled_dates_are_the_entry_s_dates() -> None:
    resume = parse_resume(
        "Jane Roe\njane@example.com\n\nEXPERIENCE\n\n"
        "Job Title 1 | Company 1 | Month 20XX – Ongoing\n- Job description 1\n\n"
        "Job Title 2 | Company 2 | xx/xxxx – xx/xxxx\n- Job description 2\n"
    )
    roles = resume.sections[-1].roles
    assert [(r.title, r.dates, r.current) for r in roles] == [
        ("Job Title 1", "Month 20XX – Ongoing", True),
        ("Job Title 2", "xx/xxxx – xx/xxxx", False),
    ]
    assert all(r.start_year is None for r in roles)  # no year is invented for them


def test_an_open_ended_since_date_is_a_current_role_and_the_review_runs() -> None:
    text = (
        "# Jane Roe\n\njane@example.com | +1 415 555 0100\n\n## Experience\n\n"
        "**Data Engineer**, Acme Corp | since 2020\n\n- Built pipelines that cut costs by 20%\n\n"
        "## Education\n\nBSc Computer Science, MIT | 2015 – 2019\n"
    )
    role = parse_resume(text).sections[1].roles[0]
    assert (role.dates, role.start_year, role.current) == ("since 2020", 2020, True)
    _document, result = offline_pipeline(
        text.encode(), "cv.md", None, None, Settings(_env_file=None), False
    )
    assert result.structure.sections[0].entries[0].dates == "since 2020"
