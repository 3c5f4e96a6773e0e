"""The rewrite as PDF: real text in reading order, every script right or no PDF at all, markup-proof."""

from __future__ import annotations

import asyncio
import ctypes
import difflib
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from core.config import Settings
from core.export import (
    FORMAT_KEYS,
    describe_attachments,
    export_rewrite,
    parse_formats,
    rewrite_attachments,
)
from core.export import fonts as export_fonts
from core.export.markdown import parse_rewrite
from core.export.pdf import blocks_to_pdf
from core.isolation import run_isolated
from core.models import Attachment, Extraction, FileKind, ReviewResult
from tests.conftest import CORPUS, corpus_files
from tests.corpus_reviews import corpus_review

RESUMES = [p for p in corpus_files("resumes", "*/*") if p.is_file()]
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
# Letters of the scripts the PDF's fonts cover (Latin, Greek, Cyrillic, CJK); others mean no PDF.
_COVERED_LETTER = re.compile(f"[\u0000-\u052f\u1e00-\u1fff{_CJK}\u3000-\u303f\uff00-\uffef]")


def tokens(text: str) -> list[str]:
    """Words, and each CJK character on its own (a CJK line wraps anywhere, so it has no words to split)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def pdf_text(pdf: bytes) -> tuple[str, int]:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document), len(document)
    finally:
        document.close()


def fonts_of_chars(pdf: bytes) -> dict[str, set[str]]:
    """Each character of the text layer → the names of the fonts it is drawn in (PDFium's view)."""
    out: dict[str, set[str]] = {}
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            textpage = page.get_textpage()
            for i in range(textpage.count_chars()):
                size = pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, None, 0, None)
                buffer = ctypes.create_string_buffer(max(size, 1))
                pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, size, None)
                out.setdefault(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)), set()).add(
                    buffer.value.decode()
                )
    finally:
        document.close()
    return out


def in_order_share(expected: list[str], got: list[str]) -> float:
    """Share of `expected` found in `got` in the same order (longest common subsequence by blocks)."""
    if not expected:
        return 1.0
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


def result_for(rewrite: str, name: str = "cv.pdf", pages: int = 1) -> ReviewResult:
    return ReviewResult(
        source_name=name,
        score=50,
        breakdown={},
        rewritten=rewrite,
        engine="offline",
        extraction=Extraction(kind=FileKind.TEXT, pages=pages, chars=len(rewrite)),
    )


def corpus_rewrite(path: Path) -> ReviewResult:
    return corpus_review(path)[1]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", RESUMES, ids=[p.name for p in RESUMES])
def test_corpus_rewrite_pdf_reads_back_in_order(path: Path) -> None:
    try:
        result = corpus_rewrite(path)
    except Exception as exc:  # a file the review itself refuses has no rewrite to export
        pytest.skip(f"not reviewable: {type(exc).__name__}")
    files = export_rewrite(result, ("pdf",))
    foreign = {ch for ch in result.rewritten if ch.isalpha() and not _COVERED_LETTER.match(ch)}
    if foreign:  # e.g. a PDF without ToUnicode read back as Arabic, Hebrew and Yi letters
        assert not files.attachments and files.warnings and "No PDF" in files.warnings[0]
        return
    has_cjk = bool(_CJK_CHAR.search(result.rewritten))
    if has_cjk and export_fonts.find_cjk_font() is None:
        assert not files.attachments and files.warnings and "No PDF" in files.warnings[0]
        pytest.skip("no CJK font on this machine: no PDF, and the user is told why")
    assert not files.warnings
    (pdf,) = files.attachments
    text, pages = pdf_text(pdf.content)
    assert "\ufffd" not in text
    assert not any(unicodedata.category(ch) == "Co" for ch in text), "no private-use (icon) glyphs"
    expected = tokens("".join(b.text + "\n" for b in parse_rewrite(result.rewritten)))
    share = in_order_share(expected, tokens(text))
    assert share >= 0.98, f"only {share:.1%} of the rewrite's words come back in order"
    if result.extraction.pages <= 2:
        assert pages <= 2
    if (
        has_cjk
    ):  # every CJK character is drawn from a CJK font (a box would come from the Latin one)
        regional = "jp" if re.search("[\u3040-\u30ff]", result.rewritten) else ""
        for ch, names in fonts_of_chars(pdf.content).items():
            if _CJK_CHAR.match(ch):
                assert all("CJK" + regional in name for name in names), (ch, names)


def test_pdf_layout_text_order_and_metadata() -> None:
    rewrite = (
        "# Jane Doe\njane@example.com | +1 555 0100\n\n## Experience\n### Engineer, Acme\n"
        "*Jan 2020 – Present*\n- Cut p95 latency by **40%**\n- Led 4 engineers\n\n## Skills\nPython, SQL\n"
    )
    (pdf,) = rewrite_attachments(result_for(rewrite), ("pdf",))
    assert pdf.filename == "cv-rewritten.pdf" and pdf.mime == "application/pdf"
    text, pages = pdf_text(pdf.content)
    assert pages == 1
    order = [
        "Jane Doe",
        "jane@example.com",
        "Experience",
        "Engineer, Acme",
        "Jan 2020 – Present",
        "Cut p95 latency by 40%",
        "Led 4 engineers",
        "Skills",
        "Python, SQL",
    ]
    positions = [text.find(piece) for piece in order]
    assert -1 not in positions and positions == sorted(positions), text
    assert "•" in text  # bullets are list items
    document = pdfium.PdfDocument(pdf.content)
    assert document.get_metadata_dict().get("Title") == "Jane Doe"


HOSTILE = [
    '#read("/etc/passwd")',
    '#import "@preview/evil:0.1.0": *',
    "#set page(width: 1pt)",
    "$x^2 + y$ and $$",
    "@ref <label> a < b > c",
    "back\\slash \\ and \\n and \\#",
    "] [ } { ) ( \" ' // not a comment /* nor this */",
    "= not a heading",
    "+ not an item",
    '#panic("boom")',
    "~ ^ & % ` 100% C# F# #1",
]


def test_markup_characters_are_printed_never_run() -> None:
    rewrite = "# #Name $ @x <y>\n\n## Skills #\n" + "\n".join(f"- {line}" for line in HOSTILE)
    files = export_rewrite(result_for(rewrite), ("pdf",))
    assert not files.warnings
    text, pages = pdf_text(files.attachments[0].content)
    assert pages == 1
    assert "root:" not in text  # nothing was read from the disk
    flat = re.sub(r"\s+", " ", text)
    for block in parse_rewrite(rewrite):
        assert re.sub(r"\s+", " ", block.text) in flat, block.text


def test_unknown_script_means_no_pdf_and_says_why() -> None:
    files = export_rewrite(result_for("# أحمد\n\n## الخبرة\n- مهندس برمجيات\n"))
    assert [a.filename for a in files.attachments] == ["cv-rewritten.docx", "cv-rewritten.md"]
    assert len(files.warnings) == 1 and "Arabic" in files.warnings[0]
    assert "أحمد" not in files.warnings[0]  # names the script, never quotes the resume


def test_no_cjk_font_means_no_pdf_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_fonts, "find_cjk_font", lambda: None)
    files = export_rewrite(result_for("# 李明\n\n## 工作经历\n- 后台资源占用率减少 8%\n"))
    assert [a.filename for a in files.attachments] == ["cv-rewritten.docx", "cv-rewritten.md"]
    assert "Chinese" in files.warnings[0]
    assert describe_attachments(files.attachments) == "Word and Markdown"


@pytest.mark.skipif(export_fonts.find_cjk_font() is None, reason="no Noto CJK font installed")
def test_chinese_and_japanese_get_real_glyphs() -> None:
    rewrite = "# 田中 花子\n\n## 職務経歴\n- 後台资源占用率减少 8% と Python\n### 上海交通大学\n*2013 年 – 至今*\n"
    made = blocks_to_pdf(parse_rewrite(rewrite))
    assert made.content is not None and made.warning is None
    text, _ = pdf_text(made.content)
    assert in_order_share(tokens(rewrite.replace("#", "").replace("*", "")), tokens(text)) == 1.0
    assert b"NotoSerifCJK" in made.content or b"NotoSansCJK" in made.content


def test_icons_and_emoji_no_font_draws_are_left_out() -> None:
    made = blocks_to_pdf(parse_rewrite("# Jane\n\n## Contact\n- \uf3c5 Berlin 😀 ok\n"))
    assert made.content is not None
    text, _ = pdf_text(made.content)
    assert "Berlin" in text and "ok" in text
    assert "\uf3c5" not in text and "😀" not in text and "\ufffd" not in text


def test_embedded_font_table_matches_the_installed_typst() -> None:
    assert tuple(export_fonts.embedded_ranges()) == export_fonts.EMBEDDED_RANGES


def test_long_resume_of_two_pages_is_tightened_to_two() -> None:
    roles = "".join(
        f"### Engineer {i}, Company {i}\n*Jan 20{10 + i} – Dec 20{11 + i}*\n"
        + "".join(
            f"- Delivered project {i}.{j} that cut costs by {j}0% across three teams\n"
            for j in range(5)
        )
        for i in range(9)
    )
    rewrite = "# Jane Doe\njane@example.com\n\n## Experience\n" + roles
    made = blocks_to_pdf(parse_rewrite(rewrite), source_pages=2)
    assert made.content is not None and made.pages <= 2


async def test_pdf_is_made_inside_the_isolated_child_within_the_default_memory_limit() -> None:
    settings = Settings()
    rewrite = (
        "# 田中 花子\ntanaka@example.jp\n\n## 職務経歴\n- 売上を 20% 伸ばした\n- Led a team of 4\n"
    )
    files = await run_isolated(
        export_rewrite,
        result_for(rewrite),
        timeout_s=settings.parse_timeout_s,
        memory_mb=settings.parse_memory_mb,
    )
    names = [a.filename for a in files.attachments]
    if export_fonts.find_cjk_font() is None:
        assert names == ["cv-rewritten.docx", "cv-rewritten.md"] and files.warnings
    else:
        assert names == ["cv-rewritten.docx", "cv-rewritten.pdf", "cv-rewritten.md"]


@pytest.mark.skipif(export_fonts.find_cjk_font() is None, reason="no Noto CJK font installed")
def test_cli_typesets_a_japanese_pdf_in_its_review_child_under_the_default_limits(
    tmp_path: Path,
) -> None:
    # A fresh process: Typst runs for the first time inside the forked, memory-limited child.
    resume = tmp_path / "tanaka.md"
    resume.write_text(
        "# 田中 花子\ntanaka@example.jp | 090-1234-5678\n\n## 職務経歴\n### 株式会社サンプル, エンジニア\n"
        "2019年4月 – 現在\n- 決済APIを設計し、応答時間を40%短縮した\n- 4名のチームを率いた\n\n"
        "## 学歴\n東京大学 工学部, 2019\n\n## スキル\nPython, SQL, AWS\n",
        encoding="utf-8",
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("HUGGINGFACE_", "HF_", "PARSE_"))
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "resume_bot.cli",
            "optimize",
            str(resume),
            "--out",
            str(tmp_path),
            "--format",
            "pdf",
            "--engine",
            "offline",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text, pages = pdf_text((tmp_path / "tanaka-rewritten.pdf").read_bytes())
    assert pages == 1 and "田中" in text and "決済" in text and "\ufffd" not in text


async def test_typst_never_runs_in_a_process_that_forks_later() -> None:
    # Typst's thread pool does not survive fork: a process that typesets here and then forks a
    # review child would hang that child. So a process that wasn't forked typesets in a child.
    from core.export import pdf as pdf_module

    assert blocks_to_pdf(parse_rewrite("# Jane\n- one")).content is not None
    assert pdf_module._typst_ran_in is None
    files = await asyncio.wait_for(
        run_isolated(export_rewrite, result_for("# Jane\n- two"), timeout_s=30, memory_mb=1024), 20
    )
    assert [a.filename for a in files.attachments] == [
        "cv-rewritten.docx",
        "cv-rewritten.pdf",
        "cv-rewritten.md",
    ]


def test_describe_attachments_names_what_is_attached() -> None:
    def files(*names: str) -> list[Attachment]:
        return [Attachment(filename=n, content=b"", mime="x") for n in names]

    assert describe_attachments() == "Word, PDF and Markdown"
    assert (
        describe_attachments(files("a-rewritten.docx", "a-rewritten.pdf", "a-rewritten.md"))
        == "Word, PDF and Markdown"
    )
    assert describe_attachments(files("a-rewritten.md", "a-rewritten.docx")) == "Word and Markdown"
    assert describe_attachments(files("a-rewritten.pdf")) == "PDF"


def test_parse_formats() -> None:
    assert parse_formats("pdf,docx") == ("docx", "pdf")
    assert parse_formats(" MD , .pdf ") == ("pdf", "md")
    assert FORMAT_KEYS == ("docx", "pdf", "md")
    for bad in ("", "pdf,odt", ","):
        with pytest.raises(ValueError):
            parse_formats(bad)


def _typeset_kept_then_fresh(markdown: str) -> tuple[bool, int]:
    """In a forked worker: two PDFs from the kept compiler, then one typeset the one-off way."""
    from core.export import pdf as pdf_module

    blocks = parse_rewrite(markdown)
    kept = [blocks_to_pdf(blocks).content for _ in range(2)]
    compilers = len(pdf_module._compilers)
    workspace, pdf_module._workspace = pdf_module._workspace, None
    fresh = blocks_to_pdf(blocks).content
    pdf_module._workspace = workspace
    return kept[0] is not None and kept[0] == kept[1] == fresh, compilers


async def test_a_worker_keeps_its_typesetter_and_makes_the_same_pdf() -> None:
    from core.export import prepare
    from core.isolation import shutdown

    prepare()  # what a bot or a batch does before its workers fork
    shutdown()  # workers forked by earlier tests, before that, end: the next one is fresh
    markdown = "# Jane Doe\njane@example.com\n\n## Experience\n### Analyst\n- Cut costs by 12 %"
    same, compilers = await asyncio.wait_for(
        run_isolated(_typeset_kept_then_fresh, markdown, timeout_s=60, memory_mb=1024), 60
    )
    assert same and compilers == 1


def test_the_typesetters_folders_go_when_the_process_that_made_them_exits(tmp_path: Path) -> None:
    script = "from core.export import prepare, pdf\nprepare()\nprint(pdf._workspace.root.parent)\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    made = Path(done.stdout.strip())
    assert made.name.startswith("resume-bot-pdf-") and not made.exists()
