"""The review models to JSON and back: what `--json` prints and the state store keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import Settings
from core.models import Extraction, FileKind, Finding, ReviewResult, Structure
from core.reading import read_file
from core.review import review_document
from core.serial import from_data, to_data, to_json

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "resume.pdf"


def test_a_whole_review_survives_json_and_back() -> None:
    document = read_file(EXAMPLE.read_bytes(), EXAMPLE.name, 10)
    result = review_document(document, EXAMPLE.name, "Python, SQL", None, Settings(), True)
    assert result.attachments  # files are made, but never written into the JSON
    data = json.loads(to_json(result, indent=2))
    assert "attachments" not in data and data["extraction"]["kind"] == "pdf"
    again = from_data(ReviewResult, data)
    assert again.attachments == [] and to_data(again) == data
    assert isinstance(again.findings[0], Finding) and again.findings[0].severity.rank >= 0
    assert isinstance(again.structure, Structure) and again.structure.summary_line()


def test_compact_json_has_no_spaces_and_keeps_non_ascii() -> None:
    facts = Extraction(kind=FileKind.TEXT, pages=1, chars=3, garbled_ratio=0.5)
    text = to_json({"name": "Zoë", "facts": facts})
    assert text.startswith('{"name":"Zoë","facts":{"kind":"text","pages":1,')


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "pdf", "pages": "two", "chars": 1},
        {"kind": "scroll", "pages": 1, "chars": 1},
        {"kind": "pdf", "pages": 1, "chars": 1, "quality": "great"},
        ["not", "an", "object"],
        {"kind": "pdf"},
    ],
)
def test_data_of_the_wrong_shape_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        from_data(Extraction, bad)


def test_a_finding_given_words_holds_the_enums() -> None:
    """The model engine builds findings from its answer's words ('high', 'clarity')."""
    found = Finding(rule="ai.clarity", severity="high", category="clarity", message="m")  # type: ignore[arg-type]
    assert found.severity.rank == 0 and found.category.label == "Clarity"
