"""`resume-bot stats --plot FILE`: the summary as a PNG, typeset by Typst.

No plotting library: Typst (already here for the PDF rewrite) draws the bars with the
fonts its wheel carries. matplotlib would add numpy, Pillow and about 40 MB to every
install for one chart. The template (core/data/stats_chart.typ) is fixed and the figures
reach it as JSON data, so nothing in a model's name is ever run as markup.

Typst runs in a fresh interpreter, never in this process: its thread pool would make
every later fork of this process (review workers, the PDF export) hang on its first
compile (see core/export/pdf.py). That costs about a third of a second, once per chart.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from importlib import resources
from typing import Any

from core.stats import Stats, duration

CHART_PPI = 144  # sharp on a high-density screen, ~60 KB
CHART_TIMEOUT_S = 60
_TYPESET = (
    "import json, sys, typst\n"
    "a = json.loads(sys.stdin.buffer.read())\n"
    "sys.stdout.buffer.write(typst.compile(a['template'].encode(), format='png', ppi=a['ppi'],"
    " root=a['root'], ignore_system_fonts=True, sys_inputs={'data': a['data']}))\n"
)


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
    """The chart as PNG bytes (typeset in a child interpreter)."""
    template = resources.files("core.data").joinpath("stats_chart.typ").read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="resume-bot-chart-") as root:  # reads no file
        job = {
            "template": template,
            "ppi": CHART_PPI,
            "root": root,
            "data": json.dumps(chart_data(stats), ensure_ascii=False),
        }
        done = subprocess.run(
            [sys.executable, "-c", _TYPESET],
            input=json.dumps(job).encode(),
            capture_output=True,
            timeout=CHART_TIMEOUT_S,
            check=True,
        )
    return done.stdout
