"""The rule registry: one declaration per rule, read by the collector, scoring and the report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import Settings
from core.models import Category, Severity
from core.offline import review
from core.reading import read_file
from core.registry import Check, Registry, Rule
from core.rules import REGISTRY, REWRITE_RULES

TESTS = Path(__file__).parent


def test_every_rule_has_an_id_a_category_a_severity_and_a_check() -> None:
    ids = [r.id for r in REGISTRY]
    assert len(ids) == len(set(ids)) >= 25
    for rule in REGISTRY:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", rule.id), rule.id
        assert isinstance(rule.category, Category) and isinstance(rule.severity, Severity)
        assert rule.summary
    assert {r.id for c in REGISTRY.checks for r in c.rules} == set(ids)


def test_every_rule_is_exercised_by_the_rules_tests() -> None:
    """Adding a rule means adding its test: each id appears in tests/test_rules.py."""
    text = (TESTS / "test_rules.py").read_text(encoding="utf-8")
    untested = [r.id for r in REGISTRY if f'"{r.id}"' not in text]
    assert not untested, f"rules without a test in tests/test_rules.py: {untested}"


def test_severity_is_ordered_and_serialises_as_before() -> None:
    assert sorted(Severity, key=lambda s: s.rank) == [Severity.HIGH, Severity.MEDIUM, Severity.LOW]
    assert Severity.HIGH == "high" and f"{Severity.LOW}" == "low"


def _review(text: bytes):
    return review(read_file(text, "cv.txt", 10), "cv.txt", None, None, Settings())


def test_findings_take_category_and_severity_from_the_registry() -> None:
    text = (
        b"Jane Doe\n\nExperience\nBackend Engineer, Acme Corp, 2019 - 2021\n"
        b"- Responsible for the payments API used by three product teams\n"
        b"- Built the billing service and its nightly reconciliation jobs\n"
    )
    findings = _review(text).findings
    assert findings
    for f in findings:
        rule = REGISTRY[f.rule]
        assert f.category == rule.category
    email = next(f for f in findings if f.rule == "contact.email_missing")
    assert email.severity is Severity.HIGH
    # the experience section is there, so no "missing" for it; education and skills are medium
    missing = [f for f in findings if f.rule == "section.missing"]
    assert {f.severity for f in missing} == {Severity.MEDIUM}
    assert "bullet.weak_opener" in REWRITE_RULES


def test_a_rule_declared_twice_or_unknown_is_refused() -> None:
    rule = Rule("x.y", Category.CLARITY, Severity.LOW, "x")
    with pytest.raises(ValueError, match="declared twice"):
        Registry([Check(lambda c, o: None, (rule,)), Check(lambda c, o: None, (rule,))])
    with pytest.raises(KeyError, match="not a registered rule"):
        REGISTRY["no.such_rule"]


def test_a_score_cap_declared_in_the_registry_is_applied() -> None:
    text = (
        b"YOUR NAME HERE\nyour.email@example.com | +1 555 0100 | linkedin.com/in/x\n\n"
        b"Experience\nJob Title 1, Company 1, 2019 - 2021\n- Led 4 engineers\n\n"
        b"Education\nBSc, University Name, 2018\n\nSkills\nPython\n"
    )
    result = _review(text)
    assert "template.unfilled" in {f.rule for f in result.findings}
    assert result.score <= REGISTRY["template.unfilled"].caps_score
