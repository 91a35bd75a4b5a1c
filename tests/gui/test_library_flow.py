"""A new user's first session: drop receipts, watch them read, check a value, fix it, come back later."""

from __future__ import annotations

import itertools
import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from receiptdesk.store.records import Status
from tests.gui.conftest import READ_TIMEOUT_MS, SAMPLES, OpenApp, drop, row_by_file, settled


def test_drop_read_check_edit_and_find_it_after_a_restart(qtbot: QtBot, open_app: OpenApp, tmp_path: Path) -> None:
    app = open_app()
    window = app.window
    # The window is up before anything heavy is loaded: the OCR engine waits for the first document.
    assert not app.services.providers.is_built("local")
    # A fresh library invites the first drop.
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.isVisible()

    folder = tmp_path / "scans"
    folder.mkdir()
    shutil.copy(SAMPLES / "invoice.png", folder / "invoice.png")
    (folder / "notes.txt").write_text("not a receipt")  # not a kind of file a folder import picks up
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a PDF")

    # The window keeps answering while receipts are read: a timer on the GUI thread keeps ticking.
    ticks: list[float] = []
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    drop(window, [SAMPLES / "receipt.jpg", folder, broken])
    # Each file is in the library at once, before it has been read.
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 3, timeout=10_000)
    assert window.pages.currentWidget() is window.splitter
    assert window.progress.isVisible() or settled(app, 3)
    qtbot.waitUntil(lambda: settled(app, 3), timeout=READ_TIMEOUT_MS)
    timer.stop()
    longest_pause = max(b - a for a, b in itertools.pairwise(ticks))
    assert longest_pause < 1.5, f"the window stopped answering for {longest_pause:.1f} s while reading"
    assert not window.progress.isVisible()

    model = window.library.model
    rows = {model.summary(r).file_name: model.summary(r) for r in range(3)}
    assert rows["receipt.jpg"].status is Status.OK and rows["receipt.jpg"].total == "1810.46"
    assert rows["invoice.png"].status is Status.OK
    # The damaged file is a failed document with the reason; nothing else suffered, its bytes are kept.
    failed = rows["broken.pdf"]
    assert failed.status is Status.FAILED and "damaged" in (failed.error_message or "")
    assert app.services.library.original_path(failed.id).read_bytes() == broken.read_bytes()

    # Choose the receipt: its page with boxes, its values with confidence.
    receipt_id = row_by_file(app, "receipt.jpg")
    with qtbot.waitSignal(window.viewer.page_shown, timeout=30_000):
        window.library.select([receipt_id])
    form = window.editor.form
    assert form.rows["total"].edit.text() == "1810.46"
    assert form.rows["total"].confidence.text().endswith("%")
    assert form.rows["currency"].edit.text() == "USD"
    assert "total" in window.viewer.view.box_names()
    assert window.viewer.page_label.text() == "Page 1 of 1"
    assert window.editor.items_model.rowCount() >= 3  # the line items it found

    # Clicking into a value highlights its box on the page.
    qtbot.mouseClick(form.rows["total"].edit, Qt.MouseButton.LeftButton)
    assert window.viewer.view.highlighted == "total"
    # And a click on a box puts the cursor in its value.
    window.viewer.box_clicked.emit("subtotal")
    assert form.rows["subtotal"].edit.hasFocus() and window.viewer.view.highlighted == "subtotal"

    # Fix the total: type, press Enter; the value read stays beside the edit.
    total = form.rows["total"].edit
    total.setFocus()
    total.selectAll()
    qtbot.keyClicks(total, "1,811.00")
    qtbot.keyClick(total, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "total" in (window.editor.record.edits if window.editor.record else {}), timeout=10_000)
    assert total.text() == "1811.00"
    assert "1810.46" in form.rows["total"].note.text()
    qtbot.waitUntil(lambda: model.summary(model.row_of(receipt_id) or 0).total == "1811.00", timeout=10_000)

    # Text that is not an amount is refused on the spot, with the reason, and nothing is saved.
    tax = form.rows["total_tax"].edit
    tax.setFocus()
    tax.selectAll()
    qtbot.keyClicks(tax, "about ten")
    qtbot.keyClick(tax, Qt.Key.Key_Return)
    assert "not an amount" in form.rows["total_tax"].note.text()
    assert "total_tax" not in window.editor.record.edits

    # The same receipt dropped again (a copy under another name) is the same document, chosen for the user.
    copy = tmp_path / "receipt copy.jpg"
    shutil.copy(SAMPLES / "receipt.jpg", copy)
    window.library.select([row_by_file(app, "invoice.png")])
    drop(window, [copy])
    qtbot.waitUntil(lambda: window.library.selected_ids() == [receipt_id], timeout=10_000)
    assert model.rowCount() == 3 and "already in the library" in window.statusBar().currentMessage()

    # Quit and start again on the same data folder: the documents, the page and the edit are all there.
    assert app.close()
    again = open_app()
    qtbot.waitUntil(lambda: again.window.library.model.rowCount() == 3, timeout=10_000)
    with qtbot.waitSignal(again.window.viewer.page_shown, timeout=30_000):
        again.window.library.select([receipt_id])
    row = again.window.editor.form.rows["total"]
    assert row.edit.text() == "1811.00"
    assert "1810.46" in row.note.text()
    assert again.window.viewer.view.has_page


def test_search_filters_the_list_and_says_when_nothing_matches(qtbot: QtBot, open_app: OpenApp, tmp_path: Path) -> None:
    app = open_app()
    drop(app.window, [SAMPLES / "receipt.jpg", SAMPLES / "invoice.png"])
    qtbot.waitUntil(lambda: settled(app, 2), timeout=READ_TIMEOUT_MS)
    panel = app.window.library
    # A note of one's own is kept and found by search.
    with qtbot.waitSignal(app.window.viewer.page_shown, timeout=30_000):
        panel.select([row_by_file(app, "invoice.png")])
    notes = app.window.editor.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "brake repair for the van")
    panel.search.setFocus()  # moving on saves it
    qtbot.waitUntil(lambda: app.services.library.summary(row_by_file(app, "invoice.png")).notes != "", timeout=5_000)
    qtbot.keyClicks(panel.search, "van brake")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5_000)
    assert panel.model.summary(0).file_name == "invoice.png"
    panel.search.clear()
    qtbot.keyClicks(panel.search, "bigbox")
    qtbot.waitUntil(lambda: [panel.model.summary(r).file_name for r in range(panel.model.rowCount())]
                    == ["receipt.jpg"], timeout=5_000)  # fmt: skip
    panel.search.clear()
    qtbot.keyClicks(panel.search, "no such shop anywhere")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5_000)
    assert panel.stack.currentWidget() is panel.empty and "Nothing matches" in panel.empty.text()
    assert app.window.pages.currentWidget() is app.window.splitter  # searching is not an empty library
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5_000)


def test_a_failed_file_shows_why_on_the_document_and_keeps_it(qtbot: QtBot, open_app: OpenApp, tmp_path: Path) -> None:
    app = open_app()
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    drop(app.window, [empty])
    qtbot.waitUntil(lambda: settled(app, 1), timeout=10_000)
    doc_id = row_by_file(app, "empty.jpg")
    app.window.library.select([doc_id])
    banner = app.window.editor.banner
    qtbot.waitUntil(banner.isVisible, timeout=5_000)
    assert "empty" in banner.message.text()
    # What to do fits a file that holds nothing: get a new copy (a clearer scan would not help).
    assert "new copy" in banner.hint.text() and "clearer scan" not in banner.hint.text()
    assert "cannot be shown" in app.window.viewer.message.text()
    assert app.services.library.original_path(doc_id).exists()
    assert app.window.errors.dialog is None  # a document's own failure is not a dialog
