"""Advice checked on the corpus: no false "missing" claim against the labels (corpus/expected),
every finding on every resume judged by hand as a coach would (tests/advice_expectations.json),
precision of at least 97 %, and no weak fix or swapped verb."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.advice import PRECISION_GOAL, corpus_resumes, judge, load_expectations
from tests.conftest import CORPUS, corpus_files
from tests.corpus_reviews import corpus_review, every_finding

LABELS = corpus_files("expected", "*.json")


def _label_and_result(label_path: Path):
    label = json.loads(label_path.read_text(encoding="utf-8"))
    path = CORPUS / label["file"]
    if not path.is_file():
        pytest.skip(f"{label['file']} is not in the corpus")
    return label, corpus_review(path)[1]


@pytest.mark.parametrize("label_path", LABELS, ids=lambda p: p.name.removesuffix(".json"))
def test_no_false_missing_claim(label_path: Path) -> None:
    label, result = _label_and_result(label_path)
    contact = label.get("contact", {})
    kinds = {s["kind"] for s in label.get("sections", [])}
    present = {
        "contact.email_missing": bool(contact.get("email")),
        "contact.phone_missing": bool(contact.get("phone")),
        "contact.link_missing": bool(contact.get("links")),
    }
    wrong = [f.rule for f in result.findings if present.get(f.rule)]
    wrong += [
        f"{f.rule}:{f.section.value}"
        for f in result.findings
        if f.rule == "section.missing" and f.section is not None and f.section.value in kinds
    ]
    assert wrong == [], wrong


# Every finding on every corpus resume, judged by hand (tests/advice_expectations.json);
# `python benchmarks/advice.py` prints the same figures per rule.
JUDGED = load_expectations()
RESUMES = corpus_resumes()


def _every_finding(name: str) -> list:
    return every_finding(CORPUS / name)


def test_every_corpus_resume_has_a_judgement() -> None:
    assert [n for n in RESUMES if n not in JUDGED["resumes"]] == []


@pytest.mark.parametrize("name", RESUMES, ids=lambda n: n.rsplit("/", 1)[-1])
def test_every_finding_is_judged_and_every_judgement_still_holds(name: str) -> None:
    """A new finding needs a verdict; a finding that went away takes its entry with it."""
    verdicts = judge(_every_finding(name), JUDGED["resumes"].get(name, {}))
    assert [(f.rule, f.before, f.message[:60]) for f in verdicts.unjudged] == []
    assert verdicts.stale == []
    assert {reason for _, reason in verdicts.wrong} <= set(JUDGED["reasons"])


def test_precision_on_the_corpus_is_what_a_coach_would_sign() -> None:
    if not RESUMES:
        pytest.skip("../shared/corpus is not present")
    right = wrong = 0
    for name in RESUMES:
        verdicts = judge(_every_finding(name), JUDGED["resumes"].get(name, {}))
        right, wrong = right + len(verdicts.right), wrong + len(verdicts.wrong)
    assert right / (right + wrong) >= PRECISION_GOAL, (right, wrong)


@pytest.mark.parametrize("path", corpus_files("resumes", "*/*"), ids=lambda p: p.name)
def test_no_fix_is_weak_and_no_verb_is_swapped(path: Path) -> None:
    from core.wording import WEAK_OPENER_WORDS

    _, result = corpus_review(path)
    for f in result.findings:
        if f.rule == "bullet.weak_opener" and f.after:
            assert f.after.split()[0].lower() not in WEAK_OPENER_WORDS, f.after
        if f.rule == "style.repeated_verb":
            assert f.after is None
