"""Plain text and Markdown → `Layout`: the lines a person reads, with what the markup says.

Markdown: front matter skipped, ATX (`#`) and setext (`===`/`---`) headings,
`**bold**`-only lines, list items with their nesting, blockquotes unwrapped,
links kept as text (targets in `Layout.links`), pictures counted and dropped,
pandoc definition lists (a date term becomes the aside of its definition).
Plain text: bullets by glyph, wrapped lines joined, capitals, underlined
headings, right-hand dates after a TAB or a wide run of spaces as asides.
Everything runs in one pass over the lines (linear time).
"""

from __future__ import annotations

import html
import re

from core import regex_cache
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

_TERMINAL = (".", "!", "?", ":", ";", "。", "！", "？", "：")
_JOIN_ENDINGS = (
    ",",
    "&",
    " and",
    " of",
    " the",
    " to",
    " with",
    " for",
    " in",
    " a",
    " an",
    " or",
    " und",
    " de",
    " et",
    " e",
    " y",
)
_DATE_TAIL = regex_cache.compile(r"(?:19|20)\d{2}\s*$|(?:present|current|now|heute|至今)\s*$", re.I)
_PAGE_NUMBER = regex_cache.compile(
    r"^(?:\d{1,2}(?:\s*/\s*\d{1,2})?|page \d+(?: of \d+)?|- \d+ -)$", re.I
)
_UNDERLINE = regex_cache.compile(r"^(?:={3,}|-{3,}|_{3,}|~{3,}|\*{3,})$")


def read_text(text: str, markdown: bool) -> Layout:
    """A TXT or Markdown resume as Lines. `text` is already decoded."""
    if text.count("\\n") >= 2:  # exported with literal escape sequences: they were line breaks
        text = text.replace("\\n", "\\\n" if markdown else "\n")
    if markdown:  # tidy() drops trailing spaces: a '  ' hard break becomes the '\\' one first
        text = _SPACE_BREAK.sub(r"\1\\", text)
        return _Markdown(tidy(text, keep_indent=True).split("\n")).read()
    return _read_plain(
        tidy(
            "\n".join(_gap_to_tab(ln) for ln in text.split("\n")), keep_tabs=True, keep_indent=True
        ).split("\n")
    )


# a paragraph or list line ending in two spaces (a Markdown hard break); not a heading or table row
_SPACE_BREAK = regex_cache.compile(r"^(?![ \t]*#)(.*[^\s|\\]) {2,}$", re.M)
_GAP = regex_cache.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")


def _gap_to_tab(line: str) -> str:
    """A date set apart by a run of spaces ('Engineer, Firma      2019 – 2021', and the two spaces
    `lines_to_text` puts before an aside) is an aside: the run becomes a TAB. Other runs stay spaces,
    so prose typed with two spaces after a full stop is not cut."""
    if "  " not in line and "\u00a0\u00a0" not in line:
        return line
    gaps = list(_GAP.finditer(line))
    if not gaps:
        return line
    last, first = gaps[-1], gaps[0]
    if is_dateish(line[last.end() :]):
        return line[: last.start()] + "\t" + line[last.end() :]
    if is_dateish(line[: first.start()]):
        return line[: first.start()] + "\t" + line[first.end() :]
    return line


# --- plain text -------------------------------------------------------------------


def _looks_like_heading(line: str) -> bool:
    return len(line.split()) <= 4 and (is_caps(line) or line.endswith((":", "：")))


def _is_section_word(line: str) -> bool:
    try:
        from core.structure import heading_section
    except ImportError:  # pragma: no cover - the parser is being rewritten
        return False
    return heading_section(line) is not None


def _continues(prev: str, line: str, in_bullet: bool, width: int, joined_words: int) -> bool:
    """Is `line` the wrapped tail of the line before it (`prev`: that physical line only)?"""
    if prev.endswith(("–", "—", " -")) and re.match(
        r"^(?:present|current|now|\w+\.? ?(?:19|20)\d{2})", line, re.I
    ):
        return True  # "June 2020 –" / "Present"
    if prev.endswith(_TERMINAL) or _looks_like_heading(line) or _is_section_word(line):
        return False
    if _DATE_TAIL.search(line) or _DATE_TAIL.search(prev) or "@" in line:
        return False
    filled = width > 0 and len(prev) >= 0.72 * width
    if line[:1].islower() or line[:1] in "(&,":
        return filled or joined_words >= 6 or prev.endswith((",", "&"))
    if in_bullet and filled:
        return True
    return filled and prev.endswith(_JOIN_ENDINGS)


def _indent(raw: str) -> int:
    lead = raw[: len(raw) - len(raw.lstrip(" \t"))]
    return len(lead.expandtabs(4))


def _read_plain(raw_lines: list[str]) -> Layout:
    layout = Layout()
    lengths = sorted(len(s.strip()) for s in raw_lines if s.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    bullet_indents: list[int] = []
    out: list[Line] = []
    tails: dict[int, list[str]] = {}  # wrapped continuations, joined once at the end (linear time)
    prev_phys = ""
    joined_words = 0
    in_bullet = False
    gap = 0.0
    for raw in raw_lines:
        stripped = raw.strip()
        if not stripped:
            gap, in_bullet, prev_phys = 1.0, False, ""
            continue
        if _UNDERLINE.match(stripped):
            if prev_phys and out and not out[-1].bullet:
                out[-1].heading, out[-1].level = 1, 1 if stripped[0] == "=" else 2  # underlined
            else:
                gap = 1.0  # a rule between blocks
            prev_phys = ""
            continue
        if _PAGE_NUMBER.match(stripped):
            continue
        body, bullet = strip_bullet(stripped)
        if bullet:
            indent = _indent(raw)
            while bullet_indents and indent < bullet_indents[-1]:
                bullet_indents.pop()
            if not bullet_indents or indent > bullet_indents[-1]:
                bullet_indents.append(indent)
            text, aside = split_aside(body)
            out.append(
                Line(text=text, aside=aside, bullet=True, depth=len(bullet_indents) - 1, gap=gap)
            )
            in_bullet, prev_phys, joined_words, gap = True, body, len(body.split()), 0.0
            continue
        if not in_bullet:
            bullet_indents.clear()
        if (
            out
            and prev_phys
            and not out[-1].heading
            and "\t" not in stripped
            and not out[-1].aside
            and _continues(prev_phys, stripped, in_bullet, width, joined_words)
        ):
            last = out[-1]
            joiner = "" if prev_phys.endswith("-") and stripped[:1].islower() else " "
            tails.setdefault(len(out) - 1, []).append(
                joiner + stripped
            )  # a hyphen at the break is kept
            last.caps = last.caps and is_caps(stripped)
            prev_phys = stripped
            joined_words += len(stripped.split())
            continue
        text, aside = split_aside(stripped)
        text = strip_decoration(text)
        words = len(text.split())
        out.append(Line(text=text, aside=aside, gap=gap, caps=words <= 8 and is_caps(text)))
        in_bullet, prev_phys, joined_words, gap = False, stripped, words, 0.0
    for index, parts in tails.items():
        out[index].text = out[index].text + "".join(parts)
    layout.lines = [line for line in out if line.text or line.aside]
    attach_dates(layout.lines)
    return layout


# --- Markdown ---------------------------------------------------------------------

_FENCE = regex_cache.compile(r"^\s*(```|~~~)")
_REF_DEF = regex_cache.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?(?:\s+.*)?$")
_QUOTE = regex_cache.compile(r"^\s*(?:>\s?)+")
_HR = regex_cache.compile(r"^(?:[-*_])(?:\s*[-*_]){2,}$")
_ATX = regex_cache.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_LIST = regex_cache.compile(r"^(\s*)([-*+•]|\d{1,3}[.)])[ \t]+(.*)$")
_DEFINITION = regex_cache.compile(r"^\s{0,3}:[ \t]+(.*)$")
_IMAGE = regex_cache.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>", re.I)
_LINK = regex_cache.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_REF_LINK = regex_cache.compile(r"\[([^\]]+)\]\s?\[([^\]]*)\]")
_AUTOLINK = regex_cache.compile(
    r"<((?:https?|ftp)://[^>\s]+|mailto:[^>\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>", re.I
)
_BR = regex_cache.compile(r"<br\s*/?>", re.I)
_HTML_TAG = regex_cache.compile(
    r"</?(?:a|b|i|u|s|em|strong|span|div|p|font|center|small|big|sup|sub|mark|code|pre|kbd|"
    r"section|header|footer|article|nav|main|aside|details|summary|table|thead|tbody|tr|td|th|"
    r"ul|ol|li|dl|dt|dd|h[1-6]|hr|blockquote|figure|figcaption|picture|source|abbr|cite|del|ins)\b[^<>]*>"
    r"|<!--.*?-->",
    re.I,
)
_TABLE_SEPARATOR = regex_cache.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_HTML_HEADING = regex_cache.compile(r"^<h([1-6])\b[^>]*>(.*?)</h\1>$", re.I)
_HTML_BOLD = regex_cache.compile(r"^<(b|strong)\b[^>]*>(.*?)</\1>$", re.I)
_ITALIC_ALL = regex_cache.compile(
    r"^([*_])(?![*_\s])[^*_]*?(?<=\S)\1$|^<(?:i|em)\b[^>]*>.*</(?:i|em)>$", re.I
)
_BOLD_ALL = regex_cache.compile(r"^(\*\*|__)(?!\s)(.+?)(?<!\s)\1$")
_BOLD_LEAD = regex_cache.compile(r"^(\*\*|__)(?!\s)(.+?)(?<!\s)\1(.*)$")
_ESCAPE = regex_cache.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")


class _Markdown:
    """One pass over the source lines; `out` holds the Lines made so far."""

    def __init__(self, lines: list[str]) -> None:
        self.src = lines
        self.layout = Layout()
        self.out: list[Line] = []
        self.gap = 0.0
        self.blank_before = True
        self.hard_break = False  # the previous source line ended with a hard break
        self.prev_raw = ""  # the previous source line, stripped (wrap decisions)
        self.list_indents: list[int] = []
        self.last_was_list = False
        self.pending_aside = ""  # a date-only definition term waiting for its definition
        self.have_title = False
        self.in_code = False
        self.tails: dict[
            int, list[str]
        ] = {}  # soft-wrapped continuations, joined at the end (linear time)
        self.last_italic = False  # the last text _inline() read was wholly in *italics*

    def read(self) -> Layout:
        start = self._front_matter_end()
        lines = self.src
        for idx in range(start, len(lines)):
            self._line(lines[idx], lines, idx)
        for index, parts in self.tails.items():
            self.out[index].text = (self.out[index].text + "".join(parts)).strip()
        self.layout.lines = [ln for ln in self.out if ln.text or ln.aside]
        attach_dates(self.layout.lines)
        seen: set[str] = set()
        self.layout.links = [u for u in self.layout.links if not (u in seen or seen.add(u))]
        return self.layout

    def _front_matter_end(self) -> int:
        if not self.src or self.src[0].strip() not in ("---", "+++"):
            return 0
        fence = self.src[0].strip()
        closers = ("---", "...") if fence == "---" else ("+++",)
        for i in range(1, min(len(self.src), 200)):
            if self.src[i].strip() in closers:
                body = [ln for ln in self.src[1:i] if ln.strip()]
                keyed = sum(
                    1
                    for ln in body
                    if re.match(r"^\s*[\w\"'-]+\s*[:=]", ln) or ln.lstrip().startswith("- ")
                )
                return i + 1 if body and keyed * 2 >= len(body) else 0
        return 0

    # one source line

    def _line(self, raw: str, lines: list[str], idx: int) -> None:
        if _FENCE.match(raw):
            self.in_code = not self.in_code
            self._blank()
            return
        if self.in_code:
            if raw.strip():
                self._emit(Line(text=raw.strip(), gap=self.gap))
            return
        m = _REF_DEF.match(raw)
        if m and not raw.lstrip().startswith("[!"):
            self.layout.links.append(m.group(2))
            return
        raw = _QUOTE.sub(lambda q: " " * 0, raw, count=1) if _QUOTE.match(raw) else raw
        stripped = raw.strip()
        if not stripped:
            self._blank()
            return
        if _UNDERLINE.match(stripped) and stripped[0] in "=-" and self._setext(stripped):
            return
        if _HR.match(stripped.replace(" ", "")) and len(stripped.replace(" ", "")) >= 3:
            self._blank()
            return
        m = _ATX.match(raw)
        if m:
            level = len(m.group(1))
            text, _, _ = self._inline(m.group(2) or "")
            title = level == 1 and not self.have_title and not any(ln.heading for ln in self.out)
            self.have_title = self.have_title or title
            self._emit(
                Line(
                    text=strip_decoration(text),
                    heading=1 if level <= 2 else 2,
                    level=level,
                    title=title,
                    gap=self.gap,
                )
            )
            self._after(stripped, list_item=False, hard=True)
            return
        if _TABLE_SEPARATOR.match(stripped) and "|" in stripped:
            return
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            self._table_row(stripped)
            return
        if m := _HTML_HEADING.match(stripped):
            level = int(m.group(1))
            text, _, _ = self._inline(m.group(2))
            title = level == 1 and not self.have_title and not any(ln.heading for ln in self.out)
            self.have_title = self.have_title or title
            self._emit(
                Line(
                    text=text,
                    heading=1 if level <= 2 else 2,
                    level=level,
                    title=title,
                    gap=self.gap,
                )
            )
            self._after(stripped, list_item=False, hard=True)
            return
        parts = _BR.split(raw) if "<" in raw else [raw]  # no '<': no <br>
        for n, part in enumerate(parts):
            if part.strip() or n == 0:
                self._content(part, lines, idx, hard=n < len(parts) - 1)

    def _content(self, raw: str, lines: list[str], idx: int, hard: bool) -> None:
        stripped = raw.strip()
        ends_hard = hard or raw.endswith("\\") or self.src[idx].endswith("  ")
        m = _LIST.match(raw)
        if m and not (m.group(2)[0].isdigit() and is_dateish(stripped)):
            indent = len(m.group(1).expandtabs(4))
            if not self.last_was_list and not self.blank_before:
                self.list_indents.clear()
            while self.list_indents and indent < self.list_indents[-1]:
                self.list_indents.pop()
            if not self.list_indents or indent > self.list_indents[-1]:
                self.list_indents.append(indent)
            text, aside, bold = self._inline(m.group(3))
            self._emit(
                Line(
                    text=text,
                    aside=aside,
                    bullet=True,
                    depth=len(self.list_indents) - 1,
                    bold=bold,
                    gap=self.gap,
                )
            )
            self._after(m.group(3).strip(), list_item=True, hard=ends_hard)
            return
        m = _DEFINITION.match(raw)
        if m:
            text, aside, bold = self._inline(m.group(1))
            aside = aside or self.pending_aside
            self.pending_aside = ""
            self._emit(Line(text=text, aside=aside, bold=bold, indent=1, gap=self.gap))
            self._after(m.group(1).strip(), list_item=False, hard=ends_hard)
            return
        indented = len(raw) - len(raw.lstrip(" \t")) >= 2
        if not indented and (self.blank_before or self.hard_break) and self._is_term(lines, idx):
            text, aside, bold = self._inline(stripped)
            if is_dateish(text) and not aside:
                self.pending_aside = (
                    text  # '2017-2018' / ':   **Master …**': the date of that entry
                )
                self._after(stripped, list_item=False, hard=True)
                return
            self._emit(Line(text=text, aside=aside, bold=True, gap=self.gap))
            self._after(stripped, list_item=False, hard=True)
            return
        text, aside, bold = self._inline(stripped)
        prev = self.out[-1] if self.out else None
        if (
            prev is not None
            and not self.blank_before
            and not self.hard_break
            and not prev.heading
            and not aside
            and ((self.last_was_list and indented) or self._wraps(self.prev_raw, stripped))
        ):
            if text:
                self.tails.setdefault(len(self.out) - 1, []).append(" " + text)
            prev.bold = prev.bold and bold
            self._after(stripped, list_item=self.last_was_list, hard=ends_hard)
            return
        if self.last_was_list and not indented:
            self.list_indents.clear()
        words = len(text.split())
        self._emit(
            Line(
                text=strip_decoration(text),
                aside=aside,
                bold=bold,
                gap=self.gap,
                caps=words <= 8 and is_caps(text),
                indent=1 if indented else 0,
            )
        )
        self._after(stripped, list_item=False, hard=ends_hard)

    def _table_row(self, row: str) -> None:
        """A pipe-table row read as one line: [role | date] puts the date aside, [label | value] joins."""
        cells = [self._inline(cell) for cell in re.split(r"(?<!\\)\|", row.strip().strip("|"))]
        text, aside = join_row([f"{t} {a}".strip() for t, a, _ in cells])
        bold = all(b for t, _, b in cells if t)
        self._emit(
            Line(text=text, aside=aside, bold=bold and bool(text), gap=self.gap, source="table")
        )
        self._after(row, list_item=False, hard=True)

    # helpers

    def _blank(self) -> None:
        self.gap = 1.0
        self.blank_before = True
        self.hard_break = False
        self.prev_raw = ""

    def _after(self, stripped: str, list_item: bool, hard: bool) -> None:
        self.blank_before = False
        self.hard_break = hard
        self.prev_raw = stripped
        self.last_was_list = list_item or (self.last_was_list and bool(self.list_indents))

    def _emit(self, line: Line) -> None:
        line.italic = line.italic or (self.last_italic and not line.heading)
        self.last_italic = False
        self.out.append(line)
        self.gap = 0.0

    def _setext(self, underline: str) -> bool:
        """A `===`/`---` line right under a paragraph line turns it into a heading."""
        prev = self.out[-1] if self.out else None
        if prev is None or self.blank_before or prev.bullet or prev.heading or not self.prev_raw:
            return False
        level = 1 if underline[0] == "=" else 2
        prev.heading, prev.level = 1, level
        prev.bold = False
        if level == 1 and not self.have_title and not any(ln.heading for ln in self.out[:-1]):
            prev.title = self.have_title = True
        self.blank_before = False
        self.hard_break = True
        self.prev_raw = ""
        return True

    def _is_term(self, lines: list[str], idx: int) -> bool:
        """A pandoc definition term: the next line (or the one after a blank) starts with ':'."""
        for j in (idx + 1, idx + 2):
            if j >= len(lines):
                return False
            nxt = _QUOTE.sub("", lines[j])
            if _DEFINITION.match(nxt):
                return True
            if nxt.strip():
                return False
        return False

    @staticmethod
    def _wraps(prev: str, line: str) -> bool:
        """Does this source line continue the paragraph line before it (a soft wrap)?"""
        if not prev:
            return False
        plain_prev = prev.replace("**", "").replace("__", "")
        if (
            plain_prev.count("*") % 2
            or prev.count("**") % 2
            or prev.count("[") > prev.count("]")
            or prev.count("(") > prev.count(")")
        ):
            return True  # an emphasis, link or bracket left open
        if prev.endswith(_TERMINAL) or prev.endswith("\\"):
            return False
        if re.match(r"^<?(?:https?://|www\.)\S+$", line):
            return False  # a link on a line of its own (an entry's website under its dates)
        if line[:1].islower() or line[:1] in "(&,":
            return True
        return prev.endswith(_JOIN_ENDINGS)

    def _inline(self, text: str) -> tuple[str, str, bool]:
        """Markup → (text, aside, all-bold). Links and pictures are recorded on the layout."""
        text = text.rstrip()
        if text.endswith("\\") and not text.endswith("\\\\"):
            text = text[:-1].rstrip()
        codes: list[str] = []

        def keep_code(m: re.Match[str]) -> str:
            codes.append(m.group(1))
            return f"\x00{len(codes) - 1}\x00"

        # Each pattern below needs a character most lines lack ('`', '[', '<', '*'...): a line
        # without it skips the pattern, which would have changed nothing (most of a resume).
        if "`" in text:
            text = re.sub(r"`+([^`]+?)`+", keep_code, text)
        images = len(_IMAGE.findall(text)) if "!" in text or "<" in text else 0
        if images:
            self.layout.images += images
            text = _IMAGE.sub("", text)

        def link(m: re.Match[str]) -> str:
            if m.group(2):
                self.layout.links.append(m.group(2))
            return m.group(1)

        def autolink(m: re.Match[str]) -> str:
            target = m.group(1)
            self.layout.links.append(
                target if "://" in target or target.startswith("mailto:") else f"mailto:{target}"
            )
            return target.removeprefix("mailto:")

        if "[" in text:
            text = _LINK.sub(link, text)
            text = _REF_LINK.sub(lambda m: m.group(1), text)
        if "<" in text:
            text = _AUTOLINK.sub(autolink, text)
        text = html.unescape(text).strip()
        aside = ""
        bold = False
        self.last_italic = bool(_ITALIC_ALL.match(text))
        if "<" in text:
            text = _HTML_TAG.sub(
                lambda t: t.group(0) if re.match(r"</?(?:b|strong)\b", t.group(0), re.I) else "",
                text,
            ).strip()
            if m := _HTML_BOLD.match(text):
                text, bold = m.group(2), True
            text = _HTML_TAG.sub("", text).strip()
        if bold:
            pass
        elif m := _BOLD_ALL.match(text):
            if m.group(1) not in m.group(2):
                bold = True
        elif m := _BOLD_LEAD.match(text):
            rest = _strip_emphasis(m.group(3)).strip().strip("-–—|,·•:;").strip()
            if rest and is_dateish(rest):
                text, aside, bold = m.group(2), rest, True
        text = _strip_emphasis(text)
        if "\\" in text:
            text = _ESCAPE.sub(r"\1", text)
        if "\x00" in text:
            text = re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)
        if "  " in text or "\t" in text:
            text = re.sub(r"[ \t]+", " ", text)
        text = text.strip()
        if not aside and "\t" in text:
            text, aside = split_aside(text)
        return text, aside, bold


def _strip_emphasis(text: str) -> str:
    if "*" not in text and "_" not in text and "~" not in text:
        return text  # every pattern below needs one of them
    if m := re.fullmatch(r"(\*{1,2}|_{1,2})(?=\S)([^*_]+?)\s*\1", text):
        return m.group(2)  # a whole line in emphasis, even with a space before it closes
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"~~(?=\S)(.+?)(?<=\S)~~", r"\1", text)
    text = re.sub(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)", r"\1", text)
    # an emphasis opened on this line and closed on the next (wrapped italics)
    text = re.sub(r"^(\*\*|\*|__|_)(?=\S)|(?<=\S)(\*\*|\*|__)$", "", text)
    return text


def plain_text(text: str, *, markdown: bool = False) -> str:
    """Text as the reader sees it (wrapped lines joined, bullets marked '• ', headings spaced)."""
    from core.reading.lines import lines_to_text

    return lines_to_text(read_text(text, markdown=markdown).lines)
