"""int8 copies of the shipped PP-OCRv6 small detector and recognizer, calibrated on dev images (an experiment).

    python -m tests.bench.quantize_ocr --out /tmp/int8 [--variants rec-qdq,det-qdq,...] [--calib-files 24]

Derives int8 models from rapidocr's wheel files with onnxruntime.quantization,
deterministically: the calibration inputs are fixed files (below), read in a
fixed order; MinMax calibration has no randomness.

Calibration and evaluation are kept apart by file: a dev image calibrates when
the first byte of the SHA-1 of its file name (without extension) is under
CALIBRATION_SHARE x 256 (`calibrates`), about one file in five of SROIE and of
WildReceipt; tests.bench.recognizers --exclude-calibration and
tests.bench.detector_int8 measure on the others only.

The recognizer calibrates on the ground-truth line crops of those files, cut as
the engine cuts a detected line (engine.crop_line) and prepared as the engine
prepares them (Recognizer.prepare, one line per call); the detector on the
pages, scaled so their short side is the engine's det_short_side and cut to
det_strip_pixels, as the engine's detector sees a band.

A variant is named by dash-separated words, written as <out>/<variant>.onnx:
  rec / det     the recognizer or the detector
  qdq / qop     static (calibrated) QDQ or QOperator format, weights int8 per channel, activations uint8;
  dyn           or dynamic: weights int8 per channel, activations quantised per call
  conv          Conv layers only (the recognizer's default: Conv and MatMul; the detector has no MatMul)
  wmm           only the MatMuls with a weight (attention's activation x activation products stay float)
  hyb           static Conv, then the MatMuls with a weight dynamic (the output layer among them)
  edge          the first layer and the output layer stay float
  pct / ent     Percentile (99.99) or Entropy calibration instead of MinMax
e.g. rec-qdq, rec-qdq-wmm-pct, rec-qdq-hyb, det-qdq.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from receiptdesk.providers.local.detector import DetInput  # noqa: E402
from receiptdesk.providers.local.engine import OcrSettings, crop_line  # noqa: E402
from receiptdesk.providers.local.models import DETECTORS, STRONG_RECOGNIZER  # noqa: E402
from receiptdesk.providers.local.recognizer import Recognizer  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "receipts"
SETS = ("sroie", "wildreceipt")
CALIBRATION_SHARE = 0.2
SEED = 0  # the line sample's order (numpy's default_rng)


def calibrates(stem: str) -> bool:
    """Whether a dev image is one of the calibration files (never used to measure)."""
    return hashlib.sha1(stem.encode()).digest()[0] < CALIBRATION_SHARE * 256


def images(set_name: str) -> list[Path]:
    folder = DATA / set_name / "img"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


def calibration_images(limit: int) -> list[Path]:
    """Up to `limit` calibration files of each set, in name order."""
    return [p for s in SETS for p in [q for q in images(s) if calibrates(q.stem)][:limit]]


def line_crops(limit: int, per_file: int) -> list[np.ndarray]:
    """Up to `per_file` ground-truth line crops of each calibration file, a seeded sample."""
    import cv2

    from tests.bench.recognizers import _sroie_quads, _wildreceipt_quads

    rng = np.random.default_rng(SEED)
    crops: list[np.ndarray] = []
    for path in calibration_images(limit):
        picture = cv2.imread(str(path), cv2.IMREAD_COLOR)
        box = path.parent.parent / "box"
        quads = _sroie_quads(box / f"{path.stem}.txt") if path.parent.parent.name == "sroie" else []
        if path.parent.parent.name == "wildreceipt":
            quads = _wildreceipt_quads(box / f"{path.stem}.json")
        found = [crop_line(picture, q) for t, q in quads if t.strip()]
        found = [c for c in found if min(c.shape[:2]) >= 2]
        pick = rng.permutation(len(found))[:per_file]
        crops += [found[i] for i in sorted(pick)]
    return crops


def page_inputs(limit: int) -> list[np.ndarray]:
    """The detector's inputs for the calibration pages: scaled as the engine scales a page, one band."""
    import cv2

    s = OcrSettings()
    prepare = DetInput()
    out: list[np.ndarray] = []
    for path in calibration_images(limit):
        picture = cv2.imread(str(path), cv2.IMREAD_COLOR)
        h, w = picture.shape[:2]
        scale = min(s.det_short_side / min(h, w), s.det_max_side / max(h, w))
        small = cv2.resize(
            picture, (max(32, round(w * scale)), max(32, round(h * scale))), interpolation=cv2.INTER_AREA
        )
        rows = max(32, s.det_strip_pixels // small.shape[1] // 32 * 32)
        batch = prepare(small[:rows])
        if batch is not None:
            out.append(batch)
    return out


CALIBRATION_WIDTH = 640  # pixels at 48 high: the recognizer's calibration width for histogram methods


def _at_most(crop: np.ndarray, width: int) -> np.ndarray:
    """The crop squeezed to at most `width` pixels wide at the recognizer's 48-pixel height."""
    import cv2

    h, w = crop.shape[:2]
    if w * 48 <= width * h:
        return crop
    return np.asarray(cv2.resize(crop, (width, 48)), dtype=np.uint8)


class Reader:
    """onnxruntime's CalibrationDataReader over a list of inputs."""

    def __init__(self, name: str, inputs: list[np.ndarray]) -> None:
        self.name = name
        self.inputs = inputs
        self._it: Iterator[np.ndarray] = iter(inputs)

    def get_next(self) -> dict[str, np.ndarray] | None:
        batch = next(self._it, None)
        return None if batch is None else {self.name: batch}

    def rewind(self) -> None:
        self._it = iter(self.inputs)


def preprocess(model: Path, out: Path) -> Path:
    """onnxruntime's recommended step before quantising (shapes inferred, graph optimised), at opset 13:
    the wheel's models are opset 11, whose DequantizeLinear has no per-channel axis."""
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization.shape_inference import quant_pre_process

    target = out / f"{model.stem}.pre.onnx"
    if not target.exists():
        upgraded = out / f"{model.stem}.op13.onnx"
        onnx.save(version_converter.convert_version(onnx.load(str(model)), 13), str(upgraded))
        quant_pre_process(str(upgraded), str(target), skip_symbolic_shape=True)
    return target


def derive(variant: str, out: Path, limit: int, per_file: int) -> Path:
    """One variant, named by dash-separated words (see the module's docstring)."""
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_dynamic, quantize_static

    kind, *words = variant.split("-")
    source = (STRONG_RECOGNIZER if kind == "rec" else DETECTORS["small"]).find()
    pre = preprocess(source, out)
    target = out / f"{variant}.onnx"
    graph = onnx.load(str(pre)).graph
    weights = {i.name for i in graph.initializer}
    ops = ["Conv"] if kind == "det" or "conv" in words or "hyb" in words else ["Conv", "MatMul"]
    exclude = []
    if "wmm" in words or "hyb" in words:  # MatMuls of two activations (attention) stay float
        exclude += [n.name for n in graph.node if n.op_type == "MatMul" and not set(n.input) & weights]
    if "edge" in words:  # the first layer and the output layer stay float
        exclude += [next(n.name for n in graph.node if n.op_type == "Conv")]
        exclude += [[n.name for n in graph.node if n.op_type in ("MatMul", "Conv")][-1]]
    if "dyn" in words:
        quantize_dynamic(
            str(pre),
            str(target),
            op_types_to_quantize=ops,
            nodes_to_exclude=exclude,
            per_channel=True,
            weight_type=QuantType.QInt8,
        )
        return target
    if kind == "rec" and ("pct" in words or "ent" in words):
        # histograms are gathered over inputs of one shape: every line padded (or squeezed) to one width
        reader = Recognizer(source, 1, min_width=CALIBRATION_WIDTH)
        inputs = [reader.prepare([_at_most(c, CALIBRATION_WIDTH)]) for c in line_crops(limit, per_file)]
    elif kind == "rec":
        reader = Recognizer(source, 1)
        inputs = [reader.prepare([c]) for c in line_crops(limit, per_file)]
    else:
        inputs = page_inputs(limit)
    method = CalibrationMethod.MinMax
    if "pct" in words:
        method = CalibrationMethod.Percentile
    elif "ent" in words:
        method = CalibrationMethod.Entropy
    print(f"{variant}: calibrating on {len(inputs)} inputs, {method.name}, {len(exclude)} nodes left float", flush=True)
    quantize_static(
        str(pre),
        str(target),
        Reader("x", inputs),
        quant_format=QuantFormat.QOperator if "qop" in words else QuantFormat.QDQ,
        op_types_to_quantize=ops,
        nodes_to_exclude=exclude,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        calibrate_method=method,
        extra_options={"CalibMovingAverage": False, "CalibPercentile": 99.99},
    )
    if "hyb" in words:  # then the weight MatMuls (the output layer among them) dynamic
        static = out / f"{variant}.static.onnx"
        target.replace(static)
        quantize_dynamic(
            str(static),
            str(target),
            op_types_to_quantize=["MatMul"],
            nodes_to_exclude=exclude,
            per_channel=True,
            weight_type=QuantType.QInt8,
        )
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--variants", default="rec-qdq,det-qdq")
    ap.add_argument("--calib-files", type=int, default=24, help="calibration files per set")
    ap.add_argument("--lines-per-file", type=int, default=12, help="recognizer: line crops per calibration file")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for variant in args.variants.split(","):
        started = time.perf_counter()
        target = derive(variant, args.out, args.calib_files, args.lines_per_file)
        print(f"{variant}: {target} {target.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
