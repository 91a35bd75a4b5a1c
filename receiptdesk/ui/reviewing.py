"""The window's review steps: changing values, putting them back as read, review marks, the Trash, reading
the library again with new settings.

Each step goes on the window's undo stack (ui/undo.py); this class turns what
the user did in the editor or the list into those steps, with the value as it
was before, and asks before anything leaves the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from receiptdesk.core.document import Value
from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.core.fields import document_count
from receiptdesk.core.review import NEEDS_REVIEW, REVIEWED
from receiptdesk.services.parts import parse_ranges
from receiptdesk.services.reparse import Reparsed
from receiptdesk.store.edits import ROWS
from receiptdesk.ui.undo import field_title

if TYPE_CHECKING:
    from receiptdesk.ui.main_window import MainWindow


class Reviewing:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        window.desk.parsed_again.connect(self._parsed_again)

    def refused_in_trash(self, doc_id: int) -> bool:
        """Whether a change to this document is refused because it is in the Trash (kept as it was moved
        there: restored first, then changed). If so, what was typed is put back and the status bar says why,
        as a file manager opens nothing from its Trash."""
        record = self.w.editor.record
        if record is None or record.id != doc_id or not record.summary.in_trash:
            return False
        self.w.statusBar().showMessage("This document is in the Trash: restore it to change it.", 8000)
        self.w.editor.show_record(record)
        return True

    def edit(self, doc_id: int, path: str, value: Value | None) -> None:
        if not self.refused_in_trash(doc_id):
            self.w.changes.edit_value(doc_id, path, value)

    def rows(self, doc_id: int, after: str, text: str) -> None:
        if not self.refused_in_trash(doc_id):
            self.w.changes.edit(doc_id, {ROWS: after}, text)

    def notes(self, doc_id: int, text: str) -> None:
        if self.refused_in_trash(doc_id):
            return
        record = self.w.editor.record
        before = record.summary.notes if record and record.id == doc_id else ""
        self.w.changes.notes(doc_id, before, text)

    def revert_path(self, path: str) -> None:
        record = self.w.editor.record
        if record is not None and not self.refused_in_trash(record.id):
            self.w.changes.revert(record.id, [path], f"put back {field_title(path)} as read")

    def revert_value(self) -> None:
        """Edit > Back to what was read, for the value the cursor is in."""
        name = self.w.editor.form.focused_name()
        if name is not None:
            self.revert_path(name)

    def revert_document(self) -> None:
        record = self.w.editor.record
        if record is None or record.current is None or self.refused_in_trash(record.id):
            return
        self.w.changes.revert(record.id, None, "put the whole document back as read")

    def mark_reviewed(self, ids: list[int]) -> None:
        self._mark(ids, REVIEWED, "mark as reviewed")

    def mark_needs_review(self, ids: list[int]) -> None:
        self._mark(ids, NEEDS_REVIEW, "mark as needing review")

    def _mark(self, ids: list[int], mark: str, text: str) -> None:
        model = self.w.library.model
        before = {i: (s.review if (s := model.cached(i)) is not None else None) for i in ids}
        if ids:
            self.w.changes.review(before, mark, text)

    def next_to_review(self) -> None:
        def found(wanted: set[int]) -> None:
            if not self.w.library.select_next_of(wanted):
                self.w.statusBar().showMessage("Nothing needs review: every document read has been checked.", 8000)

        self.w.desk.to_review(found)

    def move_to_trash(self, ids: list[int]) -> None:
        if not ids or self.w.query.trash:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, "Move to Trash",
            f"Move {len(ids)} document{'s' if len(ids) > 1 else ''} to the Trash? The original"
            f"{'s are' if len(ids) > 1 else ' is'} kept until you empty the Trash, and Undo puts "
            f"{'them' if len(ids) > 1 else 'it'} back.",
            QMessageBox.StandardButton.Cancel, self.w,
        )  # fmt: skip
        box.setObjectName("confirmTrash")
        move = box.addButton("Move to Trash", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter after Delete keeps everything
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        move.clicked.connect(lambda: self.w.changes.trash(ids))
        box.open()

    def empty_trash(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Empty Trash",
            "Forget every document in the Trash, and its original file, for good? This cannot be undone.",
            QMessageBox.StandardButton.Cancel, self.w,
        )  # fmt: skip
        box.setObjectName("confirmEmptyTrash")
        empty = box.addButton("Empty Trash", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def emptied(count: int) -> None:
            self.w.undo_stack.clear()  # steps that named those documents cannot be undone any more
            self.w.statusBar().showMessage(f"{count} document{'s' if count != 1 else ''} deleted for good.", 8000)

        empty.clicked.connect(lambda: self.w.desk.empty_trash(emptied))
        box.open()

    def offer_reading_again(self) -> None:
        """After the date order or the usual currency changed in Settings: the documents already read on this
        computer may be read again with it, from their stored words (no OCR). Asked, never done unasked: the
        user may want the new setting for new documents only."""
        self.w.desk.count_readable_again(self._ask_reading_again)

    def _ask_reading_again(self, count: int) -> None:
        if not count:
            return  # nothing read on this computer that could change: nothing to ask
        box = QMessageBox(
            QMessageBox.Icon.Question, "Read the library again",
            f"Read the {document_count(count)} already read on this computer again with the new setting? It "
            "takes no OCR. Values you corrected, and documents you marked reviewed, stay as they are.",
            QMessageBox.StandardButton.NoButton, self.w,
        )  # fmt: skip
        box.setObjectName("readAgainWithSettings")
        again = box.addButton("Read them again", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton("Only new documents", QMessageBox.ButtonRole.RejectRole))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        again.clicked.connect(self.w.desk.read_again_with_settings)
        box.open()

    def _parsed_again(self, outcome: Reparsed, why: str) -> None:
        """Reading again from the words kept has ended: how many changed, and what a Stop or an error left."""
        said = f"Read again {why}: {document_count(outcome.done)}." if outcome.done else ""
        if outcome.left:  # short: the status bar of a 1024-pixel window shows about 110 characters
            said += f" Stopped: {document_count(outcome.left)} left, read again at the next start."
        self.w.statusBar().showMessage(said.strip(), 15_000)

    def split_document(self) -> None:
        """Document > Split into documents: the page ranges asked for, each its own document."""
        record = self.w.editor.record
        if record is None or self.refused_in_trash(record.id):
            return
        pages = max(1, record.summary.page_count)
        if pages < 2:
            self.w.statusBar().showMessage("A document of one page cannot be split.", 6000)
            return
        text, ok = QInputDialog.getText(
            self.w, "Split into documents",
            f"Pages of each document, in order (this file has {pages}):", text=", ".join(map(str, range(1, pages + 1))),
        )  # fmt: skip
        if not ok:
            return
        try:
            ranges = parse_ranges(text, pages)
        except ReceiptDeskError as e:
            self.w.errors.show(e)
            return
        self.w.changes.split(record.id, ranges)

    def merge_document(self) -> None:
        record = self.w.editor.record
        if record is not None and record.summary.part and not self.refused_in_trash(record.id):
            self.w.changes.merge(record.id)
