"""Rendering stays within every Discord limit for any result, and never cuts an item off."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.discord.client import job_and_role, thread_name
from bots.discord.limits import (
    DISCORD_CONTENT_MAX,
    DISCORD_EMBED_DESCRIPTION_MAX,
    DISCORD_EMBED_FIELD_NAME_MAX,
    DISCORD_EMBED_FIELD_VALUE_MAX,
    DISCORD_EMBED_FIELDS_MAX,
    DISCORD_EMBED_FOOTER_MAX,
    DISCORD_EMBED_TITLE_MAX,
    DISCORD_EMBED_TOTAL_MAX,
    DISCORD_EMBEDS_PER_MESSAGE,
    DISCORD_FILES_PER_MESSAGE,
    DISCORD_THREAD_NAME_MAX,
)
from bots.discord.render import render_error, render_result
from core.conversation import GENERIC_APOLOGY, review_file_name, user_text
from core.errors import DamagedFileError, EncryptedFileError
from core.models import Attachment, Extraction, FileKind, Finding, KeywordMatch, ReviewResult

text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=1500)
findings = st.builds(
    Finding,
    rule=st.sampled_from(["bullet.weak_opener", "contact.no_link", "ats.columns"]),
    severity=st.sampled_from(["high", "medium", "low"]),
    category=st.sampled_from(["impact", "clarity", "ats", "completeness", "keywords"]),
    before=st.none() | text,
    after=st.none() | text,
    message=text,
)
keywords = st.none() | st.builds(
    KeywordMatch,
    match_percent=st.integers(0, 100),
    matched=st.lists(st.text(min_size=1, max_size=60), max_size=80),
    missing=st.lists(st.text(min_size=1, max_size=60), max_size=80),
)


def make_result(
    found: list[Finding],
    kw: KeywordMatch | None = None,
    warnings: list[str] | None = None,
    name: str = "cv.pdf",
) -> ReviewResult:
    return ReviewResult(
        source_name=name,
        score=64,
        breakdown={"impact": 40, "clarity": 80, "ats": 90, "completeness": 70},
        findings=found,
        keywords=kw,
        rewritten="# Jane Doe\n",
        engine="offline",
        warnings=warnings or [],
        extraction=Extraction(kind=FileKind.PDF, pages=1, chars=2000),
        attachments=[
            Attachment(filename="cv-rewritten.docx", content=b"PK\x03\x04", mime="x"),
            Attachment(filename="cv-rewritten.md", content=b"# Jane", mime="text/markdown"),
        ],
    )


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    found=st.lists(findings, max_size=30),
    kw=keywords,
    warnings=st.lists(text, max_size=6),
    name=st.text(min_size=1, max_size=400),
)
def test_any_result_fits_discord_limits(
    found: list[Finding], kw: KeywordMatch | None, warnings: list[str], name: str
) -> None:
    reply = render_result(make_result(found, kw, warnings, name))
    assert len(reply.content) <= DISCORD_CONTENT_MAX
    assert 1 <= len(reply.embeds) <= DISCORD_EMBEDS_PER_MESSAGE
    assert sum(len(e) for e in reply.embeds) <= DISCORD_EMBED_TOTAL_MAX
    for embed in reply.embeds:
        assert len(embed.title or "") <= DISCORD_EMBED_TITLE_MAX
        assert len(embed.description or "") <= DISCORD_EMBED_DESCRIPTION_MAX
        assert len(embed.fields) <= DISCORD_EMBED_FIELDS_MAX
        assert len(embed.footer.text or "") <= DISCORD_EMBED_FOOTER_MAX
        for field in embed.fields:
            assert 0 < len(field.name or "") <= DISCORD_EMBED_FIELD_NAME_MAX
            assert 0 < len(field.value or "") <= DISCORD_EMBED_FIELD_VALUE_MAX
    assert len(reply.files) <= DISCORD_FILES_PER_MESSAGE
    review_file = next(f for f in reply.files if f.filename.endswith("-review.md")).content.decode()
    for finding in found:  # the file always has everything, whatever the embeds left out
        assert finding.message in review_file


def test_long_findings_are_left_whole_or_pointed_to_never_cut() -> None:
    long_before = "Responsible for " + "the payments platform and " * 60
    long_after = "Owned " + "the payments platform and " * 60
    found = [
        Finding(
            rule="bullet.weak_opener",
            severity="high",
            category="impact",
            before=f"{long_before}{i}",
            after=f"{long_after}{i}",
            message="Start with a strong verb.",
        )
        for i in range(12)
    ]
    reply = render_result(make_result(found))
    values = [f.value for e in reply.embeds for f in e.fields]
    assert any(
        "Before → after is in the attached review file" in v for v in values
    )  # an after is never cut
    assert not any(long_after[:200] in v for v in values)
    assert any("more findings are in the attached review file" in v for v in values)


def test_a_long_before_is_shortened_at_a_word_and_the_after_shown_whole() -> None:
    long_before = "Responsible for " + "the payments platform and " * 60
    found = [
        Finding(
            rule="bullet.weak_opener",
            severity="high",
            category="impact",
            before=long_before,
            after="Owned the payments platform",
            message="Start with a strong verb.",
        )
    ]
    values = [f.value for e in render_result(make_result(found)).embeds for f in e.fields]
    [value] = [v for v in values if "strong verb" in v]
    assert "payments…\n" in value and long_before not in value
    assert value.endswith("> Owned the payments platform")


def test_a_bullet_with_several_problems_is_one_field() -> None:
    bullet = "Responsible for the payments API used by 2 million customers"
    found = [
        Finding(
            rule="bullet.weak_opener",
            severity="high",
            category="impact",
            before=bullet,
            after="Owned the payments API used by 2 million customers",
            message="Lead with a verb.",
        ),
        Finding(
            rule="bullet.no_metric",
            severity="medium",
            category="impact",
            before=bullet,
            message="Say what changed, with a number.",
        ),
    ]
    values = [f.value for e in render_result(make_result(found)).embeds for f in e.fields]
    [value] = [v for v in values if bullet in v]
    assert "• Lead with a verb." in value and "• Say what changed, with a number." in value


def test_a_clean_result_says_so() -> None:
    reply = render_result(make_result([]))
    assert "No problems found" in (reply.embeds[1].description or "")


def test_files_are_fresh_for_every_send() -> None:
    reply = render_result(make_result([]))
    first, second = reply.send_kwargs()["files"], reply.send_kwargs()["files"]
    assert [f.filename for f in first] == ["cv-rewritten.docx", "cv-rewritten.md", "cv-review.md"]
    assert first[0] is not second[0]


def test_user_text_is_core_wording_or_a_generic_apology() -> None:
    assert user_text(EncryptedFileError()) == EncryptedFileError().for_user()
    assert user_text(DamagedFileError("custom")) == DamagedFileError("custom").for_user()
    assert user_text(RuntimeError("resume text that must never be shown")) == GENERIC_APOLOGY
    assert render_error(EncryptedFileError().for_user()).content.endswith(
        EncryptedFileError().for_user()
    )


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", (None, None)),
        ("<@123> ", (None, None)),
        ("<@!123> Data Engineer", (None, "Data Engineer")),
        ("Senior backend role\nPython, AWS", ("Senior backend role\nPython, AWS", None)),
        ("x" * 200, ("x" * 200, None)),
    ],
)
def test_message_text_is_a_role_or_a_job_description(
    message: str, expected: tuple[str | None, str | None]
) -> None:
    assert job_and_role(message) == expected


def test_thread_names_fit() -> None:
    assert thread_name("cv.pdf") == "Resume review: cv.pdf"
    assert len(thread_name("a" * 300 + ".pdf")) <= DISCORD_THREAD_NAME_MAX


def test_review_filename_is_safe() -> None:
    assert review_file_name("../../My CV (final).pdf") == "My_CV_final-review.md"


def test_the_footer_stays_within_discords_limit_whatever_the_model_is_called() -> None:
    result = replace(make_result([]), engine="huggingface " + "m" * 3000)
    [summary, *_] = render_result(result).embeds
    assert len(summary.footer.text) <= DISCORD_EMBED_FOOTER_MAX
    assert summary.footer.text.startswith("Engine: huggingface")


@pytest.mark.parametrize("count", [1, 3])
def test_warnings_too_long_to_show_point_to_the_review_file(count: int) -> None:
    warnings = [f"Warning {n}: " + "word " * 250 for n in range(count)]  # each over 1,000
    [summary, *_] = render_result(make_result([], warnings=warnings)).embeds
    [field] = [f for f in summary.fields if f.name == "Warnings"]
    assert "cv\\-review.md" in field.value or "cv-review.md" in field.value
    assert str(count) in field.value and len(field.value) <= DISCORD_EMBED_FIELD_VALUE_MAX


def test_warnings_past_the_room_are_counted_with_the_file_named() -> None:
    warnings = ["Short warning.", "Long warning: " + "word " * 250]
    [summary, *_] = render_result(make_result([], warnings=warnings)).embeds
    [field] = [f for f in summary.fields if f.name == "Warnings"]
    assert field.value.startswith("Short warning.") and "+1 more in cv" in field.value
