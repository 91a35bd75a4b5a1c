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
import time
import zipfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "receipt.jpg"


def run(exe: Path, *args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RECEIPTDESK_DATA_DIR": str(data)}
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=300)


def window_started(exe: Path, data: Path) -> None:
    """The window opens from the bundle (Qt's plugins are in it) and stays up until closed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RECEIPTDESK_DATA_DIR": str(data)}
    proc = subprocess.Popen([str(exe)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = data / "logs" / "receiptdesk.log"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if log.is_file() and "started" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        assert proc.poll() is None, f"the window exited at once ({proc.returncode}): {proc.communicate()[1][-2000:]}"
        assert log.is_file() and "started" in log.read_text(encoding="utf-8"), "the window did not start in 60 s"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


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
        out = data / "export"  # openpyxl is imported only when a workbook is written: it must be in the bundle
        done = run(exe, "export", str(out), "--format", "xlsx", "--originals", "zip", data=data)
        assert done.returncode == 0, done.stderr
        with zipfile.ZipFile(out / "receipts.xlsx") as book, zipfile.ZipFile(out / "receipts-originals.zip") as copy:
            assert "xl/worksheets/sheet1.xml" in book.namelist() and len(copy.namelist()) == 1
        window_started(exe, data)
        print(f"frozen bundle OK: total {fields['total']['value']}, vendor {vendor}; the window opens")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "dist" / "receiptdesk")))
