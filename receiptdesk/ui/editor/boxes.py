"""The editor's own boxes: a title that never widens the panel, the notes box, the line items table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSizePolicy, QTableView


class NotesBox(QPlainTextEdit):
    """The user's own words about a document (what it was for, who paid); saved when they move on."""

    left = Signal(str)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.left.emit(self.toPlainText().strip())


class ElidedLabel(QLabel):
    """One line that never widens its panel: a long file name ends in "…", the whole of it on hover."""

    def __init__(self, mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle) -> None:
        super().__init__()
        self._full = ""
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(10, self.width() - 4)
        super().setText(self.fontMetrics().elidedText(self._full, self._mode, width))


class LineItemsTable(QTableView):
    """The line items; Delete clears the chosen cells (never the document), the context menu edits rows."""

    clear_cells = Signal(list)  # [QModelIndex]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            chosen = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
            if chosen:
                self.clear_cells.emit(chosen)
                event.accept()
                return
        super().keyPressEvent(event)
