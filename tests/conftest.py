"""Fixtures every test can use: the shared data folder, a private data dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt must pick its platform before anything imports it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the checkout (CI always has it); skip plainly when absent."""
    if not (SHARED / "data").is_dir():
        pytest.skip(f"needs the shared data folder at {SHARED} (CI always has it)")
    return SHARED


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private ReceiptDesk data folder, as RECEIPTDESK_DATA_DIR gives one."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("RECEIPTDESK_DATA_DIR", str(d))
    return d
