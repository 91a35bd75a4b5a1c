"""A receipt that prints no currency and names no country is in the currency the user chose in Settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.gui.conftest import READ_TIMEOUT_MS, OpenApp, drop, row_by_file, settled
from tests.gui.test_theme import _settings
from tests.gui.test_trash import named
from tests.unit.providers.local.pdfmaker import TextPage, make_pdf


def _bill(path: Path, total: str) -> Path:
    lines = [(60, 60, 18, "Warung Sari"), (60, 110, 11, "Nasi goreng"), (400, 110, 11, total),
             (60, 150, 12, "Total"), (400, 150, 12, total)]  # fmt: skip
    return make_pdf(path, [TextPage(lines)])


def test_the_usual_currency_chosen_in_settings_is_given_to_a_receipt_that_prints_none(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path
) -> None:
    app = open_app()
    dialog = _settings(qtbot, app)
    chooser = named(dialog, QComboBox, "Amounts with no currency printed are in")
    assert chooser.currentText() == "Leave it blank"
    chooser.showPopup()  # some 150 currencies: the list opens as a drop-down that scrolls, not screen-tall
    qtbot.waitUntil(lambda: chooser.view().isVisible())
    assert chooser.view().window().height() < chooser.screen().availableGeometry().height() / 2
    assert chooser.view().verticalScrollBar().isVisible()  # and shows that it scrolls
    chooser.hidePopup()
    chooser.setCurrentIndex(chooser.findText("IDR – Indonesian Rupiah"))  # as picked from the list
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: app.window.settings_dialog is None, timeout=10_000)
    assert app.services.settings.get("extract.currency") == "IDR"

    drop(app.window, [_bill(tmp_path / "warung.pdf", "25.000"), _bill(tmp_path / "dollars.pdf", "$12.50")])
    qtbot.waitUntil(lambda: settled(app, 2), timeout=READ_TIMEOUT_MS)
    library = app.services.library
    assert library.summary(row_by_file(app, "warung.pdf")).currency == "IDR"
    assert library.summary(row_by_file(app, "dollars.pdf")).currency == "USD"  # what a receipt prints wins
