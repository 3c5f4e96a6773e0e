"""What a review process loads before its parse workers fork (core.review.warm_up)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.samples import FLAWED_RESUME

SCRIPT = """
import asyncio, sys
from core.config import Settings
from core.review import ReviewRequest, review_resume
from core.export.docx import _template
from core.spelling import speller
from core.keywords import _stem

async def main(warm):
    request = ReviewRequest(data=sys.stdin.buffer.read(), filename="sam.txt", engine="offline")
    await review_resume(request, Settings(), with_files=False, warm=warm)

asyncio.run(main(sys.argv[1] == "warm"))
loaded = [
    "docx reader" if "core.reading.docx" in sys.modules else "",
    "spelling list" if speller.cache_info().currsize else "",
    "docx template" if _template.cache_info().currsize else "",
    "stemmer" if _stem.cache_info().currsize else "",
]
print(",".join(name for name in loaded if name))
"""


def _loaded_by_the_parent(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        input=FLAWED_RESUME.encode(),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=True,
    )
    return done.stdout.decode().strip()


def test_a_bot_or_batch_review_loads_it_all_before_workers_fork() -> None:
    assert _loaded_by_the_parent("warm") == "docx reader,spelling list,docx template,stemmer"


def test_a_one_off_review_leaves_it_to_its_worker() -> None:
    assert _loaded_by_the_parent("cold") == ""
