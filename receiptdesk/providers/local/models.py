"""The OCR models themselves: found in the rapidocr wheel, loaded with the settings a receipt needs.

Only the models shipped inside the rapidocr wheel are used, by path, so nothing
is ever downloaded. RapidOCR's loaders build the onnxruntime sessions; we
give them our thread counts and memory settings and our own detector input.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError

if TYPE_CHECKING:
    from receiptdesk.providers.local.engine import Image, OcrSettings


class DetInput:
    """The detector's input: the image resized to multiples of 32 pixels, (x / 255 - 0.5) / 0.5, float32.

    RapidOCR's own preprocessing normalises in float64, a tenth of a second on a large
    page; a lookup table gives the same numbers in a few milliseconds."""

    _TABLE = (np.arange(256, dtype=np.float32) / np.float32(127.5) - np.float32(1.0)).astype(np.float32)

    def __call__(self, image: Image) -> npt.NDArray[np.float32] | None:
        import cv2

        h, w = image.shape[:2]
        size = (round(w / 32) * 32, round(h / 32) * 32)
        if size[0] <= 0 or size[1] <= 0:
            return None
        if size != (w, h):
            image = np.asarray(cv2.resize(image, size), dtype=np.uint8)
        chw = np.ascontiguousarray(image.transpose(2, 0, 1))
        out: npt.NDArray[np.float32] = self._TABLE[chw][None]
        return out


class Models:
    """The three model sessions with their RapidOCR pre- and post-processing."""

    def __init__(self, det: Any, cls: Any, rec: Any) -> None:
        self.det = det
        self.cls = cls
        self.rec = rec

    @classmethod
    def load(cls, threads: int, settings: OcrSettings) -> Models:
        quiet_rapidocr()
        files = model_files()
        try:
            from rapidocr import RapidOCR

            def configured(threads: int) -> Any:
                return RapidOCR(
                    params={
                        "Global.log_level": "warning",
                        "Global.use_cls": True,
                        "Det.model_path": str(files["det"]),
                        # The detector's own resize only rounds to multiples of 32: we scale before it.
                        "Det.limit_type": "max",
                        "Det.limit_side_len": 100_000,
                        "Det.unclip_ratio": settings.det_unclip,
                        "Cls.model_path": str(files["cls"]),
                        "Rec.model_path": str(files["rec"]),
                        "Rec.rec_batch_num": settings.rec_batch,
                        "Rec.rec_img_shape": [3, 48, settings.rec_min_width],
                        # onnxruntime keeps and reuses its own memory between calls: faster, and
                        # without the heap fragments two threads' many calls would leave behind
                        "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
                        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                    }
                )

            # One large image: onnxruntime's threads share the detector's work well. Many small
            # lines: single-threaded calls, run side by side (see OcrEngine.recognize).
            wide, single = configured(threads), configured(1)
            # RapidOCR's loaders resolve each model's settings; they are guarded by its own locks.
            with without_memory_patterns():
                models = cls(wide._load_det_model(), single._load_cls_model(), single._load_rec_model())
            models.det.get_preprocess = DetInput
        except ImportError as e:  # pragma: no cover - a hard dependency
            raise ReceiptDeskError(
                ErrorKind.BUG, "The offline reader is not installed (rapidocr).", detail=str(e)
            ) from e
        quiet_rapidocr()
        return models


@contextlib.contextmanager
def without_memory_patterns() -> Iterator[None]:
    """Sessions made meanwhile plan no memory pattern: every page and line has another shape, so a
    pattern is never reused and only holds memory (with it, 50 receipts peaked 75 MB higher)."""
    from rapidocr.inference_engine.onnxruntime.main import OrtInferSession

    original = OrtInferSession._init_sess_opts

    def options(cfg: Any) -> Any:
        opts = original(cfg)
        opts.enable_mem_pattern = False
        return opts

    OrtInferSession._init_sess_opts = staticmethod(options)  # type: ignore[method-assign]
    try:
        yield
    finally:
        OrtInferSession._init_sess_opts = staticmethod(original)  # type: ignore[method-assign]


def model_files() -> dict[str, Path]:
    """The detection, classifier and recognition models shipped in the rapidocr wheel."""
    import rapidocr

    folder = Path(rapidocr.__file__).parent / "models"
    found: dict[str, Path] = {}
    for role, pattern in (("det", "*_det_*.onnx"), ("cls", "*_cls_*.onnx"), ("rec", "*_rec_*.onnx")):
        matches = sorted(folder.glob(pattern))
        if not matches:
            raise ReceiptDeskError(
                ErrorKind.BUG,
                "The offline reader's models are missing. Reinstall ReceiptDesk.",
                detail=f"no {pattern} in {folder}",
            )
        found[role] = matches[0]
    return found


def rapidocr_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rapidocr")
    except PackageNotFoundError:  # pragma: no cover - frozen bundles may lack metadata
        return "3"


def quiet_rapidocr() -> None:
    """Route RapidOCR's log through ours at WARNING, instead of its own INFO lines on stderr."""
    rapid = logging.getLogger("RapidOCR")
    for handler in list(rapid.handlers):
        rapid.removeHandler(handler)
    rapid.propagate = True
    rapid.setLevel(logging.WARNING)
