"""Where a PDF is read: PDFium text runs → lines in the order a person reads them.

Text extraction in content-stream order loses what the page shows: a date printed
at the right edge arrives after the bullets, a sidebar interleaves with the main
column, a page footer lands inside a role. So this reader works from positions:

1. **Runs.** PDFium's text page splits each page into runs (one text object's
   characters on one line) with their box; a run gets the font size and weight
   of its characters. Runs cost a few PDFium calls each, not one per character.
2. **Columns.** A vertical gutter that no run crosses splits a band of the page.
   A narrow side whose rows sit beside rows of the other side (dates at the right
   edge, a Europass label column, moderncv's date margin) is an *aside*: it is
   merged into those rows. Otherwise the sides are columns (a sidebar, a second
   column) and are read whole, left to right.
3. **Rows → lines.** Runs on one baseline form a row; rows that continue a
   paragraph (same left edge, previous row filled to the margin, no new bullet)
   are joined, undoing the line breaks of justified text and hyphenation.
4. **Furniture.** Text repeated at the same place on several pages (running
   headers and footers, "John Doe – 1/2", page numbers) is dropped.

Each output `Line` carries size relative to the body text, bold, capitals,
space above, indentation and bullets, so the structure parser can tell a
section heading from an entry title without a word list alone.
"""

from __future__ import annotations

import ctypes
import functools
import io
import json
import re
import statistics
import struct
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from itertools import accumulate
from operator import attrgetter
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from core import limits, regex_cache
from core.errors import DamagedFileError, EncryptedFileError, TooManyPagesError
from core.reading.clean import BULLET_GLYPHS, PRIVATE_ICONS, is_dateish, tidy
from core.reading.lines import Layout, Line
from core.reading.sniff import visible

_FONT_NAME_BUF = ctypes.create_string_buffer(256)


def _direct(fn: Any, restype: Any = None) -> Any:
    """The same PDFium function without ctypes' per-argument conversion: half the cost of a call.

    For the per-character loops only (a page can hold thousands of characters). The callers
    pass what the C function takes, already as C values: pypdfium2's handles (ctypes
    pointers), indices as Python ints (passed as C int), out-parameters through `byref`.
    """
    try:
        direct = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
    except (TypeError, ctypes.ArgumentError):  # bindings of another kind: the usual call
        return fn
    direct.restype = fn.restype if restype is None else restype
    return direct


_count_chars = _direct(pdfium_c.FPDFText_CountChars)
_count_rects = _direct(pdfium_c.FPDFText_CountRects)
_get_unicode = _direct(pdfium_c.FPDFText_GetUnicode)
_loose_char_box = _direct(pdfium_c.FPDFText_GetLooseCharBox)
_font_size = _direct(pdfium_c.FPDFText_GetFontSize)
_font_weight = _direct(pdfium_c.FPDFText_GetFontWeight)
_text_object = _direct(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)  # an address to compare
_get_rect = _direct(pdfium_c.FPDFText_GetRect)
_has_map_error = _direct(pdfium_c.FPDFText_HasUnicodeMapError)
_page_object = _direct(pdfium_c.FPDFPage_GetObject)
_form_object = _direct(pdfium_c.FPDFFormObj_GetObject)
_object_type = _direct(pdfium_c.FPDFPageObj_GetType)
_object_bounds = _direct(pdfium_c.FPDFPageObj_GetBounds)
_RECT_F = struct.Struct("4f")  # FS_RECTF: left, top, right, bottom as C floats
_HYPHEN_BREAK = "\x02"  # where a word was hyphenated at a line end; _join decides what it was
_BOLD_NAME = regex_cache.compile(
    r"bold|black|heavy|semibold|demibold|extrabold|ultrabold|[-_,]b$|\bbd\b|-sb$|medi", re.I
)
_ITALIC_NAME = regex_cache.compile(r"italic|oblique|[-_]it$|-i$", re.I)
# Icon fonts (Font Awesome, Material Icons, academicons, Dingbats...): a lone glyph of theirs is a
# picture that some PDFs map to an ordinary letter ('I (123) 456-7890', '° linkedin.com/in/x',
# '§ jdoe'), a word nobody wrote. Named like this by their makers, whatever the template.
_ICON_FONT = regex_cache.compile(
    r"[Aa]wesome|Icons?\b|(?<![A-Za-z])icons?\b|academicons|icomoon|fontello|[Dd]ingbat|"
    r"[Ww]ingding|[Ww]ebding|[Oo]cticon|[Gg]lyphicon|[Ii]onicon|[Dd]evicon|Material ?Symbols"
)
_BULLET_ONLY = regex_cache.compile(rf"^[{re.escape(BULLET_GLYPHS)}]$")
_PAGE_FURNITURE = regex_cache.compile(
    r"^(?:(?:page|seite|página|pagina|pag\.?|strona|стр\.?)\s*)?\d{1,3}(?:\s*(?:/|of|von|de|di|sur)\s*\d{1,3})?$|^[-–—]\s*\d{1,3}\s*[-–—]$",
    re.I,
)


@dataclass(slots=True)
class Run:
    """One text object's characters on one line, with where and how they are printed."""

    text: str
    x0: float
    x1: float
    y0: float  # bottom (PDF coordinates grow upwards)
    y1: float  # top
    size: float
    bold: bool
    italic: bool = False
    # derived once (a run never moves): layout analysis reads them hundreds of thousands of times
    mid: float = field(init=False, repr=False, compare=False)
    height: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.mid = (self.y0 + self.y1) / 2
        height = self.y1 - self.y0
        self.height = height if height > 0.5 else 0.5  # max(0.5, height), without the call


class Row:
    """Runs sharing a baseline within one column: one visual line.

    Its box is kept in fields (`refresh()` after runs change): layout analysis
    reads row bounds hundreds of thousands of times per resume.
    """

    __slots__ = (
        "aside",
        "label",
        "marker",
        "mid",
        "page",
        "runs",
        "side",
        "size",
        "x0",
        "x1",
        "y0",
        "y1",
    )

    def __init__(self, runs: list[Run], page: int, side: bool = False) -> None:
        self.runs = runs
        self.page = page
        self.aside: list[Run] = []
        self.label: list[Run] = []
        self.side = side  # a label-column line with nothing beside it (a Europass section heading)
        self.marker = (
            False  # a small drawn shape just left of the text: a list bullet drawn, not typed
        )
        self.refresh()

    def refresh(self) -> None:
        runs = self.runs
        run = runs[0]
        x0, x1, y0, y1 = run.x0, run.x1, run.y0, run.y1
        if len(runs) == 1:  # most rows: no scans
            self.x0, self.x1, self.y0, self.y1, self.size = x0, x1, y0, y1, run.size
            self.mid = run.mid
            return
        # min() and max() written out, one pass: rows are refreshed thousands of times a resume
        best: tuple[int, float] | None = None  # the longest text run's (length, size)
        for r in runs:
            if r.x0 < x0:
                x0 = r.x0
            if r.x1 > x1:
                x1 = r.x1
            if r.y0 < y0:
                y0 = r.y0
            if r.y1 > y1:
                y1 = r.y1
            if r.text.strip():
                key = (len(r.text), r.size)
                if best is None or key > best:
                    best = key
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1
        self.mid = (y0 + y1) / 2
        self.size = best[1] if best is not None else run.size


# --- runs ---------------------------------------------------------------------------


def _runs_of_page(textpage: pdfium.PdfTextPage) -> list[Run] | None:
    """PDFium's text runs (one text object's characters on a line) with font size and weight.

    Each run's characters are the slice of the page text from its first
    character up to the next run's, found by asking PDFium which character sits
    at the run's left edge: one text call for the page, a few calls per run.
    None when the runs can't be placed in character order (right-to-left text,
    characters outside the BMP, overlapping objects): the caller reads that
    page character by character instead.
    """
    raw = textpage.raw
    n = _count_chars(raw)
    text = textpage.get_text_range().replace(
        "\ufffe", _HYPHEN_BREAK
    )  # PDFium's mark for a line-end hyphen
    if len(text) != n:
        return None
    count = _count_rects(raw, 0, -1)
    box = (ctypes.c_double * 4)()  # left, top, right, bottom
    refs = [ctypes.byref(box, k * ctypes.sizeof(ctypes.c_double)) for k in range(4)]
    get_rect, char_at = _get_rect, pdfium_c.FPDFText_GetCharIndexAtPos
    placed: list[tuple[int, float, float, float, float]] = []
    last = -1
    for i in range(count):
        if not get_rect(raw, i, *refs):
            continue
        x0, y1, x1, y0 = box
        probe = x0 + min(1.0, (x1 - x0) / 4)
        # PDFium answers with the first character whose box holds the point, else the nearest
        # within the tolerance: asking without tolerance first gives the same first answer
        # and skips the tolerance arithmetic for every character of the page
        idx = char_at(raw, probe, (y0 + y1) / 2, 0.0, 0.0)
        if idx < 0:
            idx = char_at(raw, probe, (y0 + y1) / 2, 0.5, max(0.5, (y1 - y0) / 2))
        if idx < 0:
            idx = char_at(raw, probe, (y0 + y1) / 2, 2.0, max(1.0, (y1 - y0) / 2 + 1))
        if idx <= last:
            idx = _first_char_of(raw, x0, x1, y0, y1, last)
        if idx <= last:
            return None
        placed.append((idx, x0, x1, y0, y1))
        last = idx
    runs: list[Run] = []
    flags = ctypes.c_int()
    for k, (idx, x0, x1, y0, y1) in enumerate(placed):
        end = placed[k + 1][0] if k + 1 < len(placed) else n
        chunk = text[idx:end]
        cut = chunk.find("\r\n")
        if cut >= 0:
            chunk = (
                chunk[:cut] + " "
            )  # the line ends here; what PDFium added after it is not this run's
        if not chunk.strip():
            continue
        size = _font_size(raw, idx)
        weight = _font_weight(raw, idx)
        pdfium_c.FPDFText_GetFontInfo(raw, idx, _FONT_NAME_BUF, 256, flags)
        bold_name, italic_name, _, icons = _font_style(_FONT_NAME_BUF.value)
        if icons and len(chunk.strip()) == 1:
            continue  # a lone icon; an icon font's longer text is an ActualText span ('tel:…')
        bold = weight >= 600 or bold_name or bool(flags.value & (1 << 18))
        italic = italic_name or bool(flags.value & (1 << 6))
        if size <= 0.5 or size > 200:
            size = max(1.0, (y1 - y0) / 0.72)
        runs.append(Run(chunk, x0, x1, y0, y1, size, bold, italic))
    return runs


@functools.lru_cache(maxsize=512)
def _font_style(raw_name: bytes) -> tuple[bool, bool, bool, bool]:
    """(bold by name, italic by full name, italic by base name, an icon font) of a font name.

    PDFium's name keeps a subset tag ('ABCDEF+Lato-Bold'); the base name is after the '+'.
    A page has a few fonts but hundreds of runs: each name is judged once.
    """
    name = raw_name.decode("latin-1", "replace")
    base = name.split("+")[-1]
    return (
        bool(_BOLD_NAME.search(base)),
        bool(_ITALIC_NAME.search(name)),
        bool(_ITALIC_NAME.search(base)),
        bool(_ICON_FONT.search(base)),
    )


_CHAR_BOX = [ctypes.c_double() for _ in range(4)]


def _first_char_of(raw: object, x0: float, x1: float, y0: float, y1: float, after: int) -> int:
    """The first character of a run whose left edge overlaps the run before it: probe its middle, walk back."""
    idx = pdfium_c.FPDFText_GetCharIndexAtPos(
        raw, (x0 + x1) / 2, (y0 + y1) / 2, 0.5, max(0.5, (y1 - y0) / 2)
    )
    if idx <= after:
        return -1
    left, right, bottom, top = _CHAR_BOX
    while idx - 1 > after:
        if not pdfium_c.FPDFText_GetCharBox(raw, idx - 1, left, right, bottom, top):
            break
        cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
        generated = right.value - left.value < 0.01
        if not generated and not (x0 - 0.5 <= cx <= x1 + 0.5 and y0 - 0.5 <= cy <= y1 + 0.5):
            break
        idx -= 1
    return idx


def _unmapped_share(textpage: pdfium.PdfTextPage, sample: int = 240) -> tuple[int, int]:
    """(characters sampled, characters whose font has no Unicode map): text that reads as nonsense."""
    raw = textpage.raw
    n = _count_chars(raw)
    if n <= 0:
        return 0, 0
    step = max(1, n // sample)
    picked = range(0, n, step)
    has_error = _has_map_error
    bad = sum(1 for i in picked if has_error(raw, i) == 1)
    return len(picked), bad


def _repeats_glyphs(textpage: pdfium.PdfTextPage, runs: list[Run]) -> bool:
    """Runs whose bounded text holds more letters than the page has: overlapping objects repeat glyphs."""
    page_letters = sum(1 for ch in textpage.get_text_range() if not ch.isspace())
    run_letters = sum(1 for r in runs for ch in r.text if not ch.isspace())
    return run_letters > page_letters * 1.02 + 2


_FRAGMENTED = 8.0  # characters per PDFium run below which a page is read character by character


def _runs_by_char(textpage: pdfium.PdfTextPage, by_object: bool | None = None) -> list[Run]:
    """Runs rebuilt from characters, for generators that emit one text object per glyph.

    Chromium, wkhtmltopdf and some letter-spacing CSS give every glyph its own
    text object; PDFium's per-object runs then overlap and their bounded text
    repeats letters. Here a run continues while characters stay on one line, in
    one size and weight, and PDFium's own generated spaces mark the word breaks.
    A glyph drawn twice at one place (fake bold, shadows) counts once.

    PDFium's size and weight of a character are its text object's (`GetCharFontSize`
    and `FPDFText_GetFontWeight` read them from the object), so where objects hold
    several characters they are asked once per object: one call per character
    (which object) instead of two. The loop runs for every character of such pages:
    its state is in local variables. `by_object` forces either way (tests: both agree).
    """
    raw = textpage.raw
    n = _count_chars(raw)
    text = textpage.get_text_range().replace("\ufffe", _HYPHEN_BREAK)
    aligned = len(text) == n  # no characters outside the BMP: text[i] is character i
    if by_object is None:  # objects of two characters or more, on average
        by_object = _count_rects(raw, 0, -1) * 2 <= n
    runs: list[Run] = []
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    flags = ctypes.c_int()
    cur: list[str] = []  # the open run's characters; empty when no run is open
    x0 = x1 = y0 = y1 = 0.0  # the open run's box
    key: tuple[float, int] = (10.0, 400)
    bold = italic = False
    recent: dict[tuple[str, int, int], int] = {}
    get_box, get_size, get_weight, get_object = (
        _loose_char_box,
        _font_size,
        _font_weight,
        _text_object,
    )
    read_box = _RECT_F.unpack_from  # (left, top, right, bottom)
    last_object: int | None = -1
    weight, this_key, gap = 0, key, 0.8

    for i in range(n):
        if aligned:
            ch = text[i]
        else:
            code = _get_unicode(raw, i)
            ch = (
                _HYPHEN_BREAK
                if code in (0xFFFE, 0x02)
                else chr(code)
                if 0 < code < 0x110000
                else ""
            )
        if ch in "\r\n":  # "" too: the line ends, and the run with it
            if cur:
                if "".join(cur).strip():
                    runs.append(Run("".join(cur), x0, x1, y0, y1, key[0], bold, italic))
                cur = []
            continue
        if ch.isspace():
            if cur:
                cur.append(" ")
            continue
        get_box(raw, i, rect_ref)
        left, top, right, bottom = read_box(rect)
        spot = (ch, round(left), round(bottom))
        if recent.get(spot, -99) >= i - 6:
            continue
        recent[spot] = i
        if by_object:
            obj = get_object(raw, i)
            if obj != last_object:
                last_object = obj
                size = get_size(raw, i)
                weight = get_weight(raw, i)
                this_key = (round(size, 1), weight)
                gap = 0.8 * (1 if size < 1 else size)
        else:
            size = get_size(raw, i)
            weight = get_weight(raw, i)
            this_key = (round(size, 1), weight)
            gap = 0.8 * (1 if size < 1 else size)
        if cur and (  # max() and min() written out: this runs for every character
            this_key != key
            or left - x1 > gap
            or left < x0 - 1
            or (y1 if y1 < top else top) - (y0 if y0 > bottom else bottom) < 0.3 * (top - bottom)
        ):
            if "".join(cur).strip():
                runs.append(Run("".join(cur), x0, x1, y0, y1, key[0], bold, italic))
            cur = []
        if not cur:
            key = this_key
            pdfium_c.FPDFText_GetFontInfo(raw, i, _FONT_NAME_BUF, 256, flags)
            bold_name, _, italic_name, _ = _font_style(_FONT_NAME_BUF.value)
            bold, italic = weight >= 600 or bold_name, italic_name
            x0, x1, y0, y1 = left, right, bottom, top
        else:
            if right > x1:
                x1 = right
            if bottom < y0:
                y0 = bottom
            if top > y1:
                y1 = top
        cur.append(ch)
    if cur and "".join(cur).strip():
        runs.append(Run("".join(cur), x0, x1, y0, y1, key[0], bold, italic))
    return runs


# --- rows and columns -------------------------------------------------------------------


_x0_of = attrgetter("x0")


def _down_the_page(run: Run) -> tuple[float, float]:
    return (-run.mid, run.x0)


def _up_of(row: Row) -> float:
    return -row.mid


def _rows(runs: list[Run], page: int) -> list[Row]:
    """Group runs that share a line into rows, left to right.

    Tall runs (letters) make the rows; tiny ones (a comma, a hyphen at the end
    of a line) join the row their middle falls in, so they don't start rows of
    their own.
    """
    tall: list[Run] = []
    small: list[Run] = []
    for r in runs:
        (tall if r.height >= 0.45 * r.size else small).append(r)
    rows: list[Row] = []
    # each row's [y0, y1] as runs join it (its fields are refreshed only at the end)
    los: list[float] = []
    his: list[float] = []
    for run in sorted(tall, key=_down_the_page):
        y0, y1, height = run.y0, run.y1, run.height  # read once: the loop below is hot
        n = len(rows)
        for k in range(n - 1, n - 7 if n > 6 else -1, -1):
            lo, hi = los[k], his[k]
            overlap = (hi if hi <= y1 else y1) - (lo if lo >= y0 else y0)
            if overlap >= 0.5 * (height if height <= hi - lo else hi - lo):
                rows[k].runs.append(run)
                if y0 < lo:
                    los[k] = y0
                if y1 > hi:
                    his[k] = y1
                break
        else:
            rows.append(Row([run], page))
            los.append(y0)
            his.append(y1)
    if small:
        # a row's own box is still its first run's here, as the rows were made
        spans = [(row.y0 - 1, row.y1 + 1) for row in rows]
        for run in small:
            mid, x0 = run.mid, run.x0
            inside = [row for row, (lo, hi) in zip(rows, spans, strict=True) if lo <= mid <= hi]
            if len(inside) == 1:
                inside[0].runs.append(run)
            elif inside:
                min(inside, key=lambda row: min(abs(x0 - r.x1) for r in row.runs)).runs.append(run)
            elif rows:
                min(rows, key=lambda row: abs(row.mid - mid)).runs.append(run)
            else:
                rows.append(Row([run], page))
                spans.append((run.y0 - 1, run.y1 + 1))
    for row in rows:
        if len(row.runs) > 1:
            row.runs.sort(key=_x0_of)
            row.refresh()  # a row of one run is as Row() left it
    rows.sort(key=_up_of)
    return rows


def _text_of(runs: list[Run]) -> str:
    """Join runs left to right, with a space where the gap between them is a word gap."""
    if len(runs) == 1:  # most rows
        return runs[0].text.strip("\r\n")
    out = ""
    prev: Run | None = None
    for run in runs:
        piece = run.text.strip("\r\n")
        if prev is not None and run.x0 < prev.x1 - 0.5:
            # runs that overlap repeat the glyphs they share ('Proj' + 'ojects'): drop the repeat
            for k in range(min(len(piece), len(out), 4), 0, -1):
                if out.rstrip().endswith(piece[:k]) and piece[:k].strip():
                    piece = piece[k:]
                    break
        if prev is not None and out and not out.endswith(" "):
            gap = run.x0 - prev.x1
            marked = prev.text[-1:].isspace() or run.text[:1].isspace()
            if marked or gap > 0.5 * min(run.size, prev.size):
                out += " "
        out += piece
        prev = run
    return out


def _wide_gap(runs: list[Run]) -> tuple[int, float, int]:
    """The last wide gap in a row: (index of the first run after it, the right edge of the
    runs after it, their word count); index 0 when there is none."""
    if len(runs) < 2:
        return 0, 0.0, 0
    rights = list(accumulate([r.x1 for r in runs], max))  # rights[k]: max x1 of runs[: k + 1]
    for k in range(len(runs) - 1, 0, -1):
        gap = runs[k].x0 - rights[k - 1]
        if gap > max(2.0 * runs[k - 1].size, 18):
            tail = runs[k:]
            return k, max(r.x1 for r in tail), len(_text_of(tail).split())
    return 0, 0.0, 0


def _split_wide_gaps(
    row: Row, column_right: float, gap: tuple[int, float, int] | None = None
) -> tuple[list[Run], list[Run]]:
    """(main runs, trailing runs printed apart at the right edge: a tab-stopped date or place).

    `gap`: `_wide_gap(row.runs)`, when the caller has it."""
    runs = row.runs
    k, tail_right, words = gap if gap is not None else _wide_gap(runs)
    if k and tail_right >= column_right - 2 * runs[k].size and words <= 8:
        return runs[:k], runs[k:]
    return runs, []


# --- page analysis ------------------------------------------------------------------------


_STRETCH = re.compile(b"\x01+")  # a stretch of low bins (a bytes pattern: trivial to compile)


def _gutter_candidates(runs: list[Run]) -> list[tuple[float, float]]:
    """x ranges crossed by few runs, with text on both sides: where columns or asides may split."""
    text_runs = [r for r in runs if r.text.strip()]
    if len(text_runs) < 6:
        return []
    x_min = min(r.x0 for r in text_runs)
    x_max = max(r.x1 for r in text_runs)
    step = 2.0
    bins = max(1, int((x_max - x_min) / step) + 1)
    starts = [0] * (bins + 1)  # runs covering bin k = runs started at or before k, minus ended
    for r in text_runs:
        first, last = int((r.x0 - x_min) / step), min(bins, int((r.x1 - x_min) / step) + 1)
        if first < last:
            starts[first] += 1
            starts[last] -= 1
    cover = list(accumulate(starts[:bins]))
    # written-out loops: accumulate(..., max) calls max() once per bin, which costs more
    left_max = [0] * bins  # the most runs over any bin left of k
    most = 0
    for k in range(1, bins):
        c = cover[k - 1]
        if c > most:
            most = c
        left_max[k] = most
    # a bin crossed by at most half as many runs as its less busy side has, with 2+ runs there
    # (m >= 2 makes max(1, 0.5 * m) just 0.5 * m); as bytes, so stretches are found in C
    low = bytearray(bins)
    right = 0  # the most runs over any bin right of k
    for k in range(bins - 1, -1, -1):
        left, c = left_max[k], cover[k]
        m = right if right < left else left
        if m >= 2 and c <= 0.5 * m:
            low[k] = 1
        if c > right:
            right = c
    out: list[tuple[float, float]] = []
    for stretch in _STRETCH.finditer(low):
        k, end = stretch.span()
        if (end - k) * step >= 6:
            # split where the fewest runs cross, at the middle of that stretch
            span = cover[k:end]
            floor = min(span)
            first = k + span.index(floor)
            last = end - 1 - span[::-1].index(floor)
            out.append((x_min + first * step, x_min + (last + 1) * step))
    return out


@dataclass(slots=True)
class _Segment:
    """A vertical stretch of a page, read as one flow or split at a gutter."""

    runs: list[Run]
    left: list[Run] = field(default_factory=list)
    right: list[Run] = field(default_factory=list)
    kind: str = "flow"  # flow | columns | aside | label


def _segments(runs: list[Run], a: float, b: float, rows: list[Row] | None = None) -> list[_Segment]:
    """Cut the page into stretches at the runs that cross the gutter [a, b]; split the others.

    `rows`: `_rows(runs, 0)`, when the caller tries several gutters on the same runs.
    """
    centre = (a + b) / 2
    joined: set[int] = set()  # runs of a row whose words just have a wide space at the gutter
    for row in rows if rows is not None else _rows(runs, 0):
        left = [r for r in row.runs if (r.x0 + r.x1) / 2 < centre]
        right = [r for r in row.runs if (r.x0 + r.x1) / 2 >= centre]
        if left and right:
            gap = min(r.x0 for r in right) - max(r.x1 for r in left)
            # a date in the margin set tight against its entry ('June 2018-COBINHOOD') still labels it
            if gap < 0.5 * max(r.size for r in row.runs) and not is_dateish(_text_of(left)):
                joined.update(id(r) for r in row.runs)

    lo_edge, hi_edge = a - 0.5, b + 0.5
    crosses = [id(r) in joined or (r.x0 < lo_edge and r.x1 > hi_edge) for r in runs]
    crossing = sorted((r for r, x in zip(runs, crosses, strict=True) if x), key=lambda r: -r.y1)
    bands: list[tuple[float, float]] = []  # y ranges of crossing rows, top first
    for r in crossing:
        if bands and r.y1 >= bands[-1][0] - 0.5:
            bands[-1] = (min(bands[-1][0], r.y0), max(bands[-1][1], r.y1))
        else:
            bands.append((r.y0, r.y1))
    segments: list[_Segment] = []
    edges = (
        [(float("inf"), float("inf"))]
        + [(hi, lo) for lo, hi in bands]
        + [(float("-inf"), float("-inf"))]
    )
    free = [(r, r.mid) for r, x in zip(runs, crosses, strict=True) if not x]  # in page order
    crossed = [(r, r.mid) for r, x in zip(runs, crosses, strict=True) if x]
    for k in range(len(edges) - 1):
        top, bottom = edges[k][1], edges[k + 1][0]
        inside = [r for r, mid in free if bottom < mid < top]
        if inside:
            left = [r for r in inside if (r.x0 + r.x1) / 2 < centre]
            right = [r for r in inside if (r.x0 + r.x1) / 2 >= centre]
            seg = _Segment(inside, left, right)
            if (
                sum(1 for r in left if r.text.strip()) >= 2
                and sum(1 for r in right if r.text.strip()) >= 2
            ):
                seg.kind = _column_kind(left, right)
            segments.append(seg)
        if k < len(bands):
            lo, hi = bands[k]
            band_runs = [r for r, mid in crossed if lo - 0.5 <= mid <= hi + 0.5]
            band_runs += [r for r, mid in free if lo < mid < hi and r not in band_runs]
            if band_runs:
                segments.append(_Segment(band_runs))
    # every run lands somewhere: a run on a boundary joins the nearest segment
    placed = {id(r) for seg in segments for r in seg.runs}
    for r in runs:
        if id(r) not in placed and segments:
            nearest = min(segments, key=lambda seg: min(abs(r.mid - x.mid) for x in seg.runs))
            nearest.runs.append(r)
            if nearest.kind != "flow":
                (nearest.left if (r.x0 + r.x1) / 2 < centre else nearest.right).append(r)
    return segments


def _split_score(segments: list[_Segment]) -> int:
    return sum(len(seg.left) + len(seg.right) for seg in segments if seg.kind != "flow")


def _page_rows(
    runs: list[Run],
    page: int,
    width: float,
    depth: int = 0,
    grid: list[tuple[float, float, str]] | None = None,
) -> list[list[Row]]:
    """The page's rows in reading order, as flows: columns read whole, left to right;
    asides and label columns merged into the rows they sit beside.

    `grid` carries the label or aside gutters found on earlier pages: a last page
    with only a few labelled rows ('Patente di guida' / 'B') is read in the grid
    the document uses, where alone it would be too little evidence.
    """
    if not runs:
        return []
    best: list[_Segment] | None = None
    best_score = 0
    best_gutter: tuple[float, float] | None = None
    candidates = _gutter_candidates(runs) if depth < 3 else []
    # one grouping for all the gutters tried, and the page's rows if none splits it
    rows = _rows(runs, page) if candidates or (depth == 0 and grid) else None
    for a, b in candidates:
        segments = _segments(runs, a, b, rows)
        score = _split_score(segments)
        if score > best_score:
            best, best_score, best_gutter = segments, score, (a, b)
    if depth == 0 and grid:
        a, b, kind = grid[-1]
        if best_score < 6:  # the page's own evidence wins; the grid only helps a sparse page
            segments = _segments(runs, a, b, rows)
            if _split_score(segments) >= 3:
                best, best_score, best_gutter = segments, max(best_score, 6), (a, b)
        for seg in best or []:
            if seg.kind == "columns" and best_gutter and abs(best_gutter[0] - a) <= 4:
                seg.kind = kind  # the page continues the document's label column
    if best is None or best_score < 6:
        return [rows if rows is not None else _rows(runs, page)]
    if depth == 0 and grid is not None and best_gutter:
        kind = next((seg.kind for seg in best if seg.kind in ("label", "aside")), None)
        if kind:
            grid.append((*best_gutter, kind))
    flows: list[list[Row]] = []
    for seg in best:
        if seg.kind == "flow":
            flows += _page_rows(seg.runs, page, width, depth + 1)
        elif seg.kind == "columns":
            flows += _page_rows(seg.left, page, width, depth + 1)
            flows += _page_rows(seg.right, page, width, depth + 1)
        else:
            main, side = (seg.left, seg.right) if seg.kind == "aside" else (seg.right, seg.left)
            inner = _page_rows(main, page, width, depth + 1) or [[]]
            _attach(_rows(side, page), inner, seg.kind)
            flows += inner
    return _merge_flows(flows)


_SIDE_BY_SIDE_ROWS = 6


def _side_by_side(flows: list[list[Row]]) -> bool:
    """Two columns of text printed beside each other (what trips an ATS parser), not a header
    above a body, a date margin or a short block beside a few lines (a languages box, a
    label/value table): two flows that each have 6+ rows level with the other."""
    for i, a in enumerate(flows):
        for b in flows[i + 1 :]:
            a_lo, a_hi = min(r.y0 for r in a), max(r.y1 for r in a)
            b_lo, b_hi = min(r.y0 for r in b), max(r.y1 for r in b)
            if (
                sum(1 for r in a if b_lo <= r.mid <= b_hi) >= _SIDE_BY_SIDE_ROWS
                and sum(1 for r in b if a_lo <= r.mid <= a_hi) >= _SIDE_BY_SIDE_ROWS
            ):
                return True
    return False


def _merge_flows(flows: list[list[Row]]) -> list[list[Row]]:
    """Consecutive single-column stretches are one flow (paragraphs continue across them)."""
    out: list[list[Row]] = []
    for flow in flows:
        if not flow:
            continue
        if (
            out
            and out[-1]
            and out[-1][-1].mid > flow[0].mid
            and abs(out[-1][-1].x0 - flow[0].x0) < 30
            and _is_single(out[-1], flow)
        ):
            out[-1].extend(flow)
        else:
            out.append(flow)
    return out


def _is_single(a: list[Row], b: list[Row]) -> bool:
    """b starts below where a ends, with overlapping horizontal extent: one column continued."""
    a_x0, a_x1 = min(r.x0 for r in a), max(r.x1 for r in a)
    b_x0, b_x1 = min(r.x0 for r in b), max(r.x1 for r in b)
    return min(a_x1, b_x1) - max(a_x0, b_x0) > 0.5 * min(a_x1 - a_x0, b_x1 - b_x0)


def _column_kind(left: list[Run], right: list[Run]) -> str:
    """'aside' (right side is dates/places beside left rows), 'label' (left side labels right rows) or 'columns'."""
    left_rows, right_rows = _rows(left, 0), _rows(right, 0)

    def short(rows: list[Row]) -> float:
        words = [len(_text_of(r.runs).split()) for r in rows]
        return statistics.median(words) if words else 0

    def aligned(side: list[Row], other: list[Row]) -> float:
        """Share of `side` rows printed on the same line as an `other` row (middles within a third of a line)."""
        if not side:
            return 0.0
        hits = 0
        for row in side:
            tolerance = 0.35 * (row.y1 - row.y0)
            if any(abs(row.mid - o.mid) <= tolerance for o in other):
                hits += 1
        return hits / len(side)

    def width(rows: list[Row]) -> float:
        return max((r.x1 for r in rows), default=0) - min((r.x0 for r in rows), default=0)

    def chars(rows: list[Row]) -> float:
        return statistics.median(len(_text_of(r.runs)) for r in rows) if rows else 0

    if (
        right_rows
        and len(right_rows) <= 0.6 * len(left_rows)
        and short(right_rows) <= 6
        and aligned(right_rows, left_rows) >= 0.5
        and width(right_rows) < 0.5 * width(left_rows)
    ):
        return "aside"
    if (
        right_rows
        and len(right_rows) <= 0.9 * len(left_rows)
        and chars(right_rows) <= 22
        and aligned(right_rows, left_rows) >= 0.6
        and width(right_rows) < 0.4 * width(left_rows)
    ):
        return "aside"  # dates and places on two lines beside each entry
    if (
        left_rows
        and len(left_rows) <= 0.6 * len(right_rows)
        and short(left_rows) <= 5
        and aligned(left_rows, right_rows) >= 0.5
        and width(left_rows) < 0.5 * width(right_rows)
    ):
        return "label"
    dated = (
        _dates_beside(left_rows, right_rows)
        if left_rows and width(left_rows) < 0.5 * width(right_rows)
        else 0
    )
    margin = sum(1 for r in left_rows if _dateish(_text_of(r.runs))) if dated >= 3 else 0
    if dated >= 3 and (dated >= 0.3 * len(left_rows) or margin >= 0.4 * len(left_rows)):
        return "label"  # a date margin that also holds a short list lower down: the dates still label their rows
    return "columns"


def _wraps(upper: str, lower: str) -> bool:
    """Is `lower` the rest of a label wrapped from `upper` ('PUBBLICAZIONI E RISULTATI' / 'SCIENTIFICI',
    'Competenze organizzative e' / 'gestionali'), not the next item of a list ('Go' / 'Python')?"""
    upper, lower = upper.strip(), lower.strip()
    if not upper or not lower:
        return False
    if lower[:1].islower() or upper.endswith(
        ("-", "–", ",", " e", " and", " und", " et", " y", " &")
    ):
        return True
    return upper.isupper() and lower.isupper() and len(upper.split()) >= 2


_PLACEHOLDER_DATE = regex_cache.compile(
    "|".join(
        json.loads(resources.files("core.data").joinpath("dates.json").read_bytes())["placeholders"]
    ),
    re.I,
)


def _dateish(text: str) -> bool:
    """A date, or a template's unfilled one ('xx/xxxx –'): a margin of either labels its rows."""
    return is_dateish(text) or bool(_PLACEHOLDER_DATE.fullmatch(text.strip(" -–—")))


def _dates_beside(side: list[Row], other: list[Row]) -> int:
    """How many `side` rows are dates printed on the same line as an `other` row."""
    count = 0
    for row in side:
        tolerance = 0.35 * (row.y1 - row.y0)
        if _dateish(_text_of(row.runs)) and any(abs(row.mid - o.mid) <= tolerance for o in other):
            count += 1
    return count


def _attach(side_rows: list[Row], flows: list[list[Row]], where: str) -> None:
    """Put each aside/label row on the main row beside it, in whichever flow that row is;
    a row beside nothing joins the flow at its place.

    A Europass section heading sits alone in the label column: it becomes a
    line of its own at its place, not a label of the row above.
    """
    rows = [row for flow in flows for row in flow]
    for side in side_rows:
        best: Row | None = None
        best_overlap = 0.0
        top, bottom = side.y1, side.y0
        for row in rows:  # min() and max() written out: sides x rows
            y0, y1 = row.y0, row.y1
            overlap = (top if top < y1 else y1) - (bottom if bottom > y0 else y0)
            if overlap > best_overlap:
                best, best_overlap = row, overlap
        if (best is None or best_overlap < 0.3 * (side.y1 - side.y0)) and where == "aside":
            above = [
                row for row in rows if row.y0 >= side.y1 - 1 and row.y0 - side.y1 <= 2.5 * side.size
            ]
            if above:
                best = min(
                    above, key=lambda row: row.y0 - side.y1
                )  # a date printed just under its header line
                best_overlap = 1.0
        if best is None or best_overlap < 0.3 * (side.y1 - side.y0):
            flow = next((f for f in flows if f and f[0].mid >= side.mid >= f[-1].mid), None) or max(
                flows, key=len
            )
            at = next((k for k, row in enumerate(flow) if row.mid < side.mid), len(flow))
            above_row = flow[at - 1] if at > 0 else None
            if (
                above_row is not None
                and above_row.side
                and -0.5 * side.size <= above_row.y0 - side.y1 < 0.8 * side.size
                and _wraps(_text_of(above_row.runs), _text_of(side.runs))
            ):
                above_row.runs.extend(side.runs)  # a label wrapped over two lines
                above_row.runs.sort(key=lambda r: (-r.mid, r.x0))
                above_row.refresh()
            else:
                flow.insert(at, Row(list(side.runs), side.page, side=True))
                rows.append(flow[at])
            continue
        (best.aside if where == "aside" else best.label).extend(side.runs)


# --- furniture -----------------------------------------------------------------------------


# share of the page height at the top and bottom where running headers, footers and page numbers sit
_MARGIN_BAND = 0.13


_DIGITS = regex_cache.compile(r"\d+")


def _furniture_key(row: Row) -> str:
    return _DIGITS.sub("#", _text_of(row.runs + row.aside)).strip().lower()


def _drop_furniture(pages: list[tuple[float, list[list[Row]]]]) -> None:
    """Remove running headers, footers and page numbers: text repeated at one place on several pages."""
    seen: Counter[tuple[str, int]] = Counter()
    row_keys: dict[int, tuple[str, int]] = {}  # each margin row's key, made once
    for height, flows in pages:
        keys = set()
        for flow in flows:
            for row in flow:
                if row.mid > height * (1 - _MARGIN_BAND) or row.mid < height * _MARGIN_BAND:
                    key = row_keys[id(row)] = (_furniture_key(row), round(row.mid / 12))
                    keys.add(key)
        seen.update(keys)
    repeated = {key for key, n in seen.items() if n >= 2} if len(pages) >= 2 else set()

    def furniture(row: Row, height: float, first_page: bool) -> bool:
        top, bottom = row.mid > height * (1 - _MARGIN_BAND), row.mid < height * _MARGIN_BAND
        if not (top or bottom):
            return False
        if _PAGE_FURNITURE.match(_text_of(row.runs).strip()):
            return True
        # a header repeated on every page is page one's real header (the name, the contact line)
        return bool(repeated) and row_keys[id(row)] in repeated and not (top and first_page)

    for index, (height, flows) in enumerate(pages):
        for flow in flows:
            flow[:] = [row for row in flow if not furniture(row, height, index == 0)]


# --- rows → lines -------------------------------------------------------------------------


def _body_size(pages: list[tuple[float, list[list[Row]]]]) -> float:
    sizes: Counter[float] = Counter()
    for _h, flows in pages:
        for flow in flows:
            for row in flow:
                for run in row.runs:
                    sizes[round(run.size, 1)] += len(run.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


# lower-case letters (Latin, Latin-1, Greek, Cyrillic), each cased and not upper as _is_caps
# judges them (checked on every code point): one settles that a line is not in capitals
_LOWER_LETTER = regex_cache.compile("[a-zß-öø-ÿα-ωа-яѐ-џ]")
# a letter or digit: re's \w is str.isalnum() plus '_' (documented), so this is any(isalnum)
_ALNUM = regex_cache.compile(r"[^\W_]")
_ALNUM_NOT_ICON = regex_cache.compile(r"[^\W_\ue000-\uf8ff]")  # ... outside the icon code points


def _is_caps(text: str) -> bool:
    """Printed in capitals: at least two cased letters, all upper case (Chinese has no case)."""
    if _LOWER_LETTER.search(text):  # most lines: a lower-case letter settles it
        return False
    cased = [ch for ch in text if ch.isalpha() and ch.lower() != ch.upper()]
    return len(cased) >= 2 and all(ch.isupper() for ch in cased)


def _row_line(
    row: Row,
    body: float,
    left_edge: float,
    column_right: float,
    gap: tuple[int, float, int] | None = None,
) -> Line:
    main, rest = _split_wide_gaps(row, column_right, gap)
    text = tidy(_text_of(main), keep_marks=True)
    bullet = False
    first = main[0].text.strip() if main else ""
    if (
        len(main) > 1
        and (_BULLET_ONLY.match(first) or _glyph_marker(first))
        and main[1].x0 - main[0].x1 >= 1.0
    ):
        bullet, text = True, tidy(_text_of(main[1:]), keep_marks=True)
    elif text[:1] in BULLET_GLYPHS and text[1:2] == " ":
        bullet, text = True, text[2:].strip()
    elif row.marker and row.size <= 1.05 * body and text:
        bullet = True
    aside = _side_text(rest + row.aside)
    label = _side_text(row.label)
    # one pass over the runs: words (not a lone bullet glyph) all bold / all italic, and the
    # size of the longest run with a letter or digit
    words, bold, italic = False, True, True
    sized: tuple[int, float] | None = None
    for r in main:
        stripped = r.text.strip()
        alnum = _ALNUM.search(r.text) is not None
        if stripped and not _BULLET_ONLY.match(stripped):
            words = True
            if alnum and not r.bold:
                bold = False
            if not r.italic:
                italic = False
        if alnum and (sized is None or (len(stripped), r.size) > sized):
            sized = (len(stripped), r.size)
    size = (sized[1] if sized is not None else row.size) / body if body else 1.0
    return Line(
        text=text,
        aside=aside,
        label=label,
        parts=_style_parts(main),
        bullet=bullet,
        bold=words and bold,
        italic=words and italic,
        size=round(size, 2),
        caps=_is_caps(text),
        page=row.page,
        indent=round((row.x0 - left_edge) / body, 1) if body else 0.0,
    )


def _glyph_marker(text: str) -> bool:
    """A lone symbol before the text (a square or arrow from a symbol font, unmapped): a list marker."""
    if len(text) != 1 or text.isalnum():
        return False
    return unicodedata.category(text) == "Cc" or text in "▪■□◆◇❖➢➤►▶"


def _side_text(runs: list[Run]) -> str:
    """Aside or label runs as text, row by row (a date over two lines reads as one)."""
    if not runs:
        return ""
    rows = _rows(runs, 0)
    return tidy(" ".join(_text_of(row.runs) for row in rows), keep_marks=True)


def _style_parts(runs: list[Run]) -> list[str]:
    """The row's text cut where bold or size changes, when it does (icons and punctuation don't count)."""
    if len(runs) < 2:  # one run is one part at most
        return []
    parts: list[list[Run]] = []
    for run in runs:
        if _BULLET_ONLY.match(run.text.strip()) or not _ALNUM_NOT_ICON.search(run.text):
            if parts:
                parts[-1].append(run)
            continue
        if parts and run.bold == parts[-1][0].bold and abs(run.size - parts[-1][0].size) < 0.3:
            parts[-1].append(run)
        else:
            parts.append([run])
    if len(parts) < 2:
        return []
    return [t for t in (tidy(_text_of(p), keep_marks=True).strip(" ,|·•–—-") for p in parts) if t]


def _join(prev: str, nxt: str) -> str:
    """Join a wrapped line to the one before, restoring words broken by hyphenation."""
    if prev.endswith((_HYPHEN_BREAK, "\u00ad")) or (prev.endswith("-") and nxt[:1].islower()):
        stem = prev[:-1]
        head = re.search(r"(\w+)$", stem)
        keep = not nxt[:1].islower() or (head is not None and _compound(head.group(1), nxt))
        return stem + ("-" if keep else "") + nxt
    return f"{prev} {nxt}"


_COMPOUND_PREFIXES = {
    "multi",
    "cross",
    "self",
    "non",
    "co",
    "pre",
    "post",
    "well",
    "high",
    "low",
    "full",
    "part",
    "real",
    "long",
    "short",
    "open",
    "end",
    "front",
    "back",
    "cloud",
    "data",
    "event",
    "client",
    "server",
    "user",
    "team",
    "state",
    "world",
    "large",
    "small",
    "mid",
    "semi",
    "anti",
    "inter",
    "intra",
    "cost",
    "time",
    "test",
    "peer",
    "off",
}


def _compound(head: str, tail: str) -> bool:
    """Was 'head-' + 'tail' written with a hyphen ('multi-account'), not split by hyphenation?"""
    return (
        head.lower() in _COMPOUND_PREFIXES and len(tail.split()[0]) >= 3 if tail.split() else False
    )


def _continues(
    prev_row: Row, prev_line: Line, row: Row, line: Line, column_right: float, body: float
) -> bool:
    """Is `row` the wrapped continuation of the paragraph `prev_row` belongs to?"""
    if line.bullet or not prev_line.text or not line.text or line.title or prev_line.title:
        return False
    if line.aside and not prev_line.bullet:
        return False
    if abs(line.size - prev_line.size) > 0.06 or (
        line.bold != prev_line.bold and not prev_line.bullet
    ):
        return False
    pitch = prev_row.y0 - row.y1
    if pitch > 0.9 * body or pitch < -0.5 * body:
        return False
    if prev_line.bullet:
        # a hanging indent: the wrapped line starts under the bullet's text, not under the glyph
        text_start = next(
            (r.x0 for r in prev_row.runs if not _BULLET_ONLY.match(r.text.strip())), prev_row.x0
        )
        # a wrapped list item continues under its text; a line starting elsewhere is something new
        hanging = (
            abs(row.x0 - text_start) <= 0.8 * body
            or 0.3 * body <= row.x0 - prev_row.x0 <= 2.5 * body
        )
        return hanging and not line.label
    if abs(row.x0 - prev_row.x0) > 1.5 * body:
        return False
    if (
        len(prev_line.text.split()) <= 3
        and line.text[:1].isupper()
        and not prev_line.text.endswith((_HYPHEN_BREAK, ",", " and", " of", " &"))
    ):
        return False  # 'Working Student 1' over 'Description.': a title line, not wrapped prose
    main_right = max(r.x1 for r in prev_row.runs)
    filled = main_right >= column_right - max(3.0 * body, 0.12 * (column_right - prev_row.x0))
    return not (not filled and not prev_line.text.endswith((_HYPHEN_BREAK, ",")))


def _term_split(row: Row, left_edge: float) -> int:
    """Where a definition list's term ends in `row`: the index of the first run after a wide
    gap, when a short term starts the row at the flow's left edge; 0 when it isn't such a row."""
    if row.label or row.aside or len(row.runs) < 2 or abs(row.x0 - left_edge) > 2:
        return 0
    for k in range(1, len(row.runs)):
        if row.runs[k].x0 - max(r.x1 for r in row.runs[:k]) >= 1.5 * row.size:
            term = _text_of(row.runs[:k]).strip()
            words = term.split()
            return k if 1 <= len(words) <= 4 and not term.endswith((".", ",", ";")) else 0
    return 0


def _definition_terms(rows: list[Row]) -> list[Row]:
    """A definition list in a single-column stretch ('Programming' / 'Languages' to the left of
    their text, '2010-2014' / '(expected)' beside a degree): too few rows for a page-wide
    gutter, but each term sits at the flow's left edge, a wide gap before text that starts
    where the definitions' other lines start. The terms become the rows' labels; a term's
    wrapped second line joins it."""
    if len(rows) < 4:
        return rows
    left_edge = min(r.x0 for r in rows)
    splits = {id(row): k for row in rows if (k := _term_split(row, left_edge))}
    indents = [round(row.runs[splits[id(row)]].x0) for row in rows if id(row) in splits]
    if len(indents) < 2:
        return rows
    indent = max(set(indents), key=indents.count)
    # the definitions' own lines: rows that start at the indent, with no term
    continued = sum(1 for row in rows if id(row) not in splits and abs(row.x0 - indent) <= 2)
    if indents.count(indent) < 2 or continued < 2:
        return rows
    out: list[Row] = []
    for row in rows:
        k = splits.get(id(row), 0)
        if k and abs(row.runs[k].x0 - indent) <= 2:
            row.label, row.runs = row.runs[:k], row.runs[k:]
            row.refresh()
            out.append(row)
            continue
        above = out[-1] if out else None
        if (
            above is not None
            and above.label
            and row.x1 < indent - 2  # alone in the term column
            and abs(row.x0 - left_edge) <= 2
            and above.y0 - row.y1 <= 0.8 * row.size
            and len(_text_of(row.runs).split()) <= 3
        ):
            above.label.extend(row.runs)  # the term wrapped: '2010-2014' / '(expected)'
            continue
        out.append(row)
    return out


def _lines_of_flow(rows: list[Row], body: float) -> list[Line]:
    if not rows:
        return []
    rows = _definition_terms(rows)
    left_edge = min(r.x0 for r in rows)
    gaps = [_wide_gap(row.runs) for row in rows]  # each row's gap search, for both uses below
    # each row's right edge, without what it prints apart at its own right edge
    rights: list[float] = []
    for row, gap in zip(rows, gaps, strict=True):
        right = max(x.x1 for x in row.runs)
        main = _split_wide_gaps(row, right, gap)[0] if gap[0] else row.runs
        rights.append(right if main is row.runs else max(r.x1 for r in main))
    rights.sort()
    column_right = rights[int(len(rights) * 0.9)] if rights else 0.0
    lines: list[Line] = []
    prev_row: Row | None = None
    bullet_indent: float | None = None
    for row, gap in zip(rows, gaps, strict=True):
        line = _row_line(row, body, left_edge, column_right, gap)
        if row.side:
            line.source = "label"
            line.text = tidy(
                " ".join(_text_of(r.runs) for r in _rows(row.runs, row.page)), keep_marks=True
            )
        if not line.text and not line.aside:
            continue
        if (
            prev_row is not None
            and lines
            and not row.side
            and not prev_row.side
            and _continues(prev_row, lines[-1], row, line, column_right, body)
        ):
            last = lines[-1]
            last.text = _join(last.text, line.text)
            if line.aside:
                last.aside = f"{last.aside} {line.aside}".strip()
            # a label wrapped beside the paragraph's second line ('Competenze organizzative e' / 'gestionali')
            if line.label:
                last.label = f"{last.label} {line.label}".strip()
            prev_row = row
            continue
        if prev_row is not None:
            line.gap = round(max(0.0, (prev_row.y0 - row.y1) / body), 2)
        else:
            line.gap = 2.0
        if line.bullet:
            bullet_indent = (
                line.indent if bullet_indent is None else min(bullet_indent, line.indent)
            )
            line.depth = 1 if line.indent - bullet_indent >= 1.0 else 0
        lines.append(line)
        prev_row = row
    for line in lines:
        line.text = line.text.replace(_HYPHEN_BREAK, "-")
    return lines


# --- links and pictures -------------------------------------------------------------------


def _page_links(document: pdfium.PdfDocument, page: pdfium.PdfPage) -> list[tuple[str, float]]:
    """URI link annotations (the targets behind icons and underlined handles) with their top edge."""
    links: list[tuple[str, float]] = []
    rect = pdfium_c.FS_RECTF()
    pos = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    buf = ctypes.create_string_buffer(1024)
    for _ in range(200):
        if not pdfium_c.FPDFLink_Enumerate(page.raw, pos, link):
            break
        action = pdfium_c.FPDFLink_GetAction(link)
        if action and pdfium_c.FPDFAction_GetType(action) == pdfium_c.PDFACTION_URI:
            n = pdfium_c.FPDFAction_GetURIPath(document.raw, action, buf, 1024)
            if n > 1:
                top = rect.top if pdfium_c.FPDFLink_GetAnnotRect(link, rect) else 0.0
                links.append(
                    (
                        buf.raw[: n - 1].decode("utf-8", "replace"),
                        max(rect.top, rect.bottom) if top else 0.0,
                    )
                )
    return links


def _page_shapes(page: pdfium.PdfPage) -> tuple[list[tuple[float, float, float, float]], int, bool]:
    """One pass over the page's objects: small drawn shapes (list bullets drawn, not typed), and pictures.

    Returns (markers, image count, a picture placed like a portrait photo: near the top,
    portrait or square, 40-260 pt). Raw PDFium calls: Chromium pages hold thousands of objects.
    """
    height = page.get_height()
    markers: list[tuple[float, float, float, float]] = []
    images, photo = 0, False
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    get_type, get_bounds = _object_type, _object_bounds
    path, image, form = (
        pdfium_c.FPDF_PAGEOBJ_PATH,
        pdfium_c.FPDF_PAGEOBJ_IMAGE,
        pdfium_c.FPDF_PAGEOBJ_FORM,
    )
    stack = [(page.raw, True)]
    while stack:
        holder, is_page = stack.pop()
        count = (
            pdfium_c.FPDFPage_CountObjects(holder)
            if is_page
            else pdfium_c.FPDFFormObj_CountObjects(holder)
        )
        get_object = _page_object if is_page else _form_object
        for i in range(min(count, 20_000)):
            obj = get_object(holder, i)
            kind = get_type(obj)
            if kind == form and len(stack) < 4:
                stack.append((obj, False))
                continue
            if kind != path and kind != image:
                continue
            if not get_bounds(obj, *bounds):
                continue
            w, h = right.value - left.value, top.value - bottom.value
            if 1.2 <= w <= 8 and 1.2 <= h <= 8 and 0.4 <= h / w <= 2.5:
                markers.append((left.value, bottom.value, right.value, top.value))
            if kind == image:
                images += 1
                if (
                    40 <= w <= 260
                    and 40 <= h <= 300
                    and 0.6 <= h / w <= 1.7
                    and top.value >= height * 0.45
                ):
                    photo = True
    return markers, images, photo


def _mark_bullets(flows: list[list[Row]], markers: list[tuple[float, float, float, float]]) -> None:
    for flow in flows:
        for row in flow:
            first = row.runs[0]
            for _x0, y0, x1, y1 in markers:
                if (
                    x1 <= first.x0 + 0.5
                    and first.x0 - x1 <= 2.5 * first.size
                    and y1 >= first.y0 - 1
                    and y0 <= first.y1 + 1
                ):
                    row.marker = True
                    break


# --- entry point --------------------------------------------------------------------------


def read_pdf(data: bytes, max_pages: int) -> tuple[Layout, int, int, bool, str]:
    """(layout, pages, pages without text, multi-column, raw run text) for a PDF; raises our InputErrors."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFileError() from None
        raise
    try:
        n_pages = len(pdf)
        if n_pages > max_pages:
            raise TooManyPagesError(
                f"That PDF has {n_pages} pages; I review resumes of up to {max_pages} pages."
            )
        if n_pages == 0:
            raise DamagedFileError()
        layout = Layout()
        pages: list[tuple[float, list[list[Row]]]] = []
        empty = 0
        columns = 0
        raw_text: list[str] = []
        grid: list[tuple[float, float, str]] = []  # label/aside gutters of earlier pages
        sampled = unmapped = 0
        for index in range(n_pages):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:  # a page tree that loops or points nowhere
                raise DamagedFileError() from None
            textpage = page.get_textpage()
            try:
                chars = pdfium_c.FPDFText_CountChars(textpage.raw)
                rects = pdfium_c.FPDFText_CountRects(textpage.raw, 0, -1)
                by_runs = (
                    _runs_of_page(textpage) if rects and chars / rects >= _FRAGMENTED else None
                )
                runs = by_runs if by_runs is not None else _runs_by_char(textpage)
                width, height = page.get_width(), page.get_height()
                if not runs:
                    empty += 1
                flows = _page_rows(runs, index, width, grid=grid)
                markers, images, photo = _page_shapes(page)
                if markers:
                    _mark_bullets(flows, markers)
                if _side_by_side(flows):
                    columns += 1
                pages.append((height, flows))
                raw_text.extend(r.text for r in runs)
                seen, bad = _unmapped_share(textpage)
                sampled, unmapped = sampled + seen, unmapped + bad
                for uri, top in _page_links(pdf, page):
                    layout.links.append(uri)
                    if index == 0 and top >= height * 0.66:
                        layout.header_links.append(uri)
                if index == 0:
                    layout.images, layout.photo = images, photo
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    _drop_furniture(pages)
    body = _body_size(pages)
    for _height, flows in pages:
        for flow in flows:
            flow_lines = _lines_of_flow(flow, body)
            if flow_lines and layout.lines:
                flow_lines[0].gap = max(flow_lines[0].gap, 1.0)
            for k, line in enumerate(flow_lines):
                line.block = len(pages)  # placeholder, overwritten below
                _ = k
            layout.lines += flow_lines
    _mark_title(layout.lines)
    layout.links += _strip_icons(layout.lines)
    layout.unmapped = unmapped / sampled if sampled else 0.0
    return layout, n_pages, empty, columns * 2 >= n_pages, "\n".join(raw_text)


def _mark_title(lines: list[Line]) -> None:
    """The largest text near the top of page one is the document's title (usually the name)."""
    first = [ln for ln in lines[:25] if ln.page == 0 and ln.text]
    if not first:
        return
    biggest = max(first, key=lambda ln: ln.size)
    if biggest.size >= 1.3 and len(biggest.text.split()) <= 6:
        biggest.title = True


_PRIVATE_USE = regex_cache.compile("[\ue000-\uf8ff]")


def _strip_icons(lines: list[Line]) -> list[str]:
    """Icon glyphs (Font Awesome's private-use code points) become separators; returns the links they label.

    'ICON rendercv' after the GitHub icon is a GitHub handle: it is kept in the
    text and reported as 'github: rendercv' so the contact check sees it.
    """
    labelled: list[str] = []
    for line in lines:
        for attr in ("text", "aside", "label"):
            value = getattr(line, attr)
            if not _PRIVATE_USE.search(value):
                continue
            for m in re.finditer(r"([\ue000-\uf8ff])\s*([^\s\ue000-\uf8ff|]+)", value):
                kind = PRIVATE_ICONS.get(m.group(1))
                if kind in (
                    "github",
                    "linkedin",
                    "twitter",
                    "facebook",
                    "instagram",
                    "orcid",
                    "researchgate",
                    "mastodon",
                ):
                    labelled.append(f"{kind}: {m.group(2)}")
            value = re.sub(r"\s*[\ue000-\uf8ff]+\s*", " | ", value)
            value = re.sub(r"^(?:\s*\|\s*)+|(?:\s*\|\s*)+$", "", value)
            setattr(line, attr, re.sub(r"(?:\s*\|\s*){2,}", " | ", value).strip())
    return labelled


def read_pdf_fallback(data: bytes, max_pages: int) -> tuple[str, int]:
    """PDFium refused the file: let pypdf try to rebuild it before calling it damaged."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EncryptedFileError()
        n_pages = len(reader.pages)
        if n_pages > max_pages:
            raise TooManyPagesError(
                f"That PDF has {n_pages} pages; I review resumes of up to {max_pages} pages."
            )
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (EncryptedFileError, TooManyPagesError):
        raise
    except FileNotDecryptedError:
        raise EncryptedFileError() from None
    except (PdfReadError, Exception):  # pypdf raises many types on broken files
        raise DamagedFileError() from None
    if len(visible(text)) < limits.MIN_RESUME_CHARS:
        raise DamagedFileError()
    return text, n_pages
