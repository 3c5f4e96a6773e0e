"""Advice precision on the corpus: every finding of the offline review, judged as a coach would.

Run from the project root:  python benchmarks/advice.py          (per-rule table and precision)
                            python benchmarks/advice.py --list   (also every wrong finding)

`tests/advice_expectations.json` holds the judgement, written by hand after reading each finding
against the resume it quotes: per corpus resume, the findings that are right and those that are
wrong, each wrong one with a reason explained once under "reasons". An entry names a rule and a
piece of the finding's quote or message ("" for a finding that quotes nothing). Every finding is
judged, past the display cap (MAX_PER_RULE) too; a finding no entry judges is "unjudged", an entry
no finding matches is "stale", and both fail tests/test_advice_corpus.py, which also asserts
precision (right / all findings) of at least PRECISION_GOAL.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import rules  # noqa: E402
from core.config import Settings  # noqa: E402
from core.models import Finding  # noqa: E402
from core.review import offline_pipeline  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTATIONS = ROOT / "tests" / "advice_expectations.json"
PRECISION_GOAL = 0.97
NO_CAP = 1_000_000


def load_expectations() -> dict:
    return json.loads(EXPECTATIONS.read_text(encoding="utf-8"))


def corpus_resumes() -> list[str]:
    """Every corpus resume, as 'resumes/<kind>/<file>'."""
    folder = CORPUS / "resumes"
    if not folder.is_dir():
        return []
    return sorted(str(p.relative_to(CORPUS)) for p in folder.glob("*/*") if p.is_file())


@contextmanager
def every_finding() -> Iterator[None]:
    """Lift the display cap, so the findings a person would see as '(N more like this)' count."""
    saved = rules.MAX_PER_RULE
    rules.MAX_PER_RULE = NO_CAP
    try:
        yield
    finally:
        rules.MAX_PER_RULE = saved


def review(name: str) -> list[Finding]:
    """Every finding of the offline review of one corpus resume (display cap lifted)."""
    path = CORPUS / name
    with every_finding():
        _, result = offline_pipeline(path.read_bytes(), path.name, None, None, Settings(), False)
    return result.findings


def shown(findings: list[Finding]) -> list[Finding]:
    """The findings a person is shown: what `rules._Collector` keeps under the display cap."""
    counts: Counter[str] = Counter()
    out = []
    for f in findings:
        counts[f.rule] += 1
        if counts[f.rule] <= rules.MAX_PER_RULE or (f.after and f.rule in rules.REWRITE_RULES):
            out.append(f)
    return out


@dataclass
class Verdicts:
    right: list[Finding] = field(default_factory=list)
    wrong: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, reason key)
    unjudged: list[Finding] = field(default_factory=list)
    stale: list[list[str]] = field(default_factory=list)  # entries no finding matched


def _matches(entry: list[str], finding: Finding) -> bool:
    rule, text = entry[0], entry[1]
    return finding.rule == rule and text in f"{finding.before or ''}\n{finding.message}"


def judge(findings: list[Finding], expected: dict) -> Verdicts:
    """Each finding against the hand-written entries for its resume."""
    right = expected.get("right", [])
    wrong = expected.get("wrong", [])
    out = Verdicts()
    for f in findings:
        is_right = any(_matches(e, f) for e in right)
        reasons = [e[2] for e in wrong if _matches(e, f)]
        if is_right == bool(reasons):  # neither, or both: the data must say one thing
            out.unjudged.append(f)
        elif is_right:
            out.right.append(f)
        else:
            out.wrong.append((f, reasons[0]))
    out.stale = [e for e in right + wrong if not any(_matches(e, f) for f in findings)]
    return out


def main(argv: list[str]) -> int:
    names = corpus_resumes()
    if not names:
        print(f"No corpus at {CORPUS}")
        return 1
    data = load_expectations()
    per_rule: dict[str, Counter[str]] = {}
    totals = Counter()
    problems: list[str] = []
    wrong_lines: list[str] = []
    for name in names:
        findings = review(name)
        visible = {id(f) for f in shown(findings)}
        verdicts = judge(findings, data["resumes"].get(name, {}))
        for f in verdicts.right:
            per_rule.setdefault(f.rule, Counter())["all"] += 1
            totals["right"] += 1
            totals["shown_right"] += id(f) in visible
        for f, reason in verdicts.wrong:
            per_rule.setdefault(f.rule, Counter()).update(["all", "wrong"])
            totals["wrong"] += 1
            totals["shown_wrong"] += id(f) in visible
            wrong_lines.append(f"  {name}: {f.rule} [{reason}] {(f.before or '')[:60]}")
        problems += [
            f"  unjudged {name}: {f.rule} {(f.before or '')[:60]}" for f in verdicts.unjudged
        ]
        problems += [f"  stale {name}: {e}" for e in verdicts.stale]
    print(f"{'rule':32} {'findings':>8} {'wrong':>6}")
    for rule in sorted(per_rule):
        print(f"{rule:32} {per_rule[rule]['all']:8} {per_rule[rule]['wrong']:6}")
    judged = totals["right"] + totals["wrong"]
    seen = totals["shown_right"] + totals["shown_wrong"]
    print(
        f"\n{len(names)} resumes, {judged} findings judged: {totals['right']} right, "
        f"{totals['wrong']} wrong → precision {totals['right'] / max(1, judged):.1%} "
        f"(goal {PRECISION_GOAL:.0%})"
    )
    print(
        f"shown to the person (display cap {rules.MAX_PER_RULE} per rule): {seen} findings, "
        f"{totals['shown_wrong']} wrong → precision {totals['shown_right'] / max(1, seen):.1%}"
    )
    if "--list" in argv:
        print("\nwrong:\n" + "\n".join(wrong_lines))
    if problems:
        print("\nnot judged or stale (fix tests/advice_expectations.json):\n" + "\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
