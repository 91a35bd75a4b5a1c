"""Printed lines rebuilt from word boxes, in reading order.

OCR hands over short phrases ("TOTAL AMT.", "RM", "60.31") and a PDF text
layer hands over words; neither says which ones share a printed line. A
receipt's label and its amount often sit far apart on one line, and phone
photos are tilted, so lines are found by following words left to right
after undoing the page's tilt, not by slicing the page into horizontal bands.
"""

from __future__ import annotations

import bisect
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
_MAX_TILT = 0.3
_TILT_STEPS = 15


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
    aspect: float = 1.0  # page width / height: x and y fractions are of different lengths

    @classmethod
    def of(cls, words: Sequence[Word], page: int, index: int = 0, y: float = 0.0, aspect: float = 1.0) -> Line:
        starts = []
        parts = []
        pos = 0
        for w in words:
            starts.append(pos)
            parts.append(w.text)
            pos += len(w.text) + 1
        box = enclosing(w.box for w in words) or Box(0, 0, 0, 0)
        return cls(page, tuple(words), " ".join(parts), tuple(starts), box, index, y, aspect)

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

    def gap(self, left: Word, right: Word) -> float:
        """The space between two words, in line heights."""
        return (right.box.x0 - left.box.x1) * self.aspect / max(self.height, 1e-6)

    def blocks(self) -> list[Line]:
        """The line cut where words are far apart: the columns of a two-column header."""
        if len(self.words) < 2:
            return [self]
        groups: list[list[Word]] = [[self.words[0]]]
        for prev, w in pairwise(self.words):
            if self.gap(prev, w) > BLOCK_GAP:
                groups.append([w])
            else:
                groups[-1].append(w)
        if len(groups) == 1:
            return [self]
        return [Line.of(g, self.page, self.index, self.y, self.aspect) for g in groups]


def _rows(words: Sequence[Word], aspect: float, t: float) -> list[list[Word]]:
    """Words chained left to right into rows, each compared with its row's last word after undoing tilt `t`."""
    return _rows_and_misfit(words, aspect, t)[0]


def _rows_and_misfit(words: Sequence[Word], aspect: float, t: float) -> tuple[list[list[Word]], float]:
    """The rows, and how far (in allowed offsets) the joined words sat from their row's line."""
    misfit = 0.0
    ys = {id(w): w.box.cy - t * w.box.cx * aspect for w in words}
    reach = max((w.box.height for w in words), default=0.0)
    rows: list[list[Word]] = []
    ends: list[tuple[float, int]] = []  # (straightened y of each row's last word, row), sorted
    for w in sorted(words, key=lambda w: w.box.x0):
        wy = ys[id(w)]
        best = -1
        best_score = best_fit = 0.0
        lo = bisect.bisect_left(ends, (wy - reach, -1))
        hi = bisect.bisect_right(ends, (wy + reach, len(rows)))
        for ly, r in ends[lo:hi]:
            last = rows[r][-1]
            hs = min(last.box.height, w.box.height)
            hl = max(last.box.height, w.box.height)
            # centres within half the smaller height (the taller box may be a logo or a merged run)
            limit = 0.5 * hs + 0.15 * (hl - hs)
            dy = abs(ly - wy)
            if hs <= 0 or dy > limit:
                continue
            # A word that overlaps the row's last word sideways belongs to another line.
            overlap_x = min(last.box.x1, w.box.x1) - max(last.box.x0, w.box.x0)
            if overlap_x > 0.3 * min(last.box.width, w.box.width):
                continue
            gap = max(0.0, w.box.x0 - last.box.x1) * aspect
            score = 1.0 - dy / limit - 0.02 * gap / hs
            if best < 0 or score > best_score:
                best, best_score, best_fit = r, score, dy / limit
        if best < 0:
            rows.append([w])
            bisect.insort(ends, (wy, len(rows) - 1))
        else:
            ends.remove((ys[id(rows[best][-1])], best))
            rows[best].append(w)
            bisect.insort(ends, (wy, best))
            misfit += best_fit
    return rows, misfit


def _tilt(words: Sequence[Word], aspect: float) -> float:
    """The page's tilt (radians): the one at which its words join into the fewest, straightest lines."""
    if len(words) < 6:
        return 0.0

    def cost(angle: float) -> tuple[float, float]:
        # fewest lines, each as straight as can be (a stray word joined at a wrong tilt costs its misfit)
        rows, misfit = _rows_and_misfit(words, aspect, math.tan(angle))
        return len(rows) + 0.5 * misfit, abs(angle)

    coarse = [_MAX_TILT * k / _TILT_STEPS for k in range(-_TILT_STEPS, _TILT_STEPS + 1)]
    best = min(coarse, key=cost)
    step = _MAX_TILT / _TILT_STEPS
    fine = [best + step * k / 4 for k in range(-3, 4)]
    return min(fine, key=cost)


def _page_lines(words: Sequence[Word], aspect: float, straight: bool) -> list[tuple[float, list[Word]]]:
    t = 0.0 if straight else math.tan(_tilt(words, aspect))
    rows = _rows(words, aspect, t)
    out = [(median(w.box.cy - t * w.box.cx * aspect for w in row), row) for row in rows]
    out.sort(key=lambda r: (r[0], r[1][0].box.x0))
    return out


def _glue(words: list[Word], aspect: float) -> list[Word]:
    """Join pieces of one token that touch ("29" ".99" from a PDF that spaces its glyphs)."""
    out: list[Word] = []
    for w in words:
        if out:
            prev = out[-1]
            h = min(prev.box.height, w.box.height)
            gap = (w.box.x0 - prev.box.x1) * aspect
            if -0.3 * h < gap < 0.3 * h and (w.text[:1] in ".,%" or prev.text[-1:] in ".,"):
                out[-1] = Word(prev.text + w.text, prev.box.union(w.box), min(prev.confidence, w.confidence), w.page)
                continue
        out.append(w)
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
        # a PDF's own text layer is never tilted
        for y, row in _page_lines(words, aspect, page.from_text_layer):
            row_words = _glue([Word(w.text.strip(), w.box, w.confidence, page.number) for w in row], aspect)
            lines.append(Line.of(row_words, page.number, len(lines), y, aspect))
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
