"""From a file to words with boxes: the reading half of the offline provider.

Images are decoded once (EXIF rotation applied) and OCR'd; a PDF page uses
its own text layer when it has a usable one and is rendered and OCR'd when it
has not, page by page, so a mixed PDF costs OCR only for its scanned pages.
Progress is reported per page and a cancel is honoured between pages.

OCR of one page: detect lines on a reduced copy; turn a sideways page (its
lines stand tall) by the quarter the 0/180 classifier says; recognise every
line; only when the widest lines read poorly ask the classifier whether the
page is upside down, and read it again turned if so (an upright page, the
usual case, never runs the classifier); hand the words on in the upright,
straightened reading frame.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from receiptdesk.core.geometry import Box
from receiptdesk.providers.base import Context
from receiptdesk.providers.local.engine import OcrEngine, Quad, crop_line
from receiptdesk.providers.local.imaging import (
    OCR_MAX_SIDE,
    is_sideways,
    measure_ink,
    prepare,
    skew_angle,
    straighten,
    to_page_box,
    turn_image,
    turn_quads,
)
from receiptdesk.providers.local.pdftext import render, text_layer
from receiptdesk.providers.local.words import PageText, Word
from receiptdesk.providers.pdfium import PdfFile
from receiptdesk.providers.source import Source, iter_pages
from receiptdesk.providers.textdoc import TEXT, file_pages, grid_words

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage


# A picture longer than this many times its width is a till roll: it is read in strips
# STRIP_RATIO times as long as it is wide, at its own width.
LONG_RATIO = 3.0
STRIP_RATIO = 1.5


class Reader:
    """Reads every page of a file into words; one per process, shared by workers like its engine."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self.pages_ocred = 0  # pages that needed OCR (a PDF read from its text layer adds none)
        self.pages_from_text = 0  # PDF pages read from their own text layer

    def read(self, source: Source, ctx: Context) -> list[PageText]:
        total = max(1, source.pages)
        pages: list[PageText] = []
        ctx.raise_if_cancelled()
        ctx.progress(0.0, _reading(1, total))
        if source.media_type == TEXT:
            pages = text_file_pages(source)
        elif source.is_pdf:
            with PdfFile.open(source.read_bytes(), source.name) as pdf:
                for number in range(1, len(pdf) + 1):
                    if number > 1:
                        ctx.raise_if_cancelled()
                        ctx.progress((number - 1) / total, _reading(number, total))
                    pages.append(self._pdf_page(pdf, number))
        else:
            # Decoded no larger than OCR reads (a large JPEG is decoded smaller to begin with); a long
            # till roll keeps its width, to be read in strips.
            for image_page in iter_pages(source, max_side=OCR_MAX_SIDE, long_ratio=LONG_RATIO):
                number = image_page.number
                if number > 1:
                    ctx.raise_if_cancelled()
                    ctx.progress((number - 1) / total, _reading(number, total))
                width, height = image_page.full_size or image_page.image.size
                if image_page.image.height > LONG_RATIO * image_page.image.width:
                    pages.append(self.ocr_long_page(image_page.image, number, float(width), float(height), ctx))
                else:
                    pages.append(self.ocr_page(image_page.image, number, float(width), float(height), "pixel"))
        ctx.progress(1.0, "Read")
        return pages

    def _pdf_page(self, pdf: PdfFile, number: int) -> PageText:
        """The page's own text, or its picture OCR'd: only pdfium's part holds the pdfium lock."""
        with pdf.page(number - 1) as page:
            found = text_layer(page, number)
            if found is None:
                width, height = page.get_size()
                image = render(page, OCR_MAX_SIDE)
        if found is not None:
            with self._lock:
                self.pages_from_text += 1
            found.words = reading_order(found.words)
            return found
        return self.ocr_page(image, number, float(width), float(height), "point")

    def ocr_long_page(self, image: PILImage, number: int, width: float, height: float, ctx: Context) -> PageText:
        """A page far longer than wide (a till roll scanned whole), read in overlapping strips at its
        own width: shrunk whole to what OCR reads, its print would be a few pixels high."""
        w, h = image.size
        strip = max(1, round(w * STRIP_RATIO))
        overlap = max(48, strip // 6)  # taller than a printed line, so every line is whole in some strip
        words: list[Word] = []
        top = 0
        while True:
            ctx.raise_if_cancelled()
            bottom = min(h, top + strip)
            part = self.ocr_page(image.crop((0, top, w, bottom)), number, float(w), float(bottom - top), "pixel")
            # A line in an overlap is read twice: each strip keeps the lines in its half of it.
            keep_from = top + overlap / 2 if top > 0 else 0
            keep_to = bottom - overlap / 2 if bottom < h else h
            for word in part.words:
                b = to_page_box(word.box, part.rotation, part.skew, part.width, part.height)
                y0, y1 = top + b.y0 * (bottom - top), top + b.y1 * (bottom - top)
                if keep_from <= (y0 + y1) / 2 < keep_to:
                    words.append(Word(word.text, Box(b.x0, y0 / h, b.x1, y1 / h), word.confidence, number))
            if bottom >= h:
                break
            top = bottom - overlap
        return PageText(number, width, height, unit="pixel", words=reading_order(words))

    def ocr_page(self, image: PILImage, number: int, width: float, height: float, unit: str) -> PageText:
        """OCR one page image; `width` x `height` in `unit` is the page's size as the user sees it."""
        with self._lock:
            self.pages_ocred += 1
        engine = self.engine
        prepared = prepare(image)
        picture = prepared.image
        ink = measure_ink(picture)
        if ink is None:
            quads = engine.detect(picture)
        else:
            x0, y0, x1, y1 = ink.box
            quads = engine.detect(picture[y0:y1, x0:x1], engine.settings.det_glyph / ink.glyph)
            for q in quads:
                q += np.array([x0, y0], dtype=np.float32)
        rotation = _quarter_turn(engine, picture, quads)
        if rotation:
            width, height = height, width
        picture, quads = _turned(picture, quads, rotation // 90)
        crops = [crop_line(picture, q) for q in quads]
        lines = engine.recognize(crops)
        if _upside_down(engine, crops, lines):
            picture, quads = _turned(picture, quads, 2)
            rotation = (rotation + 180) % 360
            lines = engine.recognize([crop_line(picture, q) for q in quads])
        skew = skew_angle(quads)
        h, w = picture.shape[:2]
        words: list[Word] = []
        for quad, (text, score) in zip(quads, lines, strict=True):
            text = text.strip()
            if not text or score < engine.settings.min_score:
                continue
            flat = straighten(quad, skew, w, h)
            box = Box.from_points(flat[:, 0].tolist(), flat[:, 1].tolist(), w, h)
            words.append(Word(text, box, round(score, 4), number))
        return PageText(
            number, width, height, unit=unit, words=reading_order(words), rotation=rotation, skew=round(skew, 3)
        )


def text_file_pages(source: Source) -> list[PageText]:
    """A plain-text file's pages as words on its character grid: read as written, no OCR."""
    pages = []
    for number, rows in enumerate(file_pages(source.read_bytes()), start=1):
        grid, found = grid_words(rows)
        words = [Word(text, Box(*box), 1.0, number) for text, box in found]
        w, h = grid.size
        pages.append(PageText(number, float(w), float(h), "pixel", words, from_text_layer=True))
    return pages


def reading_order(words: list[Word]) -> list[Word]:
    """Rows top to bottom (a word joins a row when its middle is within half a line of it), left to right."""
    if len(words) < 2:
        return list(words)
    heights = sorted(w.box.height for w in words)
    tolerance = max(heights[len(heights) // 2], 1e-4) * 0.5
    rows: list[list[Word]] = []
    middle = 0.0
    for w in sorted(words, key=lambda w: w.box.cy):
        if rows and w.box.cy - middle <= tolerance:
            rows[-1].append(w)
            middle = sum(x.box.cy for x in rows[-1]) / len(rows[-1])
        else:
            rows.append([w])
            middle = w.box.cy
    return [w for row in rows for w in sorted(row, key=lambda w: w.box.x0)]


def _turned(picture: Any, quads: list[Quad], quarters: int) -> tuple[Any, list[Quad]]:
    """The page and its lines turned `quarters` quarter turns clockwise, lines top to bottom."""
    h, w = picture.shape[:2]
    picture, quads = turn_image(picture, quarters), turn_quads(quads, quarters, w, h)
    return picture, sorted(quads, key=lambda q: (float(q[:, 1].min()), float(q[:, 0].min())))


# Widest lines read with at least this mean confidence are upright: the 0/180 classifier is
# not run at all (upside-down text reads at about 0.5-0.6, upright print at 0.9 or more).
UPRIGHT_SCORE = 0.8


def _quarter_turn(engine: OcrEngine, picture: Any, quads: list[Quad]) -> int:
    """Degrees (90 or 270) to turn a sideways page clockwise so its lines run across; 0 when they do."""
    if not quads or not is_sideways(quads):
        return 0
    tall = [q for q in quads if np.ptp(q[:, 1]) > np.ptp(q[:, 0])]
    tall.sort(key=lambda q: -float(np.ptp(q[:, 1])))
    # A tall line's crop comes back turned a quarter counter-clockwise: upright if the
    # page was turned clockwise (read it by turning 270), upside down if the other way.
    upside_down = engine.upside_down([crop_line(picture, q) for q in tall[: engine.settings.cls_sample]])
    return 90 if upside_down >= 0.5 else 270


def _upside_down(engine: OcrEngine, crops: list[Any], lines: list[tuple[str, float]]) -> bool:
    """Whether the page reads upside down: asked of the classifier only when its widest lines read poorly."""
    if not crops:
        return False
    wide = sorted(range(len(crops)), key=lambda i: -crops[i].shape[1])[: engine.settings.cls_sample]
    if sum(lines[i][1] for i in wide) / len(wide) >= UPRIGHT_SCORE:
        return False
    return engine.upside_down([crops[i] for i in wide]) >= 0.6


def _reading(number: int, total: int) -> str:
    return "Reading the text" if total == 1 else f"Reading page {number} of {total}"
