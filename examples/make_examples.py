"""Regenerate the example files: resume.txt, resume.docx, resume.pdf and job_description.txt.

How to regenerate (from the project root):

    source .venv/bin/activate
    pip install fpdf2          # only for this script; not a project dependency
    python examples/make_examples.py

Why these files exist: a demo and a test fixture the project owns. Alex Rivera
and every employer here are FICTIONAL. The resume carries the realistic flaws
a reviewer should catch (weak openers, "I", buzzwords, no metrics, a too-long
bullet, passive voice, present tense in a past role, mixed date formats, a
repeated verb) next to some good, measurable bullets. All three resume files
hold the same content; the DOCX uses real Word bullet styles and a table for
the skills. The PDF has a real text layer (fpdf2 embeds DejaVu Sans when the
system has it, else a core font).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

NAME = "Alex Rivera"
HEADLINE = "Backend & Data Engineer"
CONTACT = (
    "alex.rivera@example.com | +1 555 0142 | linkedin.com/in/alex-rivera-example | Portland, OR"
)
SUMMARY = (
    "Results-driven engineer with a passion for creating synergy between data and product teams. "
    "I have 6 years of experience building backend services and data pipelines in Python."
)
# (title, employer, place, dates, bullets)
EXPERIENCE: list[tuple[str, str, str, str, list[str]]] = [
    (
        "Senior Software Engineer",
        "Harborlight Analytics",
        "Portland, OR",
        "2021 - Present",
        [
            "Led the migration of 14 batch jobs from cron to Apache Airflow, "
            "cutting failed nightly runs from 9 a month to 1.",
            "Designed a PostgreSQL partitioning scheme that reduced p95 query time "
            "on the orders table from 2.4 s to 310 ms.",
            "Responsible for the internal reporting API.",
            "I built a Slack alerting bot for data quality checks.",
            "Worked on improving the CI pipeline and the Docker images for the team, which involved a lot of "
            "investigation into caching layers, dependency pinning, flaky tests and build parallelism, plus "
            "coordination with three other teams over several months to make everything faster and more "
            "reliable for everyone involved.",
        ],
    ),
    (
        "Software Engineer",
        "Bluefin Freight Systems",
        "Seattle, WA",
        "Jan 2019 - 03/2021",
        [
            "Helped with the rollout of a new shipment tracking service.",
            "The legacy billing database was migrated by me to AWS RDS.",
            "Develop REST APIs in Flask for partner integrations.",
            "Developed a pricing rules engine that serves 40,000 quotes a day, raising quote accuracy by 12%.",
            "Developed internal tools for the operations team.",
        ],
    ),
    (
        "Junior Data Analyst",
        "Cedar & Pine Retail",
        "Remote",
        "June 2017 - Dec 2018",
        [
            "Built 25 Tableau dashboards for weekly sales reviews, used by 60 store managers.",
            "Wrote SQL queries for ad-hoc requests from the marketing team.",
        ],
    ),
]
EDUCATION = "B.S. Computer Science, Lakeshore State University, 2017"
SKILLS: list[tuple[str, str]] = [
    ("Languages", "Python, SQL, Bash"),
    ("Data", "PostgreSQL, Apache Airflow, pandas, Tableau"),
    ("Infrastructure", "Docker, AWS (RDS, S3), GitHub Actions"),
    ("Practices", "Unit testing with pytest, code review, team synergy"),
]

JOB_DESCRIPTION = """\
Job Title: Data Platform Engineer
Company: Northwind Parcel Co. (fictional)
Location: Portland, OR (hybrid) or remote in US time zones
Employment type: Full-time

About the team
Northwind Parcel moves about 120,000 parcels a day across the Pacific Northwest. The data platform
team (five engineers) owns the pipelines and services that feed pricing, routing and customer reporting.

What you will do
- Build and run batch and streaming data pipelines in Python with Apache Airflow and Kafka.
- Design PostgreSQL schemas and tune slow queries; model data for analytics in dbt.
- Expose clean REST APIs for internal teams and partners.
- Keep our CI/CD pipeline (GitHub Actions, Docker) fast and our services observable.
- Review code and help two junior engineers grow.

Requirements
- 4+ years of backend or data engineering experience, mostly in Python.
- Strong SQL and data modeling skills; PostgreSQL in production.
- Experience with AWS (S3, RDS) and infrastructure as code with Terraform.
- Containers and orchestration: Docker and Kubernetes.
- Writes unit tests with pytest as a matter of course.

Nice to have
- Snowflake, dbt, Tableau or another BI tool; logistics domain knowledge.

What we offer
Salary USD 135,000-155,000, health, dental and vision insurance, and a yearly learning budget.

How to apply
Send your resume (PDF or DOCX) and a short note about a pipeline you are proud of.
"""


def role_heading(title: str, employer: str, place: str) -> str:
    return f"{title}, {employer} - {place}"


def resume_text() -> str:
    """The plain-text version (the other formats say exactly the same)."""
    lines = [NAME, HEADLINE, CONTACT, "", "SUMMARY", SUMMARY, "", "EXPERIENCE"]
    for title, employer, place, dates, bullets in EXPERIENCE:
        lines += [role_heading(title, employer, place), dates, *(f"- {b}" for b in bullets), ""]
    lines += ["EDUCATION", EDUCATION, "", "SKILLS", *(f"{k}: {v}" for k, v in SKILLS)]
    return "\n".join(lines) + "\n"


def write_docx(path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt

    document = docx.Document()
    for section in document.sections:
        section.top_margin = section.bottom_margin = Inches(0.7)
        section.left_margin = section.right_margin = Inches(0.8)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    document.add_paragraph(NAME, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (HEADLINE, CONTACT):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading("Summary", level=1)
    document.add_paragraph(SUMMARY)
    document.add_heading("Experience", level=1)
    for title, employer, place, dates, bullets in EXPERIENCE:
        document.add_heading(role_heading(title, employer, place), level=2)
        document.add_paragraph().add_run(dates).italic = True
        for bullet in bullets:
            document.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Education", level=1)
    document.add_paragraph(EDUCATION)
    document.add_heading("Skills", level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in SKILLS:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(key).bold = True
        cells[1].text = value
    props = document.core_properties
    props.title, props.author, props.last_modified_by = f"{NAME} - Resume", NAME, NAME
    document.save(path)


def write_pdf(path: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="Letter")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(f"{NAME} - Resume")
    pdf.set_author(NAME)
    pdf.set_creation_date(__import__("datetime").datetime(2024, 1, 1))  # reproducible bytes
    font_dir = Path("/usr/share/fonts/truetype/dejavu")
    if (font_dir / "DejaVuSans.ttf").exists():
        pdf.add_font("Body", "", str(font_dir / "DejaVuSans.ttf"))
        pdf.add_font("Body", "B", str(font_dir / "DejaVuSans-Bold.ttf"))
        pdf.add_font("Body", "I", str(font_dir / "DejaVuSans-Oblique.ttf"))
        family, bullet = "Body", "\u2022"
    else:
        family, bullet = "Helvetica", "-"
    pdf.add_page()
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    def heading(text: str) -> None:
        pdf.ln(2)
        pdf.set_font(family, "B", 11.5)
        pdf.cell(0, 6, text.upper(), **nl)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(1)

    pdf.set_font(family, "B", 20)
    pdf.cell(0, 10, NAME, align="C", **nl)
    pdf.set_font(family, "", 10.5)
    pdf.cell(0, 5, HEADLINE, align="C", **nl)
    pdf.set_font(family, "", 9)
    pdf.cell(0, 5, CONTACT, align="C", **nl)
    heading("Summary")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 4.8, SUMMARY, **nl)
    heading("Experience")
    for title, employer, place, dates, bullets in EXPERIENCE:
        pdf.set_font(family, "B", 10.5)
        pdf.cell(0, 5.5, role_heading(title, employer, place), **nl)
        pdf.set_font(family, "I", 9.5)
        pdf.cell(0, 4.8, dates, **nl)
        pdf.set_font(family, "", 10)
        for text in bullets:
            pdf.cell(5, 4.8, bullet)
            pdf.multi_cell(0, 4.8, text, **nl)
        pdf.ln(1.5)
    heading("Education")
    pdf.set_font(family, "", 10)
    pdf.cell(0, 5, EDUCATION, **nl)
    heading("Skills")
    for key, value in SKILLS:
        pdf.set_font(family, "B", 10)
        pdf.cell(32, 5, f"{key}:")
        pdf.set_font(family, "", 10)
        pdf.cell(0, 5, value, **nl)
    pdf.output(str(path))


def main() -> None:
    (HERE / "resume.txt").write_text(resume_text(), encoding="utf-8")
    (HERE / "job_description.txt").write_text(JOB_DESCRIPTION, encoding="utf-8")
    write_docx(HERE / "resume.docx")
    write_pdf(HERE / "resume.pdf")
    for name in ("resume.txt", "resume.docx", "resume.pdf", "job_description.txt"):
        print(f"wrote examples/{name} ({(HERE / name).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
