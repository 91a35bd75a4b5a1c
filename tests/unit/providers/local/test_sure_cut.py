"""Where the trained reader starts showing a value as sure (tests/bench/train_ranker.py): only from a cut that held
on files it was not fitted on, so that "sure" (0.9 and over, the editor's OK colour) is right 97 times in 100."""

from __future__ import annotations

import numpy as np

from receiptdesk.providers.local.ranking import FieldModel
from tests.bench.ranker_data import Doc
from tests.bench.train_ranker import CALIB, NOTHING_SURE, calibrate, held_out_margin, oof_row, sure_from


def _values(share_right: float, seed: int = 8, n: int = 600) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n calibrated values between 0.9 and 1, each right with the same chance wherever it falls, in 5 folds."""
    rng = np.random.default_rng(seed)
    q = np.sort(rng.uniform(0.9, 1.0, n))
    right = (rng.uniform(size=n) < share_right).astype(float)
    return q, right, np.arange(n) % 5


def test_values_right_96_times_in_100_are_not_shown_sure_on_a_lucky_cut() -> None:
    """Among 600 such values some cut looks 97% right on the very values it is fitted on (the cut the reader
    used to take); cut again on the other folds, it does not hold, and nothing is shown as sure."""
    q, right, folds = _values(0.965)
    assert sure_from(q, right) < NOTHING_SURE  # the lucky cut
    margin = held_out_margin(folds, right, lambda fitted_on, shown: q[shown])
    assert sure_from(q, right, margin) == NOTHING_SURE


def test_values_right_99_times_in_100_are_still_shown_sure() -> None:
    q, right, folds = _values(0.995)
    margin = held_out_margin(folds, right, lambda fitted_on, shown: q[shown])
    assert sure_from(q, right, margin) < 0.95


def test_a_receipt_without_a_date_label_does_not_teach_the_date_confidence() -> None:
    """An unlabelled file used to count as a wrong date shown, lowering every date's confidence."""
    x = np.array([[1.0, 0.9]])  # one candidate: hand_best, ocr
    names = ["hand_best", "ocr"]
    model = FieldModel(tuple(names), (0.0, 0.0), (1.0, 1.0), (0.0, 0.0))

    def doc(labelled: bool) -> Doc:
        y = np.array([1.0 if labelled else 0.0])
        return Doc("sroie", "ocr", "x", 0, {"date": x}, {"date": y}, {"date": labelled})

    assert oof_row(doc(False), "date", names, model) is None
    row = oof_row(doc(True), "date", names, model)
    assert row is not None and row[1] == 1.0 and len(row[2]) == len(CALIB["date"])


def test_the_receipt_confirming_a_value_never_lowers_its_confidence() -> None:
    """A confirming feature that the logit already counts can be fitted below zero in the calibration (the
    total's arithmetic was): a total whose subtotal and tax add up to it would be shown less sure than one
    whose do not. Left out instead, it cannot lower the confidence."""
    rng = np.random.default_rng(3)
    confirmed = (rng.uniform(size=400) < 0.5).astype(float)
    logit = rng.normal(0.0, 1.0, 400) + 2.0 * confirmed  # the model's logit already counts it
    p = 1 / (1 + np.exp(-logit))
    right = (rng.uniform(size=400) < 1 / (1 + np.exp(-(logit - 0.8 * confirmed)))).astype(float)
    extra = confirmed.reshape(-1, 1)
    assert calibrate(p, right, extra)[2][0] < 0  # fitted freely
    assert calibrate(p, right, extra, raises=[0])[2][0] == 0.0


def test_line_items_of_one_receipt_count_once_towards_the_sure_cut() -> None:
    """A receipt's items are right or wrong together (its layout, its labels): 600 item amounts from 60 receipts,
    one receipt's ten all wrong, look 98% right counted one by one, but that is 59 receipts in 60. Counted by
    receipt, the evidence does not reach "right 97 times in 100", and no item is shown as sure."""
    q = np.linspace(0.91, 0.99, 600)
    files = np.arange(600) // 10
    right = (files != 30).astype(float)
    assert sure_from(q, right) < NOTHING_SURE
    assert sure_from(q, right, groups=files) == NOTHING_SURE
    folds = files % 5
    margin = held_out_margin(folds, right, lambda fitted_on, shown: q[shown], files)
    assert sure_from(q, right, margin, files) == NOTHING_SURE
