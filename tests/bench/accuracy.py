"""The accuracy half of the extraction bench: the one scorer on the real path, for every labelled set.

`receiptdesk extract --provider local --format jsonl` runs as a process over each
set (SROIE, WildReceipt, invoice2data) and ../shared/tools/score_extraction.py
scores what it printed; the issue 5 targets it misses are named. Figures only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.page_inputs import SCORER, SHARED, load_scorer

ROOT = Path(__file__).resolve().parents[2]
DATA = SHARED / "data"
GOLD = {
    "sroie": DATA / "receipts" / "sroie" / "sroie-dev.jsonl",
    "wildreceipt": DATA / "receipts" / "wildreceipt" / "wildreceipt-dev.jsonl",
    "invoice2data": DATA / "invoices" / "invoice2data" / "invoice2data.jsonl",
}


# What issue 5 asks of each set, printed beside the measured figure.
TARGETS = {
    "sroie": {"F1": 0.90, "total": 0.95, "date": 0.95},
    "wildreceipt": {"total": 0.85, "date": 0.85, "li_amt_F1": 0.80},
    "invoice2data": {"total+date": 11 / 12},
}


def _both_right(scorer: Any, gold: Path, pred: Path) -> int:
    """Documents whose total and date are both right (those the set labels), by the scorer's normalisation."""
    docs = {}
    for line in pred.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            docs[Path(row.get("source", "")).name] = (row.get("document") or {}).get("fields") or {}
    right = 0
    for line in gold.read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        fields = docs.get(Path(row["image"]).name, {})
        judged = [(key, scorer.norm(key, row["fields"].get(key))) for key in ("total", "date")]
        right += all(
            gold_value == scorer.norm(key, (fields.get(key) or {}).get("value"))
            for key, gold_value in judged
            if gold_value is not None  # a set that does not label a total cannot be wrong about it
        )
    return right


def accuracy(table: list[str], names: list[str], workers: int = 2) -> None:
    """score_extraction.py on `receiptdesk extract --provider local --format jsonl` over every labelled set."""
    if not SCORER.exists():
        table.append(f"accuracy: the scorer is missing ({SCORER})")
        return
    scorer = load_scorer()
    cols = ["files", "s/file", "F1", "vendor", "address", "date", "total", "subtotal", "tax", "li_amt_F1", "tot+date"]
    table.append(f"{'set':13} " + " ".join(f"{c:>9}" for c in cols))
    misses: list[str] = []
    for name in names:
        gold = GOLD[name]
        files = [str(gold.parent / json.loads(line)["image"]) for line in gold.read_text().splitlines() if line.strip()]
        command = [sys.executable, "-m", "receiptdesk", "extract", "--provider", "local", "--format", "jsonl"]
        with tempfile.TemporaryDirectory() as tmp:
            pred = Path(tmp) / "pred.jsonl"
            env = dict(os.environ, RECEIPTDESK_DATA_DIR=tmp, PYTHONPATH=str(ROOT))
            started = time.perf_counter()
            with pred.open("w") as out:
                subprocess.run(
                    [*command, "--workers", str(workers), *files],
                    stdout=out,
                    stderr=subprocess.DEVNULL,
                    env=env,
                    cwd=ROOT,
                    check=False,  # exit 1 when a file could not be read: it is scored as such
                )
            seconds = time.perf_counter() - started
            run = subprocess.run(
                [sys.executable, str(SCORER), str(gold), str(pred), "--json"],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(run.stdout)
            both = _both_right(scorer, gold, pred)
            failed = [
                f"{Path(row['source']).name} not read: {row['error']['message']}"
                for line in pred.read_text().splitlines()
                if line.strip() and (row := json.loads(line)).get("status") != "ok"
            ]
        fields = result["fields"]
        got = {
            "F1": result["key_fields"]["f1"],
            **{k: v["accuracy"] for k, v in fields.items()},
            "li_amt_F1": result.get("line_items", {}).get("amount_f1"),
            "total+date": both / max(1, result["documents"]),
        }
        vals = [str(result["documents"]), f"{seconds / max(1, len(files)):.2f}", f"{got['F1']:.3f}"]
        for key in ("vendor", "address", "date", "total", "subtotal", "tax"):
            vals.append(f"{fields[key]['accuracy']:.3f}" if key in fields else "-")
        vals.append(f"{got['li_amt_F1']:.3f}" if got["li_amt_F1"] is not None else "-")
        vals.append(f"{both}/{result['documents']}")
        table.append(f"{name:13} " + " ".join(f"{v:>9}" for v in vals))
        print(table[-1], flush=True)
        for failure in failed:
            table.append(f"  {name}: {failure}")
        for key, floor in TARGETS[name].items():
            value = got.get(key)
            if value is None or value < floor:
                misses.append(f"{name} {key} {value if value is None else round(value, 3)} < {floor:.2f}")
    table.append(
        f"  scored by {SCORER.name} on `receiptdesk extract --provider local --format jsonl --workers {workers}`;"
        " s/file = wall time of that run per file"
    )
    table.append("  issue 5 accuracy targets: " + ("all met" if not misses else "MISSED: " + "; ".join(misses)))
