"""Mutated copies of real files, and the one thing every opener must do with them.

A file is opened and every page decoded; the only failure allowed is a
bad_document with a message naming the file. Used by the hypothesis tests
(tests/unit/providers/test_fuzz_files.py) and by tests/bench/robustness.py.
"""

from __future__ import annotations

import io
from pathlib import Path

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.source import Source, iter_pages
from tests.conftest import ROOT

SAMPLES = ROOT / "resources" / "samples"
KEPT = ROOT / "tests" / "data" / "fuzz"  # inputs that once crashed an opener: kept as regressions


def seeds(folder: Path) -> dict[str, bytes]:
    """Small valid files of every kind ReceiptDesk reads, written into `folder`."""
    from PIL import Image, ImageDraw

    from tests.unit.providers.local.pdfmaker import ScanPage, TextPage, make_pdf

    folder.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", (120, 90), "white")
    ImageDraw.Draw(img).text((8, 30), "TOTAL 12.50", fill="black")
    out: dict[str, bytes] = {}
    for fmt, ext, extra in (
        ("JPEG", "jpg", {"quality": 80}),
        ("PNG", "png", {}),
        ("GIF", "gif", {}),
        ("BMP", "bmp", {}),
        ("WEBP", "webp", {}),
    ):
        buf = io.BytesIO()
        img.save(buf, fmt, **extra)
        out[f"seed.{ext}"] = buf.getvalue()
    buf = io.BytesIO()
    img.save(buf, "TIFF", save_all=True, append_images=[img.convert("L"), img], compression="tiff_lzw")
    out["seed.tif"] = buf.getvalue()
    pdf = make_pdf(folder / "seed.pdf", [TextPage([(40.0, 40.0, 12.0, "Invoice 42 Total EUR 12.50")]), ScanPage(img)])
    out["seed.pdf"] = pdf.read_bytes()
    out["seed.txt"] = b"Corner Shop\nMilk 1.20\nTOTAL 3.50\n"
    return out


def open_and_draw(path: Path) -> str:
    """ "ok", or "refused" for a bad_document naming the file; anything else is raised."""
    try:
        source = Source.open(path)
        for _ in iter_pages(source, dpi=30, max_side=300):
            pass
    except ReceiptDeskError as e:
        if e.kind is not ErrorKind.BAD_DOCUMENT or path.name not in e.message:
            raise
        return "refused"
    return "ok"


def mutate(data: bytes, edits: list[tuple[int, int, int]], cut: int | None) -> bytes:
    """`edits` of (position, what, byte): 0 replaces, 1 inserts, 2 deletes; then cut to `cut` bytes."""
    buf = bytearray(data)
    for pos, what, byte in edits:
        if not buf:
            break
        i = pos % len(buf)
        if what == 0:
            buf[i] = byte
        elif what == 1:
            buf.insert(i, byte)
        else:
            del buf[i]
    if cut is not None:
        buf = buf[: cut % (len(buf) + 1)]
    return bytes(buf)
