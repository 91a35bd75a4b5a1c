"""Real files on disk for the limit and model-choice tests, written with Pillow and pdfium."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from receiptdesk.providers.source import Source


def image(path: Path, width: int, height: int, *, dpi: int | None = None, noise: bool = False) -> Source:
    if noise:
        img = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        img = Image.new("RGB", (width, height), "white")
    if dpi:
        img.save(path, dpi=(dpi, dpi))
    else:
        img.save(path)
    return Source.open(path)


def heic(path: Path) -> Source:
    import pillow_heif

    pillow_heif.from_pillow(Image.new("RGB", (400, 600), "white")).save(path)
    return Source.open(path)


def pdf(path: Path, pages: int, width_pt: float = 612, height_pt: float = 792) -> Source:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    try:
        for _ in range(pages):
            doc.new_page(width_pt, height_pt)
        doc.save(path)
    finally:
        doc.close()
    return Source.open(path)
