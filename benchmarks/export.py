"""Export benchmark: the rewrite as DOCX (python-docx run by run vs the new builder) and as PDF.

Run from the project root:  python benchmarks/export.py [--repeat N]

For every corpus resume (../shared/corpus/resumes/*) it makes the offline rewrite
once (core.review.offline_pipeline, no files), then times on that rewrite:

in a forked child, as a review runs it (core.isolation.run_isolated, default limits;
the fork itself, ~5-25 ms, is in every figure; core.export.prepare() ran first, as
review_resume does):
  iso-old    the DOCX builder before issue 12 (tests/export_reference.py)
  iso-new    core.export.markdown_to_docx: the same document
  iso-pdf    core.export.export_rewrite(result, ("pdf",)): a cold Typst in a fresh child
called from this process, the builders alone:
  docx-old / docx-new (warm template) / parse (core.export.markdown.parse_rewrite, shared)
  pdf        blocks_to_pdf: from a process that was not forked, Typst runs in a forked
             child of it (it must never run in a process that forks later), so this is
             a cold Typst plus a small fork, like iso-pdf without the review child

Each figure is the median of N runs (default 5) after one warm-up. It prints one
line per resume and the medians over the corpus.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from core.errors import ResumeBotError  # noqa: E402
from core.export import export_rewrite, markdown_to_docx, prepare  # noqa: E402
from core.export.markdown import parse_rewrite  # noqa: E402
from core.export.pdf import blocks_to_pdf  # noqa: E402
from core.isolation import run_isolated  # noqa: E402
from core.models import ReviewResult  # noqa: E402
from core.review import offline_pipeline  # noqa: E402
from tests.export_reference import markdown_to_docx as reference_docx  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "resumes"
COLUMNS = ("iso-old", "iso-new", "iso-pdf", "docx-old", "docx-new", "pdf", "parse")


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


async def amedian_ms(fn: Callable[[], Awaitable[object]], repeat: int) -> float:
    await fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


async def isolated(
    results: list[ReviewResult], settings: Settings, repeat: int
) -> list[list[float]]:
    limits = {"timeout_s": settings.parse_timeout_s, "memory_mb": settings.parse_memory_mb}
    prepare()
    rows = []
    for r in results:
        md = r.rewritten
        rows.append(
            [
                await amedian_ms(lambda md=md: run_isolated(reference_docx, md, **limits), repeat),
                await amedian_ms(
                    lambda md=md: run_isolated(markdown_to_docx, md, **limits), repeat
                ),
                await amedian_ms(
                    lambda r=r: run_isolated(export_rewrite, r, ("pdf",), **limits), repeat
                ),
            ]
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 1
    settings = Settings()
    results: list[ReviewResult] = []
    for path in sorted(p for p in CORPUS.glob("*/*") if p.is_file()):
        try:
            results.append(
                offline_pipeline(path.read_bytes(), path.name, None, None, settings, False)[1]
            )
        except ResumeBotError as exc:
            print(f"{path.name:<48} skipped ({type(exc).__name__})")
    if not results:
        return 1
    rows = asyncio.run(isolated(results, settings, args.repeat))
    print(f"{'resume':<48}" + "".join(f"{c:>10}" for c in COLUMNS) + "  pages")
    for r, row in zip(results, rows, strict=True):
        md, pages = r.rewritten, r.extraction.pages
        row += [
            median_ms(lambda md=md: reference_docx(md), args.repeat),
            median_ms(lambda md=md: markdown_to_docx(md), args.repeat),
            median_ms(
                lambda md=md, p=pages: blocks_to_pdf(parse_rewrite(md), source_pages=p), args.repeat
            ),
            median_ms(lambda md=md: parse_rewrite(md), args.repeat),
        ]
        made = blocks_to_pdf(parse_rewrite(md), source_pages=pages)
        note = f"{made.pages}" if made.content else "-  (no PDF: no font for this script)"
        print(f"{r.source_name[:47]:<48}" + "".join(f"{v:8.1f}ms" for v in row) + f"  {note}")
    med = [statistics.median(row[i] for row in rows) for i in range(len(COLUMNS))]
    print(f"\nmedians over {len(rows)} rewrites, {args.repeat} runs each:")
    print("  " + ", ".join(f"{c} {m:.1f} ms" for c, m in zip(COLUMNS, med, strict=True)))
    print(
        f"  DOCX in a review child: {med[0]:.1f} ms -> {med[1]:.1f} ms ({med[0] / med[1]:.1f}x); "
        f"builder alone: {med[3]:.1f} ms -> {med[4]:.1f} ms ({med[3] / med[4]:.1f}x)"
    )
    print(
        f"  PDF added to a review (cold child): {med[2]:.1f} ms median, {max(r[2] for r in rows):.1f} ms worst"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
