"""A page made ready for OCR, and the way back from what OCR saw to the page the user sees.

Three frames matter. The *page* is the image as the viewer shows it (EXIF
rotation applied, full size). The *prepared* image is the page scaled down
when it is very large and contrast-stretched when faded; OCR runs on it and
its pixels map back by one scale factor. The *reading* frame is the page
turned a quarter turn at a time until its text is upright, and straightened
by the skew of its lines; words are handed to the parser in this frame so
its rows are rows. `to_page_box` maps a box in the reading frame back to the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from receiptdesk.core.geometry import Box
from receiptdesk.providers.local.engine import Image, Quad

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

# OCR reads the page at no more than this longest side: more pixels only cost time
# (recognition resizes each line to 48 pixels high anyway).
OCR_MAX_SIDE = 2000
# Below this spread between the darkest and the lightest ink, the page is stretched.
LOW_CONTRAST = 110
# Ink is measured on a copy of the page this size at most.
INK_SAMPLE_SIDE = 1200
# Lines tilted less than this are left alone; more than MAX_SKEW is not skew but layout.
MIN_SKEW, MAX_SKEW = 1.0, 35.0


@dataclass(frozen=True, slots=True)
class Prepared:
    image: Image  # BGR, what OCR reads
    scale: float  # prepared pixels per page pixel (<= 1)
    page_width: int  # the page in its own pixels
    page_height: int
    stretched: bool  # contrast was stretched


def prepare(page: PILImage, max_side: int = OCR_MAX_SIDE) -> Prepared:
    """The page as OCR wants it: at most `max_side` pixels, BGR, with faded ink darkened."""
    import cv2

    width, height = page.size
    rgb = np.asarray(page.convert("RGB") if page.mode != "RGB" else page)
    scale = min(1.0, max_side / max(width, height))
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        rgb = np.asarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    bgr = np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), dtype=np.uint8)
    bgr, stretched = stretch_contrast(bgr)
    return Prepared(bgr, scale, width, height, stretched)


def stretch_contrast(image: Image) -> tuple[Image, bool]:
    """Stretch a faded page (thermal paper, a grey scan) so ink is dark and paper light."""
    sample = image[::4, ::4].mean(axis=2)
    low, high = np.percentile(sample, (1, 99))
    if high - low >= LOW_CONTRAST or high - low < 8:  # fine already, or a blank page
        return image, False
    lut = np.clip((np.arange(256, dtype=np.float32) - low) * (255.0 / (high - low)), 0, 255).astype(np.uint8)
    stretched: Image = lut[image]
    return stretched, True


@dataclass(frozen=True, slots=True)
class Ink:
    """What the printing on a page looks like, measured in a few milliseconds before any OCR."""

    glyph: float  # typical height of a character, in image pixels
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 around everything printed, with a margin


def measure_ink(image: Image) -> Ink | None:
    """Character height and the printed area, or None when there is too little ink to say.

    Blobs of an adaptive threshold are mostly single characters: their typical
    height tells the detector how far the page can be shrunk (a close-up photo)
    or must be enlarged (small print on a big scan), and their extent spares it
    the empty scanner bed around a receipt.
    """
    import cv2

    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    k = min(1.0, INK_SAMPLE_SIDE / max(grey.shape))
    if k < 1.0:
        size = (max(1, round(grey.shape[1] * k)), max(1, round(grey.shape[0] * k)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    rows, cols = grey.shape
    glyphs = h[(h >= 4) & (h <= rows / 10) & (w <= 3 * h) & (area >= 8)]
    if len(glyphs) < 10:
        return None
    glyph = float(np.percentile(glyphs, 60))
    # Everything printed but the page's edges (shadows, a table under the photo) and huge blobs.
    inside = (h >= 4) & (area >= 8) & (h <= rows / 4) & (x > 1) & (y > 1) & (x + w < cols - 1) & (y + h < rows - 1)
    margin = 3 * glyph
    box = (
        max(0, int((x[inside].min() - margin) / k)),
        max(0, int((y[inside].min() - margin) / k)),
        min(image.shape[1], int(((x + w)[inside].max() + margin) / k) + 1),
        min(image.shape[0], int(((y + h)[inside].max() + margin) / k) + 1),
    )
    return Ink(glyph / k, box)


# ---------------------------------------------------------------- orientation


def order_points(quad: Quad) -> Quad:
    """Corners as top-left, top-right, bottom-right, bottom-left (after turning, the old order is wrong)."""
    s = quad.sum(axis=1)
    d = quad[:, 1] - quad[:, 0]
    out = np.array([quad[np.argmin(s)], quad[np.argmin(d)], quad[np.argmax(s)], quad[np.argmax(d)]], dtype=np.float32)
    return out


def _sides(quad: Quad) -> tuple[float, float]:
    """(extent along x, extent along y) of a quad."""
    xs, ys = quad[:, 0], quad[:, 1]
    return float(xs.max() - xs.min()), float(ys.max() - ys.min())


def is_sideways(quads: list[Quad]) -> bool:
    """Most clearly elongated lines stand upright: the page is turned a quarter."""
    tall = wide = 0
    for q in quads:
        w, h = _sides(q)
        if h >= 2.0 * w:
            tall += 1
        elif w >= 2.0 * h:
            wide += 1
    return tall >= 3 and tall > 2 * wide


def turn_image(image: Image, quarter_turns: int) -> Image:
    """The image turned clockwise by 90 degrees `quarter_turns` times."""
    k = quarter_turns % 4
    if k == 0:
        return image
    turned: Image = np.ascontiguousarray(np.rot90(image, -k))
    return turned


def turn_quads(quads: list[Quad], quarter_turns: int, width: int, height: int) -> list[Quad]:
    """Quads on a width x height image, moved to where `turn_image` puts their pixels."""
    k = quarter_turns % 4
    if k == 0:
        return quads
    out = []
    for q in quads:
        x, y = q[:, 0], q[:, 1]
        if k == 1:
            nx, ny = height - y, x
        elif k == 2:
            nx, ny = width - x, height - y
        else:
            nx, ny = y, width - x
        out.append(order_points(np.stack([nx, ny], axis=1).astype(np.float32)))
    return out


def skew_angle(quads: list[Quad]) -> float:
    """The tilt of the text lines in degrees (positive: they fall to the right), 0 when there is none to fix."""
    angles: list[float] = []
    weights: list[float] = []
    for q in quads:
        top, bottom = q[1] - q[0], q[2] - q[3]
        length = float(np.hypot(*top))
        height = float(np.hypot(*(q[3] - q[0])))
        if length < 3 * max(height, 1.0) or length < 40:
            continue
        for edge in (top, bottom):
            angles.append(math.degrees(math.atan2(float(edge[1]), float(edge[0]))))
            weights.append(length)
    if len(angles) < 6:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights)[order])
    median = float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    return median if MIN_SKEW <= abs(median) <= MAX_SKEW else 0.0


def straighten(quad: Quad, angle: float, width: float, height: float) -> Quad:
    """The quad turned by -angle about the image centre, so a line tilted by `angle` lies flat."""
    if not angle:
        return quad
    a = math.radians(angle)
    c, s = math.cos(a), math.sin(a)
    cx, cy = width / 2, height / 2
    x, y = quad[:, 0] - cx, quad[:, 1] - cy
    return np.stack([cx + x * c + y * s, cy - x * s + y * c], axis=1).astype(np.float32)


# ---------------------------------------------------------------- back to the page


def to_page_box(box: Box, rotation: int, skew: float, width: float, height: float) -> Box:
    """A box from the reading frame (turned `rotation` degrees clockwise, then straightened by
    `skew` degrees; `width` x `height` is its size there) back on the page as the user sees it."""
    corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    if skew:
        a = math.radians(skew)
        c, s = math.cos(a), math.sin(a)
        tilted = []
        for x, y in corners:
            px, py = (x - 0.5) * width, (y - 0.5) * height
            tilted.append(((px * c - py * s) / width + 0.5, (px * s + py * c) / height + 0.5))
        corners = tilted
    k = (rotation // 90) % 4
    if k == 1:  # reading (x, y) came from page (y, 1 - x)
        corners = [(y, 1 - x) for x, y in corners]
    elif k == 2:
        corners = [(1 - x, 1 - y) for x, y in corners]
    elif k == 3:
        corners = [(1 - y, x) for x, y in corners]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return Box.from_points(xs, ys, 1.0, 1.0)
