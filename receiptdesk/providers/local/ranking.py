"""The learned ranker: which of the parser's candidates is the total, the date, the vendor, and how sure.

The candidate generators and the arithmetic checks (parsing/totals.py, parsing/dates.py,
parsing/vendor_choice.py)
propose values and describe each one with plain numbers (label class, position, arithmetic
agreement, OCR score, font height, how often it is printed). A conditional logit model, trained
by tests/bench/train_ranker.py on the labelled sets and committed as model/ranker.json, turns
those numbers into one probability per candidate; a Platt scale fitted on held-out folds turns
the winner's probability into the confidence shown. Where a field gained from it cross-validated
(the address: which lines make it depends on several cues at once), the candidate's score is a sum
of small boosted trees instead of a weighted sum. Pure Python at run time: a dot product or a walk
down a few trees, and a softmax, no numerical library.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from receiptdesk.core.review import SURE

log = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).with_name("model") / "ranker.json"
# A probability is never taken as surer than this before calibration: a receipt with one candidate
# has a softmax of exactly 1, which says nothing about whether that one is right.
CLIP = 1e-3
# What a value the field's calibration puts at SURE or more, but under its `sure_from`, is shown at: just
# under sure (a value right 95 times in 100 is worth a look; "sure" promises 97).
SHOWN_UNDER_SURE = 0.89


class Pick(NamedTuple):
    """The candidate shown, its calibrated confidence, and whether it is the hand rules' own pick."""

    at: int
    confidence: float
    hands: bool


def hand_index(cands: Sequence[Mapping[str, float]]) -> int | None:
    """The candidate the hand rules chose (its "hand_best" feature), or None when they chose none."""
    return next((i for i, f in enumerate(cands) if f.get("hand_best")), None)


@dataclass(frozen=True, slots=True)
class FieldModel:
    """Weights over named features for one field, and the calibration of its winner's probability."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    platt: tuple[float, float] = (1.0, 0.0)  # confidence = sigmoid(a * logit(p) + b + calibration terms)
    # Features of the winner itself that say how far to trust it (an ambiguous date, a weak OCR read):
    # a softmax over one document's candidates cannot see what they all share.
    calib_features: tuple[str, ...] = ()
    calib_weights: tuple[float, ...] = ()
    # Whether the model's pick is shown, or only its confidence in the hand rules' pick (when the model did
    # not beat the rules cross-validated on every set: see MODEL_CARD.md).
    chooses: bool = True
    # The calibrated probability from which a value is shown as sure (>= SURE, the editor's "OK" colour): the
    # lowest at which the held-out folds' values were right 97 times in 100, by a margin that held on folds the
    # cut was not fitted on (train_ranker.sure_from, held_out_margin); 1 when none held: nothing shown sure.
    sure_from: float = SURE
    # Boosted trees, in place of the weights: each a leaf's score, or [feature index, threshold, below, else]
    # (the feature's value under the threshold goes down the first branch). Empty: the weights score.
    trees: tuple[Any, ...] = ()

    def logit(self, feats: Mapping[str, float]) -> float:
        if self.trees:
            x = [float(feats.get(name, 0.0)) for name in self.features]
            return sum(tree_score(tree, x) for tree in self.trees)
        z = 0.0
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.weights, strict=True):
            z += w * (float(feats.get(name, 0.0)) - mu) / sd
        return z

    def probabilities(self, cands: Sequence[Mapping[str, float]]) -> list[float]:
        """Softmax over the document's candidates: each one's chance of being the field."""
        if not cands:
            return []
        zs = [self.logit(f) for f in cands]
        top = max(zs)
        exps = [math.exp(z - top) for z in zs]
        total = sum(exps)
        return [e / total for e in exps]

    def choose(self, cands: Sequence[Mapping[str, float]]) -> Pick:
        """The winning candidate and its calibrated confidence. A lone candidate's softmax is 1 whatever it
        is, so its calibration starts from even odds and its own features decide."""
        probs = self.probabilities(cands)
        k = max(range(len(cands)), key=lambda i: probs[i])
        return Pick(k, self.calibrated(probs[k] if len(cands) > 1 else 0.5, cands[k]), k == hand_index(cands))

    def pick(self, cands: Sequence[Mapping[str, float]]) -> Pick | None:
        """The candidate shown and its confidence: the model's choice or, for a model that does not choose,
        the hand rules' pick (the candidate marked "hand_best") with the model's confidence; None when
        there is nothing to show."""
        if self.chooses:
            return self.choose(cands)
        hand_at = hand_index(cands)
        return None if hand_at is None else Pick(hand_at, self.confidence_of(cands, hand_at), True)

    def confidence_of(self, cands: Sequence[Mapping[str, float]], k: int) -> float:
        """The calibrated confidence of candidate k, chosen by someone else (the hand rules)."""
        probs = self.probabilities(cands)
        return self.calibrated(probs[k] if len(cands) > 1 else 0.5, cands[k])

    def calibrated(self, p: float, winner: Mapping[str, float] | None = None) -> float:
        """The winner's probability, rescaled so that values shown as 0.9 are right about 9 times in 10."""
        pairs = zip(self.calib_features, self.calib_weights, strict=True) if winner is not None else ()
        return calibrated(p, self.platt, pairs, winner or {}, self.sure_from)


def tree_score(tree: Any, x: Sequence[float]) -> float:
    """The leaf a candidate's features (in the model's order) reach down one tree."""
    while isinstance(tree, list):
        tree = tree[2] if x[tree[0]] < tree[1] else tree[3]
    return float(tree)


def calibrated(
    p: float,
    platt: tuple[float, float],
    weighted: Iterable[tuple[str, float]],
    feats: Mapping[str, float],
    sure_from: float,
) -> float:
    """A model's probability as the confidence shown: sigmoid(a * logit(p) + b + the weighted features of
    what is shown), then `sure_scale`. The ranker's fields and the line items (item_model) are calibrated so."""
    p = min(max(p, CLIP), 1 - CLIP)
    a, b = platt
    z = a * math.log(p / (1 - p)) + b + sum(w * float(feats.get(n, 0.0)) for n, w in weighted)
    z = max(-40.0, min(40.0, z))  # beyond, the sigmoid is 0 or 1 to 17 places (and exp would overflow)
    return sure_scale(1.0 / (1.0 + math.exp(-z)), sure_from)


def sure_scale(q: float, sure_from: float) -> float:
    """A calibrated probability as shown: unchanged, except that between SURE and `sure_from` it is
    SHOWN_UNDER_SURE (the field's values there were right less often than "sure" promises)."""
    return SHOWN_UNDER_SURE if SURE <= q < sure_from else q


@dataclass(frozen=True, slots=True)
class Ranker:
    fields: Mapping[str, FieldModel]
    version: str = "0"

    def get(self, name: str) -> FieldModel | None:
        return self.fields.get(name)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Ranker:
        fields = {}
        for name, m in data.get("fields", {}).items():
            fields[name] = FieldModel(
                features=tuple(m["features"]),
                mean=tuple(float(v) for v in m["mean"]),
                scale=tuple(float(v) or 1.0 for v in m["scale"]),
                weights=tuple(float(v) for v in m["weights"]),
                platt=(float(m.get("platt", [1.0, 0.0])[0]), float(m.get("platt", [1.0, 0.0])[1])),
                calib_features=tuple(m.get("calib_features", ())),
                calib_weights=tuple(float(v) for v in m.get("calib_weights", ())),
                chooses=bool(m.get("chooses", True)),
                sure_from=float(m.get("sure_from", SURE)),
                trees=tuple(m.get("trees", ())),
            )
        return cls(fields, str(data.get("version", "0")))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "fields": {
                name: {
                    "features": list(m.features),
                    "mean": list(m.mean),
                    "scale": list(m.scale),
                    "weights": list(m.weights),
                    "platt": list(m.platt),
                    "calib_features": list(m.calib_features),
                    "calib_weights": list(m.calib_weights),
                    "chooses": m.chooses,
                    "sure_from": m.sure_from,
                    **({"trees": list(m.trees)} if m.trees else {}),
                }
                for name, m in self.fields.items()
            },
        }


# The hand rules alone: no learned weights (what the bench compares the model against).
HAND_RULES = Ranker({}, "hand")


@cache
def default_ranker() -> Ranker:
    """The committed model; the hand rules when it is missing (a source checkout without it)."""
    try:
        return Ranker.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    except FileNotFoundError:
        log.warning("No ranker model at %s: the hand rules choose and their confidence is not calibrated", MODEL_PATH)
        return HAND_RULES
