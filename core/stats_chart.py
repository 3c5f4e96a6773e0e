"""`resume-bot stats --plot FILE`: the summary as a PNG, typeset by Typst.

No plotting library: Typst (already here for the PDF rewrite) draws the bars, 20-30 ms,
with the fonts its wheel carries. matplotlib would add numpy, Pillow and about 40 MB to
every install for one chart. The template (core/data/stats_chart.typ) is fixed and the
figures reach it as JSON data, so nothing in a model's name is ever run as markup.
"""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from typing import Any

from core.stats import Stats, duration

CHART_PPI = 144  # sharp on a high-density screen, ~60 KB


def chart_data(stats: Stats) -> dict[str, Any]:
    """What the template draws: per engine, the 👍 share with its interval, and a line of figures."""
    engines = []
    for e in stats.engines:
        detail = f"{e.reviews} review{'s' if e.reviews != 1 else ''}"
        if e.engine != "offline":
            falls = sum(e.fallbacks.values())
            saved = e.model_calls_saved
            detail += f", {saved} model call{'s' if saved != 1 else ''} saved by the cache"
            detail += f", {falls} fallback{'s' if falls != 1 else ''}"
        detail += f", median {e.median_seconds:.1f} s to answer"
        low, high = e.up_interval or (0.0, 0.0)
        label = (
            f"{e.up_share:.0%} helpful of {e.votes} vote{'s' if e.votes != 1 else ''}"
            if e.up_share is not None
            else "no votes yet"
        )
        engines.append(
            {
                "engine": e.engine,
                "detail": detail,
                "share": e.up_share,
                "low": low,
                "high": high,
                "label": label,
            }
        )
    verdict = None
    if (c := stats.comparison) is not None and c.p_value is not None:
        what = "a significant difference" if c.significant else "no significant difference"
        verdict = f"A/B: {what} in helpful share (p = {c.p_value:.3f})."
    title = f"Reviews in the last {duration(stats.since_s)}"
    return {"title": title, "engines": engines, "verdict": verdict}


def chart_png(stats: Stats) -> bytes:
    """The chart as PNG bytes."""
    import typst

    template = resources.files("core.data").joinpath("stats_chart.typ").read_bytes()
    with tempfile.TemporaryDirectory(prefix="resume-bot-chart-") as root:  # reads no file
        png = typst.compile(
            template,
            format="png",
            ppi=CHART_PPI,
            root=root,
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(chart_data(stats), ensure_ascii=False)},
        )
    assert isinstance(png, bytes)  # one page: one PNG
    return png
