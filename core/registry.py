"""The rule registry: each offline rule declared once, with what every consumer needs to know.

A rule is an id (stable: users, tests and adapters refer to it), a category, an ordered
severity and the check that finds it. Scoring reads the penalty and the score caps from here,
the report reads whether a finding quotes the resume, and the rules' collector fills each
finding's category and severity from here, so none of them keeps its own table of rule ids.
The rules themselves, and the registry instance, live in `core/rules.py`; adding a rule touches
that module and its test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from core.models import Category, Severity

# What one finding costs its category, by severity (each rule capped at RULE_CAP points).
PENALTY = {Severity.HIGH: 25, Severity.MEDIUM: 12, Severity.LOW: 4}


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule's declaration."""

    id: str
    category: Category
    severity: Severity  # the usual severity; a check may raise or lower it for one finding
    summary: str  # what it checks, in a few words (README, `rules` listings)
    share_penalty: int = 0  # > 0: scored as a share of the resume's statements, up to this
    caps_score: int | None = None  # any such finding caps the overall score here
    quotes_resume: bool = True  # False: its "before" is not the resume's own words
    rewrites: bool = False  # the rewrite applies its "after": every finding is shown


@dataclass(frozen=True, slots=True)
class Check:
    """A function that finds one or more rules' problems: `run(context, collector)`."""

    run: Callable[[Any, Any], None]
    rules: tuple[Rule, ...]
    when: Callable[[Any], bool] | None = None  # run only when this holds for the context


class Registry:
    """The rules in the order their checks run; lookups by id."""

    def __init__(self, checks: Iterable[Check]) -> None:
        self.checks = tuple(checks)
        self._rules: dict[str, Rule] = {}
        for check in self.checks:
            for rule in check.rules:
                if rule.id in self._rules:
                    raise ValueError(f"rule {rule.id} is declared twice")
                self._rules[rule.id] = rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __getitem__(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id]
        except KeyError:
            raise KeyError(f"{rule_id} is not a registered rule") from None

    def get(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)

    def ids(self, **flags: object) -> frozenset[str]:
        """Ids of the rules whose attributes equal `flags`, e.g. `ids(rewrites=True)`."""
        return frozenset(r.id for r in self if all(getattr(r, k) == v for k, v in flags.items()))
