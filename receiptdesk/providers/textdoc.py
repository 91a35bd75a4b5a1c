"""Plain-text receipts and invoices: an e-mail receipt saved as text, a PDF's text exported.

Such a file has no pixels and no boxes, only characters in rows and columns.
Its pages (split at form feeds, as text exports of PDFs mark them) are laid
on a character grid; the screen shows the grid drawn as an image, and the
offline reader takes its words with their grid boxes, without OCR, so a
field's box lands on the characters it was read from.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont
    from PIL.Image import Image

TEXT = "text/plain"

_SNIFF = 8192  # how much of a file is looked at to tell text from binary
_MIN_COLUMNS = 40  # a narrow receipt still gets a page of a readable width


def _utf16_without_mark(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the bytes look like UTF-16 saved without its mark: Latin
    text then has a zero in every other byte (odd places for little-endian, even for big)."""
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    pairs = len(head) // 2
    odd = head[1::2].count(0) / pairs
    even = head[0::2].count(0) / pairs
    if odd >= 0.3 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.3 and odd <= 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str | None:
    """The file's text, if it is text (UTF-8, UTF-16 with or without its mark, else Windows-1252);
    None for binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data[:_SNIFF]:
        found = _utf16_without_mark(data[:_SNIFF])
        if found is None:
            return None
        encoding = found
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8-sig":
            return None
        text = data.decode("cp1252", errors="replace")
    sample = text[:_SNIFF]
    readable = sum(1 for c in sample if c.isprintable() or c.isspace())
    if not sample.strip() or readable < 0.97 * len(sample):
        return None
    if encoding in ("utf-16-le", "utf-16-be") and sum(c < "\u0530" for c in sample) < 0.9 * len(sample):
        return None  # guessed from its zero bytes, it must read as the Latin, Greek or Cyrillic text it looks like
    return text


_MARKUP = re.compile(r"^\s*(?:<(?:!doctype|html|\?xml|head|body|div|table|meta|svg)\b|<!--|\{\\rtf)", re.IGNORECASE)
# File name endings of text receipts: a .csv, .json or .py is text too, but no receipt.
TEXT_SUFFIXES = (".txt", ".text")
MAX_LINES = 5000  # a text receipt or invoice is far shorter; a longer file is something else
_MAX_COLUMNS = 160  # the widest page; longer rows wrap


def is_markup(text: str) -> bool:
    """A web page, XML or RTF file: text, but its tags are not what the receipt says."""
    return bool(_MARKUP.match(text[:_SNIFF]))


def text_pages(text: str) -> list[list[str]]:
    """The text's pages (split at form feeds), each as its rows, tabs expanded and rows longer than
    the page wrapped; at least one page."""
    pages = [_wrapped([row.rstrip().expandtabs(8) for row in page.splitlines()]) for page in text.split("\f")]
    while len(pages) > 1 and not any(row.strip() for row in pages[-1]):
        pages.pop()  # a form feed at the end starts no page
    return pages or [[]]


def file_pages(data: bytes) -> list[list[str]]:
    """The pages of a text file's bytes (those Source.open took for text)."""
    return text_pages(decode_text(data) or "")


def _wrapped(rows: list[str]) -> list[str]:
    """Rows longer than nine in ten of the page's rows (a tracking link) wrap at that width, so one
    row does not make the page wide and everything else on it small."""
    lengths = sorted(len(r) for r in rows if r.strip())
    if not lengths:
        return rows
    nine_in_ten = lengths[math.ceil(0.9 * len(lengths)) - 1]
    width = min(_MAX_COLUMNS, max(_MIN_COLUMNS, nine_in_ten))
    out: list[str] = []
    for row in rows:
        out.extend(row[i : i + width] for i in range(0, max(1, len(row)), width))
    return out


@dataclass(frozen=True, slots=True)
class TextGrid:
    """Where each character of a text page sits, in pixels of its drawn image."""

    columns: int
    rows: int
    cell: int = 12  # pixels per column at scale 1
    line: int = 24  # pixels per row
    margin: int = 36

    @classmethod
    def of(cls, rows: list[str]) -> TextGrid:
        return cls(max(_MIN_COLUMNS, max((len(r) for r in rows), default=0)), max(1, len(rows)))

    @property
    def size(self) -> tuple[int, int]:
        return 2 * self.margin + self.columns * self.cell, 2 * self.margin + self.rows * self.line

    def box(self, row: int, col: int, length: int) -> tuple[float, float, float, float]:
        """The box of `length` characters from (row, col), as fractions of the page (x0, y0, x1, y1)."""
        w, h = self.size
        x0 = self.margin + col * self.cell
        y0 = self.margin + row * self.line
        return x0 / w, y0 / h, (x0 + length * self.cell) / w, (y0 + 0.8 * self.line) / h


def grid_words(rows: list[str]) -> tuple[TextGrid, list[tuple[str, tuple[float, float, float, float]]]]:
    """Every run of non-blank characters on the page with its box."""
    grid = TextGrid.of(rows)
    words = []
    for r, row in enumerate(rows):
        col = 0
        for token in row.split(" "):
            if token:
                words.append((token, grid.box(r, col, len(token))))
            col += len(token) + 1
    return grid, words


# Monospaced fonts with the accented Latin, Greek and Cyrillic letters invoices print, as the
# platforms ship them (Pillow finds Windows' own by name); else Pillow's own, which lacks some.
_FONTS = (
    "DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "consola.ttf",
    "cour.ttf",
    "/System/Library/Fonts/Menlo.ttc",
    "/System/Library/Fonts/Monaco.ttf",
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def draw_page(rows: list[str], max_side: int | None = None) -> Image:
    """The page drawn on white, every character centred in its cell (monospaced in any font), so
    the boxes of grid_words fit the words drawn."""
    from PIL import Image, ImageDraw

    grid = TextGrid.of(rows)
    w, h = grid.size
    scale = min(1.0, max_side / max(w, h)) if max_side else 1.0
    img = Image.new("RGB", (max(1, round(w * scale)), max(1, round(h * scale))), "white")
    draw = ImageDraw.Draw(img)
    font = _font(max(6, round(grid.cell * 1.65 * scale)))
    cell = grid.cell * scale
    for r, row in enumerate(rows):
        top = (grid.margin + r * grid.line) * scale
        for c, char in enumerate(row):
            if not char.isspace():
                left = (grid.margin + c * grid.cell) * scale
                draw.text((left + (cell - font.getlength(char)) / 2, top), char, fill="black", font=font)
    return img
