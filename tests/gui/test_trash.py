"""The Trash in the real window: a view that says where the user is, and imports that show what came in."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from receiptdesk.core.document import Field
from receiptdesk.core.review import NEEDS_REVIEW
from receiptdesk.services.paths import AppPaths
from receiptdesk.store.library import Library
from tests.gui.conftest import OpenApp, drop, row_by_file, settled
from tests.gui.library_steps import choose, library_with, reading, type_value, visible_box
from tests.gui.test_import_odd_files import RECEIPT

W = TypeVar("W", bound=QWidget)


def named(window: QWidget, kind: type[W], name: str) -> W:
    """The one widget of this kind a screen reader calls `name`."""
    (found,) = [w for w in window.findChildren(kind) if w.accessibleName() == name]
    return found


def test_the_trash_says_it_is_the_trash_with_restore_empty_and_the_way_back(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path, data_dir: Path
) -> None:
    kept, trashed = library_with(tmp_path, ("a.jpg", reading("Aldi", "5.00")), ("b.jpg", reading("Bio", "7.00")))
    library = Library(AppPaths.from_environment().ensure().data)
    library.trash([trashed])
    library.close()
    app = open_app()
    window, model = app.window, app.window.library.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10_000)
    bar = named(window, QWidget, "You are in the Trash")
    assert not bar.isVisible()  # the library says nothing of the Trash

    named(window, QToolButton, "Show the Trash").click()
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.id_at(0) == trashed, timeout=10_000)
    words = named(window, QLabel, "You are in the Trash: documents here are kept until you empty it")
    assert bar.isVisible() and words.isVisible() and "kept until you empty it" in words.text()
    restore = named(window, QPushButton, "Restore the chosen documents")
    assert not restore.isEnabled()  # nothing chosen yet
    window.library.select([trashed])
    assert restore.isEnabled()
    # A document in the Trash is not reviewed or sent to the review queue: restored first.
    commands = window.commands
    assert not commands.reviewed.isEnabled() and not commands.needs_review.isEnabled()
    assert not commands.next_review.isEnabled()
    assert not window.order.add_tag_action.isEnabled() and not window.order.category_menu.menuAction().isEnabled()

    restore.click()  # the Restore command itself: one step on the one undo stack
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=10_000)
    assert not app.services.library.summary(trashed).in_trash
    assert commands.undo.text() == "&Undo restore 1 document"
    commands.undo.trigger()
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10_000)

    named(window, QPushButton, "Empty the Trash").click()
    box = visible_box(window, "confirmEmptyTrash")
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    next(b for b in box.buttons() if b.text() == "Empty Trash").click()
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=10_000)
    with pytest.raises(KeyError):  # forgotten for good
        app.services.library.summary(trashed)

    named(window, QPushButton, "Back to the library").click()
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.id_at(0) == kept, timeout=10_000)
    assert not bar.isVisible() and not window.library.trash_button.isChecked()
    window.library.select([kept])
    assert (
        commands.reviewed.isEnabled() and commands.next_review.isEnabled() and window.order.add_tag_action.isEnabled()
    )


def _ground(qtbot: QtBot, box: QWidget) -> QColor:
    """The colour drawn inside a box, right of its text (what the user sees it as: a field or not), once the
    box is laid out: on a slow machine it can still be 0 px wide just after the document is shown."""
    qtbot.waitUntil(lambda: box.isVisible() and box.width() > 20 and box.height() > 4, timeout=10_000)
    picture = box.grab().toImage()
    return picture.pixelColor(picture.width() - 6, picture.height() // 2)


def test_a_document_in_the_trash_shows_its_values_read_only_and_is_not_work_to_review(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path, data_dir: Path
) -> None:
    """In the Trash the status bar still said "1 needs review (F8)" and the values looked editable, though a
    trashed document refuses edits: now the values say why they cannot be changed, once, and look it."""
    unsure = reading("Bio", "7.00")
    unsure.fields["total"] = Field(Decimal("7.00"), "7.00", 0.3)  # read unsure: it needs review
    doc_id, kept = library_with(tmp_path, ("a.jpg", unsure), ("b.jpg", reading("Aldi", "5.00")))
    library = Library(AppPaths.from_environment().ensure().data)
    library.trash([doc_id])
    library.set_review([kept], NEEDS_REVIEW)
    library.close()
    app = open_app()
    window = app.window
    to_review = named(window, QLabel, "Documents that need review")
    qtbot.waitUntil(lambda: to_review.text() == "1 needs review (F8)", timeout=10_000)
    choose(qtbot, app, kept)
    total = named(window, QLineEdit, "Total")
    editable = _ground(qtbot, total)

    named(window, QToolButton, "Show the Trash").click()
    choose(qtbot, app, doc_id)
    qtbot.waitUntil(lambda: to_review.text() == "", timeout=10_000)  # no review queue in the Trash
    assert not window.commands.next_review.isEnabled()
    why = named(window, QLabel, "Why the values cannot be changed")
    assert why.isVisible() and why.text() == "In the Trash: restore it to edit."
    said = [w for w in window.findChildren(QLabel) if w.isVisible() and "restore it to" in w.text()]
    assert said == [why]  # said once
    total = named(window, QLineEdit, "Total")
    assert total.isReadOnly() and named(window, QPlainTextEdit, "Notes").isReadOnly()
    assert _ground(qtbot, total) != editable and _ground(qtbot, total) == total.palette().color(
        QPalette.ColorRole.Window
    )
    assert not named(window, QToolButton, "Add a value").isVisible()
    assert not named(window, QToolButton, "Add a line item").isVisible()
    items = named(window, QTableView, "Line items")
    assert items.editTriggers() == QTableView.EditTrigger.NoEditTriggers

    type_value(qtbot, app, "total", "9.99")  # typing changes nothing: the Trash keeps it as it was
    assert total.text() == "7.00"
    assert app.services.library.summary(doc_id).total == "7.00" and not window.commands.undo.isEnabled()

    named(window, QPushButton, "Back to the library").click()
    choose(qtbot, app, kept)
    qtbot.waitUntil(lambda: to_review.text() == "1 needs review (F8)", timeout=10_000)
    assert not why.isVisible() and not named(window, QLineEdit, "Total").isReadOnly()
    assert named(window, QToolButton, "Add a value").isVisible()


def test_an_import_the_search_and_filters_would_hide_clears_them_and_shows_it(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path, data_dir: Path
) -> None:
    """It was added but the list did not show it, and the status bar named a document no one could see."""
    library_with(tmp_path, ("a.jpg", reading("Aldi", "5.00")))
    app = open_app()
    window, panel = app.window, app.window.library
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    search = named(window, QLineEdit, "Search the library")
    qtbot.keyClicks(search, "Aldi")
    bar = window.order.filter_bar
    bar.toggle.click()
    bar.min_total.setText("4")  # more than the receipt about to come in
    qtbot.waitUntil(lambda: window.query.search == "Aldi" and bool(window.query.filters.active), timeout=10_000)

    receipt = tmp_path / "corner.txt"
    receipt.write_text(RECEIPT, encoding="utf-8")
    with qtbot.waitSignal(app.desk.imported, timeout=30_000):
        drop(window, [receipt])
    qtbot.waitUntil(lambda: settled(app, 2), timeout=30_000)  # the new one is in the list
    new = row_by_file(app, "corner.txt")
    qtbot.waitUntil(lambda: panel.selected_ids() == [new], timeout=10_000)  # one file dropped: the one chosen
    assert search.text() == "" and not bar.filters().active
    note = named(window, QLabel, "What the last import did")
    assert "1 added" in note.text() and "search and filters cleared to show them" in note.text()

    # Importing while the Trash is shown: back in the library, with the new document in sight.
    window.library.trash_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
    other = tmp_path / "kiosk.txt"
    other.write_text(RECEIPT.replace("Corner Shop", "Kiosk"), encoding="utf-8")
    with qtbot.waitSignal(app.desk.imported, timeout=30_000):
        drop(window, [other])
    qtbot.waitUntil(lambda: settled(app, 3), timeout=30_000)
    assert (
        not window.library.trash_button.isChecked() and not named(window, QWidget, "You are in the Trash").isVisible()
    )
    assert "back from the Trash to show them" in note.text()
