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
    _document, result = offline_pipeline(text.encode(), "cv.md", None, None, Settings(), False)
    assert result.structure.sections[0].entries[0].dates == "since 2020"


def _sections(resume) -> list[tuple[str, str]]:
    return [(s.heading, s.name.value) for s in resume.sections if s.heading]


def test_a_form_s_box_labels_are_headings_as_printed() -> None:
    """A Japanese form labels its boxes in plain type: the column labels before a label
    ('年 月'), the topics a label lists ('、…など') and its instructions in brackets."""
    resume = parse_resume(
        "履歴書\n\n山田 一郎\n\n年 月 免許・資格\n2019 06 基本情報技術者\n\n"
        "志望の動機、特技、アピールポイントなど\n御社の製品開発に貢献したいと考えています。\n\n"
        "本人希望記入欄（特に給料・職種・勤務地などがあれば記入）\n勤務地：東京都内\n"
    )
    assert _sections(resume) == [
        ("免許・資格", "certifications"),
        ("志望の動機、特技、アピールポイントなど", "summary"),
        ("本人希望記入欄（特に給料・職種・勤務地などがあれば記入）", "other"),
    ]
    assert resume.sections[1].lines[0] == "年 月"  # the column labels stay in the text


def test_a_latin_heading_s_note_in_brackets_is_a_line_under_it() -> None:
    from core.reading.lines import Line
    from core.structure import parse_lines

    note = "(MOST RECENT FIRST, FULL HISTORY ON REQUEST)"
    resume = parse_lines(
        [
            Line(text="Jane Roe", size=1.6, title=True),
            Line(text="jane@example.com"),
            Line(text=f"EXPERIENCE {note}", caps=True, bold=True, gap=1.0),
            Line(text="Analyst, Acme | 2020 – 2022", bold=True),
            Line(text="Built the reporting pipeline", bullet=True),
            Line(text="EDUCATION", caps=True, bold=True, gap=1.0),
            Line(text="BSc Economics, State University | 2016 – 2020"),
        ]
    )
    assert _sections(resume) == [("EXPERIENCE", "experience"), ("EDUCATION", "education")]
    assert resume.sections[1].lines[0] == note


def test_bold_lines_under_bracketed_headings_are_not_headings_of_the_same_look() -> None:
    from core.reading.lines import Line
    from core.structure import parse_lines

    def bold(text: str) -> Line:
        return Line(text=text, bold=True, gap=1.0)

    lines = [
        Line(text="山田 一郎", size=1.6, title=True),
        bold("【職務要約】"),
        Line(text="Web アプリケーションの開発に5年間従事。"),
        bold("【職務経歴】"),
        bold("株式会社サンプル"),
        Line(text="バックエンドエンジニア"),
        Line(text="API の設計と実装", bullet=True),
        bold("株式会社テスト"),
        Line(text="ソフトウェアエンジニア"),
        Line(text="決済システムの開発", bullet=True),
        bold("【自己PR】"),
        Line(text="新しい技術に挑戦し続けます。"),
    ]
    resume = parse_lines(lines)
    assert [s.heading for s in resume.sections if s.heading] == [
        "【職務要約】",
        "【職務経歴】",
        "【自己PR】",
    ]
    roles = resume.sections[2].roles
    assert [(r.title, r.organization) for r in roles] == [
        ("バックエンドエンジニア", "株式会社サンプル"),
        ("ソフトウェアエンジニア", "株式会社テスト"),
    ]


def test_a_table_s_date_cell_read_between_its_bullets_is_the_entry_s_date() -> None:
    """A duty table (期間 | 業務内容): the period cell's lines land between the duty cell's
    bullets, and a 'label：value' line under the company describes it."""
    from core.reading.lines import Line
    from core.structure import parse_lines

    lines = [
        Line(text="山田 一郎", size=1.6, title=True),
        Line(text="【職務経歴】", bold=True, gap=1.0),
        Line(text="株式会社サンプル", bold=True, gap=1.0),
        Line(text="事業内容：クラウド型の会計サービスを開発・運営する会社", gap=1.0),
        Line(text="バックエンドエンジニア", gap=1.0),
        Line(text="API の設計と実装", bullet=True),
        Line(text="2019年04月～"),
        Line(text="決済システムの開発", bullet=True),
        Line(text="現在"),
        Line(text="新人エンジニアのメンタリング", bullet=True),
    ]
    role = parse_lines(lines).sections[1].roles[0]
    assert (role.title, role.organization, role.dates, role.current, len(role.bullets)) == (
        "バックエンドエンジニア",
        "株式会社サンプル",
        "2019年04月～ 現在",
        True,
        3,
    )


def test_entries_that_say_what_they_are_decide_a_mixed_or_unknown_heading() -> None:
    from core.reading.lines import Line
    from core.structure import parse_lines

    def heading(text: str) -> Line:
        return Line(text=text, bold=True, size=1.6, gap=1.0)

    lines = [
        Line(text="Jane Roe", size=2.0, title=True),
        Line(text="jane@example.com"),
        heading("Experience"),
        Line(text="Data Analyst, Acme Corp", bold=True),
        Line(text="2020 – 2023"),
        Line(text="Built the weekly sales report", bullet=True),
        heading("Projects & Memberships"),
        Line(text="Volunteer Tutor, City Library", bold=True),
        Line(text="2019 – 2021"),
        Line(text="Taught spreadsheet basics to adults", bullet=True),
        heading("Programmierpraxis"),
        Line(text="Wetterstation @Persönliches Projekt", bold=True),
        Line(text="2022 – 2023"),
        Line(text="Sensoren mit einem Raspberry Pi ausgelesen", bullet=True),
        Line(text="Haushaltsbuch-App @Persönliches Projekt", bold=True),
        Line(text="2021"),
        Line(text="Eine Flutter-App für Ausgaben gebaut", bullet=True),
    ]
    kinds = [(s.heading, s.name.value) for s in parse_lines(lines).sections if s.heading]
    assert kinds == [
        ("Experience", "experience"),
        ("Projects & Memberships", "volunteering"),
        ("Programmierpraxis", "projects"),
    ]


def test_a_group_laid_out_like_the_skills_group_above_it_is_skills_too() -> None:
    from core.reading.lines import Line
    from core.structure import parse_lines

    def group(name: str, level: str, items: list[str]) -> list[Line]:
        return [
            Line(text=name, caps=True, size=1.3, gap=2.0),
            Line(text=level, caps=True, bold=True, size=1.1),
            *(Line(text=item, caps=True, size=0.9) for item in items),
        ]

    lines = [
        Line(text="JANE ROE", caps=True, bold=True, size=3.0, title=True),
        Line(text="jane@example.com | +1 415 555 0100"),
        *group("WEB DEVELOPMENT", "MASTER", ["HTML", "CSS", "JAVASCRIPT"]),
        *group("AUDIO CODING", "ADVANCED", ["OPUS", "FLAC", "VORBIS"]),
        Line(text="EXPERIENCE", caps=True, size=1.3, gap=2.0),
        Line(text="ACME", caps=True, bold=True, aside="2019 - 2023"),
        Line(text="Built codecs", bullet=True),
    ]
    kinds = [(s.heading, s.name.value) for s in parse_lines(lines).sections if s.heading]
    assert kinds[:2] == [("WEB DEVELOPMENT", "skills"), ("AUDIO CODING", "skills")]


def test_headings_of_the_level_that_opened_an_entry_open_the_next_one() -> None:
    resume = parse_resume(
        "# Jane Roe\n\njane@example.com\n\n## Education\n\n"
        "### PhD, Physics; North University\n*2016 – 2020*\n\n"
        "### BSc, Physics; South College\n*2012 – 2016*\nMinor: Mathematics\n"
    )
    roles = resume.sections[-1].roles
    assert [(r.title, r.organization, r.dates) for r in roles] == [
        ("PhD, Physics", "North University", "2016 – 2020"),
        ("BSc, Physics", "South College", "2012 – 2016"),
    ]


def test_a_date_inside_a_header_sentence_gives_way_to_the_range_under_it() -> None:
    resume = parse_resume(
        "# Jane Roe\n\njane@example.com\n\n## Education\n\n"
        "### North University\nPhD, Physics | Oslo, Norway\n"
        "Thesis on thin films, defended in Apr. 2021\n*Sep. 2016 – Jun. 2021*\n\n"
        "### South College\nBSc, Physics | Bergen, Norway\n*2012 – 2016*\n"
    )
    roles = resume.sections[-1].roles
    assert [(r.organization, r.dates) for r in roles] == [
        ("North University", "Sep. 2016 – Jun. 2021"),
        ("South College", "2012 – 2016"),
    ]


def test_extracurricular_positions_are_volunteering_and_a_list_of_activities_is_interests() -> None:
    head = "# Jane Roe\n\njane@example.com\n\n"
    positions = parse_resume(
        head + "## Extracurricular Activities\n\n**Treasurer**, Chess Club | 2019 – 2021\n\n"
        "- Ran the club's budget\n"
    )
    activities = parse_resume(
        head + "## Extracurricular Activities\n\n- Competitive archery, city club\n"
        "- Competitive programming: 160+ problems solved\n"
    )
    assert positions.sections[-1].name.value == "volunteering"
    assert positions.sections[-1].roles[0].dates == "2019 – 2021"
    assert activities.sections[-1].name.value == "interests"
    assert activities.sections[-1].lines == [
        "• Competitive archery, city club",
        "• Competitive programming: 160+ problems solved",
    ]


def test_what_follows_a_title_on_its_own_line_stays_in_the_title() -> None:
    from core.reading.lines import Line
    from core.structure import parse_lines

    lines = [
        Line(text="Maria Bianchi", size=2.0, title=True),
        Line(text="ISTRUZIONE E FORMAZIONE", caps=True, bold=True, gap=1.0),
        Line(
            text="Attestato di frequenza - Python 3, SQL, Linux",
            bold=True,
            label="settembre 2000 - febbraio 2002",
        ),
        Line(text="Centro di Formazione, Bologna"),
        Line(text="Software Engineer - Backend Platform | Acme Srl", bold=True, label="2019"),
        Line(text="Built the billing service", bullet=True),
    ]
    roles = parse_lines(lines).sections[1].roles
    assert [(r.title, r.organization) for r in roles] == [
        ("Attestato di frequenza - Python 3, SQL, Linux", "Centro di Formazione, Bologna"),
        ("Software Engineer", "Acme Srl"),
    ]


def test_a_degree_then_its_school_after_a_comma_are_title_and_organization() -> None:
    resume = parse_resume(
        "Jane Roe\njane@example.com\n\nEDUCATION\n\n"
        "B.S. Chemistry, Lakeview State University | 2016\n\nPhD, Organic Chemistry | 2021\n"
    )
    roles = resume.sections[-1].roles
    assert [(r.title, r.organization) for r in roles] == [
        ("B.S. Chemistry", "Lakeview State University"),
        ("PhD, Organic Chemistry", None),
    ]


def test_a_plain_section_after_skills_keeps_its_own_kind() -> None:
    resume = parse_resume(
        "# Jane Roe\n\njane@example.com\n\n## Skills\n\nLanguages\n- Python\n- Go\n\n"
        "## Fun Facts\n\nTravel\n- Visited 30 countries\n- Ran two marathons\n"
    )
    assert [(s.heading, s.name.value) for s in resume.sections if s.heading] == [
        ("Skills", "skills"),
        ("Fun Facts", "other"),
    ]


def test_a_title_word_closing_a_phrase_makes_it_the_title() -> None:
    resume = parse_resume(
        "Jane Roe\njane@example.com\n\nEXPERIENCE\n\n"
        "Northwind Shipping | Oslo, Norway | 2019 – 2022\nSoftware Engineer\n- Built the tracker\n"
    )
    role = resume.sections[-1].roles[0]
    assert (role.title, role.organization) == ("Software Engineer", "Northwind Shipping")


def test_an_end_date_still_to_come_ends_the_range() -> None:
    from core.structure.dates import find_range

    assert find_range("Mar. 2016 - Exp. Jun. 2017").group(0) == "Mar. 2016 - Exp. Jun. 2017"
    resume = parse_resume(
        "# Jane Roe\n\njane@example.com\n\n## Education\n\n### North University\nPhD, Physics\n"
        "*Sep. 2021 – expected Jun. 2025*\n"
    )
    role = resume.sections[-1].roles[0]
    assert (role.dates, role.start_year, role.end_year) == (
        "Sep. 2021 – expected Jun. 2025",
        2021,
        2025,
    )


def test_an_expected_date_in_a_degree_line_gives_way_to_the_range_under_it() -> None:
    resume = parse_resume(
        "# Jane Roe\n\njane@example.com\n\n## Education\n\n"
        "### North University, Oslo, Norway\nMaster student in Physics, expected March 2026\n"
        "*2024 – Present*\n\n### South College, Bergen, Norway\nB.S. in Physics\n*2020 – 2024*\n"
    )
    assert [r.dates for r in resume.sections[-1].roles] == ["2024 – Present", "2020 – 2024"]


def test_a_chinese_header_line_is_judged_by_its_first_field() -> None:
    resume = parse_resume(
        "# 王小明\n\nwang@example.com\n\n## 教育经历\n\n### 北方大学\n"
        "应用数学与信息学硕士（GPA：3.9/4.0，前5%） | 中国，北京市海淀区\n*2019.09 – 2021.06*\n"
    )
    role = resume.sections[-1].roles[0]
    assert (role.title, role.organization, role.dates) == (
        "应用数学与信息学硕士（GPA：3.9/4.0，前5%）",
        "北方大学",
        "2019.09 – 2021.06",
    )


def test_a_list_labelled_inside_an_entry_stays_in_that_entry() -> None:
    from core.reading.lines import Line
    from core.structure import parse_lines

    lines = [
        Line(text="Jane Roe", size=1.4, title=True, heading=1, level=1),
        Line(text="jane@example.com"),
        Line(text="Education", heading=1, level=2),
        Line(text="Bachelor of Science; North University", aside="2020 – present"),
        Line(text="Specialist in Computer Science"),
        Line(text="Awards:", bold=True),
        Line(text="Dean’s List", aside="2021"),
        Line(text="Founders’ Scholarship", aside="2022"),
        Line(text="Master of Science; South University", bold=True, aside="2024 – 2026"),
        Line(text="Skills", heading=1, level=2),
        Line(text="Python, SQL"),
    ]
    roles = parse_lines(lines).sections[-2].roles
    assert [(r.title, r.dates) for r in roles] == [
        ("Bachelor of Science", "2020 – present"),
        ("Master of Science", "2024 – 2026"),
    ]
    assert roles[0].description[-2:] == ["Dean’s List  2021", "Founders’ Scholarship  2022"]


def test_a_range_left_open_after_its_dash_is_a_current_role() -> None:
    from core.structure.dates import find_range, is_current

    assert find_range("ago. 2024 –").group(0) == "ago. 2024 –" and is_current("ago. 2024 –")
    assert find_range("2019 - Python developer") is None
    resume = parse_resume(
        "# João Silva\n\njoao@example.com\n\n## Experiência\n\n(POSIÇÕES MAIS RECENTES PRIMEIRO)\n"
        "### Engenheiro de Software · Acme\n*ago. 2024 –*\n- Liderou a migração\n"
    )
    section = resume.sections[-1]
    assert section.lines[0] == "(POSIÇÕES MAIS RECENTES PRIMEIRO)"  # the heading's note
    role = section.roles[0]
    assert (role.title, role.organization, role.dates, role.current) == (
        "Engenheiro de Software",
        "Acme",
        "ago. 2024 –",
        True,
    )


def test_the_organization_on_the_title_s_own_line_comes_first() -> None:
    resume = parse_resume(
        "Jane Roe\njane@example.com\n\nEDUCATION\n\n"
        "Bachelor of Science; University of Lakeside | 2020 – present\n"
        "Trinity University College | GPA: 3.9\nSpecialist in Chemistry\n"
    )
    role = resume.sections[-1].roles[0]
    assert (role.title, role.organization) == ("Bachelor of Science", "University of Lakeside")


def test_an_empty_skills_section_gives_the_next_group_nothing_to_follow() -> None:
    from core.reading.lines import Line
    from core.structure import parse_lines

    lines = [
        Line(text="JANE ROE", caps=True, bold=True, size=3.0, title=True),
        Line(text="jane@example.com"),
        Line(text="SKILLS", caps=True, size=1.3, gap=2.0),
        Line(text="WEB DEVELOPMENT", caps=True, size=1.3, gap=2.0),
        Line(text="MASTER", caps=True, bold=True, size=1.1),
        Line(text="HTML", caps=True, size=0.9),
        Line(text="EXPERIENCE", caps=True, size=1.3, gap=2.0),
        Line(text="ACME", caps=True, bold=True, aside="2019 - 2023"),
    ]
    assert [s.heading for s in parse_lines(lines).sections if s.heading][-1] == "EXPERIENCE"


def test_an_unknown_heading_takes_the_kind_its_lines_name() -> None:
    resume = parse_resume(
        "# Jane Roe\n\njane@example.com\n\n## Experience\n\nAnalyst, Acme | 2020 – 2023\n\n"
        "## Education\n\nBSc Physics, North University | 2016 – 2020\n\n## What Drives Me\n\n"
        "“Build things that outlast the people who built them.”\n\n"
        "## Proudest Moments\n\n- Regional science prize, 2015\n- Best paper award at a workshop\n"
        "- Dean's scholarship for two years\n\n"
        "## Odds and Ends\n\n- Sourdough baker\n- Amateur radio\n"
    )
    assert [(s.heading, s.name.value) for s in resume.sections if s.heading][2:] == [
        ("What Drives Me", "summary"),
        ("Proudest Moments", "awards"),
        ("Odds and Ends", "other"),
    ]
