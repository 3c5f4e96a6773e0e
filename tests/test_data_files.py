"""The word lists under core/data are data: each is loaded by the package and holds no duplicates.

A duplicate is harmless to the code but a sign of drift ("data modeling" listed twice, one
skill in two files with different aliases), so it fails here instead of piling up.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

DATA = resources.files("core.data")


def _lists(value: object, where: str = "") -> list[tuple[str, list]]:
    """Every list of strings inside a data file, with its path."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [(where, value)]
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _lists(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [pair for n, item in enumerate(value) for pair in _lists(item, f"{where}[{n}]")]
    return []


def test_no_word_list_in_a_data_file_repeats_an_entry() -> None:
    repeated = {}
    for entry in DATA.iterdir():
        if entry.name.endswith(".json"):
            for where, items in _lists(json.loads(entry.read_text(encoding="utf-8"))):
                twice = [item for item, n in Counter(items).items() if n > 1]
                if twice:
                    repeated[f"{entry.name}{where}"] = twice
    assert not repeated


def test_every_skill_is_listed_once_with_distinct_aliases() -> None:
    lines = [
        line
        for line in DATA.joinpath("skills.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("# ")
    ]
    relations = json.loads(DATA.joinpath("keyword_relations.json").read_text(encoding="utf-8"))[
        "terms"
    ]
    displays = Counter(line.split("|")[0].lower() for line in lines + relations)
    assert not [name for name, n in displays.items() if n > 1]
    for line in lines:
        aliases = line.split("|")
        assert len(aliases) == len(set(aliases)), line


def test_the_keyword_match_and_the_wording_rules_read_them() -> None:
    from core.keywords import is_known_skill
    from core.wording import ACTION_VERBS

    assert is_known_skill("PostgreSQL") and is_known_skill("Golang")
    assert {"build", "lead", "migrate"} <= ACTION_VERBS
