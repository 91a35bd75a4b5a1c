"""Train the offline reader's ranker, cross-validate it, and write the model and its card.

    python -m tests.bench.train_ranker            # k-fold figures (printed), then the model from every file
    python -m tests.bench.train_ranker --cv-only  # figures only; the committed model is left as it is

Data: ../shared/data only: SROIE dev (ground-truth lines and, when cached, the reader's own OCR),
SROIE's 426 text-only training receipts, WildReceipt dev (ground-truth words and cached OCR). The
same receipt read two ways is one file: it falls in one fold. Folds by a hash of the file id, seed
fixed. For each fold a model is trained on the other folds and the parser, run with that model,
reads the fold's files; ../shared/tools/score_extraction.py scores the predictions per set against
the hand rules on the same files. Confidence: the winner's probability is calibrated on the other
folds' out-of-fold picks, so no file calibrates its own confidence; the reliability table
and expected calibration error are printed from the confidences the parser writes.

The model: a conditional logit (softmax over a document's candidates) on standardised features,
L2-regularised, fitted with numpy by full-batch gradient descent (Adam); for the address, boosted trees
under the same softmax (tests/bench/boosting.py). numpy is needed only here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from receiptdesk.providers.local.parsing.parts import PART_FIELDS
from receiptdesk.providers.local.ranking import CLIP, HAND_RULES, MODEL_PATH, SURE, FieldModel, Ranker
from tests.bench.boosting import fit_trees
from tests.bench.parse_eval import predict
from tests.bench.ranker_data import (
    FIELDS,
    FOLDS,
    INPUTS,
    PART_SETS,
    SEED,
    Doc,
    fold_ids,
    fold_of,
    load_docs,
    logits,
    scored_by_fold,
)
from tests.bench.ranker_tables import choice_table, confidences, parts_table, reliability, table

__all__ = ["fold_of", "main"]  # fold_of: the folds every trained model of the reader shares
L2 = 0.01


# The fields scored by boosted trees (tests/bench/boosting.py): the ones where trees chose the labelled value
# more often than the weights, cross-validated on every set (model/MODEL_CARD.md).
TREE_FIELDS = frozenset({"address"})


def fit(docs: Sequence[Doc], field: str, names: list[str]) -> FieldModel:
    """Conditional logit: maximise the log of the softmax mass on the labelled candidates (or boosted trees
    with the same aim, for TREE_FIELDS)."""
    groups = [(d.X[field], d.y[field]) for d in docs if d.y[field].sum() > 0 and len(d.y[field]) > 1]
    if field in TREE_FIELDS:
        return fit_trees(groups, names)
    allx = np.vstack([x for x, _ in groups])
    mean, scale = allx.mean(0), allx.std(0)
    scale[scale < 1e-9] = 1.0
    xs = [(x - mean) / scale for x, _ in groups]
    ys = [y for _, y in groups]
    w = np.zeros(len(names))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    lr, b1, b2 = 0.05, 0.9, 0.999
    for t in range(1, 801):
        grad = 2 * L2 * w
        for x, y in zip(xs, ys, strict=True):
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            q = p * y
            q /= q.sum()
            grad += (p - q) @ x / len(xs)
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad**2
        w -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + 1e-8)
    return FieldModel(tuple(names), tuple(mean.tolist()), tuple(scale.tolist()), tuple(np.round(w, 6).tolist()))


# worse on OCR dates too (ECE 0.078 vs 0.074), too few files; an `exact_text` feature separates the two.
CALIBRATE_ON = frozenset({"ocr", "truth"})
# Features of the winner the calibration weighs beside its probability (see ranking.FieldModel).
CALIB = {
    "total": [
        "ocr",
        "hand",
        "label_strength",
        "lab_total",
        "r_parts",
        "r_cash_change",
        "hand_best",
        "n_cands",
        "r_only",
        "r_paid_only",
        "exact_text",
    ],
    "date": [
        "ambiguous",
        "cue_strong",
        "ocr",
        "label_before",
        "near_time",
        "named_month",
        "hand_best",
        "count",
        "amb_cue_date",
        "amb_cue_us",
        "amb_cue_country",
        "amb_cue_currency",
        "amb_cue_region",
        "amb_cue_decimal",
        "exact_text",
    ],
    "vendor": ["ocr", "hand_best", "legal", "n_cands", "exact_text", "rank_log", "k_name", "height"],
    "subtotal": ["ocr", "exact_text", "hand_best", "lab_subtotal", "pair_total", "sums_as_subtotal", "unlabelled"],
    "tax": ["ocr", "exact_text", "hand_best", "lab_total_tax", "pair_total", "sums_as_tax", "rate_of_amount", "zero"],
    "address": [
        "ocr",
        "exact_text",
        "log_len",
        "hand_best",
        "n",
        "addr_share",
        "postcode_last",
        "street_first",
        "next_phone",
        "next_addr",
    ],
}

# The calibration features that say the receipt confirms the value (its arithmetic, its label, the hand rules'
# points for both; the date printed again or beside a time): they may only raise the confidence. Fitted freely,
# the total's arithmetic and points came out below zero (the model's logit already counts them), and a total
# whose subtotal and tax do not add up to it was shown surer than one whose do.
RAISES = {
    "total": ("r_parts", "r_cash_change", "hand", "label_strength"),
    "date": ("count", "near_time"),
    "subtotal": ("sums_as_subtotal",),
    "tax": ("sums_as_tax",),
}


def calibrate(
    probs: np.ndarray, right: np.ndarray, extra: np.ndarray, raises: Sequence[int] = ()
) -> tuple[float, float, list[float]]:
    """Logistic regression of right/wrong on logit(p) and the winner's own features (Newton steps, light ridge).
    The features at `raises` (the receipt confirming the value) may only raise the confidence: one fitted below
    zero is left out and the rest fitted again."""
    p = np.clip(probs, CLIP, 1 - CLIP)
    X = np.column_stack([np.log(p / (1 - p)), extra, np.ones(len(p))])
    kept = np.ones(X.shape[1], dtype=bool)
    while True:
        w = np.zeros(X.shape[1])
        w[kept] = _logistic(X[:, kept], right)
        below = [j for j in raises if kept[j + 1] and w[j + 1] < 0]
        if not below:
            return float(w[0]), float(w[-1]), [float(v) for v in w[1:-1]]
        kept[[j + 1 for j in below]] = False


def _logistic(X: np.ndarray, right: np.ndarray) -> np.ndarray:
    w = np.zeros(X.shape[1])
    ridge = 1e-2 * np.eye(X.shape[1])
    ridge[-1, -1] = 0.0  # the last column is the intercept
    for _ in range(50):
        s = 1 / (1 + np.exp(-(X @ w)))
        hess = X.T @ (X * (s * (1 - s))[:, None]) + ridge
        w += np.linalg.solve(hess, X.T @ (right - s) - ridge @ w)
    return w


# One out-of-fold pick: (its fold, the model's probability, right or not, the winner's calibration features).
OofRow = tuple[int, float, float, list[float]]


def calibrated_model(m: FieldModel, field: str, rows: Sequence[OofRow]) -> FieldModel:
    """The field's model with its calibration and sure cut fitted on out-of-fold picks (of other folds than the
    files it will read)."""
    folds = np.array([g for g, _, _, _ in rows])
    probs = np.array([p for _, p, _, _ in rows])
    right = np.array([r for _, _, r, _ in rows])
    extra = np.array([f for _, _, _, f in rows]).reshape(len(rows), len(CALIB[field]))

    raises = [CALIB[field].index(name) for name in RAISES.get(field, ())]

    def fitted(train: np.ndarray, shown: np.ndarray) -> np.ndarray:
        a, b, ws = calibrate(probs[train], right[train], extra[train], raises)
        return platt_q(probs[shown], extra[shown], a, b, ws)

    a, b, ws = calibrate(probs, right, extra, raises)
    cut = sure_from(platt_q(probs, extra, a, b, ws), right, held_out_margin(folds, right, fitted))
    return replace(
        m,
        platt=(round(a, 6), round(b, 6)),
        calib_features=tuple(CALIB[field]),
        calib_weights=tuple(round(v, 6) for v in ws),
        chooses=field not in HAND_CHOOSES,
        sure_from=round(cut, 6),
    )


def platt_q(probs: np.ndarray, extra: np.ndarray, a: float, b: float, ws: Sequence[float]) -> np.ndarray:
    """The calibrated probabilities (ranking.calibrated before the sure cut)."""
    p = np.clip(probs, CLIP, 1 - CLIP)
    z = a * np.log(p / (1 - p)) + b + extra @ np.array(ws, dtype=float).reshape(extra.shape[1])
    return np.asarray(1 / (1 + np.exp(-np.clip(z, -40, 40))))


SURE_RIGHT = 0.97  # what a value shown as sure must be: right this often (issue 15)
# Standard errors the share right must clear SURE_RIGHT by: one-sided 90, 95, 97.5, 99, 99.5 and 99.9% bounds.
# The lowest cut whose bound holds is the best of many cuts tried on the same values, so a 90% bound that holds
# on them can fail on others (the subtotal's and the tax's did): `held_out_margin` takes the smallest margin
# whose cuts held on folds they were not fitted on.
MARGINS = (1.28, 1.64, 1.96, 2.33, 2.58, 3.09)
NOTHING_SURE = 1.0 - 1e-6


def sure_from(
    q: np.ndarray, right: np.ndarray, margin: float | None = MARGINS[0], groups: np.ndarray | None = None
) -> float:
    """The lowest calibrated probability (SURE at least) from which the values at or above it were right
    SURE_RIGHT of the time, by a Wilson lower bound `margin` standard errors down: a share measured on few
    values needs a margin. No margin (None: none held out of fold): nothing is shown as sure. `groups`: the file
    each value comes from, where a file gives several (line items): the values of one file are right or wrong
    together (its layout, its labels), so the bound counts files, not values."""
    if margin is None:
        return NOTHING_SURE
    order = np.argsort(-q, kind="stable")
    qs, hits = q[order], np.cumsum(right[order])
    seen: set[Any] = set()
    counted = []  # per cut: how many independent observations the values above it are
    for k in order:
        seen.add(groups[k] if groups is not None else k)
        counted.append(len(seen))
    best = NOTHING_SURE  # nothing is shown as sure if no cut holds
    z = margin
    for n in range(1, len(qs) + 1):
        if qs[n - 1] < SURE:
            break
        if n < len(qs) and qs[n] == qs[n - 1]:
            continue  # a cut falls between distinct values
        share = hits[n - 1] / n
        m = counted[n - 1]
        low = (share + z * z / (2 * m) - z * np.sqrt(share * (1 - share) / m + z * z / (4 * m * m))) / (1 + z * z / m)
        if low >= SURE_RIGHT:
            best = float(qs[n - 1])
    return max(SURE, best)


# Fits a calibration on the rows of the first mask; gives the calibrated probabilities of the rows of the second.
FitOn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def held_out_margin(
    folds: np.ndarray, right: np.ndarray, fitted: FitOn, groups: np.ndarray | None = None
) -> float | None:
    """The smallest of MARGINS whose cuts hold on values they were not fitted on: each fold's values calibrated
    and cut by what was fitted on the other folds, and those shown sure, pooled over the folds, right
    SURE_RIGHT of the time. None when no margin holds. `groups`: as sure_from's."""
    held = []  # per fold: the calibrated values fitted on, whether right, their files, the fold's own values
    for g in np.unique(folds):
        train, test = folds != g, folds == g
        if train.any():
            files = groups[train] if groups is not None else None
            held.append((fitted(train, train), right[train], files, fitted(train, test), right[test]))
    for margin in MARGINS:
        hits = shown = 0.0
        for q_fit, r_fit, files, q_test, r_test in held:
            sure = q_test >= sure_from(q_fit, r_fit, margin, files)
            hits += float(r_test[sure].sum())
            shown += float(sure.sum())
        if shown == 0 or hits >= SURE_RIGHT * shown:
            return margin
    return None


def winner_extra(field: str, names: list[str], row: np.ndarray) -> list[float]:
    return [float(row[names.index(n)]) if n in names else 0.0 for n in CALIB[field]]


# Fields whose choice stays with the hand rules (the model only calibrates it): see parsing/dates.py. The
# vendor is the model's: out of fold it beats the rules on the 426 receipts nothing was tuned on and on
# WildReceipt, and loses only on SROIE dev, the files the rules were written from (MODEL_CARD.md).
HAND_CHOOSES = frozenset({"date"})


def shown(field: str, names: list[str], x: np.ndarray) -> bool:
    """Whether the parser shows a value for this field: a field the hand rules choose needs their pick."""
    return len(x) > 0 and (field not in HAND_CHOOSES or float(x[:, names.index("hand_best")].max()) > 0)


def pick(field: str, names: list[str], model: FieldModel, x: np.ndarray) -> tuple[int, float]:
    """The candidate the parser shows and the model's probability for it."""
    p = _softmax(model, x)
    k = int(np.argmax(p if field not in HAND_CHOOSES else x[:, names.index("hand_best")]))
    return k, float(p[k]) if len(p) > 1 else 0.5  # as FieldModel.choose: a lone candidate starts from even odds


def oof_row(d: Doc, field: str, names: list[str], model: FieldModel) -> tuple[float, float, list[float]] | None:
    """What calibrates the confidence of this file's value: the model's probability for the value shown, whether
    it is right, the winner's calibration features; None when nothing is shown or its rightness is unknown."""
    x = d.X[field]
    if d.source not in CALIBRATE_ON or not shown(field, names, x):
        return None
    if field in PART_FIELDS and d.set_name not in PART_SETS:
        return None
    if field not in PART_FIELDS and not d.labelled[field]:
        return None  # a file without this label says nothing of whether the value shown is right
    k, p = pick(field, names, model, x)
    if field in PART_FIELDS and x[k, names.index("none")]:
        return None  # the model reads no subtotal (or tax): nothing is shown, no confidence to calibrate
    return p, float(d.y[field][k]), winner_extra(field, names, x[k])


def _softmax(model: FieldModel, x: np.ndarray) -> np.ndarray:
    z = logits(model, x)
    p = np.exp(z - z.max())
    return p / p.sum()


def cross_validate(docs: list[Doc], names: dict[str, list[str]]) -> dict[int, Ranker]:
    """One ranker per fold, trained on the others, with a Platt scale fitted on the others' out-of-fold picks."""
    fold_models = {
        f: {field: fit([d for d in docs if d.fold != f], field, names[field]) for field in FIELDS} for f in range(FOLDS)
    }
    oof: dict[str, list[OofRow]] = defaultdict(list)
    for d in docs:
        for field in FIELDS:
            row = oof_row(d, field, names[field], fold_models[d.fold][field])
            if row is not None:
                oof[field].append((d.fold, *row))
    rankers = {}
    for f in range(FOLDS):
        fields = {}
        for field in FIELDS:
            rows = [row for row in oof[field] if row[0] != f]
            fields[field] = calibrated_model(fold_models[f][field], field, rows)
        rankers[f] = Ranker(fields, f"cv{f}")
    return rankers


def scored_run(docs: list[Doc], rankers: dict[int, Ranker] | None, out: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Score every (set, source) with the parser, fold by fold: the fold's ranker on the fold's files."""

    def read(set_name: str, source: str, fold: int, ids: set[str]) -> tuple[Path, Path]:
        g, p, _, _ = predict(set_name, source, "all", out, rankers[fold] if rankers else HAND_RULES, only=ids)
        return g, p

    return scored_by_fold(fold_ids(docs, INPUTS), read, out, "hand" if rankers is None else "cv")


def _report(
    docs: list[Doc], names: dict[str, list[str]], out: Path
) -> tuple[list[str], dict[str, float], dict[int, Ranker]]:
    print(f"{len(docs)} inputs: " + ", ".join(f"{s} {src}" for s, src in INPUTS))
    rankers = cross_validate(docs, names)
    hand = scored_run(docs, None, out)
    cv = scored_run(docs, rankers, out)
    rows = table(hand, cv, PART_SETS)
    print(f"\nHand rules vs learned ranker, {FOLDS}-fold cross-validated by file (scorer: score_extraction.py)")
    print("\n".join(rows))
    shown_as = "the parser shows it" if "vendor" not in HAND_CHOOSES else "the parser shows the rules', calibrated"
    print(f"\nVendor: the hand rules' pick vs the learned ranker's, out of fold ({shown_as})")
    vendor_rows = choice_table(docs, names, rankers, "vendor")
    print("\n".join(vendor_rows))
    print("\nAddress: the hand rules' pick vs the learned ranker's, out of fold (the parser shows the ranker's)")
    address_rows = choice_table(docs, names, rankers, "address")
    print("\n".join(address_rows))
    rows += ["", *vendor_rows, "", *address_rows]
    for field in PART_FIELDS:
        print(f"\n{field.capitalize()}: the hand rules' pick vs the learned one, out of fold, where it is labelled")
        part_rows = parts_table(docs, names, rankers, field)
        print("\n".join(part_rows))
        rows += ["", *part_rows]
    eces = {}
    for field in FIELDS:
        absent = PART_SETS if field in PART_FIELDS else frozenset()
        pairs = confidences(cv, field, absent)
        eces[field] = reliability(
            [(c, r) for c, r, _ in pairs], f"{field} confidence, out of fold (calibrated on other folds)"
        )
        ocr = confidences({k: v for k, v in cv.items() if k[1] == "ocr"}, field, absent)
        reliability([(c, r) for c, r, _ in ocr], f"{field} confidence on the reader's own OCR only (what users see)")
        for which, these in (("", pairs), (" on our OCR", ocr)):
            odd = sum(1 for _, _, ok in these if not ok)
            if odd:
                reliability(
                    [(c, r) for c, r, ok in these if ok],
                    f"{field}{which} again without the {odd} labels that cannot be a {field} ({_ODD.get(field, '')})",
                )
    return rows, eces, rankers


_ODD = {"date": "'20:37', 'Tuesday,March27th2018'", "tax": "a tax above the total: '35.00' for .35"}


def cross_validated(out: Path) -> tuple[list[str], dict[str, float]]:
    """The cross-validated table and calibration errors (for tests/bench/extraction.py); no model written."""
    out.mkdir(parents=True, exist_ok=True)
    names: dict[str, list[str]] = {f: [] for f in FIELDS}
    rows, eces, _ = _report(load_docs(names), names, out)
    return rows, eces


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv-only", action="store_true", help="print the cross-validated figures; write no model")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "receiptdesk-ranker")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    np.random.seed(SEED)
    names: dict[str, list[str]] = {f: [] for f in FIELDS}
    docs = load_docs(names)
    rows, eces, rankers = _report(docs, names, args.out)
    if args.cv_only:
        return 0
    final = {}
    oof: dict[str, list[OofRow]] = {field: [] for field in FIELDS}
    for d in docs:
        for field in FIELDS:
            row = oof_row(d, field, names[field], rankers[d.fold].fields[field])
            if row is not None:
                oof[field].append((d.fold, *row))
    for field in FIELDS:
        final[field] = calibrated_model(fit(docs, field, names[field]), field, oof[field])
    version = hashlib.sha1(json.dumps(Ranker(final).to_json(), sort_keys=True).encode()).hexdigest()[:8]
    ranker = Ranker(final, version)
    MODEL_PATH.parent.mkdir(exist_ok=True)
    MODEL_PATH.write_text(model_text(ranker.to_json()))
    (args.out / "cv-table.md").write_text("\n".join(rows) + "\n" + json.dumps(eces) + "\n")
    print(f"\nwrote {MODEL_PATH} (version {version}); figures in {args.out / 'cv-table.md'}")
    return 0


def model_text(data: dict[str, Any]) -> str:
    """The model as committed: indented, but each tree on one line (a diff shows which trees changed)."""
    trees = {name: m.pop("trees") for name, m in data["fields"].items() if "trees" in m}
    for name in trees:
        data["fields"][name]["trees"] = f"@trees:{name}"
    text = json.dumps(data, indent=1)
    for name, ts in trees.items():
        lines = ",\n  ".join(json.dumps(t, separators=(",", ":")) for t in ts)
        text = text.replace(f'"@trees:{name}"', "[\n  " + lines + "\n ]")
    return text + "\n"


if __name__ == "__main__":
    sys.exit(main())
