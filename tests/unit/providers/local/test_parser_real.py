"""The parser on real receipts: the labelled sets' own word boxes, scored by the shared scorer.

These are floors, not the targets of issue 5 (those are measured end to end on
OCR output by tests/bench/parse_eval.py): a change that makes the parser read
real receipts worse fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from receiptdesk.providers.local.parser import parse
from tests.bench.page_inputs import gold_rows, pages_for, set_dir


def _score(shared: Path, set_name: str, tmp_path: Path) -> dict[str, Any]:
    rows = gold_rows(set_name)
    pred = tmp_path / "pred.jsonl"
    gold = tmp_path / "gold.jsonl"
    with pred.open("w") as out:
        for row in rows:
            doc = parse(pages_for(set_name, row, "truth") or [])
            out.write(
                json.dumps({"source": str(set_dir(set_name) / row["image"]), "status": "ok", "document": doc.to_json()})
                + "\n"
            )
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    scorer = shared / "tools" / "score_extraction.py"
    run = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(pred), "--json"], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def test_sroie_scans(shared: Path, tmp_path: Path) -> None:
    r = _score(shared, "sroie", tmp_path)
    assert r["documents"] == 200 and r["errors"] == 0
    assert r["fields"]["total"]["accuracy"] >= 0.97
    assert r["fields"]["date"]["accuracy"] >= 0.97
    assert r["fields"]["vendor"]["accuracy"] >= 0.93
    assert r["fields"]["address"]["accuracy"] >= 0.85
    assert r["key_fields"]["f1"] >= 0.94


def test_wildreceipt_photos(shared: Path, tmp_path: Path) -> None:
    r = _score(shared, "wildreceipt", tmp_path)
    assert r["fields"]["total"]["accuracy"] >= 0.85
    assert r["fields"]["date"]["accuracy"] >= 0.85
    assert r["line_items"]["amount_f1"] >= 0.83


def test_documents_from_real_receipts_have_the_canonical_shape(shared: Path) -> None:
    for row in gold_rows("sroie")[:25] + gold_rows("wildreceipt")[:25]:
        set_name = "sroie" if row["image"].endswith(".jpg") else "wildreceipt"
        doc = parse(pages_for(set_name, row, "truth") or [])
        data = doc.to_json()
        assert data["provider"] == "local" and data["model"].startswith("parser ")
        assert data["pages"] and data["text"]
        for name, f in data["fields"].items():
            assert 0.0 <= f["confidence"] <= 1.0, name
            assert f["page"] == 1
            x0, y0, x1, y1 = f["box"]
            assert 0 <= x0 <= x1 <= 1 and 0 <= y0 <= y1 <= 1, name
        for name in ("total", "subtotal", "total_tax"):
            if name in data["fields"]:
                value = data["fields"][name]["value"]
                assert isinstance(value, str) and Decimal(value) == Decimal(value).quantize(Decimal("0.01"))
        assert all(c["status"] in ("ok", "warning", "failed") for c in data["checks"])
