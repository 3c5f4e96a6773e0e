"""Rendering within Slack's limits: nothing cut mid-text, overflow goes to the review file."""

from __future__ import annotations

import json

import pytest

from bots.slack.app import split_request_text
from bots.slack.limits import (
    SLACK_FIELD_TEXT_MAX,
    SLACK_HEADER_TEXT_MAX,
    SLACK_MAX_BLOCKS,
    SLACK_MAX_FIELDS,
    SLACK_SECTION_TEXT_MAX,
)
from bots.slack.render import optimize_modal, render_error, render_review
from core.conversation import review_markdown, user_text
from core.errors import EncryptedFileError
from core.limits import TOP_FINDINGS_SHOWN
from core.models import Extraction, FileKind, Finding, KeywordMatch, ReviewResult


def _result(**overrides: object) -> ReviewResult:
    base: dict[str, object] = {
        "source_name": "jane.pdf",
        "score": 72,
        "breakdown": {"impact": 60, "clarity": 80, "ats": 90, "completeness": 70, "keywords": 55},
        "findings": [
            Finding(
                rule="bullet.weak_opener",
                severity="medium",
                category="impact",
                before="Responsible for X",
                after="Led X",
                message="Start with a strong verb.",
            ),
        ],
        "rewritten": "# Jane\n",
        "engine": "offline",
        "extraction": Extraction(kind=FileKind.PDF, pages=1, chars=2000),
    }
    return ReviewResult(**{**base, **overrides})


def _check_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= SLACK_MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= SLACK_SECTION_TEXT_MAX
        if block["type"] == "section" and "fields" in block:
            assert len(block["fields"]) <= SLACK_MAX_FIELDS
            assert all(len(f["text"]) <= SLACK_FIELD_TEXT_MAX for f in block["fields"])
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= SLACK_HEADER_TEXT_MAX


def test_small_review_fits_without_overflow() -> None:
    rendered = render_review(_result())
    _check_limits(rendered.blocks)
    assert not rendered.overflow
    assert "72/100" in rendered.text and "jane.pdf" in rendered.text


def test_huge_review_stays_within_limits_and_overflows_to_file() -> None:
    long_quote = "Responsible for " + "many important things " * 300
    findings = [
        Finding(
            rule=f"r{i}",
            severity="high",
            category="clarity",
            before=f"{long_quote}{i}",
            after=f"{long_quote}{i}",
            message="Shorten.",
        )
        for i in range(40)
    ]
    result = _result(
        source_name="x" * 400 + ".pdf",
        breakdown={f"cat{i}": 50 for i in range(25)},
        findings=findings,
        keywords=KeywordMatch(
            match_percent=10,
            matched=[f"skill{i}" for i in range(2000)],
            missing=[f"tool{i}" for i in range(2000)],
        ),
        warnings=[f"warning number {i} " * 5 for i in range(300)],
    )
    rendered = render_review(result)
    _check_limits(rendered.blocks)
    assert rendered.overflow
    markdown = review_markdown(result)
    assert (
        markdown.count("Shorten.") == 40
        and "tool1999" in markdown
        and "warning number 299" in markdown
    )
    text = str(rendered.blocks)
    assert "more (see the review file)" in text and f"{40 - TOP_FINDINGS_SHOWN} more in" in text


def test_quoted_resume_text_cannot_ping_or_link() -> None:
    finding = Finding(
        rule="x",
        severity="low",
        category="clarity",
        before="<!channel> & <https://evil|click>",
        message="m",
    )
    text = str(render_review(_result(findings=[finding])).blocks)
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;" in text


def test_error_message_is_the_error_text() -> None:
    rendered = render_error(user_text(EncryptedFileError()))
    assert EncryptedFileError().for_user() in rendered.text


def test_unexpected_error_becomes_an_apology_without_details() -> None:
    text = user_text(ValueError("Jane Doe, 555-1234, secret resume line"))
    assert "Jane" not in text and "Sorry" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, (None, None)),
        ("<@UBOT>", (None, None)),
        ("<@UBOT> Senior Data Analyst", (None, "Senior Data Analyst")),
        (
            "We need Python &amp; SQL.\nYou will build <https://x.io|dashboards>.",
            ("We need Python & SQL.\nYou will build dashboards.", None),
        ),
    ],
)
def test_message_text_becomes_job_or_role(
    text: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert split_request_text(text) == expected


def test_modal_remembers_channel_and_limits_inputs() -> None:
    view = optimize_modal("C123", role="r" * 5000)
    assert '"C123"' in view["private_metadata"]
    assert len(view["title"]["text"]) <= 24  # Slack's modal title limit


def test_a_bullet_with_several_problems_is_quoted_once_with_each_problem_under_it() -> None:
    bullet = "Responsible for the payments API used by 2 million customers"
    findings = [
        Finding(
            rule="bullet.weak_opener",
            severity="high",
            category="impact",
            section="experience",
            before=bullet,
            after="Owned the payments API used by 2 million customers",
            message="Lead with a verb.",
        ),
        Finding(
            rule="bullet.no_metric",
            severity="medium",
            category="impact",
            section="experience",
            before=bullet,
            message="Say what changed, with a number.",
        ),
    ]
    rendered = render_review(_result(findings=findings))
    text = json.dumps(rendered.blocks, ensure_ascii=False)
    assert text.count(bullet) == 1 and "Lead with a verb." in text and "Say what changed" in text
    assert "*After:* Owned the payments API used by 2 million customers" in text
