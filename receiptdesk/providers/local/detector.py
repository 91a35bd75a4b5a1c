"""Text-line detection with a PaddleOCR DB detector, run with onnxruntime's public API only.

The model gives, for every pixel of its input, the probability that it lies in
the core of a text line. A line is a connected region of that map above
`THRESHOLD`, kept when its mean probability reaches `BOX_THRESHOLD`; the core's
tightest rotated rectangle is grown back by the DB rule (its outline moved out by
area x unclip / perimeter with pyclipper, as PaddleOCR does) to cover the
whole glyphs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from receiptdesk.providers.local.recognizer import SCALED, Image, session

Quad = npt.NDArray[np.float32]  # 4 x 2: top-left, top-right, bottom-right, bottom-left

THRESHOLD = 0.3  # a pixel belongs to a line's core above this probability
BOX_THRESHOLD = 0.5  # a region is a line when its mean probability reaches this
MAX_LINES = 1000  # regions looked at per image (a page holds far fewer lines)
MIN_SIDE = 3  # regions thinner than this many pixels of the model's map are specks


class DetInput:
    """The detector's input: the image resized to multiples of 32 pixels, (x / 255 - 0.5) / 0.5, float32.

    Normalising through a lookup table gives the same numbers as float arithmetic, in a
    few milliseconds instead of a tenth of a second on a large page."""

    def __call__(self, image: Image) -> npt.NDArray[np.float32] | None:
        import cv2

        h, w = image.shape[:2]
        size = (round(w / 32) * 32, round(h / 32) * 32)
        if size[0] <= 0 or size[1] <= 0:
            return None
        if size != (w, h):
            image = np.asarray(cv2.resize(image, size), dtype=np.uint8)
        chw = np.ascontiguousarray(image.transpose(2, 0, 1))
        out: npt.NDArray[np.float32] = SCALED[chw][None]
        return out


class Detector:
    """One DB text detector: an image in, the corner points of its lines out (in the image's pixels)."""

    def __init__(self, model: Path, threads: int = 1, *, unclip: float = 1.6) -> None:
        self.model = model
        self.session = session(model, threads)
        self.input = self.session.get_inputs()[0].name
        self.unclip = unclip
        self.prepare = DetInput()

    @property
    def name(self) -> str:
        return self.model.stem

    def __call__(self, image: Image) -> list[Quad]:
        batch = self.prepare(image)
        if batch is None:
            return []
        (probs,) = self.session.run(None, {self.input: batch})
        return self.lines(np.asarray(probs, dtype=np.float32)[0, 0], image.shape[1], image.shape[0])

    def lines(self, prob: npt.NDArray[np.float32], width: int, height: int) -> list[Quad]:
        """The lines in a probability map, scaled to an image of `width` x `height`."""
        import cv2

        core = cv2.dilate((prob > THRESHOLD).astype(np.uint8), np.ones((2, 2), np.uint8))
        contours, _ = cv2.findContours(core * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        sx, sy = width / prob.shape[1], height / prob.shape[0]
        found: list[Quad] = []
        for contour in contours[:MAX_LINES]:
            (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
            if min(w, h) < MIN_SIDE:
                continue
            if _mean_inside(prob, corners(cv2.boxPoints(((cx, cy), (w, h), angle)))) < BOX_THRESHOLD:
                continue
            grown = _grow(corners(cv2.boxPoints(((cx, cy), (w, h), angle))), w * h * self.unclip / (2 * (w + h)))
            (cx, cy), (w, h), angle = cv2.minAreaRect(grown)
            if min(w, h) < MIN_SIDE + 2:
                continue
            quad = corners(cv2.boxPoints(((cx, cy), (w, h), angle)))
            quad[:, 0] = np.clip(np.round(quad[:, 0] * sx), 0, width - 1)
            quad[:, 1] = np.clip(np.round(quad[:, 1] * sy), 0, height - 1)
            if np.linalg.norm(quad[0] - quad[1]) <= MIN_SIDE or np.linalg.norm(quad[0] - quad[3]) <= MIN_SIDE:
                continue
            found.append(quad)
        return found


def _grow(quad: Quad, distance: float) -> npt.NDArray[np.int64]:
    """The quad's outline moved out by `distance` with rounded corners, on the integer grid (pyclipper's
    offset, as PaddleOCR grows its boxes: the same pixels as the models' own pipeline)."""
    import pyclipper

    offset = pyclipper.PyclipperOffset()
    offset.AddPath(quad, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    return np.asarray(offset.Execute(distance), dtype=np.int64).reshape(-1, 1, 2)


def corners(points: npt.NDArray[Any]) -> Quad:
    """Four points as top-left, top-right, bottom-right, bottom-left (the left pair by x, then each by y)."""
    by_x = points[np.argsort(points[:, 0], kind="stable")]
    left, right = by_x[:2], by_x[2:]
    tl, bl = (left[0], left[1]) if left[0, 1] <= left[1, 1] else (left[1], left[0])
    tr, br = (right[0], right[1]) if right[0, 1] <= right[1, 1] else (right[1], right[0])
    return np.array([tl, tr, br, bl], dtype=np.float32)


def _mean_inside(prob: npt.NDArray[np.float32], quad: Quad) -> float:
    """Mean probability inside a quad (over its bounding rectangle, masked to the quad)."""
    import cv2

    h, w = prob.shape
    x0, x1 = int(np.clip(np.floor(quad[:, 0].min()), 0, w - 1)), int(np.clip(np.ceil(quad[:, 0].max()), 0, w - 1))
    y0, y1 = int(np.clip(np.floor(quad[:, 1].min()), 0, h - 1)), int(np.clip(np.ceil(quad[:, 1].max()), 0, h - 1))
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    cv2.fillPoly(mask, [(quad - np.array([x0, y0], dtype=np.float32)).astype(np.int32)], 1)
    return float(cv2.mean(prob[y0 : y1 + 1, x0 : x1 + 1], mask)[0])
