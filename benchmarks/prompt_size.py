"""Prompt size per corpus resume, and HTTP calls per review in the success case.

    python benchmarks/prompt_size.py [--corpus ../shared/corpus]

Tokens are *estimated* by `core.ai_engine.estimate_tokens`: ASCII characters / 4
plus one token per non-ASCII character (CJK), the prompt being the system prompt,
our findings, and the redacted resume, exactly as `improve()` builds it (default
budget: HUGGINGFACE_MAX_PROMPT_TOKENS = 6000). HTTP calls are counted on the
local OpenAI-compatible fake server used by the tests (127.0.0.1, no network).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import sys
import time
from pathlib import Path

import httpx

from core import ReviewRequest, review_resume
from core.ai_engine import build_prompt, estimate_tokens
from core.config import Settings
from core.errors import InputError
from core.models import Document
from core.offline import review
from core.reading import extract

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".pdf", ".docx", ".txt", ".md"}


def _fake_server_module():  # type: ignore[no-untyped-def]
    path = ROOT / "tests" / "huggingface" / "fake_openai.py"
    spec = importlib.util.spec_from_file_location("hf_fake_openai", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def main(corpus: Path) -> int:
    files = sorted(p for p in (corpus / "resumes").rglob("*") if p.suffix.lower() in SUFFIXES)
    if not files:
        print(f"no resumes under {corpus}/resumes", file=sys.stderr)
        return 1
    fake = _fake_server_module().FakeOpenAI()
    await fake.start()
    settings = Settings(huggingface_api_key="hf_bench", huggingface_base_url=fake.base_url)
    rows: list[tuple[str, int, int, int, bool, int, float]] = []
    try:
        async with httpx.AsyncClient() as http:
            for path in files:
                data = path.read_bytes()
                try:
                    text, extraction = extract(data, path.name, settings.max_pages)
                except InputError as exc:
                    print(f"{path.name}: skipped ({type(exc).__name__})")
                    continue
                document = Document(text=text, extraction=extraction)
                offline = review(document, path.name, None, None, settings)
                prompt = build_prompt(offline, document, None, None, settings)
                before = len(fake.requests)
                started = time.perf_counter()
                request = ReviewRequest(data=data, filename=path.name, engine="huggingface")
                result = await review_resume(request, settings, http=http)
                elapsed = time.perf_counter() - started
                calls = len(fake.requests) - before
                assert result.engine.startswith("huggingface:"), result.warnings
                rows.append(
                    (
                        path.name,
                        len(text),
                        estimate_tokens(text),
                        prompt.tokens,
                        bool(prompt.notes),
                        calls,
                        elapsed,
                    )
                )
    finally:
        await fake.close()

    print(
        f"{'resume':52} {'chars':>6} {'resume tok':>10} {'prompt tok':>10} {'trimmed':>7} {'calls':>5} {'s':>5}"
    )
    for name, chars, rtok, ptok, trimmed, calls, secs in rows:
        print(
            f"{name[:52]:52} {chars:6d} {rtok:10d} {ptok:10d} {'yes' if trimmed else 'no':>7} {calls:5d} {secs:5.2f}"
        )
    prompts = [r[3] for r in rows]
    print(
        f"\n{len(rows)} resumes: prompt tokens (estimated) median {statistics.median(prompts):.0f}, "
        f"max {max(prompts)}, budget {settings.huggingface_max_prompt_tokens}; "
        f"HTTP calls per successful review: {sorted({r[5] for r in rows})}"
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.corpus)))
