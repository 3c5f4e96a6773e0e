"""Build small PDFs with text at exact places, for layout tests (our own fixtures, made at test time).

PDFium writes them (pypdfium2's page-object API, standard Helvetica), so the
tests read back a real PDF the same way a user's file is read.
"""

from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


@dataclass
class Page:
    texts: list[tuple[str, float, float, float, bool]] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)

    def text(self, s: str, x: float, y: float, size: float = 10, bold: bool = False) -> Page:
        """Text with its baseline's left end at (x, y); y grows upwards from the bottom of a 612×792 page."""
        self.texts.append((s, x, y, size, bold))
        return self

    def box(self, x: float, y: float, w: float, h: float) -> Page:
        """A small filled rectangle (a drawn list bullet)."""
        self.boxes.append((x, y, w, h))
        return self


def build(*pages: Page) -> bytes:
    pdf = pdfium.PdfDocument.new()
    regular = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    bold = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica-Bold")
    for spec in pages:
        page = pdf.new_page(612, 792)
        for s, x, y, size, is_bold in spec.texts:
            obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, bold if is_bold else regular, size)
            buf = ctypes.create_string_buffer((s + "\x00").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        for x, y, w, h in spec.boxes:
            rect = pdfium_c.FPDFPageObj_CreateNewRect(x, y, w, h)
            pdfium_c.FPDFPageObj_SetFillColor(rect, 0, 0, 0, 255)
            pdfium_c.FPDFPath_SetDrawMode(rect, pdfium_c.FPDF_FILLMODE_WINDING, 0)
            pdfium_c.FPDFPage_InsertObject(page.raw, rect)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
