"""The one shape every reader produces: lines in reading order, with what the page showed.

PDF, DOCX, Markdown, plain text and JSON Resume all become a list of `Line`s,
so the structure parser (core/structure.py) never needs to know the format. A
reader fills in what its format knows: a PDF knows font size, weight and the
text printed at the right edge of the same row; a DOCX knows heading styles,
list numbering and table cells; Markdown knows `#` levels and list markers.
What a format doesn't know stays at the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    """One visual line (PDF) or paragraph (DOCX, Markdown, text) of the resume."""

    text: str
    """The main text, cleaned: one space between words, no bullet glyph (see `bullet`)."""
    aside: str = ""
    """Text printed apart on the same row: a right-aligned date or location, a
    right-hand table cell, or the label column of a Europass-style layout. The
    structure parser attaches dates and places found here to the entry."""
    label: str = ""
    """Text from a label column on the left of the same row (Europass labels,
    moderncv's date margin): dates here belong to the entry like an aside."""
    parts: list[str] = field(default_factory=list)
    """The text cut where its style changes (a bold title, then the company in
    regular type): helps tell a title from an organization. Empty when uniform."""
    heading: int = 0
    """An explicit heading level the format declares: 1 for Markdown `#`/`##` or
    Word 'Heading 1/2', 2 for deeper levels; 0 when the format says nothing (PDF,
    plain text): the parser then judges from the words and the style below."""
    level: int = 0
    """The heading level exactly as the format declares it (Word outline level + 1,
    Markdown `#` count, setext `=` → 1 and `-` → 2); 0 when `heading` is 0.
    `heading` folds 1–2 together, which loses "name in Heading 1, sections in
    Heading 2" against "sections in Heading 1, roles in Heading 2"."""
    title: bool = False
    """The format marks this as the document title (Word 'Title' style, the
    first Markdown `#` line, the largest text on a PDF's first page)."""
    bullet: bool = False
    """A list item: a bullet glyph, a Word list paragraph, a Markdown `-`/`1.`."""
    depth: int = 0
    """Nesting of a list item (0 = top level)."""
    bold: bool = False
    """All of the line's text is bold."""
    italic: bool = False
    size: float = 1.0
    """Font size relative to the body text (1.0 = body size; 0 when unknown)."""
    caps: bool = False
    """Printed in capitals (real or small caps) with at least two letters."""
    gap: float = 0.0
    """Vertical space above the line, in body line heights (0 for text formats;
    a new paragraph in a text format is signalled with `gap=1`)."""
    page: int = 0
    indent: float = 0.0
    """Left edge relative to the block's left edge, in body font sizes (PDF), or
    the paragraph's indentation level (DOCX); 0 when unknown."""
    block: int = 0
    """Which column or table cell the line came from (0 = main flow)."""
    source: str = ""
    """Where the line came from when it matters for doubt: 'table', 'footer', 'json'."""

    def full_text(self) -> str:
        """The line as plain text: bullet marker, text and aside."""
        lead = "• " if self.bullet else ""
        text = f"{self.label}  {lead}{self.text}" if self.label else f"{lead}{self.text}"
        return f"{text}  {self.aside}".rstrip() if self.aside else text


@dataclass(slots=True)
class Layout:
    """What a reader hands on: the lines, plus document-wide facts."""

    lines: list[Line] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    """Link targets the file carries apart from its text (PDF link annotations,
    DOCX hyperlinks): handles behind icons are found here."""
    images: int = 0
    """Pictures that could be a portrait (PDF image objects on page 1, DOCX drawings)."""
    photo: bool = False
    unmapped: float = 0.0
    """Share of characters whose font carries no Unicode map (PDF): they read as the wrong letters."""
    """A picture placed like a portrait photo (near the top, roughly portrait-shaped)."""


def lines_to_text(lines: list[Line]) -> str:
    """Plain text in reading order, a blank line before headings and after gaps."""
    out: list[str] = []
    for line in lines:
        if out and (line.heading or line.gap >= 1.0) and out[-1] != "":
            out.append("")
        out.append(line.full_text())
    return "\n".join(out).strip()
