"""The labelled inputs the ranker learns from: every file's candidates per field, described as numbers, with
which candidate the label names, and the file's fold (for tests/bench/train_ranker.py and its tables)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from receiptdesk.providers.local.parser import candidates
from receiptdesk.providers.local.parsing.parts import PART_FIELDS
from receiptdesk.providers.local.ranking import FieldModel
from receiptdesk.providers.local.words import PageText
from tests.bench.page_inputs import cache_dir, gold_rows, load_scorer, pages_for
from tests.bench.parse_eval import score

SEED = 15
FOLDS = 5
FIELDS = ("total", "date", "vendor", "address", "subtotal", "tax")
GOLD_KEY = {f: f for f in FIELDS}
# The sets that label the subtotal and the tax; there a file without the label prints none, and "none" is
# the right candidate. SROIE labels neither: its files teach the subtotal and tax nothing.
PART_SETS = frozenset({"wildreceipt"})
# (set, source): the inputs the model learns from and is scored on.
INPUTS = [
    ("sroie", "truth"),
    ("sroie", "ocr"),
    ("sroie-train", "truth"),
    ("wildreceipt", "truth"),
    ("wildreceipt", "ocr"),
]


def fold_of(doc_id: str) -> int:
    return int(hashlib.sha1(f"{SEED}:{doc_id}".encode()).hexdigest(), 16) % FOLDS


@dataclass
class LabelledFile:
    """One labelled file as read from one source (its own text or our OCR), and the fold it falls in."""

    set_name: str
    source: str
    doc_id: str
    fold: int


@dataclass
class Doc(LabelledFile):
    X: dict[str, np.ndarray]  # field -> candidates x features
    y: dict[str, np.ndarray]  # field -> 1 where the candidate is the labelled value
    labelled: dict[str, bool]  # field -> the file has a label for it


def _norm(sc: Any, field: str, value: object) -> object:
    if isinstance(value, date):
        value = value.isoformat()
    return sc.norm(GOLD_KEY[field], None if value is None else str(value))


def _right(sc: Any, field: str, set_name: str, value: object, gold: object) -> bool:
    if field in PART_FIELDS:
        if set_name not in PART_SETS:
            return False
        if value is None:  # the "none" candidate: right where the set labels none
            return gold is None
    return gold is not None and value is not None and _norm(sc, field, value) == gold


def load_docs(feature_names: dict[str, list[str]]) -> list[Doc]:
    sc = load_scorer()
    docs = []
    for set_name, source, row, pages in labelled_pages(INPUTS):
        found = candidates(pages)
        X, y, labelled = {}, {}, {}
        for field in FIELDS:
            cands = found[field]
            for _, feats in cands:
                for k in feats:
                    if k not in feature_names[field]:
                        feature_names[field].append(k)
            gold = _norm(sc, field, row["fields"].get(GOLD_KEY[field]))
            labelled[field] = gold is not None and (field not in PART_FIELDS or set_name in PART_SETS)
            X[field] = cands  # type: ignore[assignment]  # made into arrays below, once every name is known
            y[field] = np.array([1.0 if _right(sc, field, set_name, v, gold) else 0.0 for v, _ in cands])
        docs.append(Doc(set_name, source, row["id"], fold_of(row["id"]), X, y, labelled))
    for d in docs:
        for field in FIELDS:
            cands = d.X[field]
            d.X[field] = np.array(
                [[float(f.get(k, 0.0)) for k in feature_names[field]] for _, f in cands], dtype=float
            ).reshape(len(cands), len(feature_names[field]))
    return docs


def logits(model: FieldModel, x: np.ndarray) -> np.ndarray:
    """The model's score of each candidate (x: candidates x the model's features, in its order)."""
    if model.trees:
        return np.array([model.logit(dict(zip(model.features, row, strict=True))) for row in x.tolist()])
    return np.asarray(((x - np.array(model.mean)) / np.array(model.scale)) @ np.array(model.weights))


def top(model: FieldModel, x: np.ndarray) -> int:
    return int(np.argmax(logits(model, x)))


def labelled_pages(inputs: Sequence[tuple[str, str]]) -> Iterator[tuple[str, str, dict[str, Any], list[PageText]]]:
    """Every labelled file of these (set, source) inputs with its pages (a set's OCR only where it is cached)."""
    for set_name, source in inputs:
        if source == "ocr" and cache_dir(set_name) is None:
            print(f"  ({set_name} OCR not cached: left out)")
            continue
        for row in gold_rows(set_name):
            pages = pages_for(set_name, row, source)
            if pages is not None:
                yield set_name, source, row, pages


# Reads the files of one fold: (set, source, fold, file ids) -> the gold and prediction files written.
ReadFold = Callable[[str, str, int, set[str]], tuple[Path, Path]]


def scored_by_fold(
    folds: dict[tuple[str, str], dict[int, set[str]]], read: ReadFold, out: Path, tag: str
) -> dict[tuple[str, str], dict[str, Any]]:
    """Each (set, source) read fold by fold (each fold by its own model) and scored as one by the one scorer."""
    results = {}
    for (set_name, source), ids_by_fold in folds.items():
        gold_lines: list[str] = []
        pred_lines: list[str] = []
        for f, ids in sorted(ids_by_fold.items()):
            g, p = read(set_name, source, f, ids)
            gold_lines += g.read_text().splitlines()
            pred_lines += p.read_text().splitlines()
        gold_all = out / f"{set_name}-{source}-{tag}-gold-all.jsonl"
        pred_all = out / f"{set_name}-{source}-{tag}-pred-all.jsonl"
        gold_all.write_text("\n".join(gold_lines) + "\n")
        pred_all.write_text("\n".join(pred_lines) + "\n")
        results[(set_name, source)] = {"score": score(gold_all, pred_all), "gold": gold_all, "pred": pred_all}
    return results


def fold_ids(
    docs: Sequence[LabelledFile], inputs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], dict[int, set[str]]]:
    """Per (set, source), the file ids of each fold."""
    out: dict[tuple[str, str], dict[int, set[str]]] = {}
    for key in inputs:
        ids_by_fold: dict[int, set[str]] = defaultdict(set)
        for d in docs:
            if (d.set_name, d.source) == key:
                ids_by_fold[d.fold].add(d.doc_id)
        if ids_by_fold:
            out[key] = ids_by_fold
    return out
