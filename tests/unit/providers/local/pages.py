"""Small receipts laid out by hand, the way the reader hands them over: phrases with boxes.

Each printed line is a string; " | " separates phrases printed apart (a label on
the left, its amount on the right), which become separate words placed left to
right across the page, like RapidOCR returns them.
"""

from __future__ import annotations

from receiptdesk.core.geometry import Box
from receiptdesk.providers.local.words import PageText, Word

LINE_HEIGHT = 0.02
TOP = 0.05


def receipt(*lines: str, width: float = 500.0, height: float = 1200.0, confidence: float = 0.98) -> PageText:
    words = []
    for row, line in enumerate(lines):
        y0 = TOP + row * LINE_HEIGHT * 1.5
        phrases = [p.strip() for p in line.split(" | ")]
        n = len(phrases)
        for k, phrase in enumerate(phrases):
            if not phrase:
                continue
            # first phrase at the left margin, the last flush right, others spread between
            chars = len(phrase) * 0.018
            if k == 0:
                x0 = 0.05
            elif k == n - 1:
                x0 = 0.95 - chars
            else:
                x0 = 0.05 + (0.9 * k / (n - 1)) - chars / 2
            box = Box(x0, y0, min(0.99, x0 + chars), y0 + LINE_HEIGHT)
            words.append(Word(phrase, box, confidence, 1))
    return PageText(1, width, height, "pixel", words)
