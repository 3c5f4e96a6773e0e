"""Which fonts the PDF uses, found at run time, and which characters they can draw.

Latin, Greek and Cyrillic are set in Libertinus Serif (SIL OFL 1.1), which the
`typst` wheel carries inside its compiler, so those scripts work anywhere the
package installs. Chinese, Japanese and Korean need a CJK font of ~20 MB that
the project doesn't ship: Noto Serif CJK / Noto Sans CJK (OFL), from Debian's
`fonts-noto-cjk` (which `.ci/run` installs) or any of the usual font folders.

A missing glyph would come out as an empty box that ATS software reads as
nothing, so before typesetting, `coverage()` checks every character against
the fonts' own character maps (read here from the font files, no font library
needed). A letter no font has means no PDF, and the user is told why; a
symbol no font has (template icons, emoji) is left out of the PDF.
"""

from __future__ import annotations

import bisect
import functools
import mmap
import os
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LATIN_FAMILY = "Libertinus Serif"

# Code points the fonts inside the typst wheel draw in every style (Libertinus Serif,
# New Computer Modern and DejaVu Sans Mono; Typst falls back from one to the next),
# below U+3000, merged into ranges. Regenerate after a typst upgrade with
# `python -m core.export.fonts`, which reads them from the installed compiler;
# tests/test_export_pdf.py checks the table still matches it.
EMBEDDED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),
    (0x00A0, 0x01C3),
    (0x01CD, 0x01DD),
    (0x01DF, 0x01E3),
    (0x01E6, 0x01EF),
    (0x01F4, 0x01F6),
    (0x01F8, 0x01F9),
    (0x01FC, 0x021F),
    (0x0221, 0x0221),
    (0x0224, 0x0241),
    (0x0243, 0x0245),
    (0x0249, 0x0249),
    (0x024C, 0x024D),
    (0x0250, 0x02E9),
    (0x02EC, 0x02EE),
    (0x02F3, 0x02F3),
    (0x0300, 0x033F),
    (0x0342, 0x0343),
    (0x0358, 0x0358),
    (0x0361, 0x0361),
    (0x0374, 0x0377),
    (0x037A, 0x037F),
    (0x0384, 0x038A),
    (0x038C, 0x038C),
    (0x038E, 0x03A1),
    (0x03A3, 0x03CE),
    (0x03D0, 0x03E1),
    (0x03F0, 0x045F),
    (0x0462, 0x0463),
    (0x0472, 0x0473),
    (0x0490, 0x049B),
    (0x04A2, 0x04A5),
    (0x04AA, 0x04B3),
    (0x04BA, 0x04BB),
    (0x04C0, 0x04C4),
    (0x04C7, 0x04C8),
    (0x04CB, 0x04CC),
    (0x04CF, 0x04F9),
    (0x0510, 0x0511),
    (0x051A, 0x051D),
    (0x0531, 0x0556),
    (0x0559, 0x055F),
    (0x0561, 0x0587),
    (0x0589, 0x058A),
    (0x05B0, 0x05C3),
    (0x05C6, 0x05C6),
    (0x05D0, 0x05EA),
    (0x05F0, 0x05F4),
    (0x0E3F, 0x0E3F),
    (0x0E81, 0x0E82),
    (0x0E84, 0x0E84),
    (0x0E87, 0x0E88),
    (0x0E8A, 0x0E8A),
    (0x0E8D, 0x0E8D),
    (0x0E94, 0x0E97),
    (0x0E99, 0x0E9F),
    (0x0EA1, 0x0EA3),
    (0x0EA5, 0x0EA5),
    (0x0EA7, 0x0EA7),
    (0x0EAA, 0x0EAB),
    (0x0EAD, 0x0EB9),
    (0x0EBB, 0x0EBC),
    (0x0EC8, 0x0ECD),
    (0x10D0, 0x10FC),
    (0x1D02, 0x1D02),
    (0x1D08, 0x1D09),
    (0x1D14, 0x1D14),
    (0x1D16, 0x1D17),
    (0x1D1D, 0x1D1F),
    (0x1D2C, 0x1D2E),
    (0x1D30, 0x1D3C),
    (0x1D3E, 0x1D5B),
    (0x1D62, 0x1D65),
    (0x1D77, 0x1D78),
    (0x1D7B, 0x1D7B),
    (0x1D85, 0x1D85),
    (0x1D9B, 0x1DB7),
    (0x1DB9, 0x1DBF),
    (0x1E00, 0x1E9B),
    (0x1E9E, 0x1EF9),
    (0x1F00, 0x1F15),
    (0x1F18, 0x1F1D),
    (0x1F20, 0x1F45),
    (0x1F48, 0x1F4D),
    (0x1F50, 0x1F57),
    (0x1F59, 0x1F59),
    (0x1F5B, 0x1F5B),
    (0x1F5D, 0x1F5D),
    (0x1F5F, 0x1F7D),
    (0x1F80, 0x1FB4),
    (0x1FB6, 0x1FC4),
    (0x1FC6, 0x1FD3),
    (0x1FD6, 0x1FDB),
    (0x1FDD, 0x1FEF),
    (0x1FF2, 0x1FF4),
    (0x1FF6, 0x1FFE),
    (0x2000, 0x2027),
    (0x202F, 0x2037),
    (0x2039, 0x203F),
    (0x2042, 0x2042),
    (0x2044, 0x204B),
    (0x204F, 0x204F),
    (0x205F, 0x205F),
    (0x2070, 0x2071),
    (0x2074, 0x208E),
    (0x2090, 0x209C),
    (0x20A0, 0x20B5),
    (0x20B8, 0x20BA),
    (0x20BD, 0x20BD),
    (0x20BF, 0x20BF),
    (0x2100, 0x2103),
    (0x2105, 0x2106),
    (0x2109, 0x2109),
    (0x210C, 0x210F),
    (0x2111, 0x2111),
    (0x2113, 0x2113),
    (0x2115, 0x2117),
    (0x2119, 0x211A),
    (0x211C, 0x211D),
    (0x2120, 0x2120),
    (0x2122, 0x2122),
    (0x2124, 0x2124),
    (0x2126, 0x2127),
    (0x212A, 0x212B),
    (0x212E, 0x212E),
    (0x2135, 0x2137),
    (0x2139, 0x2139),
    (0x2148, 0x2148),
    (0x2150, 0x2151),
    (0x2153, 0x2184),
    (0x2189, 0x2189),
    (0x2190, 0x2220),
    (0x2223, 0x222D),
    (0x2234, 0x223D),
    (0x2241, 0x226B),
    (0x226D, 0x228B),
    (0x228D, 0x22A5),
    (0x22B2, 0x22B5),
    (0x22B8, 0x22B8),
    (0x22C2, 0x22C6),
    (0x22CD, 0x22D1),
    (0x22DA, 0x22E9),
    (0x22EF, 0x22EF),
    (0x2300, 0x2306),
    (0x2308, 0x2315),
    (0x2318, 0x2319),
    (0x231C, 0x2321),
    (0x2325, 0x232B),
    (0x2335, 0x237A),
    (0x237D, 0x237D),
    (0x2380, 0x2383),
    (0x2388, 0x238B),
    (0x2395, 0x2395),
    (0x239B, 0x23AE),
    (0x23CE, 0x23CF),
    (0x23D3, 0x23D3),
    (0x2423, 0x2423),
    (0x2500, 0x2600),
    (0x2605, 0x2605),
    (0x2619, 0x2619),
    (0x261B, 0x261B),
    (0x261E, 0x261E),
    (0x2627, 0x2627),
    (0x262F, 0x262F),
    (0x2638, 0x2653),
    (0x2660, 0x2667),
    (0x2669, 0x266F),
    (0x2695, 0x2695),
    (0x2698, 0x2698),
    (0x26A2, 0x26A4),
    (0x2767, 0x2767),
    (0x27C2, 0x27C2),
    (0x27C5, 0x27C6),
    (0x27DC, 0x27DC),
    (0x27E0, 0x27E0),
    (0x27E6, 0x27EB),
    (0x27F5, 0x27F7),
    (0x2987, 0x2988),
    (0x2997, 0x2998),
    (0x29EB, 0x29EB),
    (0x29FA, 0x29FB),
    (0x2A00, 0x2A00),
    (0x2A2F, 0x2A2F),
    (0x2A6A, 0x2A6B),
    (0x2B05, 0x2B0D),
    (0x2B12, 0x2B1A),
    (0x2C60, 0x2C70),
    (0x2C74, 0x2C77),
    (0x2C79, 0x2C7A),
    (0x2C7C, 0x2C7F),
    (0x2E18, 0x2E18),
    (0x2E1F, 0x2E1F),
    (0x2E22, 0x2E25),
    (0x2E2E, 0x2E2E),
)

# Where fonts live on Linux, macOS and in a user's home; RESUME_BOT_FONT_DIRS (os.pathsep-separated) goes first.
_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
)
# Noto CJK file names, in order of preference: serif to sit with Libertinus Serif, sans otherwise.
_CJK_FILES = (
    ("Noto Serif CJK", ("NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc")),
    ("Noto Sans CJK", ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc")),
    ("Noto Serif CJK", ("NotoSerifCJKsc-Regular.otf", "NotoSerifCJKsc-Bold.otf")),
    ("Noto Sans CJK", ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf")),
)


@dataclass(frozen=True, slots=True)
class CjkFont:
    family: str  # "Noto Serif CJK" (+ " JP"/" SC"/" KR"/" TC" picks the regional glyph shapes)
    files: tuple[Path, ...]  # regular first, bold when present
    ranges: tuple[tuple[int, int], ...]  # code points the regular face maps


def _cmap_ranges(data: bytes, font_offset: int = 0) -> list[tuple[int, int]]:
    """Code-point ranges an OpenType font's best Unicode cmap subtable maps (formats 4 and 12)."""
    _, num_tables = struct.unpack_from(">IH", data, font_offset)
    cmap = None
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, font_offset + 12 + 16 * i)
        if tag == b"cmap":
            cmap = offset
    if cmap is None:
        return []
    _, n = struct.unpack_from(">HH", data, cmap)
    subtables: dict[int, int] = {}
    for i in range(n):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, cmap + offset)[0]
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and fmt == 12:
            subtables[12] = cmap + offset
        elif (platform, encoding) in ((3, 1), (0, 3), (0, 4)) and fmt == 4:
            subtables.setdefault(4, cmap + offset)
    ranges: list[tuple[int, int]] = []
    if (at := subtables.get(12)) is not None:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        for start, end, glyph in struct.iter_unpack(">III", data[at + 16 : at + 16 + 12 * groups]):
            if glyph == 0:  # a group starting at .notdef: its first code point has no glyph
                start += 1
            if start <= end:
                ranges.append((start, end))
    elif (at := subtables.get(4)) is not None:
        seg_count = struct.unpack_from(">H", data, at + 6)[0] // 2
        ends = struct.unpack_from(f">{seg_count}H", data, at + 14)
        starts = struct.unpack_from(f">{seg_count}H", data, at + 16 + 2 * seg_count)
        deltas = struct.unpack_from(f">{seg_count}h", data, at + 16 + 4 * seg_count)
        range_at = at + 16 + 6 * seg_count
        offsets = struct.unpack_from(f">{seg_count}H", data, range_at)
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if start == 0xFFFF:
                continue
            if offsets[i] == 0:
                ranges.extend((c, c) for c in range(start, end + 1) if (c + deltas[i]) & 0xFFFF)
                continue
            for c in range(start, end + 1):
                where = range_at + 2 * i + offsets[i] + 2 * (c - start)
                if where + 2 <= len(data) and struct.unpack_from(">H", data, where)[0]:
                    ranges.append((c, c))
    return merge_ranges(ranges)


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def font_ranges(path: Path) -> list[tuple[int, int]]:
    """The code points a font file maps (the first face of a collection: they share one cmap in Noto CJK)."""
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        offset = struct.unpack_from(">I", data, 12)[0] if data[:4] == b"ttcf" else 0
        return _cmap_ranges(data, offset)  # type: ignore[arg-type]  # reads only the cmap's pages


def _search_dirs() -> list[Path]:
    extra = [d for d in os.environ.get("RESUME_BOT_FONT_DIRS", "").split(os.pathsep) if d]
    return [Path(d).expanduser() for d in (*extra, *_FONT_DIRS)]


@functools.cache
def find_cjk_font() -> CjkFont | None:
    """A Noto CJK font on this machine, or None. Looked up once per process (fonts don't move)."""
    found: dict[str, Path] = {}
    wanted = {name for _, names in _CJK_FILES for name in names}
    for folder in _search_dirs():
        if not folder.is_dir():
            continue
        for root, _, files in os.walk(folder, followlinks=True):
            for name in wanted.intersection(files):
                found.setdefault(name, Path(root) / name)
    for family, names in _CJK_FILES:
        if names[0] in found:
            files = tuple(found[n] for n in names if n in found)
            try:
                ranges = tuple(font_ranges(files[0]))
            except (OSError, ValueError, struct.error):
                continue
            if ranges:
                return CjkFont(family, files, ranges)
    return None


def _covered(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    i = bisect.bisect_right(ranges, (code, 0x10FFFF)) - 1
    return i >= 0 and ranges[i][0] <= code <= ranges[i][1]


def covered_by_embedded(ch: str) -> bool:
    """True when the fonts inside the typst wheel draw `ch` (or it is white space)."""
    return ch.isspace() or _covered(EMBEDDED_RANGES, ord(ch))


@dataclass(frozen=True, slots=True)
class Coverage:
    needs_cjk: bool  # some character only the CJK font has
    missing_letters: frozenset[str]  # letters/digits/marks no font has: no PDF
    missing_symbols: frozenset[str]  # icons, emoji no font has: left out of the PDF


def coverage(text: str, cjk: CjkFont | None) -> Coverage:
    """Which font each character of `text` needs, and which characters no font has."""
    needs_cjk = False
    letters: set[str] = set()
    symbols: set[str] = set()
    for ch in set(text):
        code = ord(ch)
        if covered_by_embedded(ch):
            continue
        if cjk is not None and _covered(cjk.ranges, code):
            needs_cjk = True
        elif unicodedata.category(ch)[0] in "LMN":
            letters.add(ch)
        elif unicodedata.category(ch) not in ("Cf", "Cc"):  # format characters draw nothing anyway
            symbols.add(ch)
    return Coverage(needs_cjk, frozenset(letters), frozenset(symbols))


def script_names(chars: Iterable[str]) -> list[str]:
    """'Arabic', 'Devanagari', 'Chinese'…: the scripts of characters, for a message to the user."""
    names: set[str] = set()
    for ch in chars:
        first = unicodedata.name(ch, "UNKNOWN CHARACTER").split()[0]
        names.add(
            {
                "CJK": "Chinese",
                "HIRAGANA": "Japanese",
                "KATAKANA": "Japanese",
                "HANGUL": "Korean",
            }.get(first, first.title())
        )
    return sorted(names)


def embedded_ranges() -> list[tuple[int, int]]:
    """Read EMBEDDED_RANGES from the installed typst compiler: its fonts are OpenType blobs in the library.

    A maintenance tool (and a test's oracle), not used at run time.
    """
    import re

    import typst

    library = next(Path(typst.__file__).parent.glob("_typst*"))
    data = library.read_bytes()
    families: dict[str, list[set[int]]] = {}
    view = memoryview(data)
    for m in re.finditer(rb"OTTO|\x00\x01\x00\x00", data):
        at = m.start()
        try:
            (n,) = struct.unpack_from(">H", data, at + 4)
            if not 5 < n < 40:
                continue
            tags = [data[at + 12 + 16 * i : at + 16 + 16 * i] for i in range(n)]
            if b"cmap" not in tags or b"name" not in tags:
                continue
            blob = view[at:]
            name_at = struct.unpack_from(">I", blob, 12 + 16 * tags.index(b"name") + 8)[0]
            names = bytes(blob[name_at : name_at + 6000]).replace(b"\x00", b"")
            family = next(f for f in (b"Libertinus", b"Computer Modern", b"DejaVu") if f in names)
            codes = {c for a, b in _cmap_ranges(blob) for c in range(a, b + 1)}  # type: ignore[arg-type]
        except (struct.error, StopIteration, ValueError):
            continue
        if ord("a") in codes and ord("Ж") in codes:  # text faces, not the math ones
            families.setdefault(family.decode(), []).append(codes)
    drawn = set().union(*(set.intersection(*faces) for faces in families.values()))
    return merge_ranges((c, c) for c in drawn if c < 0x3000)


if __name__ == "__main__":
    print(embedded_ranges())
