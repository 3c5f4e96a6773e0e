"""The Markdown and plain-text reader, and the shared tidy-up, on small strings."""

from __future__ import annotations

import time

from core.reading.clean import is_dateish, split_aside, split_date, tidy
from core.reading.lines import Line
from core.reading.text import read_text


def _md(text: str) -> list[Line]:
    return read_text(text, markdown=True).lines


def _txt(text: str) -> list[Line]:
    return read_text(text, markdown=False).lines


def test_front_matter_is_skipped_yaml_and_toml() -> None:
    yaml = "---\ntitle: CV\nlayout: resume\n---\n# Jane Doe\n\n## Experience\n"
    toml = '+++\ntitle = "CV"\n+++\n# Jane Doe\n'
    assert [ln.text for ln in _md(yaml)] == ["Jane Doe", "Experience"]
    assert [ln.text for ln in _md(toml)] == ["Jane Doe"]


def test_a_rule_at_the_top_that_is_not_front_matter_is_kept_out_but_text_stays() -> None:
    lines = _md("---\nJane Doe wrote this summary.\nIt has two lines.\n")
    assert lines[0].text.startswith("Jane Doe wrote this summary.")


def test_atx_and_setext_headings_title_and_levels() -> None:
    lines = _md("Jane Doe\n========\n\nExperience\n----------\n\n### Data Engineer\n\n#### Deep\n")
    assert [(ln.text, ln.heading, ln.level, ln.title) for ln in lines] == [
        ("Jane Doe", 1, 1, True),
        ("Experience", 1, 2, False),
        ("Data Engineer", 2, 3, False),
        ("Deep", 2, 4, False),
    ]


def test_bold_lines_lists_with_nesting_and_blank_line_gaps() -> None:
    lines = _md(
        "**Backend Engineer**\n\n- Built APIs\n  - with FastAPI\n    * deeper\n- Led a team\n1. numbered\n"
    )
    assert (lines[0].text, lines[0].bold) == ("Backend Engineer", True)
    assert [(ln.text, ln.bullet, ln.depth) for ln in lines[1:]] == [
        ("Built APIs", True, 0),
        ("with FastAPI", True, 1),
        ("deeper", True, 2),
        ("Led a team", True, 0),
        ("numbered", True, 0),
    ]
    assert lines[1].gap == 1 and lines[2].gap == 0


def test_bold_title_with_a_trailing_date_puts_the_date_aside() -> None:
    lines = _md("**WideData — Plataforma web** *- mai de 2025 - jun de 2025*\n")
    assert (lines[0].text, lines[0].aside, lines[0].bold) == (
        "WideData — Plataforma web",
        "mai de 2025 - jun de 2025",
        True,
    )


def test_links_images_html_and_emphasis() -> None:
    layout = read_text(
        "> [Email](mailto:j@x.io) • <https://github.com/jd> • ![me](me.png)<br>Berlin\n"
        "Worked on *fast* `code_path` and __big__ things &amp; more\n",
        markdown=True,
    )
    assert [ln.text for ln in layout.lines] == [
        "Email • https://github.com/jd •",
        "Berlin",
        "Worked on fast code_path and big things & more",
    ]
    assert layout.links == ["mailto:j@x.io", "https://github.com/jd"]
    assert layout.images == 1


def test_reference_links_and_soft_wrapped_paragraphs() -> None:
    layout = read_text(
        "Short text containing the type of work done, results obtained,\nlessons learned and a [link] [ref].\n\n"
        "[ref]: https://example.com/x\n",
        markdown=True,
    )
    assert [ln.text for ln in layout.lines] == [
        "Short text containing the type of work done, results obtained, lessons learned and a link."
    ]
    assert layout.links == ["https://example.com/x"]


def test_hard_breaks_keep_lines_apart() -> None:
    lines = _md("Phone: +34 600 000 000 \\\nEmail: a@b.es  \nLinkedIn\n")
    assert [ln.text for ln in lines] == ["Phone: +34 600 000 000", "Email: a@b.es", "LinkedIn"]


def test_definition_list_date_term_is_the_aside_of_its_entry() -> None:
    lines = _md(
        "2017-2018\n:   **Master en Ciencia de Datos** - Universidad Rey Juan Carlos\n\n"
        "Backend\n:   **Python**, FastAPI\n"
    )
    assert (lines[0].text, lines[0].aside) == (
        "Master en Ciencia de Datos - Universidad Rey Juan Carlos",
        "2017-2018",
    )
    assert (lines[1].text, lines[1].bold) == ("Backend", True)
    assert lines[2].text == "Python, FastAPI"


def test_literal_backslash_n_escapes_become_line_breaks() -> None:
    text = (
        "## Berufserfahrung\n- 2022–2023: Backend Engineer\\n  - REST-APIs\\n  - Docker\n\n"
        "Sehr geehrtes Team,\\nich freue mich.\n"
    )
    lines = _md(text)
    assert [(ln.text, ln.bullet, ln.depth) for ln in lines[1:4]] == [
        ("Backend Engineer", True, 0),
        ("REST-APIs", True, 1),
        ("Docker", True, 1),
    ]
    assert (
        lines[1].aside == "2022–2023"
    )  # a dated list item over its duties is an entry: the date is aside
    assert [ln.text for ln in lines[4:]] == ["Sehr geehrtes Team,", "ich freue mich."]


def test_code_spans_keep_underscores_and_placeholders_stay() -> None:
    lines = _md("see `docs/<会社>_職務経歴書_<日付>.md`\n\n氏名: <>\n")
    assert lines[0].text == "see docs/<会社>_職務経歴書_<日付>.md"
    assert lines[1].text == "氏名: <>"


def test_plain_text_bullets_caps_underlines_and_asides() -> None:
    lines = _txt(
        "JANE DOE\n\nExperience\n==========\nData Engineer, Firma A\t2019 – 2021\n"
        "• Built pipelines\n  ◦ nested\n1) numbered duty\n- 2019 is not a bullet\n"
        "Senior Engineer        Jan 2022 - Present\n"
    )
    assert lines[0].caps and lines[0].text == "JANE DOE"
    assert (lines[1].text, lines[1].heading) == ("Experience", 1)
    assert (lines[2].text, lines[2].aside) == ("Data Engineer, Firma A", "2019 – 2021")
    assert [(ln.text, ln.bullet, ln.depth) for ln in lines[3:6]] == [
        ("Built pipelines", True, 0),
        ("nested", True, 1),
        ("numbered duty", True, 0),
    ]
    assert not lines[6].bullet
    assert (lines[7].text, lines[7].aside) == ("Senior Engineer", "Jan 2022 - Present")


def test_plain_text_rewraps_wrapped_bullets_and_keeps_hyphens() -> None:
    text = (
        "• Led the migration of fourteen batch jobs from cron to Airflow and the multi-\n"
        "account setup, cutting failures\n"
        "• Second bullet\n"
    )
    lines = _txt(text)
    assert [ln.text for ln in lines] == [
        "Led the migration of fourteen batch jobs from cron to Airflow and the multi-account setup, cutting failures",
        "Second bullet",
    ]


def test_plain_text_rewrap_is_linear_time() -> None:
    """Today's clean_text re-scanned the growing joined line for every wrapped line (quadratic).

    A bound on this process's CPU time (~0.5 s; quadratic was minutes), which other load on
    the machine doesn't move; benchmarks/growth.py measures the growth itself."""
    wrapped = ("and this line keeps going on with more words in lower case " * 2 + "\n") * 20_000
    start = time.process_time()
    lines = _txt(
        "• A bullet that starts here and is long enough to be wrapped by the editor\n" + wrapped
    )
    elapsed = time.process_time() - start
    assert len(lines) == 1 and lines[0].bullet
    assert elapsed < 3.0


def test_tidy_fixes_characters_and_keeps_words() -> None:
    raw = (
        "con\ufb01guration e\ufb03cient\u00a0multi\u00adaccount Buzz\u2011API "
        "\ue000Qu\u200bery\x07 1st  Prize\r\nnext"
    )
    assert tidy(raw) == "configuration efficient multi-account Buzz-API Query 1st Prize\nnext"
    assert tidy("a\tb") == "a b"
    assert tidy("Company  \t 2019", keep_tabs=True) == "Company\t2019"


def test_dates_and_asides() -> None:
    for date in (
        "03/2019 – heute",
        "mar/2022 – atual",
        "2019年4月～現在",
        "depuis 2020",
        "Abr 2024 – Actualidad",
        "2010-2014 (expected)",
        "2013-09 –",
        "平成30年4月",
        "gennaio 2005 – alla data attuale",  # 'now' in several words, from core/data/dates.json
        "Sep 2019 – bis heute",
        "сентябрь 2019 – по настоящее время",
    ):
        assert is_dateish(date), date
    for other in (
        "Portland, OR",
        "Python, SQL",
        "Dean's List, 2020",
        "Present",
        "Senior Engineer 2019",
        "alla data attuale dal Comune 2019",
    ):
        assert not is_dateish(other), other
    assert split_aside("2019 – 2021\tEngineer, Firma") == ("Engineer, Firma", "2019 – 2021")
    assert split_aside("Email:\tjane@example.com") == ("Email: jane@example.com", "")


def test_dates_written_into_an_entry_line_become_its_aside() -> None:
    assert split_date("Software Engineer | Google | Jan 2020 – Present") == (
        "Software Engineer | Google",
        "Jan 2020 – Present",
    )
    assert split_date("广州公司 - 后端研发（2021/05 - 2025/04）:") == (
        "广州公司 - 后端研发",
        "2021/05 - 2025/04",
    )
    assert split_date("03/2019 – heute: Data Engineer") == ("Data Engineer", "03/2019 – heute")
    for whole in (
        "Abr 2024 – Actualidad",
        "Tecnólogo (6º semestre • 2025-1)",
        "Kairós Digital S.L. — Madrid",
        "Led the migration of 14 jobs in 2019 and then cut the failure rate by half, from 9 a month to 4, in 2020",
    ):
        assert split_date(whole) == (whole, ""), whole
    lines = _md("### Data Engineer — Firma A (2019 – 2021)\n\n- Built pipelines in 2020 | 2021\n")
    assert (lines[0].text, lines[0].aside) == ("Data Engineer — Firma A", "2019 – 2021")
    assert lines[1].aside == ""  # bullets keep their words


def test_a_date_range_is_never_cut_in_two() -> None:
    assert split_date("Operations Coordinator, Northwind Freight 03/2019 - 05/2022") == (
        "Operations Coordinator, Northwind Freight 03/2019 - 05/2022",
        "",
    )
    assert split_date("Data Engineer, Firma Jan 2019 – Mar 2021")[1] == ""


def test_asides_survive_a_round_trip_through_plain_text() -> None:
    """`lines_to_text` writes an aside two spaces after the text; reading that text back keeps it aside."""
    from core.reading.lines import lines_to_text

    first = _md(
        "### Operations Coordinator, Northwind Freight — 03/2019 - 05/2022\n\nI like it.  Two spaces here.\n"
    )
    again = _txt(lines_to_text(first))
    assert [(ln.text, ln.aside) for ln in again] == [
        ("Operations Coordinator, Northwind Freight", "03/2019 - 05/2022"),
        ("I like it. Two spaces here.", ""),
    ]


def test_italic_lines_and_a_dated_list_item_over_its_duties() -> None:
    lines = _md(
        "*Auxia — Aplicação web (2025-1)*\n\n- 2022–2023: Backend Engineer bei Firma A\n"
        "  - REST-APIs\n- 2021 a plain dated item\n"
    )
    assert lines[0].italic and not lines[1].italic
    assert (lines[1].text, lines[1].aside) == ("Backend Engineer bei Firma A", "2022–2023")
    assert lines[3].aside == "" and lines[3].text == "2021 a plain dated item"


def test_a_range_ending_in_a_word_for_now_with_a_typographic_apostrophe_stays_whole() -> None:
    lines = _md("### Développeur, Resilio\n*Déc. 2023 – Aujourd’hui*\n- Tests plus rapides\n")
    assert (lines[1].text, lines[1].aside) == ("Déc. 2023 – Aujourd’hui", "")
    assert is_dateish("Déc. 2023 – aujourd’hui")


def test_a_link_on_its_own_line_does_not_continue_the_dates_above_it() -> None:
    lines = _md("### Engineer, Acme\n*2018-04 – Present*\nhttps://acme.example.com\n- Built it\n")
    assert [ln.text for ln in lines][1:3] == ["2018-04 – Present", "https://acme.example.com"]


def test_a_line_wholly_in_emphasis_is_read_even_with_a_space_before_it_closes() -> None:
    lines = _md("### Engineer · Acme\n*ago. 2024 – *\n- Built it\n")
    assert lines[1].text == "ago. 2024 –"
