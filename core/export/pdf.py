"""The rewrite as an ATS-friendly PDF, typeset by Typst from the same blocks as the DOCX.

Single column, real text in reading order (tagged PDF), the name and contact
lines centred at the top, section headings with a rule, entries with their
date line, bullets as list items; no tables, columns, images or icons, and no
hyphenation (a word split across lines is two words to an ATS).

User text never becomes markup: the template below is fixed, and the resume
reaches it as JSON data through `sys.inputs` (`json(bytes(...))`), where Typst
treats every string as text. A resume full of `#`, `$`, `*`, `@`, `<`, `\\` or
`#read("/etc/passwd")` prints those characters and nothing else; there is no
escaping to get wrong. The compiler's root is an empty folder, so even the
template can read no file.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import regex_cache
from core.export import fonts
from core.export.markdown import Block, document_title

log = logging.getLogger(__name__)

# Page count the rewrite should keep: a resume of up to two pages stays within two.
TARGET_PAGES = 2

# Two densities: the normal one, and a tighter one used when the normal one runs past
# TARGET_PAGES for a resume that was within it.
_STYLES = (
    {"size": 10.5, "margin_x": 1.8, "margin_y": 1.6, "leading": 0.55, "gap": 0.62},
    {"size": 9.5, "margin_x": 1.4, "margin_y": 1.2, "leading": 0.45, "gap": 0.45},
)

_TEMPLATE = r"""
#let d = json(bytes(sys.inputs.data))
#let s = d.style
#let accent = rgb("#1f3a5f")
#set document(title: d.title, author: d.author, date: none)
#set page(paper: "a4", margin: (x: s.margin_x * 1cm, y: s.margin_y * 1cm))
#set text(font: d.fonts, size: s.size * 1pt, lang: d.lang, hyphenate: false)
#set par(justify: false, leading: s.leading * 1em, spacing: s.gap * 1em)
#set list(indent: 0.4em, body-indent: 0.5em, spacing: s.gap * 0.8em)
#show heading: set text(font: d.fonts)
#show heading.where(level: 1): it => align(center, block(below: 0.5em,
  text(size: 2 * s.size * 1pt, weight: "bold", fill: accent, it.body)))
#show heading.where(level: 2): it => block(above: 1.1em, below: 0.55em, width: 100%,
  stroke: (bottom: 0.6pt + accent), inset: (bottom: 0.25em),
  text(size: 1.2 * s.size * 1pt, weight: "bold", fill: accent, it.body))
#show heading.where(level: 3): it => block(above: 0.9em, below: 0.45em, sticky: true,
  text(size: 1.05 * s.size * 1pt, weight: "bold", it.body))

#let runs(rs) = [#for r in rs {
  let t = text(r.at(0))
  if r.at(1) { t = strong(t) }
  if r.at(2) { t = emph(t) }
  t
}]

#for b in d.blocks {
  let k = b.at(0)
  if k == "title" { heading(level: 1, outlined: false, runs(b.at(1))) }
  else if k == "heading" { heading(level: 2, runs(b.at(1))) }
  else if k == "entry" { heading(level: 3, runs(b.at(1))) }
  else if k == "header" { align(center, text(size: (if b.at(2) { 0.9 } else { 1 }) * s.size * 1pt, runs(b.at(1)))) }
  else if k == "dates" { block(above: 0.3em, below: 0.5em, sticky: true, runs(b.at(1))) }
  else if k == "list" { list(..b.at(1).map(runs)) }
  else { par(runs(b.at(1))) }
}
"""


# Typst starts a thread pool the first time it compiles. A process forked after that
# (core.isolation forks every review) inherits the pool's state but not its threads,
# and its first compile waits forever. So Typst only ever runs in a process made by
# fork, normally the review child, which exits afterwards; a process that was not
# forked (the bot, a test run, a script) typesets in a forked child of its own and
# stays safe to fork. If Typst did run in an ancestor anyway, this process typesets
# in a fresh interpreter instead (about 0.3 s more, still under its limits).
_typst_ran_in: int | None = None
_forked = False
_SUBPROCESS_TIMEOUT_S = 60
_SUBPROCESS = (
    "import json, sys, typst\n"
    "a = json.loads(sys.stdin.buffer.read())\n"
    "sys.stdout.buffer.write(typst.compile(a['template'].encode(), format='pdf', root=a['root'],"
    " font_paths=[a['fonts']], ignore_system_fonts=True, sys_inputs={'data': a['data']}))\n"
)


def _mark_forked() -> None:
    global _forked
    _forked = True


os.register_at_fork(after_in_child=_mark_forked)


class TypesettingError(Exception):
    """Typst failed; carries the exception's type name only (its message could quote the resume)."""


def _compile_here(template: str, root: Path, font_dir: Path, data: str) -> bytes:
    global _typst_ran_in
    import typst

    _typst_ran_in = os.getpid()
    pdf = typst.compile(
        template.encode(),
        format="pdf",
        root=str(root),
        font_paths=[str(font_dir)],
        ignore_system_fonts=True,
        sys_inputs={"data": data},
    )
    assert isinstance(pdf, bytes)
    return pdf


def _compile_in_child(template: str, root: Path, font_dir: Path, data: str) -> bytes:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(read_fd)
            try:
                payload = b"ok" + _compile_here(template, root, font_dir, data)
            except BaseException as exc:
                payload = b"er" + type(exc).__name__.encode()
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    if payload[:2] != b"ok":
        raise TypesettingError(payload[2:].decode(errors="replace") or "the typesetting child died")
    return payload[2:]


def _compile(template: str, root: Path, font_dir: Path, data: str) -> bytes:
    if _typst_ran_in is not None and _typst_ran_in != os.getpid():
        job = json.dumps(
            {"template": template, "root": str(root), "fonts": str(font_dir), "data": data}
        )
        done = subprocess.run(
            [sys.executable, "-c", _SUBPROCESS],
            input=job.encode(),
            capture_output=True,
            timeout=_SUBPROCESS_TIMEOUT_S,
            check=True,
        )
        return done.stdout
    if _forked or _typst_ran_in == os.getpid():
        return _compile_here(template, root, font_dir, data)
    return _compile_in_child(template, root, font_dir, data)


# A typesetter kept by each review worker. typst.compile() loads its fonts (a CJK font:
# 60-170 ms) and lays out from scratch on every call; a typst.Compiler kept by the process
# reuses both: 15-30 ms a compile instead of 40-200, the same bytes. Its folders (an
# empty root, links to the CJK font files) are made by the process that forks the
# workers, before it does (`prepare_workspace()`, from core.export.prepare), and removed
# when that process exits: a worker is killed with SIGKILL, so it must own no files.
# Without them (a one-off review that skipped prepare) each PDF is typeset as before.


@dataclass(frozen=True, slots=True)
class _Workspace:
    root: Path  # empty: the template can read no file
    fonts: Path  # links to the CJK font files found at preparation, if any
    cjk_files: tuple[Path, ...]


_workspace: _Workspace | None = None
_compilers: dict[tuple[int, bool], Any] = {}  # (pid, with the CJK font) -> typst.Compiler


def prepare_workspace() -> None:
    """Make the kept typesetters' folders, once, in the process that forks review workers."""
    global _workspace
    if _workspace is not None:
        return
    base = Path(tempfile.mkdtemp(prefix="resume-bot-pdf-"))
    atexit.register(_remove_workspace, base, os.getpid())
    (base / "root").mkdir()
    (base / "fonts").mkdir()
    cjk = fonts.find_cjk_font()
    files = tuple(cjk.files) if cjk is not None else ()
    for path in files:
        os.symlink(path, base / "fonts" / path.name)
    _workspace = _Workspace(base / "root", base / "fonts", files)


def _remove_workspace(base: Path, owner: int) -> None:
    if os.getpid() == owner:  # not a forked child that happens to exit normally
        shutil.rmtree(base, ignore_errors=True)


def _kept_compiler(cjk: bool) -> Any:
    """This process's typst.Compiler (fonts loaded once, layouts memoized across compiles)."""
    global _typst_ran_in
    assert _workspace is not None
    key = (os.getpid(), cjk)
    if key not in _compilers:
        import typst

        font_set = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=True,
            font_paths=[str(_workspace.fonts)] if cjk else [],
        )
        _compilers[key] = typst.Compiler(
            root=str(_workspace.root), font_paths=font_set, ignore_system_fonts=True
        )
    _typst_ran_in = os.getpid()
    return _compilers[key]


def _compile_kept(cjk: bool, data: str) -> bytes:
    pdf = _kept_compiler(cjk).compile(
        input=_TEMPLATE.encode(), format="pdf", sys_inputs={"data": data}
    )
    assert isinstance(pdf, bytes)
    return pdf


def _can_keep(cjk_files: tuple[Path, ...] | None) -> bool:
    """May this process typeset with a kept compiler? Only a forked one Typst never ran above."""
    return (
        _workspace is not None
        and _forked
        and _typst_ran_in in (None, os.getpid())
        and (cjk_files is None or cjk_files == _workspace.cjk_files)
    )


@dataclass(frozen=True, slots=True)
class MadePdf:
    content: bytes | None  # None: no PDF this time, and `warning` says why
    warning: str | None = None
    pages: int = 0


# Kana, hangul, CJK ideographs: a regex scans the text in C (a Python loop per character took
# ~0.7 ms a rewrite).
_KANA = regex_cache.compile("[\u3040-\u30ff]")
_HANGUL = regex_cache.compile("[\uac00-\ud7a3]")
_HAN = regex_cache.compile("[\u4e00-\u9fff]")


def _language(text: str) -> str:
    """The language Typst should break lines for: Japanese, Korean, Chinese, else English rules."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _HAN.search(text):
        return "zh"
    return "en"


_CJK_REGION = {"ja": " JP", "ko": " KR", "zh": " SC"}


def _data(blocks: list[Block], drop: frozenset[str]) -> list[list[object]]:
    """Blocks as the template's JSON: consecutive bullets become one list; undrawable symbols are left out."""

    def runs(block: Block) -> list[list[object]]:
        out = []
        for run in block.runs:
            text = "".join(ch for ch in run.text if ch not in drop) if drop else run.text
            if text:
                out.append([text, run.bold, run.italic])
        return out

    data: list[list[object]] = []
    for block in blocks:
        if block.kind == "bullet":
            if data and data[-1][0] == "list":
                data[-1][1].append(runs(block))  # type: ignore[union-attr]
            else:
                data.append(["list", [runs(block)], False])
        else:
            data.append([block.kind, runs(block), block.contact])
    return data


def _page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def blocks_to_pdf(blocks: list[Block], *, source_pages: int = 1) -> MadePdf:
    """Typeset the parsed rewrite; a `MadePdf` with no content and a warning when it can't be done right."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return MadePdf(
            None,
            "No PDF this time: the typesetter (the `typst` package) isn't installed on this server.",
        )

    text = "".join(b.text for b in blocks)
    cjk = None
    if any(not fonts.covered_by_embedded(ch) for ch in set(text)):
        cjk = fonts.find_cjk_font()
    cover = fonts.coverage(text, cjk)
    if cover.missing_letters:
        scripts = ", ".join(fonts.script_names(cover.missing_letters))
        return MadePdf(
            None,
            f"No PDF this time: this server has no font for the {scripts} text in your "
            "resume, and a PDF with empty boxes would hurt you. The Word and Markdown files have it all.",
        )
    lang = _language(text)
    family = [fonts.LATIN_FAMILY]
    if cover.needs_cjk and cjk is not None:
        family.append(cjk.family + _CJK_REGION.get(lang, " SC"))
    title = document_title(blocks)
    payload = {
        "title": title or "Resume",
        "author": [title] if title else [],
        "lang": lang,
        "fonts": family,
        "blocks": _data(blocks, cover.missing_symbols),
    }
    with_cjk = cover.needs_cjk and cjk is not None
    if _can_keep(tuple(cjk.files) if with_cjk and cjk is not None else None):
        return _typeset(lambda data: _compile_kept(with_cjk, data), payload, source_pages)
    with tempfile.TemporaryDirectory(prefix="resume-bot-pdf-") as tmp:
        root, font_dir = Path(tmp, "root"), Path(tmp, "fonts")
        root.mkdir()
        font_dir.mkdir()
        if with_cjk and cjk is not None:  # only the CJK files: Typst reads a folder, not a list
            for path in cjk.files:
                os.symlink(path, font_dir / path.name)
        return _typeset(
            lambda data: _compile(_TEMPLATE, root, font_dir, data), payload, source_pages
        )


def _typeset(
    compile_data: Callable[[str], bytes], payload: dict[str, Any], source_pages: int
) -> MadePdf:
    """Compile in the normal style, then the tighter one if a short resume ran past its pages."""
    made = MadePdf(None)
    for style in _STYLES:
        payload["style"] = style
        try:
            pdf = compile_data(json.dumps(payload, ensure_ascii=False))
        except Exception as exc:  # the message could quote the resume: log the type only
            log.error("PDF typesetting failed (%s)", type(exc).__name__)
            return MadePdf(
                None,
                "No PDF this time: typesetting it failed. "
                "The Word and Markdown files are complete.",
            )
        made = MadePdf(pdf, None, _page_count(pdf))
        if made.pages <= TARGET_PAGES or source_pages > TARGET_PAGES:
            break
    return made
