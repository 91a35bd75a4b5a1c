"""Run the frozen bundle as a user would, offline, and check what it prints.

    python packaging/smoke_test.py dist/receiptdesk

It reads a real receipt with the bundled OCR (`receiptdesk extract`), then
imports and lists it on a fresh data folder, all offscreen and without the
network, and fails loudly if the JSON is not the canonical form.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "receipt.jpg"


def run(exe: Path, *args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RECEIPTDESK_DATA_DIR": str(data)}
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=300)


def main(bundle: str) -> int:
    exe = Path(bundle) / ("receiptdesk.exe" if sys.platform == "win32" else "receiptdesk")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        done = run(exe, "extract", "--format", "json", str(SAMPLE), data=data)
        if done.returncode != 0:
            print(done.stdout, done.stderr, sep="\n")
            return 1
        result = json.loads(done.stdout)
        doc = result["document"]
        assert result["status"] == "ok", result
        assert doc["provider"] == "local", doc["provider"]
        fields = doc["fields"]
        assert "total" in fields, sorted(fields)
        Decimal(fields["total"]["value"])  # a decimal string
        for name, f in fields.items():
            box = f.get("box")
            assert box is None or all(0 <= v <= 1 for v in box), (name, box)
        done = run(exe, "import", str(SAMPLE), data=data)
        assert done.returncode == 0, done.stderr
        done = run(exe, "list", "--format", "jsonl", data=data)
        (row,) = [json.loads(line) for line in done.stdout.splitlines()]
        assert row["status"] == "ok", row
        vendor = fields.get("vendor_name", {}).get("value")
        print(f"frozen bundle OK: total {fields['total']['value']}, vendor {vendor}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "dist" / "receiptdesk")))
