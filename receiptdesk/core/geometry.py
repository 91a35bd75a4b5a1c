"""Boxes on a page, normalised to 0..1 so every provider's geometry looks alike.

Textract gives 0..1 already; Azure gives pixels for images and inches for
PDFs; the local OCR gives pixels of the image it read. All of them become a
`Box` at the provider edge and nothing above cares about units again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def _clamp(v: float) -> float:
    return 0.0 if v < 0.0 else 1.0 if v > 1.0 else v


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle, x to the right and y down, as fractions of the page."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def from_points(cls, xs: Sequence[float], ys: Sequence[float], width: float, height: float) -> Box:
        """The box around points given in page units (pixels, inches, points)."""
        if width <= 0 or height <= 0:
            raise ValueError("page size must be positive")
        return cls(
            _clamp(min(xs) / width),
            _clamp(min(ys) / height),
            _clamp(max(xs) / width),
            _clamp(max(ys) / height),
        )

    @classmethod
    def from_polygon(cls, flat: Sequence[float], width: float, height: float) -> Box:
        """From a flat [x1, y1, x2, y2, ...] polygon in page units (Azure's form)."""
        if len(flat) < 4 or len(flat) % 2:
            raise ValueError("a polygon needs pairs of coordinates")
        return cls.from_points(flat[0::2], flat[1::2], width, height)

    @classmethod
    def from_ltwh(cls, left: float, top: float, width: float, height: float) -> Box:
        """From left/top/width/height fractions (Textract's BoundingBox)."""
        return cls(_clamp(left), _clamp(top), _clamp(left + width), _clamp(top + height))

    @classmethod
    def from_json(cls, data: Sequence[float]) -> Box:
        x0, y0, x1, y1 = (float(v) for v in data)
        return cls(x0, y0, x1, y1)

    def to_json(self) -> list[float]:
        return [round(self.x0, 5), round(self.y0, 5), round(self.x1, 5), round(self.y1, 5)]

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def is_inside_page(self) -> bool:
        return 0.0 <= self.x0 <= self.x1 <= 1.0 and 0.0 <= self.y0 <= self.y1 <= 1.0

    def vertical_overlap(self, other: Box) -> float:
        """Overlap of the two boxes' heights as a fraction of the smaller height."""
        inter = min(self.y1, other.y1) - max(self.y0, other.y0)
        smaller = min(self.height, other.height)
        return max(0.0, inter) / smaller if smaller > 0 else 0.0


def enclosing(boxes: Iterable[Box]) -> Box | None:
    """The smallest box around all of them, or None when there are none."""
    result: Box | None = None
    for box in boxes:
        result = box if result is None else result.union(box)
    return result
