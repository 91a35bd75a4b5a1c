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


def text_layer(*rows: tuple[float, str], width: float = 595.0, height: float = 842.0) -> PageText:
    """An A4 page as a PDF's text layer gives it: single words, each row a list of (x, phrase) placed apart.

    Each argument is one row: pairs of x position (0..1) and the phrase printed there, flattened
    ("x0", "text", "x1", "text", ...) into a tuple; rows go down the page one line apart.
    """
    words = []
    char_w = 0.011  # about 10 pt type on A4, as a fraction of the width
    for row_no, row in enumerate(rows):
        y0 = 0.05 + row_no * 0.022
        items = list(row)
        for x, phrase in zip(items[0::2], items[1::2], strict=True):
            cursor = float(x)  # type: ignore[arg-type]
            for token in str(phrase).split():
                box = Box(cursor, y0, min(0.99, cursor + len(token) * char_w), y0 + 0.012)
                words.append(Word(token, box, 1.0, 1))
                cursor += (len(token) + 1) * char_w
    return PageText(1, width, height, "point", words, from_text_layer=True)


def sized(*rows: tuple[str, float], width: float = 600.0, height: float = 1400.0) -> PageText:
    """A receipt whose lines are printed at different sizes, centred as tills print their header.

    Each row is (text, size): size 1 is the body's type, 2.5 a logo-sized name; " | " splits a row
    into a label at the left margin and an amount flush right, as in `receipt`."""
    words = []
    y = 0.04
    for text, size in rows:
        h = 0.018 * size
        phrases = [p.strip() for p in text.split(" | ")]
        for k, phrase in enumerate(phrases):
            w = len(phrase) * 0.016 * size
            x0 = 0.5 - w / 2 if len(phrases) == 1 else (0.05 if k == 0 else 0.95 - w)
            words.append(Word(phrase, Box(x0, y, min(0.99, x0 + w), y + h), 0.97, 1))
        y += h * 1.4
    return PageText(1, width, height, "pixel", words)
