"""Where a recorded field is, worked out from its own polygon: the check for every mapped box."""

from __future__ import annotations

from collections.abc import Sequence

from receiptdesk.core.geometry import Box


def box_of(polygon: Sequence[float], width: float, height: float) -> tuple[float, float, float, float]:
    xs, ys = polygon[0::2], polygon[1::2]
    return (min(xs) / width, min(ys) / height, max(xs) / width, max(ys) / height)


def assert_box(box: Box | None, polygon: Sequence[float], width: float, height: float) -> None:
    assert box is not None
    assert box.is_inside_page()
    expected = box_of(polygon, width, height)
    got = (box.x0, box.y0, box.x1, box.y1)
    assert all(abs(a - b) < 1e-9 for a, b in zip(got, expected, strict=True)), (got, expected)
