"""Usage stats from the state store: what the models cost, saved and earned in votes.

Per engine (`offline`, `huggingface:<model>`): reviews answered, model calls the cache
saved, fallbacks by reason, the median time from upload to answer, and the 👍 share of the
votes with its 95 % Wilson score interval (honest for few votes, unlike share ± 1.96·SE).
When two models ran (an A/B test), a two-proportion z-test says whether their 👍 shares
differ by more than chance. Everything here is numbers from numbers-only rows: no text.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from core.errors import ConfigError

Z_95 = 1.959964  # two-sided 95 %
SIGNIFICANCE = 0.05
_SINCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$", re.I)
_UNIT_S = {"m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400}


def parse_since(text: str) -> float:
    """`30m`, `12h`, `7d`, `2w` → seconds; `ConfigError` with an example otherwise."""
    m = _SINCE.match(text or "")
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"--since {text!r}: give a number and a unit, e.g. 7d, 12h, 30m or 2w.")
    return float(m.group(1)) * _UNIT_S[m.group(2).lower()]


def wilson(up: int, votes: int, z: float = Z_95) -> tuple[float, float]:
    """The 95 % Wilson score interval of a share `up / votes` ((0, 1) with no votes)."""
    if votes == 0:
        return 0.0, 1.0
    p = up / votes
    denominator = 1 + z * z / votes
    centre = (p + z * z / (2 * votes)) / denominator
    half = z * math.sqrt(p * (1 - p) / votes + z * z / (4 * votes * votes)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_p(up_a: int, n_a: int, up_b: int, n_b: int) -> float | None:
    """Two-sided p-value that two 👍 shares differ (pooled z-test); None without votes."""
    if n_a == 0 or n_b == 0:
        return None
    pooled = (up_a + up_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 1.0
    z = (up_a / n_a - up_b / n_b) / se
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass
class EngineStats:
    engine: str
    reviews: int = 0
    model_calls_saved: int = 0
    fallbacks: dict[str, int] = field(default_factory=dict)
    median_seconds: float | None = None
    votes: int = 0
    up: int = 0
    up_share: float | None = None
    up_interval: tuple[float, float] | None = None


@dataclass
class Comparison:
    """The A/B verdict: the two models' 👍 shares and whether they differ significantly."""

    a: str
    b: str
    p_value: float | None
    significant: bool


@dataclass
class Stats:
    since_s: float
    engines: list[EngineStats]
    comparison: Comparison | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def summarise(reviews: list[dict[str, Any]], votes: list[dict[str, Any]], since_s: float) -> Stats:
    """`reviews` and `votes` as `StateStore.usage` returns them → the figures per engine."""
    engine_of = {r["token"]: r["engine"] for r in reviews}
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in reviews:
        rows[r["engine"]].append(r)
    tally: dict[str, Counter[int]] = defaultdict(Counter)
    for v in votes:
        if v["review"] in engine_of:
            tally[engine_of[v["review"]]][1 if v["vote"] > 0 else -1] += 1
    engines = []
    for engine in sorted(rows):
        done = rows[engine]
        up, down = tally[engine][1], tally[engine][-1]
        votes_n = up + down
        engines.append(
            EngineStats(
                engine=engine,
                reviews=len(done),
                model_calls_saved=sum(1 for r in done if r["cached"]),
                fallbacks=dict(
                    sorted(Counter(r["fallback"] for r in done if r["fallback"]).items())
                ),
                median_seconds=round(statistics.median(r["seconds"] for r in done), 2),
                votes=votes_n,
                up=up,
                up_share=round(up / votes_n, 4) if votes_n else None,
                up_interval=tuple(round(x, 4) for x in wilson(up, votes_n)) if votes_n else None,  # type: ignore[arg-type]
            )
        )
    return Stats(since_s, engines, _compare(engines))


def _compare(engines: list[EngineStats]) -> Comparison | None:
    """The A/B verdict when exactly two models answered reviews."""
    models = [e for e in engines if e.engine != "offline"]
    if len(models) != 2:
        return None
    a, b = models
    p = two_proportion_p(a.up, a.votes, b.up, b.votes)
    return Comparison(
        a.engine, b.engine, None if p is None else round(p, 4), p is not None and p < SIGNIFICANCE
    )


def duration(seconds: float) -> str:
    for unit, size in (("d", 86_400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds / 3600:g}h"


def format_stats(stats: Stats) -> str:
    """The summary as people read it in a terminal or a chat message."""
    out = [f"Reviews in the last {duration(stats.since_s)}:"]
    if not stats.engines:
        return out[0] + " none."
    for e in stats.engines:
        out.append("")
        out.append(f"{e.engine}")
        out.append(f"  reviews: {e.reviews}")
        if e.engine != "offline":
            out.append(f"  model calls saved by the cache: {e.model_calls_saved}")
            falls = ", ".join(f"{why} {n}" for why, n in e.fallbacks.items()) or "none"
            out.append(f"  fallbacks to the offline review: {falls}")
        out.append(f"  median time to answer: {e.median_seconds:.1f} s")
        if e.votes and e.up_share is not None and e.up_interval is not None:
            low, high = e.up_interval
            out.append(
                f"  👍 {e.up_share:.0%} of {e.votes} vote{'s' if e.votes != 1 else ''} "
                f"(95 % interval {low:.0%}–{high:.0%})"
            )
        else:
            out.append("  👍 no votes yet")
    c = stats.comparison
    if c is not None:
        out.append("")
        if c.p_value is None:
            out.append(f"A/B {c.a} vs {c.b}: not enough votes on both to compare yet.")
        else:
            verdict = "a significant difference" if c.significant else "no significant difference"
            out.append(f"A/B {c.a} vs {c.b}: {verdict} in 👍 share (p = {c.p_value:.3f}).")
    return "\n".join(out)
