"""Canonical Fields from what the parser found: value, printed text, box and confidence.

Confidence multiplies how well OCR read the words (its own score) by how
sure the parser is that these words are this field (a labelled total that
the receipt's arithmetic confirms is surer than an unlabelled one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from receiptdesk.core.document import Field, Value
from receiptdesk.core.geometry import enclosing
from receiptdesk.providers.local.parsing.layout import Line

if TYPE_CHECKING:
    from receiptdesk.providers.local.parsing.amounts import Money


def within(line: Line, f: Field | None) -> bool:
    """Whether the line's middle lies inside the field's box: the line is part of what the field shows."""
    if f is None or f.box is None or f.page != line.page:
        return False
    cy = (line.box.y0 + line.box.y1) / 2
    return f.box.y0 - 1e-6 <= cy <= f.box.y1 + 1e-6


def _clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def span_field(
    line: Line,
    start: int,
    end: int,
    value: Value | None,
    certainty: float,
    *,
    label: str | None = None,
    flags: tuple[str, ...] = (),
) -> Field:
    """A field read from characters start..end of one line."""
    return Field(
        value=value,
        text=line.text[start:end],
        confidence=round(_clip(certainty) * line.span_confidence(start, end), 4),
        page=line.page,
        box=line.span_box(start, end),
        label=label,
        flags=flags,
    )


def money_field(m: Money, certainty: float, label: str | None = None) -> Field:
    return span_field(m.line, m.start, m.end, m.value, certainty, label=label)


def lines_field(lines: Sequence[Line], value: Value | None, certainty: float, *, sep: str = " ") -> Field:
    """A field made of whole lines (a vendor name over two lines, an address block)."""
    text = sep.join(line.text for line in lines)
    ocr = min((line.confidence for line in lines), default=0.0)
    pages = [line.page for line in lines]
    first_page = pages[0] if pages else None
    box = enclosing(line.box for line in lines if line.page == first_page)
    return Field(
        value=value,
        text=text,
        confidence=round(_clip(certainty) * ocr, 4),
        page=first_page,
        box=box,
    )


def segments_field(parts: Sequence[tuple[Line, int]], certainty: float) -> Field:
    """A field made of the first characters of several lines (an address cut at "TEL")."""
    texts = [line.text[:end].strip(" ,") for line, end in parts]
    value = " ".join(t for t in texts if t)
    first_page = parts[0][0].page
    box = enclosing(line.span_box(0, end) for line, end in parts if line.page == first_page and end > 0)
    ocr = min(line.span_confidence(0, max(1, end)) for line, end in parts)
    return Field(value=value, text=value, confidence=round(_clip(certainty) * ocr, 4), page=first_page, box=box)
