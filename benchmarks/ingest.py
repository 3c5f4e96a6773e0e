"""Ingestion benchmark: our `extract` against raw PDFium text extraction, plus the isolation cost.

Run from the project root:  python benchmarks/ingest.py [--stages]

For every PDF in ../shared/corpus/resumes/pdf it times, best of 3 each:
  raw       pypdfium2 open + get_text_range() on every page (the floor)
  extract   core.reading.read_file (type sniffing, PDFium runs, layout: columns, asides, furniture)
  isolated  core.reading.read_document (the same, in a parse worker process with limits)
and prints a per-file table, totals and the ratios extract/raw and isolated/extract.
--stages adds where extract's CPU time goes over the corpus (the PDF reader's stages, each
timed at its outermost call; the rest is PDFium loading pages and text, and the glue).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from core.errors import ResumeBotError  # noqa: E402
from core.reading import extract, read_document  # noqa: E402

CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "resumes" / "pdf"
REPEATS = 3
MAX_PAGES = 10


def best_of(
    fn: Callable[[], object], repeats: int = REPEATS, clock: Callable[[], float] = time.perf_counter
) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def raw_pdfium(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        parts = []
        for page in pdf:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        pdf.close()


def ours(data: bytes, name: str) -> object:
    try:
        return extract(data, name, max_pages=MAX_PAGES)
    except (
        ResumeBotError
    ) as exc:  # e.g. a 5-page CV is fine, a 117-page one is refused: time it anyway
        return exc


def isolated(data: bytes, name: str, settings: Settings) -> object:
    async def run() -> object:
        try:
            return await read_document(data, name, settings)
        except ResumeBotError as exc:
            return exc

    return asyncio.run(run())


STAGES = (
    ("_runs_of_page", "runs from PDFium's text runs"),
    ("_runs_by_char", "runs character by character"),
    ("_page_shapes", "drawn bullets and pictures"),
    ("_unmapped_share", "unmapped-glyph sample"),
    ("_page_links", "link annotations"),
    ("_page_rows", "rows, columns, asides"),
    ("_drop_furniture", "headers and footers"),
    ("_lines_of_flow", "rows to lines"),
)


def stages(files: list[Path]) -> None:
    """CPU time per reader stage over the corpus (best of REPEATS passes), wrapping each stage
    function of core.reading.pdf for the measurement only."""
    import functools

    from core.reading import pdf

    spent = dict.fromkeys((name for name, _ in STAGES), 0.0)
    for name, _ in STAGES:
        fn = getattr(pdf, name)
        depth = [0]

        @functools.wraps(fn)
        def timed(
            *args: object,
            _fn: Callable[..., object] = fn,
            _name: str = name,
            _depth: list[int] = depth,
            **kwargs: object,
        ) -> object:
            _depth[0] += 1
            start = time.process_time()
            try:
                return _fn(*args, **kwargs)
            finally:
                _depth[0] -= 1
                if not _depth[0]:
                    spent[_name] += time.process_time() - start

        setattr(pdf, name, timed)
    datas = [(path.read_bytes(), path.name) for path in files]
    best: dict[str, float] = {}
    total = float("inf")
    for _ in range(REPEATS):
        for name in spent:
            spent[name] = 0.0
        start = time.process_time()
        for data, name in datas:
            ours(data, name)
        elapsed = time.process_time() - start
        if elapsed < total:
            total, best = elapsed, dict(spent)
    print(f"\nwhere extract's CPU goes ({len(files)} PDFs, the fastest of {REPEATS} passes):")
    for name, label in STAGES:
        print(f"  {label:<34} {best[name] * 1000:7.1f} ms")
    rest = total - sum(best.values())
    print(f"  {'the rest (PDFium pages, text, glue)':<34} {rest * 1000:7.1f} ms")
    print(f"  {'total':<34} {total * 1000:7.1f} ms")


def main() -> int:
    files = sorted(CORPUS_PDF.glob("*.pdf")) if CORPUS_PDF.is_dir() else []
    if not files:
        print(f"skipped: no corpus PDFs at {CORPUS_PDF}")
        return 0
    settings = Settings()
    raw_pdfium(files[0].read_bytes())  # warm imports so the first row isn't an outlier
    ours(files[0].read_bytes(), files[0].name)
    print(
        f"{'file':<46} {'KB':>6} {'pages':>5} {'raw ms':>8} {'extract ms':>10} {'x raw':>6} {'isolated ms':>11}"
    )
    totals = [0.0, 0.0, 0.0]
    cpu = [0.0, 0.0]
    for path in files:
        data = path.read_bytes()
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(data))
        t_raw = best_of(lambda d=data: raw_pdfium(d))
        t_ours = best_of(lambda d=data, n=path.name: ours(d, n))
        t_iso = best_of(lambda d=data, n=path.name: isolated(d, n, settings))
        totals = [totals[0] + t_raw, totals[1] + t_ours, totals[2] + t_iso]
        # CPU time too (this process only: PDFium and our reader are single-threaded)
        cpu[0] += best_of(lambda d=data: raw_pdfium(d), clock=time.process_time)
        cpu[1] += best_of(lambda d=data, n=path.name: ours(d, n), clock=time.process_time)
        print(
            f"{path.name[:46]:<46} {len(data) / 1024:>6.0f} {pages:>5} {t_raw * 1000:>8.1f} "
            f"{t_ours * 1000:>10.1f} {t_ours / t_raw:>6.2f} {t_iso * 1000:>11.1f}"
        )
    raw, mine, iso = totals
    print("-" * 98)
    print(
        f"{'total (' + str(len(files)) + ' PDFs, best of ' + str(REPEATS) + ')':<46} {'':>6} {'':>5} "
        f"{raw * 1000:>8.1f} {mine * 1000:>10.1f} {mine / raw:>6.2f} {iso * 1000:>11.1f}"
    )
    print(
        f"ours/raw = {mine / raw:.2f}x; isolation overhead = {(iso - mine) * 1000 / len(files):.1f} ms per file "
        f"(isolated/extract = {iso / mine:.2f}x)"
    )
    print(
        f"CPU time: raw {cpu[0] * 1000:.1f} ms, extract {cpu[1] * 1000:.1f} ms, "
        f"ours/raw = {cpu[1] / cpu[0]:.2f}x (less sensitive to a busy machine)"
    )
    if "--stages" in sys.argv:
        stages(files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
