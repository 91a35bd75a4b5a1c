"""How sure a line item is shown (for tests/bench/train_items.py): whether each row shown is right, the way the
scorer counts it; the calibration of the item model's probability, fitted on out-of-fold rows; and the
reliability of the confidences the parser writes.

A row shown is right for its amount when the amount is a gold item's (each gold item matched once:
description and amount first, then amount alone, top to bottom, as train_items labels its candidates: the
count equals the scorer's amount matches), and right for its description when description and amount both
are (the scorer's row matches). A row shown that matches no labelled item is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from receiptdesk.core.document import Document, Field, LineItem, Provenance
from receiptdesk.core.validation import OK, check_line_sum
from receiptdesk.providers.local.item_model import Calibration, ItemModel, calibration_inputs
from tests.bench.page_inputs import load_scorer
from tests.bench.train_ranker import calibrate, held_out_margin, platt_q, sure_from

# What the calibration weighs beside the model's logit, per item field (item_model.calibration_inputs): whether
# the items shown add up to the subtotal or total read; for the description also the OCR's doubt about the line
# and whether the rules keep the row without asking the model (such rows' descriptions are right 28% of the
# time, the others' 63%). Tried out of fold, nested in the folds (MODEL_CARD.md): the OCR score, the rules'
# choice, quantity x price, the row's words; for the amount a bias, a slope and an adds-up term of the kept
# rows' own (worse log loss on them and overall: they are 72 rows).
CALIB = {
    "amount": ("adds_up",),
    "description": ("ocr_miss", "kept", "adds_up"),
}
Key = tuple[str, Decimal | None]  # (description, amount) normalised as the scorer does


class Cand(NamedTuple):
    """A candidate row as the parser sees it: its normalised key, features, the rules' choice, kept by them."""

    key: Key
    amount: Decimal | None  # as the parser reads it
    features: dict[str, float]
    rules: bool
    kept: bool


class OofRow(NamedTuple):
    """A row a fold's model shows on its own fold: what calibrates the confidence of such rows."""

    file: str  # set/id: the rows of one file, either reading of it, are right or wrong together (its labels)
    fold: int
    source: str
    p: float
    right: dict[str, bool]  # item field -> right
    inputs: dict[str, float]


def matched(sc: Any, keys: Sequence[Key], gold_items: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Per row: its amount is a gold item's; its description and amount both are. Each gold item matched once,
    first on description and amount, then on amount alone, top to bottom."""
    left = [(sc.norm_text(g.get("description") or ""), sc.norm_money(g.get("amount"))) for g in gold_items]
    left = [g for g in left if g[1] is not None]
    amount, both = np.zeros(len(keys)), np.zeros(len(keys))
    for exact in (True, False):
        for k, (desc, value) in enumerate(keys):
            if amount[k]:
                continue
            for j, (g_desc, g_amount) in enumerate(left):
                if g_amount == value and (not exact or g_desc == desc):
                    amount[k] = 1.0
                    both[k] = float(exact)
                    del left[j]
                    break
    return amount, both


def shown_rows(model: ItemModel, cands: Sequence[Cand]) -> list[Cand]:
    """The rows the parser shows with this model (item_rows.choose_items)."""
    return [c for c in cands if c.kept or model.is_item(c.features, c.rules)]


def adds_up(fields: dict[str, Field], shown: Sequence[Cand]) -> bool:
    """Whether the rows shown add up to the subtotal or total read: the parser's own line_sum check."""
    items = [LineItem({"amount": Field(value=c.amount)}) for c in shown]
    check = check_line_sum(Document(Provenance("local"), fields=fields, line_items=items))
    return check is not None and check.status == OK


def oof_rows(docs: Sequence[Any], models: dict[int, ItemModel]) -> list[OofRow]:
    """Every row each fold's model shows on its own fold, with the model's probability and whether it is right
    (docs: train_items.Doc, with the candidates, the gold items and the fields the parser read)."""
    sc = load_scorer()
    rows = []
    for d in docs:
        model = models[d.fold]
        shown = shown_rows(model, d.cands)
        amount, both = matched(sc, [c.key for c in shown], d.gold_items)
        total = adds_up(d.fields, shown)
        for c, a, b in zip(shown, amount, both, strict=True):
            right = {"amount": bool(a), "description": bool(b)}
            inputs = calibration_inputs(c.features, c.kept, total)
            file = f"{d.set_name}/{d.doc_id}"
            rows.append(OofRow(file, d.fold, d.source, model.probability(c.features), right, inputs))
    return rows


def calibrated(model: ItemModel, rows: Sequence[OofRow]) -> ItemModel:
    """The model with each item field's calibration fitted on these rows (train_ranker's Platt and features), and
    its cut from where a value is shown as sure chosen as the ranker's fields' are: by the smallest Wilson margin
    whose cuts, fitted on all the rows' folds but one, held on that one (held_out_margin); none holds, none sure.
    A fixed 90% margin picked its cut as the best of many tried on the same rows, and it did not hold out of fold
    (amounts shown sure right 96.7% of 120 after the parser-10 retrain, 94.8% on our OCR)."""
    probs = np.array([r.p for r in rows])
    folds = np.array([r.fold for r in rows])
    files = np.array([r.file for r in rows])
    found = []
    for name, feats in CALIB.items():
        right = np.array([float(r.right[name]) for r in rows])
        extra = np.array([[float(r.inputs.get(f, 0.0)) for f in feats] for r in rows]).reshape(len(rows), len(feats))

        def fitted(train: np.ndarray, shown: np.ndarray, right: np.ndarray = right, extra: np.ndarray = extra) -> Any:
            a, b, ws = calibrate(probs[train], right[train], extra[train])
            return platt_q(probs[shown], extra[shown], a, b, ws)

        a, b, ws = calibrate(probs, right, extra)
        q = platt_q(probs, extra, a, b, ws)
        cut = round(sure_from(q, right, held_out_margin(folds, right, fitted, files), files), 6)
        found.append((name, Calibration((round(a, 6), round(b, 6)), feats, tuple(round(w, 6) for w in ws), cut)))
    return replace(model, calibration=tuple(found))


def complete(sc: Any, labels: dict[str, Any]) -> bool:
    """Whether a file's labelled items are all its items: their amounts add up to its labelled subtotal, total,
    or total less tax (WildReceipt's annotators often leave some out: a row shown for one is counted wrong)."""
    amounts = [sc.norm_money(g.get("amount")) for g in labels.get("line_items") or []]
    if not amounts or None in amounts:
        return False
    found = sum(amounts, Decimal(0))
    total, sub, tax = (sc.norm_money(labels.get(k)) for k in ("total", "subtotal", "tax"))
    targets = [sub, total, total - tax if total is not None and tax is not None else None]
    return any(t is not None and abs(found - t) <= Decimal("0.01") for t in targets)


def item_confidences(
    results: dict[tuple[str, str], dict[str, Any]], field: str, complete_only: bool = False
) -> list[tuple[float, bool]]:
    """(confidence shown, right) for the `field` ("amount" or "description") of every item row the parser wrote
    (on the files whose labels list every item only, with `complete_only`)."""
    sc = load_scorer()
    pairs = []
    for r in results.values():
        gold = {Path(json.loads(line)["image"]).name: json.loads(line) for line in r["gold"].read_text().splitlines()}
        for line in r["pred"].read_text().splitlines():
            d = json.loads(line)
            items = (d.get("document") or {}).get("line_items") or []
            labels = gold[Path(d["source"]).name]["fields"]
            if complete_only and not complete(sc, labels):
                continue
            gold_items = labels.get("line_items") or []
            amount, both = matched(sc, sc.line_items(items, pred=True), gold_items)
            for item, a, b in zip(items, amount, both, strict=True):
                f = item.get(field)
                if f is not None and f.get("value") not in (None, ""):
                    pairs.append((float(f["confidence"]), bool(a if field == "amount" else b)))
    return pairs
