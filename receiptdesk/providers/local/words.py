"""What the offline reader hands from OCR (or a PDF's text layer) to the parser.

A `Word` is one run of text as the reader found it (RapidOCR returns short
phrases, a PDF text layer returns words) with its box on the page. The
parser only ever sees these, so it works the same on photos, scans and
digital PDFs, and can be tested on ground-truth boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    # How the page was turned to read it: words (and width/height) are in that upright frame.
    # `rotation` degrees clockwise (0, 90, 180, 270), then straightened by `skew` degrees;
    # imaging.to_page_box maps a box back onto the page as the user sees it.
    rotation: int = 0
    skew: float = 0.0


def pages_to_json(pages: list[PageText]) -> list[dict[str, Any]]:
    """The words of every page as plain JSON: the local provider's raw response, re-mapped without OCR."""
    return [
        {
            "number": p.number,
            "width": p.width,
            "height": p.height,
            "unit": p.unit,
            "from_text_layer": p.from_text_layer,
            "rotation": p.rotation,
            "skew": p.skew,
            "words": [
                {"text": w.text, "box": w.box.to_json(), "confidence": round(w.confidence, 4), "page": w.page}
                for w in p.words
            ],
        }
        for p in pages
    ]


def pages_from_json(data: list[dict[str, Any]]) -> list[PageText]:
    return [
        PageText(
            number=int(p["number"]),
            width=float(p["width"]),
            height=float(p["height"]),
            unit=str(p.get("unit", "pixel")),
            words=[
                Word(str(w["text"]), Box.from_json(w["box"]), float(w["confidence"]), int(w.get("page", p["number"])))
                for w in p.get("words") or []
            ],
            from_text_layer=bool(p.get("from_text_layer", False)),
            rotation=int(p.get("rotation", 0)),
            skew=float(p.get("skew", 0.0)),
        )
        for p in data
    ]
