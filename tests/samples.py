"""Resumes written for these tests (fictional people and employers)."""

from __future__ import annotations

import io

GOOD_RESUME = """Jordan Lee
jordan.lee@example.com | +1 415 555 0199 | linkedin.com/in/jordanlee-example

Summary
Backend engineer with 6 years of Python experience building payment systems.

Experience
Senior Software Engineer, Brightwater Payments — Jan 2021 – Present
• Lead a team of 4 engineers building the settlement service in Python and PostgreSQL
• Cut reconciliation time from 6 hours to 40 minutes by rewriting the batch job
• Build REST APIs used by 120 merchant integrations

Software Engineer, Orchard Labs — Jun 2017 – Dec 2020
• Migrated 30 services from a monolith to Kubernetes with zero downtime
• Reduced AWS spend by 18% through right-sizing and reserved instances

Education
B.S. Computer Science, Lakeside University — 2013 – 2017

Skills
Python, PostgreSQL, Kubernetes, AWS, Docker, REST APIs, Machine Learning
"""

FLAWED_RESUME = """Sam Parker
sam.parker@example.com

Summary
I am a results-driven team player with a proven track record in operations.

Experience
Operations Coordinator, Northwind Freight — 03/2019 - 05/2022
• Responsible for managing the weekly shipping schedule for the regional depots
• Helped build the onboarding checklist for new warehouse staff members
• Manage vendor relationships and negotiate contracts with carriers across the region
• I coordinated deliveries with the dispatch team and the drivers every morning
• The inventory database was migrated by me to a new cloud system over the summer
• Worked on a project to reorganise the warehouse layout and improve the picking routes for all of the staff that work in the building every day of the week including weekends and public holidays during the busy season

Warehouse Associate, Northwind Freight — Jan 2017 – Feb 2019
• Coordinated pallet loading for outbound trucks
• Coordinated returns processing with the customer service team
• Coordinated stock counts at the end of each quarter
"""


def make_docx(
    paragraphs: list[tuple[str, str | None]], table: list[list[str]] | None = None
) -> bytes:
    """A DOCX with the given (text, style) paragraphs and an optional table, made with python-docx."""
    import docx

    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
