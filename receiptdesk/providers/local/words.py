"""What the offline reader hands from OCR (or a PDF's text layer) to the parser.

A `Word` is one run of text as the reader found it (RapidOCR returns short
phrases, a PDF text layer returns words) with its box on the page. The
parser only ever sees these, so it works the same on photos, scans and
digital PDFs, and can be tested on ground-truth boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from receiptdesk.core.geometry import Box


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    box: Box  # normalised 0..1 on its page
    confidence: float  # 0..1; 1.0 for a PDF text layer
    page: int = 1


@dataclass(slots=True)
class PageText:
    number: int
    width: float  # in `unit`
    height: float
    unit: str = "pixel"
    words: list[Word] = field(default_factory=list)
    from_text_layer: bool = False  # True when read from a PDF's own text, without OCR
