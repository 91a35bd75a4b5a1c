"""Train the line-item row model, cross-validate it against the hand rules, and write it.

    python -m tests.bench.train_items            # out-of-fold figures, then model/items.json from every file
    python -m tests.bench.train_items --cv-only  # figures only; the committed model is left as it is

Data: ../shared/data only: WildReceipt dev (ground-truth words and cached OCR) and invoice2data
(text layers and cached OCR), the files that carry line items (SROIE has none). Every line with
an amount is a candidate (parsing/item_rows.py); it is labelled an item when its amount, and
where possible its description, matches a gold item, each gold item matched once. The same file
read two ways falls in one fold: the folds of tests/bench/train_ranker.py (seed 15, 5 folds by a
hash of the file id). For each fold a model trained on the other folds chooses the fold's rows
inside the real parser, and ../shared/tools/score_extraction.py scores the predictions (amount
F1, row F1) against the hand rules on the same files. Confidence: each fold's calibration of the
model's probability is fitted on the other folds' out-of-fold rows (tests/bench/item_calibration.py,
train_ranker's `calibrate`), so no file calibrates its own confidence; reliability tables and the
expected calibration error of item amounts and descriptions are printed from the confidences the parser
writes (`--uncalibrated`: the rules' fixed ones beside them). The model file carries the calibration
fitted on every out-of-fold row.

The model: logistic regression on standardised features, L2-regularised, fitted with numpy by
Newton steps (numpy is needed only here); the run time is a dot product (item_model.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from receiptdesk.core.document import Field
from receiptdesk.providers.local.item_model import ITEM_RULES, ITEMS_PATH, ItemModel
from receiptdesk.providers.local.parser import item_candidates_of, parse
from tests.bench.item_calibration import CALIB, Cand, calibrated, item_confidences, matched, oof_rows
from tests.bench.page_inputs import load_scorer
from tests.bench.parse_eval import predict
from tests.bench.ranker_data import FOLDS, SEED, LabelledFile, fold_ids, fold_of, labelled_pages, scored_by_fold
from tests.bench.ranker_tables import reliability

L2 = 3.0  # ridge on the standardised weights (a few thousand rows, ~55 features); 1, 10, 30, 100 tried
# A row the rules took is dropped below this probability (0.5, 0.3, 0.2, 0.1 tried out of fold: see MODEL_CARD.md).
DROP_BELOW = 0.2
# (set, source): the inputs the model learns from and is scored on.
INPUTS = [("wildreceipt", "truth"), ("wildreceipt", "ocr"), ("invoice2data", "ocr")]


@dataclass
class Doc(LabelledFile):
    feats: list[dict[str, float]]
    y: np.ndarray  # 1 where the candidate row is a gold item
    found: int  # gold amounts among the candidates
    gold: int  # gold items with an amount
    cands: list[Cand]  # every candidate row, kept by the rules or not: what the parser may show
    gold_items: list[dict[str, Any]]
    fields: dict[str, Field]  # what the parser reads beside the items


def load_docs() -> list[Doc]:
    sc = load_scorer()
    docs = []
    for set_name, source, row, pages in labelled_pages(INPUTS):
        gold_items = row["fields"].get("line_items") or []
        if not any(g.get("amount") for g in gold_items):
            continue
        cands = [
            Cand(
                (sc.norm_text(str(c.item.value("description") or "")), sc.norm_money(str(c.item.value("amount")))),
                amount if isinstance(amount := c.item.value("amount"), Decimal) else None,
                c.features,
                c.rules,
                c.kept,
            )
            for c in item_candidates_of(pages)
        ]
        y, _ = matched(sc, [c.key for c in cands], gold_items)
        n_gold = sum(1 for g in gold_items if sc.norm_money(g.get("amount")) is not None)
        found = int(y.sum())
        # the rules keep the rows whose name is on another line (item_rows.choose_items): not learned from
        keep = [k for k, c in enumerate(cands) if not c.kept]
        feats = [cands[k].features for k in keep]
        fold = fold_of(row["id"])
        fields = parse(pages, items_model=ITEM_RULES).fields  # the subtotal and total the items may add up to
        docs.append(Doc(set_name, source, row["id"], fold, feats, y[keep], found, n_gold, cands, gold_items, fields))
    return docs


def feature_names(docs: list[Doc]) -> list[str]:
    names: list[str] = []
    for d in docs:
        for f in d.feats:
            names += [k for k in f if k not in names]
    return names


def matrix(docs: list[Doc], names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    rows = [[float(f.get(k, 0.0)) for k in names] for d in docs for f in d.feats]
    return np.array(rows, dtype=float).reshape(len(rows), len(names)), np.concatenate([d.y for d in docs])


def fit(docs: list[Doc], names: list[str], version: str, l2: float = L2, drop_below: float = DROP_BELOW) -> ItemModel:
    """Logistic regression by Newton steps with a ridge on the standardised weights (not on the bias)."""
    x, y = matrix(docs, names)
    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    z = np.column_stack([(x - mean) / scale, np.ones(len(x))])
    w = np.zeros(z.shape[1])
    ridge = l2 * np.eye(z.shape[1])
    ridge[-1, -1] = 0.0
    for _ in range(30):
        p = 1 / (1 + np.exp(-(z @ w)))
        hess = z.T @ (z * (p * (1 - p))[:, None]) + ridge
        step = np.linalg.solve(hess, z.T @ (y - p) - ridge @ w)
        w += step
        if np.abs(step).max() < 1e-8:
            break
    return ItemModel(
        tuple(names),
        tuple(np.round(mean, 6).tolist()),
        tuple(np.round(scale, 6).tolist()),
        tuple(np.round(w[:-1], 6).tolist()),
        round(float(w[-1]), 6),
        drop_below=drop_below,
        version=version,
    )


Results = dict[tuple[str, str], dict[str, Any]]


def scored(docs: list[Doc], models: dict[int, ItemModel] | None, out: Path, tag: str = "items-cv") -> Results:
    """Parse every (set, source) fold by fold, with the fold's model (or the rules), and score it with the scorer:
    per input its scores and the gold and prediction files."""

    def read(set_name: str, source: str, fold: int, ids: set[str]) -> tuple[Path, Path]:
        model = models[fold] if models else ITEM_RULES
        g, p, _, _ = predict(set_name, source, "all", out, only=ids, items_model=model)
        return g, p

    return scored_by_fold(fold_ids(docs, INPUTS), read, out, "items-rules" if models is None else tag)


def table(docs: list[Doc], rules: dict[tuple[str, str], Any], cv: dict[tuple[str, str], Any]) -> list[str]:
    rows = [
        "| set (source) | files | gold amounts among candidates | amount F1: rules | learned (cv) "
        "| row F1: rules | learned (cv) |",
        "|---|---|---|---|---|---|---|",
    ]
    for key in rules:
        mine = [d for d in docs if (d.set_name, d.source) == key]
        found = sum(d.found for d in mine) / max(1, sum(d.gold for d in mine))
        r, c = rules[key], cv[key]
        rows.append(
            f"| {key[0]} ({key[1]}) | {len(mine)} | {found:.3f} | {r['amount_f1']:.3f} | {c['amount_f1']:.3f} "
            f"| {r['row_f1']:.3f} | {c['row_f1']:.3f} |"
        )
    return rows


def beats_rules(rules: dict[tuple[str, str], Any], cv: dict[tuple[str, str], Any]) -> bool:
    """The model chooses only if, out of fold, it wins on WildReceipt OCR (what users see: amount F1 up, row F1
    not down) and loses nothing on the ground-truth words."""
    ocr, truth = ("wildreceipt", "ocr"), ("wildreceipt", "truth")
    up = cv[ocr]["amount_f1"] > rules[ocr]["amount_f1"] and cv[ocr]["row_f1"] >= rules[ocr]["row_f1"]
    kept = all(cv[truth][k] >= rules[truth][k] for k in ("amount_f1", "row_f1"))
    return up and kept


def line_items(results: Results) -> dict[tuple[str, str], dict[str, Any]]:
    return {key: r["score"]["line_items"] for key, r in results.items()}


def calibration_tables(cv: Results, note: str) -> dict[str, float]:
    """The reliability of the item confidences the parser wrote, out of fold: all inputs, and our OCR alone."""
    eces = {}
    for field in CALIB:
        for who, results in (("all inputs", cv), ("our OCR only", {k: v for k, v in cv.items() if k[1] == "ocr"})):
            title = f"Item {field} confidence, {who}, out of fold ({note})"
            eces[f"{field} ({who})"] = reliability(item_confidences(results, field), title)
    for field in CALIB:  # what is left when the labels leave no item out
        title = f"Item {field} confidence, all inputs, files whose labelled items add up to their total ({note})"
        reliability(item_confidences(cv, field, complete_only=True), title)
        ocr = {k: v for k, v in cv.items() if k[1] == "ocr"}
        reliability(item_confidences(ocr, field, complete_only=True), f"... and on our OCR only ({note})")
    return eces


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv-only", action="store_true", help="print the cross-validated figures; write no model")
    ap.add_argument("--l2", type=float, default=L2, help="ridge strength, to compare (the model uses the default)")
    ap.add_argument("--drop-below", type=float, default=DROP_BELOW, help="probability under which a rules' row goes")
    ap.add_argument(
        "--uncalibrated", action="store_true", help="also print the reliability of the rules' fixed confidences"
    )
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "receiptdesk-items")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    np.random.seed(SEED)
    docs = load_docs()
    names = feature_names(docs)
    print(f"{len(docs)} inputs with line items, {sum(len(d.y) for d in docs)} candidate rows, {len(names)} features")
    models = {f: fit([d for d in docs if d.fold != f], names, f"cv{f}", args.l2, args.drop_below) for f in range(FOLDS)}
    # each fold's confidence calibrated on the other folds' out-of-fold rows: no file calibrates its own
    oof = oof_rows(docs, models)
    models = {f: calibrated(m, [r for r in oof if r.fold != f]) for f, m in models.items()}
    rules = line_items(scored(docs, None, args.out))
    cv_results = scored(docs, models, args.out)
    cv = line_items(cv_results)
    rows = table(docs, rules, cv)
    print(f"\nLine items: hand rules vs learned rows, {FOLDS}-fold cross-validated by file (score_extraction.py)")
    print("\n".join(rows))
    chooses = beats_rules(rules, cv)
    print(f"\nthe model {'chooses' if chooses else 'does NOT choose (the rules keep the items)'}")
    if args.uncalibrated:
        fixed = {f: replace(m, calibration=(), version=f"fixed{f}") for f, m in models.items()}
        calibration_tables(scored(docs, fixed, args.out, "items-fixed"), "the rules' fixed certainty x OCR score")
    eces = calibration_tables(cv_results, "calibrated on the other folds' out-of-fold rows")
    kept = [r for r in oof if r.inputs["kept"]]
    shown = [
        (models[r.fold].confidences(r.inputs, True, bool(r.inputs["adds_up"]))["amount"], r.right["amount"])
        for r in kept
    ]
    reliability(shown, "Item amount confidence of the rows the rules keep without asking the model, out of fold")
    if args.cv_only:
        return 0
    final = replace(calibrated(fit(docs, names, "", args.l2, args.drop_below), oof), chooses=chooses)
    version = hashlib.sha1(json.dumps(final.to_json(), sort_keys=True).encode()).hexdigest()[:8]
    model = replace(final, version=version)
    ITEMS_PATH.write_text(json.dumps(model.to_json(), indent=1) + "\n")
    (args.out / "items-cv-table.md").write_text("\n".join(rows) + "\n" + json.dumps(eces) + "\n")
    print(f"wrote {ITEMS_PATH} (version {version}); figures in {args.out / 'items-cv-table.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
