"""Run the frozen app as a user would, offline, and check what it does.

    python packaging/smoke_test.py dist/receiptdesk            the bundle, offscreen
    python packaging/smoke_test.py dist/ReceiptDesk.app        the macOS app
    xvfb-run -a python packaging/smoke_test.py --display /usr/bin/receiptdesk   an installed .deb on X11

It prints the version, reads a photo of a receipt (OCR), a PDF with a text layer and a scanned
PDF (`receiptdesk extract`), imports and lists on a fresh data folder, then opens the window with
a receipt as its argument ("Open with") and waits until the window has read it; a second launch
with another file hands it to that window and exits 0. Fails loudly on anything else.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
WAIT_S = 300
sys.path.insert(0, str(ROOT))

from receiptdesk import __version__  # noqa: E402


def programs(target: Path) -> tuple[Path, Path]:
    """The window program and the console program of a bundle, an .app or an installed launcher."""
    if target.suffix == ".app":
        exe = target / "Contents" / "MacOS" / "receiptdesk"
        return exe, exe
    if target.is_dir():
        if sys.platform == "win32":
            return target / "receiptdesk.exe", target / "receiptdesk-cli.exe"
        return target / "receiptdesk", target / "receiptdesk"
    return target, target


def environment(data: Path, display: bool) -> dict[str, str]:
    env = {**os.environ, "RECEIPTDESK_DATA_DIR": str(data)}
    if display:
        env.pop("QT_QPA_PLATFORM", None)  # the real window system
        assert env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"), "--display needs a display (xvfb-run)"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run(exe: Path, *args: str, data: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], env=environment(data, False), capture_output=True, text=True,
                          timeout=WAIT_S, cwd=cwd)  # fmt: skip


def extracted(cli: Path, data: Path, *files: Path) -> list[dict[str, Any]]:
    done = run(cli, "extract", "--format", "jsonl", *map(str, files), data=data)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    for row in rows:
        assert row["status"] == "ok", row
        doc = row["document"]
        assert doc["provider"] == "local", doc["provider"]
        assert ", ranker " in doc["model"] and "ranker hand" not in doc["model"], doc["model"]  # the trained model
        Decimal(doc["fields"]["total"]["value"])  # a decimal string
        for name, f in doc["fields"].items():
            box = f.get("box")
            assert box is None or all(0 <= v <= 1 for v in box), (name, box)
    return rows


def pdfs(folder: Path) -> tuple[Path, Path]:
    """A PDF as an invoicing program writes it (a text layer) and one as a scanner does (a picture)."""
    from PIL import Image

    from tests.unit.providers.local.pdfmaker import ScanPage, TextPage, make_pdf

    lines = [(60, 60, 18, "Northwind Stationery Ltd"), (60, 130, 11, "Invoice no. 2041     Date: 14/03/2024"),
             (60, 180, 11, "Printer paper A4 x 5"), (400, 180, 11, "24.50"), (60, 200, 11, "Toner cartridge"),
             (400, 200, 11, "61.20"), (60, 240, 11, "Subtotal"), (400, 240, 11, "85.70"), (60, 260, 11, "VAT 20%"),
             (400, 260, 11, "17.14"), (60, 280, 12, "Total"), (400, 280, 12, "102.84")]  # fmt: skip
    text = make_pdf(folder / "invoice.pdf", [TextPage(lines)])
    with Image.open(SAMPLES / "receipt.jpg") as photo:
        page = ScanPage(photo.copy(), width=photo.width * 72 / 150, height=photo.height * 72 / 150)
    return text, make_pdf(folder / "scan.pdf", [page])


def library(cli: Path, data: Path) -> dict[str, str]:
    done = run(cli, "list", "--format", "jsonl", data=data)
    assert done.returncode == 0, done.stderr
    return {row["file"]: row["status"] for row in map(json.loads, done.stdout.splitlines())}


def _stuck(proc: subprocess.Popen[str], data: Path) -> str:
    """Where each of the window's threads waits (it prints them on SIGUSR1) and the end of its log, for a
    failure CI shows only the tail of; the window is stopped."""
    if hasattr(signal, "SIGUSR1"):
        proc.send_signal(signal.SIGUSR1)
        time.sleep(2)
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    log = data / "logs" / "receiptdesk.log"
    told = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.exists() else "(no log written)"
    return f"threads:\n{err[-6000:]}\nlog:\n{told}"


def open_with(window: Path, cli: Path, data: Path, display: bool) -> None:
    """`receiptdesk receipt.jpg` as "Open with" runs it: the window reads it; a second launch hands over."""
    env = environment(data, display)
    proc = subprocess.Popen([str(window), str(SAMPLES / "receipt.jpg")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:

        def wait_for(name: str) -> None:
            deadline = time.monotonic() + WAIT_S
            while (listed := library(cli, data)).get(name) != "ok":
                assert proc.poll() is None, f"the window exited ({proc.returncode}): {proc.communicate()[1][-2000:]}"
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"the window did not read {name} in {WAIT_S} s: {listed}\n{_stuck(proc, data)}"
                    )
                time.sleep(0.5)

        wait_for("receipt.jpg")
        second = subprocess.run([str(window), "invoice.png"], cwd=SAMPLES, env=env, capture_output=True, text=True,
                                timeout=WAIT_S)  # fmt: skip
        assert second.returncode == 0, second.stderr[-2000:]
        wait_for("invoice.png")
        log = (data / "logs" / "receiptdesk.log").read_text(encoding="utf-8")
        assert log.count(f"ReceiptDesk {__version__} started") == 1, "the second launch opened a window of its own"
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def textract(cli: Path, folder: Path) -> str:
    """Amazon Textract through the bundled boto3 (its trimmed service models) against the local
    emulator answering with a recorded response; needs ../shared, so only where that is."""
    responses = ROOT.parent / "shared" / "data" / "responses" / "textract"
    if not responses.is_dir():
        return "Textract not tried (no ../shared)"
    from tests.emulators.textract import TextractEmulator

    data = folder / "cloud"
    (data / "config").mkdir(parents=True)
    with TextractEmulator(responses) as emulator:
        settings = {"version": 1, "values": {"textract.endpoint_url": emulator.url, "textract.region": "us-east-1"}}
        (data / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        aws = {"AWS_ACCESS_KEY_ID": "AKIDSMOKETEST", "AWS_SECRET_ACCESS_KEY": "smoke-test-secret",
               "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
               "AWS_EC2_METADATA_DISABLED": "true"}  # fmt: skip
        env = {**environment(data, False), **aws}
        done = subprocess.run([str(cli), "extract", "--provider", "textract", str(SAMPLES / "receipt.jpg")], env=env,
                              capture_output=True, text=True, timeout=WAIT_S)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        row = json.loads(done.stdout)
        assert row["status"] == "ok" and row["document"]["provider"] == "textract", row
        assert emulator.calls, "the emulator was never called"
    return "Textract read through the emulator"


def main(argv: list[str]) -> int:
    display = "--display" in argv
    target = Path(next((a for a in argv if not a.startswith("--")), str(ROOT / "dist" / "receiptdesk"))).absolute()
    window, cli = programs(target)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "data"
        version = run(cli, "--version", data=data)
        assert version.stdout.strip() == f"ReceiptDesk {__version__}", version.stdout + version.stderr
        text_pdf, scan_pdf = pdfs(folder)
        photo, invoice, scan = extracted(cli, data, SAMPLES / "receipt.jpg", text_pdf, scan_pdf)
        invoice_total = invoice["document"]["fields"]["total"]["value"]
        assert invoice_total == "102.84", invoice_total  # read from the PDF's text layer
        totals = [r["document"]["fields"]["total"]["value"] for r in (photo, scan)]
        assert totals[0] == totals[1], f"the scanned PDF of the receipt reads differently: {totals}"
        assert not (data / "library.sqlite3").exists(), "extract touched the library"
        done = run(cli, "import", str(text_pdf), data=data)
        assert done.returncode == 0, done.stderr
        assert library(cli, data) == {"invoice.pdf": "ok"}
        out = folder / "export"  # openpyxl is imported only when a workbook is written: it must be in the bundle
        done = run(cli, "export", str(out), "--format", "xlsx", "--originals", "zip", data=data)
        assert done.returncode == 0, done.stderr
        with zipfile.ZipFile(out / "receipts.xlsx") as book, zipfile.ZipFile(out / "receipts-originals.zip") as copy:
            assert "xl/worksheets/sheet1.xml" in book.namelist() and len(copy.namelist()) == 1
        open_with(window, cli, folder / "window", display)
        cloud = textract(cli, folder)
        where = "on the display" if display else "offscreen"
        print(f"frozen app {__version__} OK: receipt total {totals[0]}, PDF invoice total {invoice_total}, "
              f"scanned PDF read; opened with a file {where} and took a second launch's file; {cloud}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
