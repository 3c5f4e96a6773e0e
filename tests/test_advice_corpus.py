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
    present = {"contact.email_missing": bool(contact.get("email")), "contact.phone_missing": bool(contact.get("phone")),
               "contact.link_missing": bool(contact.get("links"))}
    wrong = [f.rule for f in result.findings if present.get(f.rule)]
    wrong += [f"{f.rule}:{f.section.value}" for f in result.findings
              if f.rule == "section.missing" and f.section is not None and f.section.value in kinds]
    assert wrong == [], wrong
