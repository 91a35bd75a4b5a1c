"""PDFs made for tests with pdfium itself: real text layers, real scanned pages, or both.

pdfium can write as well as read: a text object in a standard font gives a
genuine text layer (what an invoicing program writes), an embedded JPEG gives
a genuine scan. No reportlab, no Qt below the user interface.
"""

from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image


@dataclass
class TextPage:
    """A page of text runs: (x, y from the top, font size in points, text)."""

    runs: list[tuple[float, float, float, str]] = field(default_factory=list)
    width: float = 595.0  # A4
    height: float = 842.0
    rotate: int = 0  # the page's /Rotate


@dataclass
class ScanPage:
    """A page that is only a picture, as a scanner writes it."""

    image: Image
    width: float = 595.0
    height: float = 842.0


def make_pdf(path: Path, pages: list[TextPage | ScanPage]) -> Path:
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    pdf = pdfium.PdfDocument.new()
    font = c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    for spec in pages:
        page = pdf.new_page(spec.width, spec.height)
        if isinstance(spec, TextPage):
            for x, y, size, text in spec.runs:
                obj = c.FPDFPageObj_CreateTextObj(pdf.raw, font, size)
                wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
                c.FPDFText_SetText(obj, ctypes.cast(wide, c.FPDF_WIDESTRING))
                c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, spec.height - y - size)
                c.FPDFPage_InsertObject(page.raw, obj)
            if spec.rotate:
                page.set_rotation(spec.rotate)
        else:
            buf = io.BytesIO()
            spec.image.convert("RGB").save(buf, "JPEG", quality=92)
            buf.seek(0)
            img = pdfium.PdfImage.new(pdf)
            img.load_jpeg(buf, pages=[page], inline=False, autoclose=False)
            img.set_matrix(pdfium.PdfMatrix().scale(spec.width, spec.height))
            page.insert_obj(img)
        page.gen_content()
        page.close()
    pdf.save(str(path))
    pdf.close()
    return path
