"""pdfium from several threads at once: the process must survive (pdfium itself is not thread-safe)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_two_threads_reading_twenty_pdfs_never_kill_the_process(tmp_path: Path) -> None:
    """Without the one lock, 5 runs in 6 died by SIGSEGV here; tests/bench/robustness.py runs it 50 times."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.pdf_threads",
                str(tmp_path / "pdfs"),
                "--files",
                "20",
                "--workers",
                "2",
                "--rounds",
                "3",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )  # fmt: skip
        for _ in range(3)
    ]
    deaths = [r.returncode for r in runs if r.returncode < 0]
    assert deaths == [], f"killed by signals {deaths}: {runs[-1].stderr[-2000:]}"
    assert all(r.returncode == 0 and "read 60 files" in r.stdout for r in runs), runs[-1].stderr[-2000:]


def test_a_damaged_pdf_is_refused_by_its_name(tmp_path: Path) -> None:
    from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
    from receiptdesk.providers.pdfium import PdfFile

    try:
        PdfFile.open(b"%PDF-1.7\n1 0 obj garbage", "bill.pdf")
    except ReceiptDeskError as e:
        assert e.kind is ErrorKind.BAD_DOCUMENT
        assert e.message == "bill.pdf is damaged and cannot be opened as a PDF."
    else:
        raise AssertionError("a damaged PDF opened")
