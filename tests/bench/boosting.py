"""Boosted trees for the ranker (tests/bench/train_ranker.py): a softmax over each document's candidates,
fitted by Newton steps on small regression trees. numpy only, at training time; the app walks the trees
in pure Python (ranking.FieldModel.trees).

Why trees: a weighted sum scores each cue apart, but whether a run of lines is the address depends on
several at once (a postcode matters on the last line, a street word on the first, neither after the phone).
Cross-validated by file, trees chose the labelled address more often than the weights on every set
(model/MODEL_CARD.md); for the other fields they did not, and those keep their weights.

Deterministic: features are cut at fixed quantiles, every split is the best of all, nothing is sampled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from receiptdesk.providers.local.ranking import FieldModel, tree_score

ROUNDS = 150
RATE = 0.1
DEPTH = 3
BINS = 32  # a feature's values are cut at most at this many places (its quantiles; every value if fewer)
L2 = 1.0  # on each leaf's score
MIN_WEIGHT = 1.0  # the least curvature (candidates' p(1-p), summed) a branch may hold


def fit_trees(groups: Sequence[tuple[np.ndarray, np.ndarray]], names: Sequence[str]) -> FieldModel:
    """Trees whose summed leaves, softmaxed over a document's candidates, put the mass on the labelled ones.
    `groups`: per document, its candidates x features and which candidates are right (at least one)."""
    X = np.vstack([x for x, _ in groups])
    y = np.concatenate([y for _, y in groups])
    doc = np.concatenate([np.full(len(x), i) for i, (x, _) in enumerate(groups)])
    cuts = [_cuts(X[:, j]) for j in range(X.shape[1])]
    B = np.stack([np.searchsorted(c, X[:, j], side="right") for j, c in enumerate(cuts)], 1)
    share = y / np.bincount(doc, weights=y)[doc]  # the labelled candidates share each document's mass
    rows = X.tolist()  # the candidates as the app reads them, for tree_score
    score = np.zeros(len(X))
    trees: list[Any] = []
    for _ in range(ROUNDS):
        top = np.full(doc.max() + 1, -np.inf)
        np.maximum.at(top, doc, score)
        e = np.exp(score - top[doc])
        p = e / np.bincount(doc, weights=e)[doc]
        grad, hess = p - share, np.maximum(p * (1 - p), 1e-6)
        tree = _grow(B, grad, hess, np.arange(len(X)), 0, cuts)
        if isinstance(tree, list):  # a tree with no split adds the same to every candidate: nothing
            trees.append(tree)
            score += np.array([tree_score(tree, row) for row in rows])
    return FieldModel(tuple(names), (), (), (), trees=tuple(trees))


def _cuts(values: np.ndarray) -> np.ndarray:
    distinct = np.unique(values)
    if len(distinct) <= BINS:
        return (distinct[:-1] + distinct[1:]) / 2
    return np.unique(np.quantile(values, np.linspace(0, 1, BINS + 1)[1:-1]))


def _grow(B: np.ndarray, grad: np.ndarray, hess: np.ndarray, rows: np.ndarray, depth: int, cuts: list[Any]) -> Any:
    """A tree as ranking.FieldModel reads it: a leaf's score (times RATE), or [feature, threshold, below, else]."""
    g, h = grad[rows].sum(), hess[rows].sum()
    leaf = round(float(-RATE * g / (h + L2)), 6)
    if depth == DEPTH or len(rows) < 2:
        return leaf
    best, at = 0.0, None
    bins = B[rows]
    for j in range(B.shape[1]):
        gl = np.cumsum(np.bincount(bins[:, j], weights=grad[rows], minlength=BINS + 1))[:-1]
        hl = np.cumsum(np.bincount(bins[:, j], weights=hess[rows], minlength=BINS + 1))[:-1]
        gr, hr = g - gl, h - hl
        gain = np.where(
            (hl >= MIN_WEIGHT) & (hr >= MIN_WEIGHT), gl**2 / (hl + L2) + gr**2 / (hr + L2) - g**2 / (h + L2), 0.0
        )
        k = int(np.argmax(gain))
        if gain[k] > best:
            best, at = float(gain[k]), (j, k)
    if at is None:
        return leaf
    j, k = at
    below = bins[:, j] <= k  # the feature under cuts[j][k]
    return [
        j,
        float(cuts[j][k]),
        _grow(B, grad, hess, rows[below], depth + 1, cuts),
        _grow(B, grad, hess, rows[~below], depth + 1, cuts),
    ]
