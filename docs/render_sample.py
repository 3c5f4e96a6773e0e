"""Render the first page of the sample resume's rewrite PDF to docs/sample-rewrite.png (for the README).

    python docs/render_sample.py [RESUME] [OUT.png]

PDFium (pypdfium2) draws the page; the PNG is written with zlib, so no imaging
library is needed.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def png_bytes(width: int, height: int, rgb: bytes) -> bytes:
    """An 8-bit RGB PNG from packed rows."""
    stride = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def render_first_page(pdf: bytes, scale: float = 1.25) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    bitmap = document[0].render(scale=scale, rev_byteorder=True)  # RGB, not BGR
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    buffer = bytes(bitmap.buffer)
    channels = stride // width if width else 3
    rows = []
    for y in range(height):
        row = buffer[y * stride : y * stride + width * channels]
        rows.append(
            row if channels == 3 else b"".join(row[x : x + 3] for x in range(0, len(row), channels))
        )
    return png_bytes(width, height, b"".join(rows))


def main() -> None:
    from core.config import Settings
    from core.export import export_rewrite
    from core.review import offline_pipeline

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "resume.pdf"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "sample-rewrite.png"
    _, result = offline_pipeline(
        source.read_bytes(), source.name, None, None, Settings(_env_file=None), False
    )
    pdf = next(a.content for a in export_rewrite(result, ("pdf",)).attachments)
    out.write_bytes(render_first_page(pdf))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
