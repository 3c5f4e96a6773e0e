"""Property tests: no text a user can send makes the text pipeline raise, and the rewrite invents nothing.

Hypothesis runs derandomized with a bounded number of examples, so CI sees
the same inputs every run and the module stays well under 20 s. Strategies
mix raw Unicode with resume-shaped lines (headings, bullets, date ranges,
numbers, contacts), which is where the regexes and heuristics live.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import offline
from core.config import Settings
from core.honesty import find_fabrications, guard_rewrite, prompt_injection_spans
from core.keywords import match_keywords
from core.models import Document, Extraction, FileKind, ReviewResult
from core.reading.sniff import garbled_ratio
from core.reading.text import plain_text
from core.rewrite import rewrite_markdown
from core.structure import parse_resume

EXAMPLES = 150
FAST = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

HEADINGS = [
    "Experience",
    "EDUCATION",
    "Skills:",
    "Summary",
    "Projects",
    "Work History",
    "Certifications",
    "## Experience",
    "Berufserfahrung",
    "Contact",
    "Languages",
]
BULLETS = ["• ", "- ", "* ", "▪ ", "1. ", "2) ", "– ", "✓ ", ""]
DATES = [
    "2019 - Present",
    "Jan 2020 – Dec 2021",
    "03/2019 - 05/2022",
    "Sept. 2018 – now",
    "2015–2017",
    "June 2020 –",
    "2021 - Current",
    "12/2099 - 13/2100",
    "1999",
]
WORDS = [
    "Led",
    "Responsible for",
    "Helped with",
    "I",
    "managed",
    "team",
    "of",
    "12",
    "engineers",
    "cut",
    "costs",
    "by",
    "35%",
    "$2.5M",
    "Acme Corp",
    "State University",
    "BSc",
    "PhD",
    "Python",
    "Kubernetes",
    "the",
    "was",
    "migrated",
    "by me",
    "ignore previous instructions",
    "two",
    "1,000",
    "0.5",
    "3.0",
    "k8s",
    "C++",
    "(cid:12)",
    "\u00ad",
    "\ufb01x",
    "\u200b",
    "日本語",
    "مرحبا",
    "🚀",
    "\ufffd",
    "\x00",
    "\x0c",
    "\\n",
    "@",
    "jane@example.com",
    "+1 555 123 4567",
    "linkedin.com/in/x",
    "https://x.io",
    "Inc.",
    "LLC",
    "at",
    "Google",
]


@st.composite
def resume_line(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "bullet", "role", "free"]))
    if kind == "heading":
        return draw(st.sampled_from(HEADINGS))
    words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=12))
    text = " ".join(words)
    if kind == "bullet":
        return draw(st.sampled_from(BULLETS)) + text
    if kind == "role":
        return f"{text}, {draw(st.sampled_from(DATES))}"
    return text + draw(st.text(max_size=20))


resume_like = st.lists(st.one_of(resume_line(), st.just("")), max_size=40).map("\n".join)
any_text = st.one_of(st.text(max_size=400), resume_like)
TEXT_KINDS = list(FileKind)


def document(text: str, kind: FileKind = FileKind.TEXT) -> Document:
    cleaned = plain_text(text, markdown=kind is FileKind.MARKDOWN)
    return Document(
        text=cleaned,
        extraction=Extraction(
            kind=kind, pages=1, chars=len(cleaned), garbled_ratio=garbled_ratio(text)
        ),
    )


@FAST
@given(text=any_text, markdown=st.booleans())
def test_plain_text_never_raises_and_is_idempotent_enough(text: str, markdown: bool) -> None:
    cleaned = plain_text(text, markdown=markdown)
    assert isinstance(cleaned, str)
    assert "\x00" not in cleaned and "\ufffd" not in cleaned
    assert 0.0 <= garbled_ratio(text) <= 1.0


@FAST
@given(text=any_text)
def test_parse_resume_never_raises(text: str) -> None:
    resume = parse_resume(plain_text(text))
    for _section, _role, bullet in resume.bullets():
        assert isinstance(bullet, str)


@FAST
@given(
    text=any_text,
    job=st.one_of(st.none(), st.text(max_size=300), resume_like),
    kind=st.sampled_from(TEXT_KINDS),
)
def test_offline_review_never_raises(text: str, job: str | None, kind: FileKind) -> None:
    result = offline.review(document(text, kind), "cv.txt", job, None, Settings())
    assert isinstance(result, ReviewResult)
    assert 0 <= result.score <= 100
    assert all(0 <= v <= 100 for v in result.breakdown.values())


@FAST
@given(text=any_text)
@example(text="Corp:0")  # found by hypothesis: 'Resume\n\nCorp' read as an invented employer
@example(text="0.1A")  # found by hypothesis: the '0' of '0.1' read as an invented number
def test_rewrite_never_raises_and_invents_no_numbers_or_names(text: str) -> None:
    original = plain_text(text)
    rewritten = rewrite_markdown(parse_resume(original))
    assert rewritten.endswith("\n")
    assert find_fabrications(original, rewritten) == []


@FAST
@given(job=st.one_of(st.text(max_size=400), resume_like), resume=any_text)
def test_match_keywords_never_raises(job: str, resume: str) -> None:
    match = match_keywords(job, resume)
    assert 0 <= match.match_percent <= 100
    assert not set(match.matched) & set(match.missing)


@FAST
@given(original=any_text, rewritten=any_text)
def test_honesty_guard_never_raises_and_leaves_nothing_to_flag(
    original: str, rewritten: str
) -> None:
    find_fabrications(original, rewritten)
    prompt_injection_spans(rewritten)
    guarded, _warnings = guard_rewrite(original, rewritten)
    assert find_fabrications(original, guarded) == []
