"""Two documents that may be one receipt, side by side: keep both, or move one to the Trash."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QPushButton, QWidget

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.store.records import DocumentSummary
from receiptdesk.ui.desk_views import ShownPage
from receiptdesk.ui.library.model import date_text, total_text

PREVIEW_SIDE = 420

Render = Callable[[DocumentSummary, int, Callable[[ShownPage], None], Callable[[ReceiptDeskError], None]], None]


class DuplicateDialog(QDialog):
    keep_both = Signal(list)  # both ids
    trash = Signal(int)  # the one to move to the Trash

    def __init__(self, first: DocumentSummary, second: DocumentSummary, render: Render, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Possible duplicate")
        grid = QGridLayout(self)
        intro = QLabel(
            f"“{second.file_name}” may be the same receipt as “{first.file_name}”: "
            "same vendor, date and total, or a first page that looks the same."
        )
        intro.setWordWrap(True)
        grid.addWidget(intro, 0, 0, 1, 2)
        self.pictures: list[QLabel] = []
        self.trash_buttons: list[QPushButton] = []
        for col, s in enumerate((first, second)):
            picture = QLabel("Drawing the page…")
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setMinimumSize(PREVIEW_SIDE // 2, PREVIEW_SIDE // 2)
            picture.setAccessibleName(f"First page of {s.file_name}")
            self.pictures.append(picture)
            facts = QLabel(
                f"<b>{s.vendor or s.file_name}</b><br>{date_text(s.date) or 'No date'} · {total_text(s) or 'No total'}"
                f"<br>{s.file_name}<br>Added {s.added_at[:10]}"
            )
            facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton("Move this one to the Trash")
            button.setAccessibleName(f"Move {s.file_name} to the Trash")
            button.clicked.connect(partial(self._trash, s.id))
            self.trash_buttons.append(button)
            grid.addWidget(picture, 1, col)
            grid.addWidget(facts, 2, col)
            grid.addWidget(button, 3, col)
            render(s, 1, partial(self._show, picture), partial(self._failed, picture))
        self.keep = QPushButton("Keep both")
        self.keep.setAccessibleName("Keep both documents")
        self.keep.clicked.connect(partial(self._keep, [first.id, second.id]))
        grid.addWidget(self.keep, 4, 0, 1, 2)

    def _keep(self, ids: list[int]) -> None:
        self.keep_both.emit(ids)
        self.accept()

    @staticmethod
    def _failed(label: QLabel, error: ReceiptDeskError) -> None:
        if shiboken6.isValid(label):
            label.setText(error.message)

    def _trash(self, doc_id: int) -> None:
        self.trash.emit(doc_id)
        self.accept()

    @staticmethod
    def _show(label: QLabel, page: ShownPage) -> None:
        if not shiboken6.isValid(label):
            return  # the dialog was closed before the page was drawn
        pixmap = QPixmap.fromImage(page.image).scaled(
            PREVIEW_SIDE, PREVIEW_SIDE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        label.setPixmap(pixmap)
