"""Printed lines rebuilt from word boxes, in reading order.

OCR hands over short phrases ("TOTAL AMT.", "RM", "60.31") and a PDF text
layer hands over words; neither says which ones share a printed line. A
receipt's label and its amount often sit far apart on one line, and phone
photos are tilted, so lines are found by following words left to right
after undoing the page's tilt, not by slicing the page into horizontal bands.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from receiptdesk.core.geometry import Box, enclosing
from receiptdesk.providers.local.words import PageText, Word

# How far apart (in line heights) two runs of words on one line must be to
# count as separate blocks (two columns of an invoice header).
BLOCK_GAP = 2.5
# Tilts tried when straightening a photo, in radians either way.
_MAX_TILT = 0.12
_TILT_STEPS = 24


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: its words left to right and their text joined by spaces."""

    page: int
    words: tuple[Word, ...]
    text: str
    starts: tuple[int, ...]  # where each word begins in `text`
    box: Box
    index: int = 0  # position in the document's reading order
    y: float = 0.0  # straightened vertical centre, for comparing lines

    @classmethod
    def of(cls, words: Sequence[Word], page: int, index: int = 0, y: float = 0.0) -> Line:
        starts = []
        parts = []
        pos = 0
        for w in words:
            starts.append(pos)
            parts.append(w.text)
            pos += len(w.text) + 1
        box = enclosing(w.box for w in words) or Box(0, 0, 0, 0)
        return cls(page, tuple(words), " ".join(parts), tuple(starts), box, index, y)

    @property
    def height(self) -> float:
        return median(w.box.height for w in self.words) if self.words else 0.0

    @property
    def confidence(self) -> float:
        return min((w.confidence for w in self.words), default=0.0)

    def word_at(self, pos: int) -> int:
        """Index of the word holding character `pos`."""
        i = 0
        for k, s in enumerate(self.starts):
            if s <= pos:
                i = k
        return i

    def span_words(self, start: int, end: int) -> list[int]:
        out = []
        for k, (s, w) in enumerate(zip(self.starts, self.words, strict=True)):
            if s < end and s + len(w.text) > start:
                out.append(k)
        return out

    def span_box(self, start: int, end: int) -> Box:
        """The box of characters start..end, cut proportionally out of a longer word."""
        boxes = []
        for k in self.span_words(start, end):
            w = self.words[k]
            s = self.starts[k]
            n = max(1, len(w.text))
            a = max(0, start - s) / n
            b = min(n, end - s) / n
            x0 = w.box.x0 + a * w.box.width
            x1 = w.box.x0 + b * w.box.width
            boxes.append(Box(x0, w.box.y0, max(x0, x1), w.box.y1))
        return enclosing(boxes) or self.box

    def span_confidence(self, start: int, end: int) -> float:
        scores = [self.words[k].confidence for k in self.span_words(start, end)]
        return min(scores) if scores else self.confidence

    def blocks(self) -> list[Line]:
        """The line cut where words are far apart: the columns of a two-column header."""
        if len(self.words) < 2:
            return [self]
        h = max(self.height, 1e-6)
        groups: list[list[Word]] = [[self.words[0]]]
        for prev, w in zip(self.words, self.words[1:], strict=False):
            if (w.box.x0 - prev.box.x1) > BLOCK_GAP * h:
                groups.append([w])
            else:
                groups[-1].append(w)
        if len(groups) == 1:
            return [self]
        return [Line.of(g, self.page, self.index, self.y) for g in groups]


def _tilt(words: Sequence[Word], aspect: float) -> float:
    """The page's tilt (radians): the angle at which word centres stack into the sharpest rows."""
    if len(words) < 6:
        return 0.0
    h = median(w.box.height for w in words) or 1e-3
    best, best_score = 0.0, -1.0
    for step in range(-_TILT_STEPS, _TILT_STEPS + 1):
        angle = _MAX_TILT * step / _TILT_STEPS
        t = math.tan(angle)
        ys = sorted(w.box.cy - t * w.box.cx * aspect for w in words)
        # Rows are sharp when many centres sit within a third of a line height of their neighbour.
        close = sum(1 for a, b in pairwise(ys) if b - a < h / 3)
        score = close - abs(step) * 0.01
        if score > best_score:
            best, best_score = angle, score
    return best


def _page_lines(words: Sequence[Word], aspect: float) -> list[tuple[float, list[Word]]]:
    tilt = _tilt(words, aspect)
    t = math.tan(tilt)

    def ycen(w: Word) -> float:
        return w.box.cy - t * w.box.cx * aspect

    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.box.x0):
        best: list[Word] | None = None
        best_score = 0.0
        wy = ycen(w)
        for row in rows:
            last = row[-1]
            # A word that overlaps the row's last word sideways belongs to another line.
            overlap_x = min(last.box.x1, w.box.x1) - max(last.box.x0, w.box.x0)
            if overlap_x > 0.3 * min(last.box.width, w.box.width):
                continue
            hs = min(last.box.height, w.box.height)
            hl = max(last.box.height, w.box.height)
            if hs <= 0:
                continue
            dy = abs(ycen(last) - wy)
            # centres within half the smaller height (the taller box may be a logo or a merged run)
            limit = 0.5 * hs + 0.15 * (hl - hs)
            if dy > limit:
                continue
            gap = max(0.0, w.box.x0 - last.box.x1)
            score = 1.0 - dy / limit - 0.02 * gap / hs
            if best is None or score > best_score:
                best, best_score = row, score
        if best is None:
            rows.append([w])
        else:
            best.append(w)
    out = [(median(ycen(w) for w in row), row) for row in rows]
    out.sort(key=lambda r: (r[0], r[1][0].box.x0))
    return out


def build_lines(pages: Iterable[PageText]) -> list[Line]:
    """Every line of every page, top to bottom, numbered in reading order."""
    lines: list[Line] = []
    for page in sorted(pages, key=lambda p: p.number):
        words = [w for w in page.words if w.text.strip()]
        if not words:
            continue
        # x and y are fractions of different lengths; a tilt is measured in page units.
        aspect = page.width / page.height if page.width > 0 and page.height > 0 else 1.0
        for y, row in _page_lines(words, aspect):
            row_words = [Word(w.text.strip(), w.box, w.confidence, page.number) for w in row]
            lines.append(Line.of(row_words, page.number, len(lines), y))
    return lines


def full_text(lines: Sequence[Line]) -> str:
    """The document's text in reading order, a page break between pages."""
    out: list[str] = []
    page = None
    for line in lines:
        if page is not None and line.page != page:
            out.append("\f")
        page = line.page
        out.append(line.text)
    return "\n".join(out)
