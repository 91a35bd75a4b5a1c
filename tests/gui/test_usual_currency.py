"""A receipt that prints no currency and names no country is in the currency the user chose in Settings;
the documents already read take it too when the user asks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from receiptdesk.app import Window
from receiptdesk.core.review import REVIEWED
from tests.gui.conftest import READ_TIMEOUT_MS, OpenApp, drop, row_by_file, settled
from tests.gui.library_steps import visible_box
from tests.gui.test_theme import _settings
from tests.gui.test_trash import named
from tests.unit.providers.local.pdfmaker import TextPage, make_pdf


def _bill(path: Path, total: str) -> Path:
    lines = [(60, 60, 18, "Warung Sari"), (60, 110, 11, "Nasi goreng"), (400, 110, 11, total),
             (60, 150, 12, "Total"), (400, 150, 12, total)]  # fmt: skip
    return make_pdf(path, [TextPage(lines)])


def _choose_currency(qtbot: QtBot, app: Window, title: str) -> None:
    dialog = _settings(qtbot, app)
    chooser = named(dialog, QComboBox, "Amounts with no currency printed are in")
    assert chooser.currentText() == "Leave it blank"
    chooser.showPopup()  # some 150 currencies: the list opens as a drop-down that scrolls, not screen-tall
    qtbot.waitUntil(lambda: chooser.view().isVisible())
    assert chooser.view().window().height() < chooser.screen().availableGeometry().height() / 2
    assert chooser.view().verticalScrollBar().isVisible()  # and shows that it scrolls
    chooser.hidePopup()
    chooser.setCurrentIndex(chooser.findText(title))  # as picked from the list
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: app.window.settings_dialog is None, timeout=10_000)


def _asked_to_read_again(qtbot: QtBot, app: Window) -> QMessageBox:
    """The question Settings asks once the date order or the usual currency changed."""
    boxes = app.window.findChildren
    qtbot.waitUntil(lambda: any(b.isVisible() for b in boxes(QMessageBox, "readAgainWithSettings")), timeout=10_000)
    return visible_box(app.window, "readAgainWithSettings")


def _answer(box: QMessageBox, button: str) -> None:
    next(b for b in box.buttons() if b.text() == button).click()


def test_the_usual_currency_chosen_in_settings_is_given_to_a_receipt_that_prints_none(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path
) -> None:
    app = open_app()
    library = app.services.library
    drop(app.window, [_bill(tmp_path / "before.pdf", "25.000"), _bill(tmp_path / "checked.pdf", "18.000")])
    qtbot.waitUntil(lambda: settled(app, 2), timeout=READ_TIMEOUT_MS)
    before, checked = row_by_file(app, "before.pdf"), row_by_file(app, "checked.pdf")
    assert library.summary(before).currency is None  # nothing says which: left blank, not guessed
    app.desk.set_review({checked: REVIEWED})
    qtbot.waitUntil(lambda: library.summary(checked).review == REVIEWED, timeout=10_000)
    editor = app.window.editor
    app.window.library.select([before])  # shown beside its values while it is read again
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == before, timeout=10_000)

    _choose_currency(qtbot, app, "IDR – Indonesian Rupiah")
    assert app.services.settings.get("extract.currency") == "IDR"
    # the documents read so far may take it too: asked, and read again from their words when the user says so
    box = _asked_to_read_again(qtbot, app)
    assert box.defaultButton().text() == "Only new documents"
    assert "Read the 1 document already read on this computer again" in box.text()  # not the one reviewed
    _answer(box, "Read them again")
    qtbot.waitUntil(lambda: library.summary(before).currency == "IDR", timeout=30_000)
    assert library.summary(checked).currency is None  # marked reviewed: left as the user checked it
    qtbot.waitUntil(lambda: "Read again with the new setting: 1 document." in app.window.statusBar().currentMessage())
    # what the window shows follows: the values beside the page, the list's row and the sum of the chosen
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.current.currency == "IDR", timeout=10_000)
    model = app.window.library.model
    qtbot.waitUntil(lambda: "IDR" in str(model.index(model.row_of(before) or 0, 2).data()), timeout=10_000)
    qtbot.waitUntil(lambda: app.window.order.sums.text().endswith("IDR"), timeout=10_000)

    drop(app.window, [_bill(tmp_path / "warung.pdf", "25.000"), _bill(tmp_path / "dollars.pdf", "$12.50")])
    qtbot.waitUntil(lambda: settled(app, 4), timeout=READ_TIMEOUT_MS)
    assert library.summary(row_by_file(app, "warung.pdf")).currency == "IDR"
    assert library.summary(row_by_file(app, "dollars.pdf")).currency == "USD"  # what a receipt prints wins


def test_reading_again_with_a_new_setting_lets_files_in_and_what_stop_left_goes_on_at_the_next_start(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path
) -> None:
    app = open_app()
    drop(app.window, [_bill(tmp_path / "one.pdf", "25.000"), _bill(tmp_path / "two.pdf", "18.000")])
    qtbot.waitUntil(lambda: settled(app, 2), timeout=READ_TIMEOUT_MS)
    ids = [row_by_file(app, "one.pdf"), row_by_file(app, "two.pdf")]
    # reading the library again takes most of an hour at 100,000 documents: one still under way (a stand-in
    # that waits) keeps this one waiting its turn
    earlier = app.runner.submit("reparse", lambda ctx: ctx.wait(120))
    _choose_currency(qtbot, app, "IDR – Indonesian Rupiah")
    box = _asked_to_read_again(qtbot, app)
    _answer(box, "Read them again")
    stop = named(app.window, QPushButton, "Stop reading all documents")
    qtbot.waitUntil(stop.isVisible, timeout=10_000)  # shown waiting, with Stop
    assert "read again" in app.window.status.text()
    # meanwhile a file dropped is added and read at once, not after the library
    drop(app.window, [_bill(tmp_path / "three.pdf", "9.000")])
    qtbot.waitUntil(lambda: settled(app, 3), timeout=READ_TIMEOUT_MS)
    assert app.services.library.summary(row_by_file(app, "three.pdf")).currency == "IDR"
    assert {app.services.library.summary(i).currency for i in ids} == {None}
    stop.click()  # before it began: it says what is left, and when that is read
    earlier.cancel()
    bar = app.window.statusBar()
    qtbot.waitUntil(lambda: bar.currentMessage() == "Stopped: 2 documents left, read again at the next start.")
    assert not stop.isVisible()
    assert app.close()

    again = open_app()  # the next start goes on with what was asked
    library = again.services.library
    qtbot.waitUntil(lambda: {library.summary(i).currency for i in ids} == {"IDR"}, timeout=30_000)
    qtbot.waitUntil(lambda: "Read again without OCR: 2 documents." in again.window.statusBar().currentMessage())
    assert not named(again.window, QPushButton, "Stop reading all documents").isVisible()


def test_the_status_bar_says_both_a_reading_and_a_reading_again_that_run_at_once(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path
) -> None:
    app = open_app()
    drop(app.window, [_bill(tmp_path / "one.pdf", "25.000")])
    qtbot.waitUntil(lambda: settled(app, 1), timeout=READ_TIMEOUT_MS)
    for lane in ("reparse", "extract", "extract"):  # both busy with earlier work (stand-ins that wait)
        app.runner.submit(lane, lambda ctx: ctx.wait(120))
    _choose_currency(qtbot, app, "IDR – Indonesian Rupiah")
    box = _asked_to_read_again(qtbot, app)
    _answer(box, "Read them again")
    drop(app.window, [_bill(tmp_path / "two.pdf", "18.000")])
    status = app.window.status
    qtbot.waitUntil(lambda: "Reading 1 document" in status.text() and "read again" in status.text(), timeout=10_000)
