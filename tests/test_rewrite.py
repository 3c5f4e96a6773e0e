"""The offline rewrite: clean Markdown that never invents a number, date, employer, school or skill."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.honesty import find_fabrications
from core.offline import review
from core.reading import read_file
from core.review import offline_pipeline
from core.rewrite import normalise_date, normalise_range
from tests.conftest import CORPUS, corpus_files
from tests.samples import FLAWED_RESUME, GOOD_RESUME

SETTINGS = Settings(_env_file=None)
RESUMES = (
    corpus_files("resumes/pdf", "*.pdf")
    + corpus_files("resumes/docx", "*.docx")
    + corpus_files("resumes/text", "*")
    + corpus_files("resumes/json", "*.json")
)


def _rewrite(data: bytes, name: str) -> tuple[str, str]:
    document = read_file(data, name, 10)
    result = review(document, name, None, None, SETTINGS)
    return document.text, result.rewritten


@pytest.mark.parametrize("path", RESUMES, ids=lambda p: p.name)
def test_rewrite_of_every_corpus_resume_invents_nothing(path: Path) -> None:
    original, rewritten = _rewrite(path.read_bytes(), path.name)
    assert find_fabrications(original, rewritten) == []
    assert rewritten.startswith("# ")


@pytest.mark.parametrize("sample", [GOOD_RESUME, FLAWED_RESUME], ids=["good", "flawed"])
def test_rewrite_of_test_resumes_invents_nothing(sample: str) -> None:
    original, rewritten = _rewrite(sample.encode(), "cv.txt")
    assert find_fabrications(original, rewritten) == []


def test_rewrite_fixes_the_flaws_it_can_fix_honestly() -> None:
    _, md = _rewrite(FLAWED_RESUME.encode(), "cv.txt")
    assert md.startswith("# Sam Parker\n")
    assert "## Experience" in md and "### Operations Coordinator, Northwind Freight" in md
    assert "- Managed the weekly shipping schedule for the regional depots" in md
    assert (
        "- Helped build the onboarding checklist" in md
    )  # no honest verb follows: the finding asks
    assert "Contributed to" not in md
    assert "- Managed vendor relationships and negotiated contracts" in md  # past role → past tense
    assert "- Coordinated deliveries with the dispatch team" in md  # "I" dropped
    assert (
        "- Migrated the inventory database to a new cloud system" in md
    )  # passive "by me" made active
    assert "*Mar 2019 – May 2022*" in md and "*Jan 2017 – Feb 2019*" in md  # one date format
    assert (
        "proven track record" in md
    )  # prose isn't cut up mechanically; the finding explains instead
    assert "Responsible for" not in md and "\n- I " not in md


def test_current_role_keeps_present_tense() -> None:
    _, md = _rewrite(GOOD_RESUME.encode(), "cv.txt")
    assert "- Lead a team of 4 engineers" in md
    assert "- Build REST APIs used by 120 merchant integrations" in md


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Sept. 2019", "Sep 2019"),
        ("03/2021", "Mar 2021"),
        ("present", "Present"),
        ("2019", "2019"),
        ("June 2020", "Jun 2020"),
    ],
)
def test_date_normalisation_never_adds_a_month(raw: str, normal: str) -> None:
    assert normalise_date(raw) == normal


def test_range_normalisation() -> None:
    assert (
        normalise_range("Analyst, Acme — 03/2019 - 05/2022")
        == "Analyst, Acme — Mar 2019 – May 2022"
    )


def test_summary_first_person_is_dropped_and_repeated_openers_are_left_to_the_person() -> None:
    _, md = _rewrite(FLAWED_RESUME.encode(), "cv.txt")
    assert (
        "Results-driven team player with a proven track record in operations." in md
    )  # "I am a" dropped
    # "Coordinated" opens four bullets (one after dropping "I"): the finding lists them; no silent swap
    assert md.count("- Coordinated ") == 4
    assert "Organized" not in md and "- Ran " not in md


def _norm(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def _unlisted_edits(data: bytes, name: str) -> list[str]:
    """Bullets in the rewrite that are neither an original bullet or line nor the 'after' of a finding."""
    _, result = offline_pipeline(data, name, None, None, SETTINGS, False)
    assert result.structure is not None
    originals = {_norm(b) for s in result.structure.sections for e in s.entries for b in e.bullets}
    originals |= {
        _norm(line.removeprefix("• ")) for s in result.structure.sections for line in s.lines
    }
    listed = {_norm(f.after) for f in result.findings if f.after}
    rewritten = [line[2:] for line in result.rewritten.splitlines() if line.startswith("- ")]
    return [b for b in rewritten if _norm(b) not in originals | listed]


@pytest.mark.parametrize("path", RESUMES, ids=lambda p: p.name)
def test_every_edit_in_a_corpus_rewrite_is_a_listed_finding(path: Path) -> None:
    assert _unlisted_edits(path.read_bytes(), path.name) == []


@pytest.mark.parametrize("sample", [GOOD_RESUME, FLAWED_RESUME], ids=["good", "flawed"])
def test_every_edit_in_a_sample_rewrite_is_a_listed_finding(sample: str) -> None:
    assert _unlisted_edits(sample.encode(), "cv.txt") == []


def test_edits_beyond_the_display_cap_are_still_listed() -> None:
    bullets = "\n".join(f"• Responsible for managing depot {n} rota" for n in "ABCDEFG")
    text = GOOD_RESUME.replace(
        "• Migrated 30 services from a monolith to Kubernetes with zero downtime", bullets
    )
    assert _unlisted_edits(text.encode(), "cv.txt") == []


@pytest.mark.parametrize("path", RESUMES, ids=lambda p: p.name)
def test_every_fix_a_finding_shows_is_in_the_rewrite(path: Path) -> None:
    """The converse: an 'after' of a fix the rewrite applies is what the rewrite prints (bullets and prose alike)."""
    from core.rules import REWRITE_RULES

    _, result = offline_pipeline(path.read_bytes(), path.name, None, None, SETTINGS, False)
    flat = " ".join(result.rewritten.split())
    shown = [f.after for f in result.findings if f.after and f.rule in REWRITE_RULES]
    assert [a for a in shown if " ".join(a.split())[1:] not in flat] == []


PROSE_ROLE = GOOD_RESUME.replace(
    "• Migrated 30 services from a monolith to Kubernetes with zero downtime\n"
    "• Reduced AWS spend by 18% through right-sizing and reserved instances",
    "Responsible for managing the release calendar for four product teams. Assisted in the "
    "migration of 30 services to Kubernetes with zero downtime.",
)


def test_a_paragraph_role_gets_the_same_fixes_as_bullets_and_each_is_listed() -> None:
    """A role written as prose: the fix the finding shows is the one the rewrite prints, and a
    weak opener with no honest fix gets verbs to choose from, not silence."""
    _, result = offline_pipeline(PROSE_ROLE.encode(), "cv.txt", None, None, SETTINGS, False)
    weak = {f.before: f for f in result.findings if f.rule == "bullet.weak_opener"}
    fixed = weak["Responsible for managing the release calendar for four product teams."]
    assert fixed.after == "Managed the release calendar for four product teams."
    assert fixed.after in result.rewritten
    choose = weak["Assisted in the migration of 30 services to Kubernetes with zero downtime."]
    assert choose.after is None and "Migrated" in choose.message
    assert "Assisted in the migration of 30 services" in result.rewritten


def test_a_skills_list_inside_projects_is_not_advised_on_as_work() -> None:
    """'Skills' or 'Programming Languages' as a term under 'Technical Experience' is a skills list:
    no 'add a Skills section', and no first-person or length advice on its text."""
    from core.models import Role, SectionName
    from core.rules import is_work_role

    assert not is_work_role(SectionName.PROJECTS, Role(title="Programming Languages"))
    assert is_work_role(SectionName.PROJECTS, Role(title="Gotham Event Planner"))
    path = CORPUS / "resumes/docx/pandoc_resume_johnny_coder.docx"
    if not path.is_file():
        pytest.skip("corpus not present")
    _, result = offline_pipeline(path.read_bytes(), path.name, None, None, SETTINGS, False)
    assert not [f for f in result.findings if f.rule == "section.missing"]
    assert not [f for f in result.findings if "itemization" in (f.before or "")]
