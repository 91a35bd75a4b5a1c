"""The tables tests/bench/train_ranker.py prints: the scorer's figures per set, hand rules beside the
ranker, and how well the confidence shown is calibrated (a reliability table and its expected error)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.bench.page_inputs import load_scorer

CANON = {"total": "total", "date": "date", "vendor": "vendor_name", "address": "vendor_address"}


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


def confidences(results: dict[tuple[str, str], dict[str, Any]], field: str) -> list[tuple[float, bool, bool]]:
    """(confidence shown, right, the label is a value of this kind at all) for every value predicted and labelled."""
    sc = load_scorer()
    canon = CANON[field]
    pairs = []
    for r in results.values():
        gold = {Path(json.loads(line)["image"]).name: json.loads(line) for line in r["gold"].read_text().splitlines()}
        for line in r["pred"].read_text().splitlines():
            d = json.loads(line)
            row = gold[Path(d["source"]).name]
            f = ((d.get("document") or {}).get("fields") or {}).get(canon)
            g = sc.norm(field, row["fields"].get(field))
            if f is None or g is None:
                continue
            sound = field != "date" or bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(g)))
            pairs.append((float(f["confidence"]), sc.norm(field, f["value"]) == g, sound))
    return pairs


def table(hand: dict[Any, Any], cv: dict[Any, Any]) -> list[str]:
    cols = ["F1", "vendor", "address", "date", "total"]
    lines = [
        "| set (source) | files | " + " | ".join(f"{c} hand / cv" for c in cols) + " |",
        "|---|---|" + "---|" * len(cols),
    ]
    for key in cv:
        h, c = hand[key]["score"], cv[key]["score"]
        vals = [f"{h['key_fields']['f1']:.3f} / {c['key_fields']['f1']:.3f}"]
        for col in cols[1:]:
            vals.append(f"{h['fields'][col]['accuracy']:.3f} / {c['fields'][col]['accuracy']:.3f}")
        lines.append(f"| {key[0]} ({key[1]}) | {c['documents']} | " + " | ".join(vals) + " |")
    return lines
