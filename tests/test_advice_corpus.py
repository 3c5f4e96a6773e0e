"""Advice checked against the corpus labels (../shared/corpus/expected): no false "missing" claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import Settings
from core.review import offline_pipeline
from tests.conftest import CORPUS, corpus_files

SETTINGS = Settings(_env_file=None)
LABELS = corpus_files("expected", "*.json")


def _label_and_result(label_path: Path):
    label = json.loads(label_path.read_text(encoding="utf-8"))
    path = CORPUS / label["file"]
    if not path.is_file():
        pytest.skip(f"{label['file']} is not in the corpus")
    _, result = offline_pipeline(path.read_bytes(), path.name, None, None, SETTINGS, False)
    return label, result


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


EXPECTATIONS = json.loads(
    (Path(__file__).parent / "advice_expectations.json").read_text(encoding="utf-8")
)["resumes"]


@pytest.mark.parametrize("name", sorted(EXPECTATIONS), ids=lambda n: n.rsplit("/", 1)[-1])
def test_findings_a_coach_would_sign(name: str) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the corpus")
    _, result = offline_pipeline(path.read_bytes(), path.name, None, None, SETTINGS, False)

    def found(rule: str, text: str) -> bool:
        return any(f.rule == rule and text in (f.before or "") for f in result.findings)

    expected = EXPECTATIONS[name]
    assert [item for item in expected.get("must", []) if not found(*item)] == []
    assert [item for item in expected.get("must_not", []) if found(*item)] == []


@pytest.mark.parametrize("path", corpus_files("resumes", "*/*"), ids=lambda p: p.name)
def test_no_fix_is_weak_and_no_verb_is_swapped(path: Path) -> None:
    from core.wording import WEAK_OPENER_WORDS

    _, result = offline_pipeline(path.read_bytes(), path.name, None, None, SETTINGS, False)
    for f in result.findings:
        if f.rule == "bullet.weak_opener" and f.after:
            assert f.after.split()[0].lower() not in WEAK_OPENER_WORDS, f.after
        if f.rule == "style.repeated_verb":
            assert f.after is None
