"""Steps a user takes with the cloud providers in the window, shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from receiptdesk.app import Window
from tests.emulators.azure import AzureEmulator
from tests.gui.conftest import READ_TIMEOUT_MS, OpenApp, drop, row_by_file, settled

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture
def azure_emulator(shared: Path) -> Iterator[AzureEmulator]:
    emulator = AzureEmulator(shared / "data" / "responses" / "azure").start()
    yield emulator
    emulator.stop()


def fill_settings(qtbot: QtBot, app: Window, values: dict[str, Any], keys: dict[str, str]) -> None:
    """Open Settings, type the values and keys, press Save, as a user would."""
    window = app.window
    window.open_settings()
    qtbot.waitUntil(lambda: window.settings_dialog is not None and window.settings_dialog.isVisible(), timeout=5000)
    dialog = window.settings_dialog
    assert dialog is not None
    for key, value in values.items():
        editor = dialog.editors[key]
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(value))
        else:
            assert isinstance(editor, QLineEdit)
            editor.setText(value)
    for name, secret in keys.items():
        dialog.keys[name].setText(secret)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.settings_dialog is None, timeout=5000)


def read_again_with(qtbot: QtBot, app: Window, doc_id: int, provider: str) -> QMessageBox:
    """Choose the document, Document > Read again with > provider; the price question comes first."""
    app.window.library.select([doc_id])
    app.window.commands.read_with[provider].trigger()
    return price_asked(qtbot, app)


def price_asked(qtbot: QtBot, app: Window) -> QMessageBox:
    """The price question a paid service asks before anything is sent."""
    found: list[QMessageBox] = []

    def asked() -> bool:
        found[:] = [b for b in app.window.findChildren(QMessageBox, "confirmCost") if b.isVisible()]
        return bool(found)

    qtbot.waitUntil(asked, timeout=30_000)
    return found[0]


def send(box: QMessageBox) -> None:
    (button,) = [b for b in box.buttons() if b.text() == "Send"]
    button.click()


def first_read(qtbot: QtBot, open_app: OpenApp, document: Path) -> tuple[Window, int]:
    app = open_app()
    drop(app.window, [document])
    qtbot.waitUntil(lambda: settled(app, 1), timeout=READ_TIMEOUT_MS)  # read on this computer first
    return app, row_by_file(app, document.name)


def scan_for(secret: str, *folders: Path) -> list[Path]:
    """Every file under the folders whose bytes contain the secret."""
    return [p for f in folders for p in f.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
