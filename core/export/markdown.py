"""The rewrite's Markdown, parsed once into the blocks every file format lays out.

The DOCX and the PDF are both built from `parse_rewrite()`'s blocks, so they
always agree on what is the name, a contact line, a section heading, an entry,
its date line and its bullets. The parser is generic: any `#`/`##`/`###`
headings, `-`/`*`/`+`/`•`/`1.` list items and `**bold**`/`*italic*`/links/code
spans, whatever wording the rewrite uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from core import regex_cache

# XML 1.0 forbids these code points; Word refuses a file that contains them.
_XML_INVALID = regex_cache.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# \* escapes, **bold**, *italic* / _italic_, [text](url), `code`
_INLINE = regex_cache.compile(
    r"\\(?P<esc>[!-/:-@\[-`{-~])"  # a backslash escape: the character as typed
    r"|\*\*(?P<bold>.+?)\*\*|__(?P<bold2>.+?)__|(?<![\w*])\*(?P<ital>[^*\s](?:[^*]*[^*\s])?)\*(?!\w)"
    r"|(?<![\w_])_(?P<ital2>[^_\s](?:[^_]*[^_\s])?)_(?![\w_])|\[(?P<link>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"|`(?P<code>[^`]+)`"
)
_CONTACT_HINT = regex_cache.compile(r"@|\+?\d[\d ()-]{6,}|linkedin|github|https?://|www\.|\|")
_DATE_HINT = regex_cache.compile(r"\b(19|20)\d{2}\b|\bpresent\b|\bcurrent\b", re.I)
_RULE = regex_cache.compile(r"[-*_]{3,}")
_HEADING = regex_cache.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = regex_cache.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+(.*)$")
_DATE_LINE = regex_cache.compile(r"[*_][^*_].*[*_]")

BlockKind = Literal["title", "header", "heading", "entry", "bullet", "dates", "text"]


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """One line of the resume as laid out.

    `title` the name; `header` a line between the name and the first section
    (headline, contact details; `contact` marks the latter); `heading` a
    section; `entry` a role, school or project; `dates` the italic date line
    under an entry; `bullet` a list item; `text` any other paragraph.
    """

    kind: BlockKind
    runs: tuple[Run, ...]
    contact: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def clean_xml_text(text: str) -> str:
    """Drop characters XML 1.0 can't hold (control bytes, lone surrogates) so Word opens the file."""
    return _XML_INVALID.sub("", text)


def inline_runs(text: str, *, bold: bool = False, italic: bool = False) -> list[Run]:
    """Split Markdown inline markup into styled runs; links become their text (plus the URL if different)."""
    runs: list[Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()], bold, italic))
        if m["esc"] is not None:
            runs.append(Run(m["esc"], bold, italic))
        elif (inner := m["bold"] or m["bold2"]) is not None:
            runs.extend(inline_runs(inner, bold=True, italic=italic))
        elif (inner := m["ital"] or m["ital2"]) is not None:
            runs.extend(inline_runs(inner, bold=bold, italic=True))
        elif m["link"] is not None:
            label, url = m["link"], m["url"]
            shown = (
                label
                if url.removeprefix("mailto:") in label or label in url
                else f"{label} ({url})"
            )
            runs.append(Run(shown, bold, italic))
        else:
            runs.append(Run(m["code"], bold, italic))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold, italic))
    return [r for r in runs if r.text]


def _block(kind: BlockKind, text: str, *, contact: bool = False) -> Block:
    return Block(kind, tuple(inline_runs(clean_xml_text(text))), contact)


def parse_rewrite(markdown: str) -> list[Block]:
    """The rewrite's Markdown → blocks in reading order (blank lines and `---` rules dropped)."""
    blocks: list[Block] = []
    has_title = False
    in_header = False  # between the name and the first section: headline and contact lines
    for raw in clean_xml_text(markdown).splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or _RULE.fullmatch(stripped):
            continue
        if m := _HEADING.match(stripped):
            level, text = len(m[1]), m[2].strip().rstrip("#").strip()
            if level == 1 and not has_title:
                blocks.append(_block("title", text))
                has_title, in_header = bool(blocks[-1].text), True
            else:
                blocks.append(_block("heading" if level <= 2 else "entry", text))
                in_header = False
            continue
        if m := _BULLET.match(line):
            blocks.append(_block("bullet", m[1]))
        elif in_header:
            blocks.append(_block("header", stripped, contact=bool(_CONTACT_HINT.search(stripped))))
        elif _DATE_LINE.fullmatch(stripped) and _DATE_HINT.search(stripped):
            blocks.append(_block("dates", stripped))
        else:
            blocks.append(_block("text", stripped))
    return blocks


def document_title(blocks: list[Block]) -> str:
    """The name at the top (the file's title property), or '' when the rewrite has none."""
    return next((b.text for b in blocks if b.kind == "title" and b.text), "")
