"""DOCX → `Layout`: paragraphs with what Word's styles and runs say.

Safety first (kept from the first DOCX reader): every ZIP member is inflated in
small reads and counted before python-docx opens the file, so a member that
lies about its size fails early; style names are looked up once (a per-
paragraph lookup took 20 s on a 100k-paragraph file); reading stops past
`max_lines` lines or `limits.MAX_TEXT_CHARS` characters.

What a person sees in Word becomes Line fields: heading styles (by outline
level, so localized names work), Title, list paragraphs with their level,
typed bullet glyphs, all-bold and all-caps paragraphs, manual line breaks,
a date after a TAB as the aside, table rows as entries (a date cell beside a
role cell is that role's date), a 1×N layout table read column by column,
pictures and hyperlink targets.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import docx
from lxml import etree

from core import limits, regex_cache
from core.errors import DamagedFileError, FileTooLargeError, UnsupportedFileError
from core.reading.clean import (
    attach_dates,
    is_caps,
    is_dateish,
    join_row,
    split_aside,
    strip_bullet,
    strip_decoration,
    tidy,
)
from core.reading.lines import Layout, Line

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MC_FALLBACK = f"{_MC}Fallback"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
_V_SHAPE = "{urn:schemas-microsoft-com:vml}shape"
_EMU_PER_PT = 12700
_WIDE_SPACES = regex_cache.compile(r"(?<=\S) {4,}(?=\S)")
_ICON_PT = 36.0  # a picture under half an inch on its short side is an icon, not a portrait
_ZIP_READ_CHUNK = 64 * 1024
_OFF = ("0", "false", "off", "none")

# Heading style names in the languages Word ships ("heading 1" is how built-in names are stored;
# some tools store the localized name instead). The outline level, when present, wins.
_HEADING_NAME = regex_cache.compile(
    r"^(?:heading|überschrift|berschrift|titre|título|titulo|titolo|kop|rubrik|overskrift|otsikko|"
    r"nagłówek|заголовок|nadpis|címsor|标题|標題|見出し|제목)\s*(\d)$",
    re.I,
)
_LIST_NAME = regex_cache.compile(r"^list (?:bullet|number)(?: (\d))?$")
_TITLE_NAMES = {
    "title",
    "titel",
    "titre",
    "título",
    "titulo",
    "titolo",
    "tytuł",
    "название",
    "表題",
    "标题",
    "標題",
    "제목",
}


def _zip_bomb_error() -> FileTooLargeError:
    return FileTooLargeError(
        "That Word file unpacks to far more data than a resume holds.",
        hint="Save it again from Word (File → Save As → .docx) and upload that.",
    )


def _inflate_bounded(zf: zipfile.ZipFile) -> None:
    """Inflate every member in small reads, counting what comes out.

    The sizes in ZIP headers are the sender's word: a member that claims 4 KB
    but inflates to gigabytes fails its CRC after 4 KB here, where python-docx's
    `read()` would first inflate up to 2 GB in one call.
    """
    total = 0
    for info in zf.infolist():
        with zf.open(info) as member:
            while chunk := member.read(_ZIP_READ_CHUNK):
                total += len(chunk)
                if total > limits.MAX_DOCX_UNCOMPRESSED_BYTES:
                    raise _zip_bomb_error()


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise UnsupportedFileError(
                    "That file is a ZIP archive, not a Word document.",
                    hint="Upload your resume as PDF or DOCX.",
                )
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > limits.MAX_DOCX_UNCOMPRESSED_BYTES:
                raise _zip_bomb_error()
            _inflate_bounded(zf)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ):
        raise DamagedFileError() from None  # bad CRC (a lying size), odd compression, encrypted member


# --- styles -------------------------------------------------------------------------


@dataclass(slots=True)
class _Style:
    name: str = ""
    heading: int = 0  # 1-based outline level, 0 = body
    title: bool = False
    listed: bool = False
    ilvl: int = 0
    num_id: str = ""
    bold: bool | None = None
    caps: bool | None = None
    italic: bool | None = None
    size: float | None = None  # points


def _half_points(rpr: object) -> float | None:
    el = rpr.find(f"{_W}sz") if rpr is not None else None  # type: ignore[attr-defined]
    val = el.get(f"{_W}val", "") if el is not None else ""
    return int(val) / 2 if val.isdigit() and int(val) > 0 else None


def _flag(rpr: object, tag: str) -> bool | None:
    if rpr is None:
        return None
    el = rpr.find(f"{_W}{tag}")  # type: ignore[attr-defined]
    if el is None:
        return None
    return el.get(f"{_W}val", "1").lower() not in _OFF


def _paragraph_style_names(styles_el: object) -> dict[str | None, _Style]:
    """Style id → what the style means, resolved through `basedOn` once (key None: the default).

    Looking a style up per paragraph (python-docx's `Paragraph.style`) scans every
    style in the file on each call: a DOCX with 100k paragraphs took 20 s that way.
    """
    raw: dict[str, tuple[object, str | None]] = {}
    default_para: str | None = None
    for st in styles_el.iterchildren(f"{_W}style"):  # type: ignore[attr-defined]
        sid = st.get(f"{_W}styleId")
        if not sid:
            continue
        if st.get(f"{_W}type", "paragraph") not in ("paragraph", "character"):
            continue  # table and numbering styles say nothing about a paragraph's text
        based = st.find(f"{_W}basedOn")
        raw[sid] = (st, based.get(f"{_W}val") if based is not None else None)
        if st.get(f"{_W}type") == "paragraph" and st.get(f"{_W}default") in ("1", "true"):
            default_para = sid
    resolved: dict[str | None, _Style] = {}

    def resolve(sid: str, depth: int = 0) -> _Style:
        if sid in resolved:
            return resolved[sid]
        st, based = raw[sid]
        parent = resolve(based, depth + 1) if based in raw and depth < 20 else _Style()
        name_el = st.find(f"{_W}name")  # type: ignore[attr-defined]
        name = name_el.get(f"{_W}val", "") if name_el is not None else ""
        out = _Style(
            name=name,
            heading=parent.heading,
            title=parent.title,
            listed=parent.listed,
            ilvl=parent.ilvl,
            num_id=parent.num_id,
            bold=parent.bold,
            caps=parent.caps,
            italic=parent.italic,
            size=parent.size,
        )
        ppr = st.find(f"{_W}pPr")  # type: ignore[attr-defined]
        rpr = st.find(f"{_W}rPr")  # type: ignore[attr-defined]
        outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
        m = _HEADING_NAME.match(name.strip()) or _HEADING_NAME.match(sid)
        if outline is not None and (val := outline.get(f"{_W}val", "")).isdigit():
            out.heading = int(val) + 1 if int(val) < 9 else 0
        elif m:
            out.heading = int(m.group(1))
        lowered = name.strip().lower()
        if lowered in _TITLE_NAMES or sid == "Title":
            out.title, out.heading = True, 0
        elif lowered == "subtitle" or sid == "Subtitle":
            out.title = False
        num = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num is not None:
            num_id = num.find(f"{_W}numId")
            if num_id is not None:  # a numPr with only a level (Word's Subtitle) numbers nothing
                out.num_id = num_id.get(f"{_W}val", "")
                out.listed = out.num_id not in ("", "0")
            lvl = num.find(f"{_W}ilvl")
            out.ilvl = (
                int(lvl.get(f"{_W}val", "0"))
                if lvl is not None and lvl.get(f"{_W}val", "0").isdigit()
                else out.ilvl
            )
        if (m2 := _LIST_NAME.match(lowered)) and not out.heading:
            out.listed = (
                True  # "List Bullet 2": a bulleted style even where the file lost its numbering
            )
            out.ilvl = int(m2.group(1)) - 1 if m2.group(1) else out.ilvl
        for tag, attr in (("b", "bold"), ("caps", "caps"), ("i", "italic")):
            value = _flag(rpr, tag)
            if value is None and tag == "caps":
                value = True if _flag(rpr, "smallCaps") else None
            if value is not None:
                setattr(out, attr, value)
        out.size = _half_points(rpr) or out.size
        resolved[sid] = out
        return out

    for sid in raw:
        resolve(sid)
    resolved[None] = resolved.get(default_para, _Style()) if default_para else _Style()
    defaults = styles_el.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")  # type: ignore[attr-defined]
    base = _half_points(defaults) or 10.0  # Word's own default when the file names none
    for style in resolved.values():
        style.size = style.size or base
    return resolved


# --- paragraphs ---------------------------------------------------------------------


class _Stop(Exception):
    """Far past any resume: stop reading (the caller refuses it as too long)."""


@dataclass(slots=True)
class _Piece:
    text: str
    bold: bool
    caps: bool
    italic: bool
    size: float = 0.0


class _Reader:
    def __init__(self, styles: dict[str | None, _Style], max_lines: int) -> None:
        self.styles = styles
        self.default = styles.get(None, _Style())
        self.max_lines = max_lines
        self.layout = Layout()
        self.chars = 0
        self.gap = 0.0
        self.pending_aside = ""
        self.rels: dict[str, str] = {}
        self.source = ""
        self.in_layout = 0  # inside a layout table's column
        self.silent: set[tuple[str, int]] = (
            set()
        )  # (numId, level) pairs whose numbering prints nothing

    # containers

    def body(self, container: object, block: int = 0) -> None:
        for el in self._children(container):
            tag = el.tag
            if tag == f"{_W}p":
                for line in self.paragraph(el, block):
                    self.emit(line)
                for box in self._text_boxes(el):
                    saved, self.source = self.source, self.source or "textbox"
                    try:
                        self.body(box, block)
                    finally:
                        self.source = saved
            elif tag == f"{_W}tbl":
                self.table(el, block)

    def _children(self, container: object) -> Iterable[object]:
        """Block-level children in order, looking through content controls and custom XML."""
        for el in container:  # type: ignore[attr-defined]
            tag = el.tag
            if tag in (f"{_W}sdt",):
                content = el.find(f"{_W}sdtContent")
                if content is not None:
                    yield from self._children(content)
            elif tag in (f"{_W}customXml", f"{_MC}AlternateContent", f"{_MC}Choice"):
                yield from self._children(el)
            elif tag == _MC_FALLBACK:
                continue
            else:
                yield el

    def _text_boxes(self, p: object) -> Iterable[object]:
        """Text boxes anchored in a paragraph, skipping the mc:Fallback (VML) copy of each."""
        stack = list(p)  # type: ignore[call-overload]
        while stack:
            el = stack.pop(0)
            if el.tag == _MC_FALLBACK:
                continue
            if el.tag == f"{_W}txbxContent":
                yield el
                continue
            stack[0:0] = list(el)

    def emit(self, line: Line) -> None:
        if not line.text and not line.aside:
            return
        if self.pending_aside and not line.aside and not line.heading:
            line.aside, self.pending_aside = self.pending_aside, ""
        line.gap = max(line.gap, self.gap)
        line.source = line.source or self.source
        self.gap = 0.0
        self.layout.lines.append(line)
        self.chars += len(line.text) + len(line.aside)
        if self.chars > limits.MAX_TEXT_CHARS or len(self.layout.lines) > self.max_lines:
            raise _Stop()

    def picture(self, el: object) -> None:
        """A picture: counted unless icon-sized; a photo when portrait-like near the top or in a side column."""
        size = _picture_size(el)
        if size is not None and min(size) < _ICON_PT:
            return  # a phone or mail icon
        self.layout.images += 1
        portrait_like = size is None or 0.6 <= size[1] / size[0] <= 2.0
        if portrait_like and (self.in_layout or len(self.layout.lines) < 8):
            self.layout.photo = True

    # one paragraph → one or more Lines (manual line breaks split it)

    def _pieces(self, p: object, style: _Style, block: int) -> list[_Piece]:
        pieces: list[_Piece] = []
        stack = list(p)  # type: ignore[call-overload]
        while stack:
            el = stack.pop(0)
            tag = el.tag
            if tag == f"{_W}r":
                rpr = el.find(f"{_W}rPr")
                char = (
                    self.styles.get(rpr.find(f"{_W}rStyle").get(f"{_W}val"))
                    if rpr is not None and rpr.find(f"{_W}rStyle") is not None
                    else None
                )
                bold = _flag(rpr, "b")
                if bold is None:
                    bold = (
                        char.bold
                        if char is not None and char.bold is not None
                        else bool(style.bold)
                    )
                caps = _flag(rpr, "caps") or _flag(rpr, "smallCaps")
                if caps is None:
                    caps = (
                        bool(char.caps)
                        if char is not None and char.caps is not None
                        else bool(style.caps)
                    )
                italic = _flag(rpr, "i")
                italic = bool(style.italic) if italic is None else italic
                size = (
                    _half_points(rpr)
                    or (char.size if char is not None and char.size else 0)
                    or style.size
                    or 0.0
                )
                for child in el:
                    ctag = child.tag
                    if ctag == f"{_W}t":
                        pieces.append(_Piece(child.text or "", bold, caps, italic, size))
                    elif ctag == f"{_W}tab" or ctag == f"{_W}ptab":
                        pieces.append(_Piece("\t", bold, caps, italic, size))
                    elif ctag in (f"{_W}br", f"{_W}cr"):
                        pieces.append(_Piece("\n", bold, caps, italic, size))
                    elif ctag == f"{_W}noBreakHyphen":
                        pieces.append(_Piece("-", bold, caps, italic, size))
                    elif (
                        ctag in (f"{_W}drawing", f"{_W}pict", f"{_W}object") or ctag.startswith(_MC)
                    ) and any(True for _ in child.iter(_A_BLIP, _V_IMAGEDATA)):
                        self.picture(
                            child
                        )  # once per picture: an mc:AlternateContent holds two copies
                    elif ctag == f"{_W}instrText":
                        m = re.search(r'HYPERLINK\s+"([^"]+)"', child.text or "")
                        if m:
                            self.layout.links.append(m.group(1))
            elif tag == f"{_W}hyperlink":
                rid = el.get(_R_ID)
                if rid and rid in self.rels:
                    self.layout.links.append(self.rels[rid])
                stack[0:0] = list(el)
            elif (
                tag in (f"{_W}del", f"{_W}pPr", f"{_W}moveFrom", _MC_FALLBACK)
                or tag == f"{_W}instrText"
            ):
                continue
            else:  # w:ins, w:smartTag, w:sdt/sdtContent, w:fldSimple, w:customXml, mc:AlternateContent …
                if tag == f"{_W}fldSimple":
                    m = re.search(r'HYPERLINK\s+"([^"]+)"', el.get(f"{_W}instr", ""))
                    if m:
                        self.layout.links.append(m.group(1))
                stack[0:0] = list(el)
        return pieces

    def paragraph(self, p: object, block: int) -> list[Line]:
        ppr = p.find(f"{_W}pPr")  # type: ignore[attr-defined]
        sid_el = ppr.find(f"{_W}pStyle") if ppr is not None else None
        style = self.styles.get(sid_el.get(f"{_W}val")) if sid_el is not None else None
        style = style or self.default
        heading = style.heading
        listed, ilvl = style.listed, style.ilvl
        style_num = style.num_id
        indent = 0.0
        if ppr is not None:
            outline = ppr.find(f"{_W}outlineLvl")
            if outline is not None and outline.get(f"{_W}val", "").isdigit():
                lvl = int(outline.get(f"{_W}val"))
                heading = lvl + 1 if lvl < 9 else 0
            num = ppr.find(f"{_W}numPr")
            if num is not None:
                num_id = num.find(f"{_W}numId")
                if num_id is not None:
                    listed = num_id.get(f"{_W}val", "") not in ("", "0")
                    style_num = num_id.get(f"{_W}val", "")
                lvl_el = num.find(f"{_W}ilvl")
                if lvl_el is not None and lvl_el.get(f"{_W}val", "0").isdigit():
                    ilvl = int(lvl_el.get(f"{_W}val", "0"))
            if listed and (style_num, ilvl) in self.silent:
                listed = False  # a numbering level that prints nothing: no bullet to see
            ind = ppr.find(f"{_W}ind")
            if ind is not None:
                left = ind.get(f"{_W}left") or ind.get(f"{_W}start") or "0"
                if left.lstrip("-").isdigit():
                    indent = float(max(0, round(int(left) / 720)))
        pieces = self._pieces(p, style, block)
        raw = "".join(piece.text for piece in pieces)
        if not raw.strip():
            self.gap = 1.0
            return []
        # split at manual line breaks, keeping each piece's formatting
        segments: list[list[_Piece]] = [[]]
        for piece in pieces:
            parts = piece.text.split("\n")
            for n, part in enumerate(parts):
                if n:
                    segments.append([])
                if part:
                    segments[-1].append(
                        _Piece(part, piece.bold, piece.caps, piece.italic, piece.size)
                    )
        lines: list[Line] = []
        term = "term" in style.name.lower()
        for n, seg in enumerate(segments):
            raw_text = "".join(s.text for s in seg)
            text = tidy(raw_text, keep_tabs=True)
            if not text.strip():
                continue
            visible = [s for s in seg if s.text.strip()]
            bold = bool(visible) and all(s.bold for s in visible)
            italic = bool(visible) and all(s.italic for s in visible)
            caps = (bool(visible) and all(s.caps for s in visible)) or (
                len(text.split()) <= 8 and is_caps(text)
            )
            size = max((s.size for s in visible), default=0.0)
            body, aside = split_aside(text)
            if not aside and _WIDE_SPACES.search(raw_text):
                # a wide run of spaces is how some people push a date to the right edge
                spaced = split_aside(tidy(_WIDE_SPACES.sub("\t", raw_text), keep_tabs=True))
                body, aside = spaced if spaced[1] else (body, aside)
            bullet = False
            if n == 0 and listed and not heading:
                bullet = True
                body = strip_bullet(body)[0]
                body = re.sub(
                    r"^\d{1,2}[.)、．](?=\s*[^\d\s])\s*", "", body
                )  # a number typed into a numbered list
            else:
                body, bullet = strip_bullet(body)
            if not bullet:
                body = strip_decoration(body)
            level = (1 if heading <= 2 else 2) if heading and n == 0 else 0
            line = Line(
                text=body,
                aside=aside,
                heading=level,
                level=heading if level else 0,
                title=style.title and n == 0,
                bullet=bullet,
                depth=ilvl if bullet and listed else 0,
                bold=bold,
                italic=italic,
                caps=caps,
                size=size,
                indent=indent,
                block=block,
                parts=[] if bullet else _style_parts(seg),
            )
            if (
                term
                and not bullet
                and not aside
                and is_dateish(body)
                and n == len(segments) - 1
                and len(segments) == 1
            ):
                self.pending_aside = (
                    body  # a date-only definition term: the date of the entry below
                )
                return lines
            lines.append(line)
        return lines

    # tables

    def _cell_lines(self, tc: object, block: int) -> list[Line]:
        """The Lines of one table cell, read as a small document (nested tables included)."""
        saved, saved_gap, saved_aside = self.layout.lines, self.gap, self.pending_aside
        self.layout.lines, self.gap, self.pending_aside = [], 0.0, ""
        try:
            self.body(tc, block)
            return self.layout.lines
        finally:
            cell_lines = self.layout.lines
            self.layout.lines, self.gap, self.pending_aside = saved, saved_gap, saved_aside
            self.chars -= sum(len(ln.text) + len(ln.aside) for ln in cell_lines)

    def table(self, tbl: object, block: int) -> None:
        rows = []
        for tr in tbl.iterchildren(f"{_W}tr"):  # type: ignore[attr-defined]
            cells = []
            for tc in self._children(tr):
                if tc.tag != f"{_W}tc":
                    continue
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                    continue  # the lower part of a vertically merged cell: already read
                cells.append(tc)
            rows.append(cells)
        for cells in rows:
            if len(cells) >= 2 and self._is_layout_row(cells):
                self._layout_row(cells, block)
            else:
                self._entry_row(cells, block)

    def _layout_row(self, cells: list[object], block: int) -> None:
        """Cells that are whole columns (sidebar + main): each read in full, one block per cell."""
        self.in_layout += 1
        try:
            for index, tc in enumerate(cells):
                for line in self._cell_lines(tc, block + index):
                    self.emit(line)
        finally:
            self.in_layout -= 1

    def _entry_row(self, cells: list[object], block: int) -> None:
        cell_lines = [self._cell_lines(tc, block) for tc in cells]
        filled = [lines for lines in cell_lines if lines]
        if not filled:
            return
        if all(len(lines) == 1 for lines in filled) and not any(
            ln[0].heading or ln[0].bullet for ln in filled
        ):
            self.emit(self._row_line([ln[0] for ln in filled], block))
            return
        # a date cell beside a cell of several lines is the date of the entry that cell opens
        singles = [lines for lines in filled if len(lines) == 1 and not lines[0].aside]
        if len(filled) == 2 and singles and is_dateish(singles[0][0].text):
            other = filled[0] if filled[1] is singles[0] else filled[1]
            other[0].aside = other[0].aside or singles[0][0].text
            filled = [other]
        for lines in filled:
            for line in lines:
                line.source = line.source or "table"
                self.emit(line)

    @staticmethod
    def _paragraph_texts(tc: object) -> list[str]:
        return [
            t
            for p in tc.iter(f"{_W}p")
            if (t := "".join(x.text or "" for x in p.iter(f"{_W}t")).strip())
        ]  # type: ignore[attr-defined]

    def _is_layout_row(self, cells: list[object]) -> bool:
        """Cells that are whole columns (sidebar + main), not [date | entry] or [label | value]."""
        texts = [self._paragraph_texts(tc) for tc in cells]
        counts = [len(t) for t in texts]
        if any(len(t) == 1 and is_dateish(t[0]) for t in texts):
            return False  # [2019 – 2021 | the entry of those years]
        return max(counts) >= 3 and sum(counts) >= 5 and sum(1 for c in counts if c >= 2) >= 2

    @staticmethod
    def _row_line(cells: list[Line], block: int) -> Line:
        """One table row of one-line cells → one Line: [role | date], [label | value], [a | b | c]."""
        if len(cells) == 1:
            line = cells[0]
            line.source, line.block = "table", block
            return line
        texts = [f"{c.text} {c.aside}".strip() for c in cells]
        text, aside = join_row(texts)
        kept = [c for c, t in zip(cells, texts, strict=True) if t != aside]
        return Line(
            text=text,
            aside=aside,
            bold=all(c.bold for c in kept),
            caps=all(c.caps for c in kept),
            size=max(c.size for c in kept) if kept else 0.0,
            source="table",
            block=block,
        )


def read_docx(data: bytes, max_lines: int) -> Layout:
    """A Word resume as Lines in reading order; raises the same typed errors as before."""
    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        styles = _paragraph_style_names(document.styles.element)
    except Exception:  # python-docx raises KeyError/ValueError/lxml errors on broken parts
        raise DamagedFileError() from None
    reader = _Reader(styles, max_lines)
    reader.silent = _silent_numbering(document)
    try:
        first = document.sections[0] if len(document.sections) else None
        if first is not None:
            _read_part(reader, first.header, "header")
        reader.rels = _link_targets(document.part)
        reader.source = ""
        reader.gap = 0.0
        reader.body(document.element.body)
        if first is not None:
            _read_part(reader, first.footer, "footer")
    except _Stop:
        pass
    except (KeyError, ValueError, IndexError, AttributeError, etree.LxmlError):
        # a part python-docx can't walk (a missing relationship, a broken header): what was read
        # so far still counts. Our own mistakes (TypeError …) are not hidden behind a short read.
        if not reader.layout.lines:
            raise DamagedFileError() from None
    seen: set[str] = set()
    reader.layout.links = [u for u in reader.layout.links if not (u in seen or seen.add(u))]
    _relative_sizes(reader.layout.lines)
    attach_dates(reader.layout.lines)
    _mark_title(reader.layout.lines)
    return reader.layout


def _style_parts(pieces: list[_Piece]) -> list[str]:
    """The text cut where bold or size changes ('**Data Engineer**, Firma A'), as the PDF reader
    does; punctuation-only runs don't count. Empty when the paragraph is in one style."""
    groups: list[tuple[tuple[bool, float], list[_Piece]]] = []
    lead: list[_Piece] = []  # punctuation before the first word ('[' in '[degree]')
    for piece in pieces:
        if "\t" in piece.text or not any(ch.isalnum() for ch in piece.text):
            (groups[-1][1] if groups else lead).append(piece)
            continue
        look = (piece.bold, piece.size)
        if groups and look[0] == groups[-1][0][0] and abs(look[1] - groups[-1][0][1]) < 0.3:
            groups[-1][1].append(piece)
        else:
            groups.append((look, [*lead, piece] if not groups else [piece]))
    if len(groups) < 2:
        return []
    texts = [tidy("".join(p.text for p in group)).strip(" ,|·•–—-;:：；") for _, group in groups]
    return [t for t in texts if t]


def _silent_numbering(document: object) -> set[tuple[str, int]]:
    """(numId, level) pairs whose format is 'none' or whose text is empty: list paragraphs with no mark."""
    silent: set[tuple[str, int]] = set()
    try:
        numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    except Exception:  # no numbering part
        return silent
    abstract: dict[str, set[int]] = {}
    for an in numbering.iterchildren(f"{_W}abstractNum"):
        quiet = set()
        for lvl in an.iterchildren(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            text = lvl.find(f"{_W}lvlText")
            ilvl = lvl.get(f"{_W}ilvl", "0")
            if ilvl.isdigit() and (
                (fmt is not None and fmt.get(f"{_W}val") == "none")
                or (text is not None and not (text.get(f"{_W}val") or "").strip())
            ):
                quiet.add(int(ilvl))
        abstract[an.get(f"{_W}abstractNumId", "")] = quiet
    for num in numbering.iterchildren(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        for ilvl in abstract.get(ref.get(f"{_W}val", "") if ref is not None else "", set()):
            silent.add((num.get(f"{_W}numId", ""), ilvl))
    return silent


def _picture_size(el: object) -> tuple[float, float] | None:
    """(width, height) in points from a drawing's extent or a VML shape's style; None when unknown."""
    for extent in el.iter(_WP_EXTENT):  # type: ignore[attr-defined]
        cx, cy = extent.get("cx", ""), extent.get("cy", "")
        if cx.isdigit() and cy.isdigit() and int(cx) > 0 and int(cy) > 0:
            return int(cx) / _EMU_PER_PT, int(cy) / _EMU_PER_PT
    for shape in el.iter(_V_SHAPE):  # type: ignore[attr-defined]
        style = shape.get("style", "")
        w = re.search(r"width:\s*([\d.]+)pt", style)
        h = re.search(r"height:\s*([\d.]+)pt", style)
        if w and h and float(w.group(1)) > 0 and float(h.group(1)) > 0:
            return float(w.group(1)), float(h.group(1))
    return None


def _relative_sizes(lines: list[Line]) -> None:
    """Points → size relative to the body text (the size most characters are set in)."""
    weight: dict[float, int] = {}
    for line in lines:
        if line.size and not line.heading and not line.title:
            weight[line.size] = weight.get(line.size, 0) + len(line.text)
    body = max(weight, key=lambda k: weight[k]) if weight else 0.0
    for line in lines:
        line.size = round(line.size / body, 2) if body and line.size else 0.0


def _mark_title(lines: list[Line]) -> None:
    """No Title style: the first line is the title when it is the document's only Heading 1
    (pandoc puts the name there, sections in Heading 2), or when one of the first three lines
    is set far larger than anything else (a name typed in 20 pt bold)."""
    body = [line for line in lines if line.source not in ("footer",)]
    if not body or any(line.title for line in lines):
        return
    first = next((line for line in body if line.source != "header"), body[0])
    if first.level == 1 and not any(line.level == 1 for line in body if line is not first):
        first.title = True
        return
    top = body[:3]
    biggest = max(top, key=lambda line: line.size)
    rest = max((line.size for line in body if line is not biggest), default=0.0)
    if (
        biggest.size >= 1.5
        and biggest.size > rest
        and not biggest.bullet
        and len(biggest.text.split()) <= 6
    ):
        biggest.title = True


def _link_targets(part: object) -> dict[str, str]:
    targets: dict[str, str] = {}
    try:
        for rid, rel in part.rels.items():  # type: ignore[attr-defined]
            if rel.is_external and "hyperlink" in rel.reltype:
                targets[rid] = rel.target_ref
    except Exception:  # odd relationships are not worth failing over
        pass
    return targets


def _read_part(reader: _Reader, part_proxy: object, source: str) -> None:
    """A page header or footer: contact details often sit there."""
    try:
        if part_proxy.is_linked_to_previous:  # type: ignore[attr-defined]
            return  # the first section has none of its own
        element = part_proxy._element  # type: ignore[attr-defined]
        reader.rels = _link_targets(part_proxy.part)  # type: ignore[attr-defined]
    except Exception:  # a missing header part is not worth failing over
        return
    reader.source = source
    reader.gap = 1.0 if reader.layout.lines else 0.0
    reader.body(element)
    reader.source = ""
