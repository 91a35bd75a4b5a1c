"""A PDF page's own text, as words with boxes, so a digital invoice needs no OCR at all.

pdfium gives characters with their boxes in PDF points (origin bottom-left,
before the page's /Rotate); we join them into words on spaces (generated or
printed, however many), line changes and wide gaps, and map each word's box
onto the page as it is displayed, normalised 0..1 from the top-left. A page
whose text layer is empty, garbled (fonts without a Unicode map) or only a
stamp on a scanned image is not "usable": the reader renders and OCRs it.
Every function here takes a page opened by `PdfFile.page`, so the pdfium lock is held.
"""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Any

from receiptdesk.core.geometry import Box
from receiptdesk.providers.local.words import PageText, Word
from receiptdesk.providers.pdfium import render_page

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

# A text layer with fewer printable characters than this says nothing worth reading.
MIN_CHARS = 20
# Share of characters that must be real text (not private-use glyph codes, not U+FFFD).
MIN_SANE = 0.85
# A page mostly covered by an image, with less text than this, is a scan with a stamp: OCR it.
SCAN_TEXT_CHARS = 200
SCAN_IMAGE_COVER = 0.5
# FPDF_PageToDevice works in whole device pixels: map onto a large virtual page for precision.
_DEVICE = 100_000


def text_layer(page: Any, number: int) -> PageText | None:
    """The page's words from its own text, or None when that text is not usable."""
    width, height = page.get_size()
    if width <= 0 or height <= 0:
        return None
    textpage = page.get_textpage()
    try:
        words, printable, sane = _words(page, textpage, number, width, height)
    finally:
        textpage.close()
    if printable < MIN_CHARS or sane < MIN_SANE * printable:
        return None
    if printable < SCAN_TEXT_CHARS and _image_cover(page, width * height) >= SCAN_IMAGE_COVER:
        return None
    return PageText(number, float(width), float(height), unit="point", words=words, from_text_layer=True)


def render(page: Any, max_side: int, dpi: int = 300) -> PILImage:
    """The page as an RGB image for OCR, at `dpi` but no more than `max_side` pixels."""
    width, height = page.get_size()
    image: PILImage = render_page(page, min(dpi / 72, max_side / max(width, height, 1.0)))
    return image


def _words(page: Any, textpage: Any, number: int, width: float, height: float) -> tuple[list[Word], int, int]:
    """Words on the page, and how many of its characters were printable and sane."""
    import pypdfium2.raw as c

    tp = textpage.raw
    n = c.FPDFText_CountChars(tp)
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    words: list[Word] = []
    text: list[str] = []
    box: list[float] | None = None  # l, b, r, t in PDF points
    last: tuple[float, float, float, float] | None = None
    printable = sane = 0

    def flush() -> None:
        nonlocal text, box
        if text and box is not None:
            words.append(Word("".join(text), _to_page(page, box, width, height), 1.0, number))
        text, box = [], None

    for i in range(max(0, n)):
        code = c.FPDFText_GetUnicode(tp, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if not ch or ch.isspace() or ch == "\x00":
            flush()
            last = None
            continue
        printable += 1
        if ch.isprintable() and code != 0xFFFD and not 0xE000 <= code <= 0xF8FF:
            sane += 1
        if not c.FPDFText_GetCharBox(tp, i, left, right, bottom, top):
            text.append(ch)
            continue
        cur = (left.value, bottom.value, right.value, top.value)
        if last is not None and _breaks(last, cur):
            flush()
        text.append(ch)
        if cur[2] > cur[0] or cur[3] > cur[1]:
            box = (
                list(cur)
                if box is None
                else [min(box[0], cur[0]), min(box[1], cur[1]), max(box[2], cur[2]), max(box[3], cur[3])]
            )
            last = cur
    flush()
    return words, printable, sane


def _breaks(prev: tuple[float, float, float, float], cur: tuple[float, float, float, float]) -> bool:
    """Whether two characters printed one after the other belong to different words."""
    size = max(prev[3] - prev[1], cur[3] - cur[1], 1.0)
    if abs((prev[1] + prev[3]) / 2 - (cur[1] + cur[3]) / 2) > 0.6 * size:
        return True  # another line
    gap = cur[0] - prev[2]
    return gap > 0.6 * size or gap < -0.5 * size  # a column gap without a space, or back to the left


def _to_page(page: Any, box: list[float], width: float, height: float) -> Box:
    """A box in PDF points (bottom-left origin, unrotated) onto the displayed page, 0..1 from the top-left."""
    import pypdfium2.raw as c

    dev_w, dev_h = _DEVICE, max(1, round(_DEVICE * height / width))
    xs: list[float] = []
    ys: list[float] = []
    dx, dy = ctypes.c_int(), ctypes.c_int()
    for px, py in ((box[0], box[1]), (box[2], box[3]), (box[0], box[3]), (box[2], box[1])):
        c.FPDF_PageToDevice(page.raw, 0, 0, dev_w, dev_h, 0, px, py, dx, dy)
        xs.append(dx.value)
        ys.append(dy.value)
    return Box.from_points(xs, ys, dev_w, dev_h)


def _image_cover(page: Any, area: float) -> float:
    """Share of the page covered by its largest image."""
    import pypdfium2.raw as c

    best = 0.0
    for obj in page.get_objects(filter=[c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # noqa: BLE001 - pdfium cannot place it: it covers nothing we know of
            continue
        best = max(best, (right - left) * (top - bottom) / area)
    return best
