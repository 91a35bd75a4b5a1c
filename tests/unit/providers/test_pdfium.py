"""pdfium from several threads at once: the process must survive (pdfium itself is not thread-safe)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _threads(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "tests.pdf_threads", str(folder), "--files", "20", "--workers", "2", "--rounds", "3"]
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_two_threads_reading_twenty_pdfs_never_kill_the_process(tmp_path: Path) -> None:
    """Without the one lock, 5 runs in 6 died by SIGSEGV here; tests/bench/robustness.py runs it 50 times."""
    runs = [_threads(tmp_path / "pdfs") for _ in range(3)]
    deaths = [r.returncode for r in runs if r.returncode < 0]
    assert deaths == [], f"killed by signals {deaths}: {runs[-1].stderr[-2000:]}"
    assert all(r.returncode == 0 and "read 60 files" in r.stdout for r in runs), runs[-1].stderr[-2000:]


def test_a_damaged_pdf_is_refused_by_its_name() -> None:
    from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
    from receiptdesk.providers.pdfium import PdfFile

    with pytest.raises(ReceiptDeskError) as caught:
        PdfFile.open(b"%PDF-1.7\n1 0 obj garbage", "bill.pdf")
    assert caught.value.kind is ErrorKind.BAD_DOCUMENT
    assert caught.value.message == "bill.pdf is damaged and cannot be opened as a PDF."
