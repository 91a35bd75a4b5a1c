"""The learned line-item choice: which lines that end in an amount are items.

The hand rules (parsing/items.py) take the rows between the merchant block and the first total;
parsing/item_rows.py describes every line that carries an amount with plain numbers (inside that
zone or not, the rules' own decision, label class, position, column, arithmetic). A logistic
regression trained by tests/bench/train_items.py and committed as model/items.json turns them into
the chance that the line is an item; a logistic regression on that chance and a few of the row's own
features, fitted on held-out folds, turns it into the confidence shown for the item's amount and its
description. A separate file from ranker.json: the two are trained apart. Pure Python at run time:
one dot product and a sigmoid per line.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from receiptdesk.core.review import SURE
from receiptdesk.providers.local.ranking import CLIP, calibrated

log = logging.getLogger(__name__)
ITEMS_PATH = Path(__file__).with_name("model") / "items.json"


def calibration_inputs(feats: Mapping[str, float], kept: bool, adds_up: bool) -> dict[str, float]:
    """What a row's calibration may weigh beside the model's logit: its features; `kept`, a row the rules keep
    without asking the model (its name printed on another line), which the model never learned from;
    `adds_up`, the items shown add up to the subtotal or total read (the line_sum check); `ocr_miss`, the log
    of the OCR's doubt about the line (a text layer reads 1.0)."""
    ocr_miss = math.log(max(CLIP, 1.0 - float(feats.get("ocr", 1.0))))
    return {**feats, "kept": float(kept), "adds_up": float(adds_up), "ocr_miss": ocr_miss}


@dataclass(frozen=True, slots=True)
class Calibration:
    """confidence = sigmoid(a * logit(p) + b + sum of weights x the row's features): fitted on out-of-fold rows so
    that values shown as 0.8 are right about 8 times in 10; shown as sure only from `sure_from` up."""

    platt: tuple[float, float] = (1.0, 0.0)
    features: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    # From where a value is shown as sure: as ranking.FieldModel.sure_from (held-out values right 97 in 100).
    sure_from: float = SURE

    def confidence(self, p: float, feats: Mapping[str, float]) -> float:
        return calibrated(p, self.platt, zip(self.features, self.weights, strict=True), feats, self.sure_from)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Calibration:
        a, b = data.get("platt", (1.0, 0.0))
        return cls(
            (float(a), float(b)),
            tuple(data.get("features", ())),
            tuple(float(w) for w in data.get("weights", ())),
            float(data.get("sure_from", SURE)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "platt": list(self.platt),
            "features": list(self.features),
            "weights": list(self.weights),
            "sure_from": self.sure_from,
        }


@dataclass(frozen=True, slots=True)
class ItemModel:
    """Weights over named features of a candidate row; `chooses` False leaves the choice to the rules."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float = 0.0
    threshold: float = 0.5  # a row the rules left out is taken from this probability up
    # A row the rules took is dropped only below this: the labelled sets hold few of some layouts the rules were
    # written for (names printed over their numbers), and the model must not undo those on weak evidence.
    drop_below: float = 0.5
    chooses: bool = True
    version: str = "0"
    # What the confidence shown is calibrated by, per item field ("amount", "description"); a field without one
    # keeps the hand rules' fixed certainty x OCR score (a model file from before calibration).
    calibration: tuple[tuple[str, Calibration], ...] = ()

    def probability(self, feats: Mapping[str, float]) -> float:
        z = self.bias
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.weights, strict=True):
            z += w * (float(feats.get(name, 0.0)) - mu) / sd
        z = max(-40.0, min(40.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    def is_item(self, feats: Mapping[str, float], by_rules: bool) -> bool:
        return self.probability(feats) >= (self.drop_below if by_rules else self.threshold)

    def confidences(self, feats: Mapping[str, float], kept: bool, adds_up: bool) -> dict[str, float]:
        """The calibrated confidence of each item field this model calibrates, for a row it shows (see
        calibration_inputs); none from a model without calibration."""
        if not self.calibration:
            return {}
        p = self.probability(feats)
        inputs = calibration_inputs(feats, kept, adds_up)
        return {name: c.confidence(p, inputs) for name, c in self.calibration}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ItemModel:
        return cls(
            features=tuple(data["features"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) or 1.0 for v in data["scale"]),
            weights=tuple(float(v) for v in data["weights"]),
            bias=float(data.get("bias", 0.0)),
            threshold=float(data.get("threshold", 0.5)),
            drop_below=float(data.get("drop_below", 0.5)),
            chooses=bool(data.get("chooses", True)),
            version=str(data.get("version", "0")),
            calibration=tuple((name, Calibration.from_json(c)) for name, c in data.get("calibration", {}).items()),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "chooses": self.chooses,
            "threshold": self.threshold,
            "drop_below": self.drop_below,
            "bias": self.bias,
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "calibration": {name: c.to_json() for name, c in self.calibration},
        }


# The hand rules alone (what the bench compares the model against, and what a checkout without the file uses).
ITEM_RULES = ItemModel((), (), (), (), chooses=False, version="rules")


@cache
def default_items_model() -> ItemModel:
    """The committed model, read once."""
    return load_items_model(ITEMS_PATH)


def load_items_model(path: Path) -> ItemModel:
    """The model in this file; the hand rules when it is missing (a source checkout without it)."""
    try:
        return ItemModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        log.warning("No line-item model at %s: the hand rules choose the item rows", path)
        return ITEM_RULES
