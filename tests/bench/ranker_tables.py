"""The tables tests/bench/train_ranker.py prints: the scorer's figures per set, hand rules beside the
ranker, and how well the confidence shown is calibrated (a reliability table and its expected error)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from receiptdesk.providers.local.ranking import Ranker
from tests.bench.page_inputs import load_scorer
from tests.bench.ranker_data import PART_SETS, Doc, top

CANON = {
    "total": "total",
    "date": "date",
    "vendor": "vendor_name",
    "address": "vendor_address",
    "subtotal": "subtotal",
    "tax": "total_tax",
}


def reliability(pairs: list[tuple[float, bool]], title: str) -> float:
    """Print a reliability table (confidence bins vs how often right) and return the expected calibration error."""
    bins = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]
    print(f"\n{title}: {len(pairs)} values")
    print(f"{'confidence':>12s} {'n':>5s} {'mean conf':>9s} {'right':>7s}")
    ece = 0.0
    for lo, hi in bins:
        sel = [(c, r) for c, r in pairs if lo <= c < hi]
        if not sel:
            continue
        mc = sum(c for c, _ in sel) / len(sel)
        acc = sum(r for _, r in sel) / len(sel)
        ece += len(sel) / len(pairs) * abs(mc - acc)
        print(f"{lo:5.2f}-{min(hi, 1.0):4.2f} {len(sel):5d} {mc:9.3f} {acc:7.3f}")
    sure = [r for c, r in pairs if c >= 0.9]
    shown = f"{sum(sure) / len(sure):.3f} of {len(sure)}" if sure else "none"
    print(f"ECE {ece:.3f}; shown sure (>= 0.9) right: {shown}")
    return ece


def confidences(
    results: dict[tuple[str, str], dict[str, Any]], field: str, absent_wrong: frozenset[str] = frozenset()
) -> list[tuple[float, bool, bool]]:
    """(confidence shown, right, the label is a value of this kind at all) for every value predicted and labelled;
    on the sets in `absent_wrong` (they label every subtotal and tax printed) a value shown without a label is wrong."""
    sc = load_scorer()
    canon = CANON[field]
    pairs = []
    for (set_name, _), r in results.items():
        gold = {Path(json.loads(line)["image"]).name: json.loads(line) for line in r["gold"].read_text().splitlines()}
        for line in r["pred"].read_text().splitlines():
            d = json.loads(line)
            row = gold[Path(d["source"]).name]
            f = ((d.get("document") or {}).get("fields") or {}).get(canon)
            g = sc.norm(field, row["fields"].get(field))
            if f is None or (g is None and set_name not in absent_wrong):
                continue
            sound = _sound(sc, field, g, row["fields"])
            pairs.append((float(f["confidence"]), sc.norm(field, f["value"]) == g, sound))
    return pairs


def _sound(sc: Any, field: str, gold: Any, labels: dict[str, Any]) -> bool:
    """Whether a label can be a value of its kind at all: a date that is a date ("20:37" is not); a tax no larger
    than the labelled total (a tax of 35.00 on a total of 4.40 is a label that lost its point). A subtotal may
    be larger than the total: a discount comes off it."""
    if field == "date":
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(gold)))
    total = sc.norm("total", labels.get("total"))
    if field == "tax" and gold is not None and total is not None:
        return bool(gold <= total)
    return True


def table(hand: dict[Any, Any], cv: dict[Any, Any], parts: frozenset[str] = frozenset()) -> list[str]:
    """The scorer's figures per set, hand rules / cross-validated ranker (subtotal and tax on the sets in `parts`)."""
    cols = ["F1", "vendor", "address", "date", "total", "subtotal", "tax"]
    lines = [
        "| set (source) | files | " + " | ".join(f"{c} hand / cv" for c in cols) + " |",
        "|---|---|" + "---|" * len(cols),
    ]
    for key in cv:
        h, c = hand[key]["score"], cv[key]["score"]
        vals = [f"{h['key_fields']['f1']:.3f} / {c['key_fields']['f1']:.3f}"]
        for col in cols[1:]:
            if col not in c["fields"] or (col in ("subtotal", "tax") and key[0] not in parts):
                vals.append("-")
                continue
            vals.append(f"{h['fields'][col]['accuracy']:.3f} / {c['fields'][col]['accuracy']:.3f}")
        lines.append(f"| {key[0]} ({key[1]}) | {c['documents']} | " + " | ".join(vals) + " |")
    return lines


def choice_table(docs: list[Doc], names: dict[str, list[str]], rankers: dict[int, Ranker], field: str) -> list[str]:
    """The hand rules' pick against the learned one, out of fold, per set: right / labelled files. The same
    comparison the scorer makes (the candidates' values normalised as it normalises them), without a parse."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    hb = names[field].index("hand_best")
    for d in docs:
        x, y = d.X[field], d.y[field]
        c = counts[(d.set_name, d.source)]
        if not d.labelled[field]:
            continue
        c[0] += 1
        if len(y) == 0:
            continue
        learned = int(y[top(rankers[d.fold].fields[field], x)])
        if x[:, hb].max() > 0:
            c[1] += int(y[int(np.argmax(x[:, hb]))])
            c[4] += int(y[int(np.argmax(x[:, hb]))])
        else:
            c[4] += learned  # the rules found none: the parser shows the model's guess
        c[2] += learned
        c[3] += int(y.max() > 0)
    lines = [
        f"| set (source) | labelled | {field}: rules | learned (cv) | rules, learned where they find none (cv) "
        "| right one among the candidates |",
        "|---|---|---|---|---|---|",
    ]
    for (set_name, source), (n, h, c, o, b) in counts.items():
        lines.append(f"| {set_name} ({source}) | {n} | {h / n:.3f} | {c / n:.3f} | {b / n:.3f} | {o / n:.3f} |")
    return lines


def parts_table(docs: list[Doc], names: dict[str, list[str]], rankers: dict[int, Ranker], field: str) -> list[str]:
    """A subtotal or tax, out of fold: right where the receipt has one, and shown where it has none (wrong)."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    hb, none = names[field].index("hand_best"), names[field].index("none")
    for d in docs:
        if d.set_name not in PART_SETS:
            continue
        x, y = d.X[field], d.y[field]
        hand, learned = int(np.argmax(x[:, hb])), top(rankers[d.fold].fields[field], x)
        c = counts[(d.set_name, d.source)]
        if d.labelled[field]:
            c[0] += 1
            c[1] += int(y[hand])
            c[2] += int(y[learned])
        else:
            c[3] += 1
            c[4] += int(not x[hand, none])
            c[5] += int(not x[learned, none])
    lines = [
        f"| set (source) | with a {field} | rules right | learned right (cv) | without one | rules show one "
        "| learned shows one (cv) |",
        "|---|---|---|---|---|---|---|",
    ]
    for (set_name, source), (n, h, c, m, hs, cs) in counts.items():
        lines.append(f"| {set_name} ({source}) | {n} | {h / n:.3f} | {c / n:.3f} | {m} | {hs} | {cs} |")
    return lines
