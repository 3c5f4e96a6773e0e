"""PDF layout: what a person sees on the page is what the structure holds.

Each test builds a small PDF with text placed the way real templates place it
(dates at the right edge, a date margin, a sidebar, running footers, drawn
bullets) and checks the sections and entries a review would work from.
"""

from __future__ import annotations

from core.reading import read_file
from core.structure import parse_document
from tests.abuse.nasties import _pdf, _stream
from tests.reading.pdfmaker import Page, build


def structure_of(*pages: Page):
    document = read_file(build(*pages), "resume.pdf", 10)
    return parse_document(document).structure, document


def header(page: Page, name: str = "Jane Example") -> Page:
    page.text(name, 50, 740, 24, True)
    page.text("jane@example.com | +1 555 0100 | Portland, OR", 50, 718, 10)
    return page


def section(structure, kind: str):
    return next(s for s in structure.sections if s.kind == kind)


def test_dates_at_the_right_edge_belong_to_the_entry_on_their_line() -> None:
    page = header(Page())
    page.text("Experience", 50, 680, 14, True)
    page.text("Data Engineer, Acme Corp", 50, 660).text("Jan 2021 - Present", 480, 660)
    page.text("• Built the billing pipeline that settles 40k invoices a day", 60, 646)
    page.text("• Cut nightly batch time from 5 hours to 50 minutes", 60, 632)
    page.text("Analyst, Beta Bank", 50, 610).text("Mar 2018 - Dec 2020", 478, 610)
    page.text("• Automated 12 monthly reports", 60, 596)
    page.text("Education", 50, 570, 14, True)
    page.text("BSc Computer Science, State University", 50, 550).text("2014 - 2018", 500, 550)
    page.text("Skills", 50, 520, 14, True)
    page.text("Python, SQL, Airflow", 50, 500)
    structure, _ = structure_of(page)
    entries = section(structure, "experience").entries
    assert [(e.title, e.organization, e.dates, len(e.bullets)) for e in entries] == [
        ("Data Engineer", "Acme Corp", "Jan 2021 - Present", 2),
        ("Analyst", "Beta Bank", "Mar 2018 - Dec 2020", 1),
    ]
    assert section(structure, "education").entries[0].dates == "2014 - 2018"
    assert structure.name == "Jane Example"
    assert structure.contact.location == "Portland, OR"


def test_a_date_printed_beside_the_first_bullet_is_its_entry_s_date_not_the_next_one_s() -> None:
    page = header(Page())
    page.text("Experience", 50, 680, 14, True)
    for top, (org, dates) in zip(
        (660, 600),
        (("Nexus AI", "June 2023 - present"), ("NVIDIA Research", "May 2022 - Aug 2022")),
        strict=True,
    ):
        page.text(f"{org}, Research Intern", 50, top, 10, True).text("Santa Clara, CA", 480, top)
        page.text("• Designed a sparse attention kernel used in production", 60, top - 14).text(
            dates, 470, top - 14
        )
        page.text("• Co-authored a paper accepted at a major venue", 60, top - 28).text(
            "4 months", 500, top - 28
        )
    page.text("Skills", 50, 520, 14, True).text("Python, CUDA", 50, 500)
    structure, _ = structure_of(page)
    entries = section(structure, "experience").entries
    assert [e.dates for e in entries] == ["June 2023 - present", "May 2022 - Aug 2022"]
    assert [len(e.bullets) for e in entries] == [2, 2]
    assert entries[1].location == "Santa Clara, CA"


def test_a_left_date_margin_is_read_beside_its_entries() -> None:
    page = header(Page())
    page.text("Experience", 140, 680, 14, True)
    page.text("2019 - 2023", 50, 660).text("Backend Developer, Orbit GmbH", 140, 660, 10, True)
    page.text("Rebuilt the payment service in Go, halving p99 latency.", 140, 646)
    page.text("2016 - 2019", 50, 620).text("Developer, Kite Labs", 140, 620, 10, True)
    page.text("Maintained the mobile API used by 2 million people.", 140, 606)
    page.text("Education", 140, 580, 14, True)
    page.text("2012 - 2016", 50, 560).text("BSc Informatics, TU Example", 140, 560, 10, True)
    page.text("Skills", 140, 530, 14, True).text("Go, Python, PostgreSQL", 140, 510)
    structure, _ = structure_of(page)
    entries = section(structure, "experience").entries
    assert [(e.organization, e.dates) for e in entries] == [
        ("Orbit GmbH", "2019 - 2023"),
        ("Kite Labs", "2016 - 2019"),
    ]


def test_a_sidebar_is_read_whole_before_the_main_column() -> None:
    page = Page()
    page.text("Jane Example", 230, 740, 24, True)
    sidebar = [
        ("Contact", True),
        ("jane@example.com", False),
        ("+1 555 0100", False),
        ("Skills", True),
        ("Python", False),
        ("Kubernetes", False),
        ("Terraform", False),
        ("Languages", True),
        ("English", False),
        ("Spanish", False),
    ]
    y = 700
    for text, bold in sidebar:
        page.text(text, 40, y, 12 if bold else 10, bold)
        y -= 16
    page.text("Experience", 230, 700, 12, True)
    y = 684
    for i in range(3):
        page.text(f"Platform Engineer, Company {chr(65 + i)}", 230, y, 10, True).text(
            f"201{i} - 201{i + 1}", 500, y
        )
        page.text("• Migrated 40 services to a managed cluster without downtime", 240, y - 14)
        page.text("• Wrote the on-call runbook the whole team uses", 240, y - 28)
        y -= 50
    structure, _document = structure_of(page)
    kinds = [s.kind for s in structure.sections]
    assert kinds[:3] == ["contact", "skills", "languages"] and "experience" in kinds
    skills = section(structure, "skills")
    assert skills.lines == ["Python", "Kubernetes", "Terraform"]
    experience = section(structure, "experience")
    assert len(experience.entries) == 3 and all(len(e.bullets) == 2 for e in experience.entries)
    assert not any(b == "Kubernetes" for e in experience.entries for b in e.bullets)


def test_running_footers_and_page_numbers_never_become_entries() -> None:
    first = header(Page())
    first.text("Experience", 50, 680, 14, True)
    first.text("Data Engineer, Acme Corp", 50, 660, 10, True).text("2021 - 2024", 500, 660)
    first.text("• Built the billing pipeline", 60, 646)
    first.text("Jane Example - Resume 1/2", 250, 30, 8)
    second = Page()
    second.text("Analyst, Beta Bank", 50, 740, 10, True).text("2018 - 2020", 500, 740)
    second.text("• Automated 12 monthly reports", 60, 726)
    second.text("Skills", 50, 700, 14, True).text("SQL", 50, 680)
    second.text("Jane Example - Resume 2/2", 250, 30, 8)
    structure, document = structure_of(first, second)
    assert "Resume 1/2" not in document.text and "Resume 2/2" not in document.text
    entries = section(structure, "experience").entries
    assert [e.organization for e in entries] == ["Acme Corp", "Beta Bank"]


def test_drawn_bullets_count_as_list_items() -> None:
    page = header(Page())
    page.text("Experience", 50, 680, 14, True)
    page.text("Data Engineer, Acme Corp", 50, 660, 10, True).text("2021 - 2024", 500, 660)
    for k, line in enumerate(
        ("Built the billing pipeline", "Cut batch time by 80%", "Mentored two juniors")
    ):
        y = 646 - 14 * k
        page.box(52, y + 2, 3, 3).text(line, 62, y)
    page.text("Skills", 50, 580, 14, True).text("SQL", 50, 560)
    structure, _ = structure_of(page)
    assert section(structure, "experience").entries[0].bullets == [
        "Built the billing pipeline",
        "Cut batch time by 80%",
        "Mentored two juniors",
    ]


def test_a_heading_in_the_same_look_as_known_ones_is_a_section_whatever_its_words() -> None:
    page = header(Page())
    y = 680
    for heading, body in (
        ("Experience", "Data Engineer, Acme Corp, 2021 - 2024"),
        ("Invited Talks", "Scaling batch jobs, PyCon 2023"),
        ("Education", "BSc, State University, 2018"),
        ("Skills", "Python, SQL"),
    ):
        page.text(heading, 50, y, 14, True).text(body, 50, y - 20)
        y -= 60
    structure, _ = structure_of(page)
    assert [(s.heading, s.kind) for s in structure.sections] == [
        ("Experience", "experience"),
        ("Invited Talks", "other"),
        ("Education", "education"),
        ("Skills", "skills"),
    ]


def test_wrapped_lines_join_and_hyphenation_is_undone_but_compounds_keep_their_hyphen() -> None:
    page = header(Page())
    page.text("Summary", 50, 680, 14, True)
    page.text("Platform engineer who moved a bank's infrastructure to multi-", 50, 660)
    page.text("account cloud setups and wrote the migration playbooks the", 50, 646)
    page.text("whole organisation now uses for its yearly audit submis-", 50, 632)
    page.text("sions and reviews.", 50, 618)
    page.text("Skills", 50, 590, 14, True).text("Terraform", 50, 570)
    structure, _ = structure_of(page)
    summary = section(structure, "summary").lines
    assert len(summary) == 1
    assert "multi-account" in summary[0] and "submissions" in summary[0]


def test_headings_in_other_languages_and_their_dates() -> None:
    page = header(Page(), "Max Beispiel")
    page.text("Berufserfahrung", 50, 680, 14, True)
    page.text("Datenanalyst, Beispiel GmbH", 50, 660, 10, True).text("03/2019 – heute", 480, 660)
    page.text("• Dashboards für 30 Teams gebaut", 60, 646)
    page.text("Ausbildung", 50, 620, 14, True)
    page.text("B.Sc. Informatik, Universität Beispiel", 50, 600, 10, True).text(
        "2015 – 2019", 500, 600
    )
    page.text("Kenntnisse", 50, 570, 14, True).text("Python, SQL", 50, 550)
    structure, _ = structure_of(page)
    assert [s.kind for s in structure.sections] == ["experience", "education", "skills"]
    assert section(structure, "experience").entries[0].dates == "03/2019 – heute"


def test_a_header_repeated_on_every_page_is_read_once_on_page_one() -> None:
    pages = []
    for k in range(2):
        page = Page().text("Jane Example | jane@example.com | +1 555 0100", 50, 760, 9)
        page.text("Experience" if k == 0 else "Education", 50, 700, 14, True)
        page.text(
            "Data Engineer, Acme Corp, 2021 - 2024" if k == 0 else "BSc, State University, 2018",
            50,
            680,
        )
        page.text("- 1 -" if k == 0 else "- 2 -", 300, 40, 8)
        pages.append(page)
    structure, document = structure_of(*pages)
    assert document.text.count("jane@example.com") == 1
    assert structure.contact.email == "jane@example.com"
    assert "- 1 -" not in document.text and "- 2 -" not in document.text
    assert [s.kind for s in structure.sections] == ["experience", "education"]


def test_a_date_margin_that_also_holds_a_skills_list_still_labels_its_entries() -> None:
    page = header(Page())
    page.text("EXPERIENCE", 50, 680, 12, True)
    y = 660
    for k, org in enumerate(("Orbit GmbH", "Kite Labs", "Nimbus AG")):
        page.text(f"{2020 - 3 * k} - {2023 - 3 * k}", 50, y).text(org, 140, y, 10, True).text(
            "Backend Developer", 140, y - 12
        )
        page.text("• Rebuilt the payment service in Go", 150, y - 24)
        y -= 50
    page.text("SKILLS", 50, y, 12, True)
    for k, skill in enumerate(("Go", "Python", "PostgreSQL", "Kubernetes")):
        page.text(skill, 50, y - 16 - 12 * k)
    structure, _ = structure_of(page)
    entries = section(structure, "experience").entries
    assert [(e.organization or e.title, e.dates) for e in entries] == [
        ("Orbit GmbH", "2020 - 2023"),
        ("Kite Labs", "2017 - 2020"),
        ("Nimbus AG", "2014 - 2017"),
    ]
    assert section(structure, "skills").lines == ["Go", "Python", "PostgreSQL", "Kubernetes"]


def test_a_margin_date_set_tight_against_its_entry_still_labels_it() -> None:
    page = header(Page())
    page.text("Work Experience", 50, 680, 14, True)
    page.text("Jan 2021-", 50, 660).text(
        "Acme Co., Ltd. Chief Technology Officer", 104, 660, 10, True
    )
    page.text("Dec 2023", 50, 646).text(
        "Led a team of 12 engineers building a trading system.", 104, 646
    )
    page.text("July 2019-", 50, 620).text("Backend Developer @Kite Labs", 104, 620, 10, True)
    page.text("Jan 2021", 50, 606).text("Cut cloud costs by 40% with spot instances.", 104, 606)
    page.text("June 2018-", 50, 580).text(
        "Orbit, Ltd. Lead Developer", 101, 580, 10, True
    )  # the date touches the title
    page.text("May 2019", 50, 566).text("Shipped the exchange's order gateway.", 104, 566)
    page.text("Skills", 50, 530, 14, True).text("Go, Python, PostgreSQL", 104, 510)
    structure, _ = structure_of(page)
    entries = section(structure, "experience").entries
    assert [(e.title, e.organization, e.dates) for e in entries] == [
        ("Chief Technology Officer", "Acme Co., Ltd.", "Jan 2021- Dec 2023"),
        ("Backend Developer", "Kite Labs", "July 2019- Jan 2021"),
        ("Lead Developer", "Orbit, Ltd.", "June 2018- May 2019"),
    ]


def test_a_sparse_last_page_keeps_the_label_column_of_the_pages_before() -> None:
    first = Page()
    first.text("Jane Example", 200, 740, 20, True).text("jane@example.com", 200, 720)
    rows = [
        ("Work experience", "Backend Developer, Orbit GmbH, 2019 - 2023"),
        ("", "Rebuilt the payment service in Go, halving p99 latency."),
        ("Education", "BSc Informatics, TU Example, 2012 - 2016"),
        ("Communication skills", "Presented the platform roadmap to 40 engineers every quarter."),
        ("Computer skills", "Go, Python, PostgreSQL, Kubernetes, Terraform."),
        ("Organisational skills", "Ran the on-call rota for a team of eight."),
    ]
    y = 680
    for label, text in rows:
        if label:
            first.text(label, 50, y)
        first.text(text, 200, y).text("Worked with product and support teams on it.", 200, y - 12)
        y -= 36
    last = Page()
    last.text("Other skills", 50, 740).text(
        "Woodworking and cycling; ran two charity rides.", 200, 740
    )
    last.text("Driving licence", 50, 710).text("B", 200, 710)
    structure, _ = structure_of(first, last)
    headings = [s.heading for s in structure.sections]
    assert "Other skills" in headings and "Driving licence" in headings
    other = next(s for s in structure.sections if s.heading == "Other skills")
    assert other.lines == ["Woodworking and cycling; ran two charity rides."]


def test_a_margin_of_a_template_s_unfilled_dates_labels_its_entries() -> None:
    """'xx/xxxx –' over 'xx/xxxx' in a left margin (each date's second line a little off its
    entry's lines) that also holds a skills list: the dates still label their entries."""
    page = header(Page())
    page.text("EDUCATION", 50, 680, 12, True)
    degree = "in Human Computer Interaction and Design"
    y = 660
    margins = (("Starting", "xx/xxxx"), ("xx/xxxx –", "xx/xxxx"), ("xx/xxxx –", "xx/xxxx"))
    for k, margin in enumerate(margins):
        page.text(margin[0], 50, y, 8).text(f"School {k + 1}", 140, y, 10, True)
        page.text(margin[1], 50, y - 8, 8).text(f"Degree {k + 1} {degree}", 140, y - 12)
        y -= 40
    page.text("EXPERIENCE", 50, y, 12, True)
    y -= 20
    page.text("xx/xxxx –", 50, y, 8).text("Company Name", 140, y, 10, True)
    page.text("xx/xxxx", 50, y - 8, 8).text("Working Student", 140, y - 12)
    y -= 50
    page.text("SKILLS", 50, y, 12, True)
    for k, skill in enumerate(("Go", "Python", "PostgreSQL", "Kubernetes", "Terraform", "Rust")):
        page.text(skill, 50, y - 16 - 12 * k)
    structure, _ = structure_of(page)
    education = section(structure, "education").entries
    assert [(e.organization, e.title, e.dates) for e in education] == [
        ("School 1", f"Degree 1 {degree}", "Starting xx/xxxx"),
        ("School 2", f"Degree 2 {degree}", "xx/xxxx – xx/xxxx"),
        ("School 3", f"Degree 3 {degree}", "xx/xxxx – xx/xxxx"),
    ]
    assert [e.dates for e in section(structure, "experience").entries] == ["xx/xxxx – xx/xxxx"]
    assert section(structure, "skills").lines[:2] == ["Go", "Python"]


def test_a_short_title_line_is_not_joined_to_the_line_under_it() -> None:
    """In a narrow column every line reaches the right edge: a short title line followed
    closely by a capitalised line is still two lines, not one wrapped sentence."""
    page = Page().text("Jane Roe", 50, 740, 20, True).text("jane@ex.io", 50, 722)
    page.text("EXPERIENCE", 50, 690, 12, True)
    y = 670
    for org, title in (("Northwind", "Working Student"), ("Kite Labs", "Junior Analyst")):
        page.text(org, 50, y, 10, True).text(title, 50, y - 11).text("Description.", 50, y - 20)
        y -= 40
    page.text("SKILLS", 50, y, 12, True).text("Python, SQL", 50, y - 16)
    structure, document = structure_of(page)
    texts = [line.text for line in document.lines]
    assert "Working Student" in texts and "Description." in texts
    entries = section(structure, "experience").entries
    assert [(e.organization, e.title) for e in entries] == [
        ("Northwind", "Working Student"),
        ("Kite Labs", "Junior Analyst"),
    ]


def test_a_definition_list_on_a_single_column_page_keeps_its_terms_apart() -> None:
    """Terms at the left edge, their text after a wide gap at a shared indent, on a page whose
    full-width paragraphs leave no page-wide gutter: each term labels its text (a wrapped term
    joins it) instead of being read into the middle of the sentence beside it."""
    page = header(Page())
    page.text("Experience", 50, 680, 14, True)
    page.text(
        "Backend Engineer, Acme Corp, 2019 - 2023: payments, billing and the ledger, with the",
        50,
        660,
    )
    page.text(
        "finance team; on call for the services that settle every invoice each night.", 50, 646
    )
    page.text("Education", 50, 620, 14, True)
    page.text("2014-2018", 50, 600).text(
        "BSc Computer Science; State University (Portland)", 140, 600
    )
    page.text("(expected)", 50, 586)
    page.text("Thesis: queueing models for payment networks", 140, 572)
    page.text("Technical Experience", 50, 546, 14, True)
    page.text("Programming", 50, 526).text(
        "first-lang: an itemization with descriptions for the first", 140, 526
    )
    page.text("Languages", 50, 512).text(
        "few items and the rest named together at the end of it.", 140, 512
    )
    page.text("second-lang: a description of the experience with it.", 140, 496)
    page.text("Open Source", 50, 476).text(
        "Contributions to the Linux kernel and to node.js over the", 140, 476
    )
    page.text("years, each named with the project it went into.", 140, 462)
    page.text("Extra", 50, 436, 14, True)
    for k in range(8):  # full-width lines: no gutter runs down the page
        page.text(
            f"• Closing bullet {k} that runs across the whole width of the page, past it.",
            50,
            416 - 14 * k,
        )
    structure, document = structure_of(page)
    lines = document.lines
    labels = {ln.label for ln in lines if ln.label}
    assert {"Programming Languages", "Open Source", "2014-2018 (expected)"} <= labels
    texts = [ln.text for ln in lines]
    assert not any("Programming" in t or "Languages to the" in t for t in texts)
    assert any(t.startswith("first-lang: an itemization") for t in texts)
    assert "skills" in {s.kind for s in structure.sections}


def test_the_multi_column_warning_needs_two_columns_side_by_side_not_a_box_or_a_header() -> None:
    """ATS parsers trip on two columns of text printed beside each other; a short box beside a
    few lines (a languages list, a label/value table) or a header above the body is one column."""
    two = header(Page())
    for k in range(8):
        two.text(f"Left column line {k} about the work done", 50, 680 - 14 * k)
        two.text(f"Right column line {k} about skills", 330, 680 - 14 * k)
    _, document = structure_of(two)
    assert document.extraction.multi_column

    one = header(Page())
    for k in range(10):
        one.text(
            f"A line {k} of the only column, about the work that was done there", 50, 680 - 14 * k
        )
    one.text("Languages", 50, 520, 12, True)
    for k, (label, value) in enumerate([("English", "native"), ("French", "fluent")]):
        one.text(label, 50, 500 - 14 * k).text(value, 200, 500 - 14 * k)
    _, document = structure_of(one)
    assert not document.extraction.multi_column


def test_a_lone_icon_font_glyph_is_not_read_as_a_letter() -> None:
    """Font Awesome's phone and mail icons, mapped by the PDF to 'I' and '#', are pictures: the
    contact line reads as printed words only. Text in a font whose name merely contains 'icon'
    ('Lexicon') is text."""
    content = (
        b"BT /F1 20 Tf 50 740 Td (Jane Example) Tj ET\n"
        b"BT /F2 10 Tf 50 718 Td (I) Tj ET BT /F1 10 Tf 62 718 Td (+1 555 0100) Tj ET\n"
        b"BT /F2 10 Tf 150 718 Td (#) Tj ET BT /F1 10 Tf 162 718 Td (jane@example.com) Tj ET\n"
        b"BT /F3 10 Tf 300 718 Td (github.com/jane) Tj ET\n"
        b"BT /F1 14 Tf 50 680 Td (Experience) Tj ET\n"
        b"BT /F1 10 Tf 50 660 Td (Engineer, Acme, 2019 - 2023) Tj ET\n"
    )
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s >>"
    pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R >> >> >>",
            _stream(content),
            font % b"Helvetica",
            font % b"ABCDEF+FontAwesome5Free-Solid",
            font % b"Lexicon-Regular",
        ]
    )
    document = read_file(pdf, "resume.pdf", 10)
    contact = next(line for line in document.text.splitlines() if "555" in line)
    assert contact.split() == ["+1", "555", "0100", "jane@example.com", "github.com/jane"]
