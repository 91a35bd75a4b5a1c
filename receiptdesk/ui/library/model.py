"""The library list as a Qt model: a thin adapter over the store's summaries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from receiptdesk.store.records import STATUS_LABELS, DocumentSummary, Status

COLUMNS = ("Vendor", "Date", "Total", "Status")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_STATUS_COLOURS = {Status.FAILED: QColor("#b3261e"), Status.WAITING: QColor("#8a5a00")}


def total_text(s: DocumentSummary) -> str:
    if not s.total:
        return ""
    return f"{s.total} {s.currency}" if s.currency else s.total


def date_text(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso).strftime("%d %b %Y")
    except ValueError:
        return iso


class DocumentListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DocumentSummary] = []
        self._reading: dict[int, str] = {}  # document id -> progress text while being read

    def set_documents(self, rows: Sequence[DocumentSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_document(self, summary: DocumentSummary) -> None:
        for row, old in enumerate(self._rows):
            if old.id == summary.id:
                self._rows[row] = summary
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return

    def set_reading(self, doc_id: int, text: str | None) -> None:
        if text is None:
            self._reading.pop(doc_id, None)
        else:
            self._reading[doc_id] = text
        row = self.row_of(doc_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 3), self.index(row, 3))

    def reading_ids(self) -> list[int]:
        return list(self._reading)

    def row_of(self, doc_id: int) -> int | None:
        return next((i for i, s in enumerate(self._rows) if s.id == doc_id), None)

    def summary(self, row: int) -> DocumentSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return s.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, col)
        if role == SORT_ROLE:
            return (s.vendor or s.file_name).lower() if col == 0 else s.date or "" if col == 1 else self._number(s)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = s.file_name
            if s.error_message:
                tip += f"\n{s.error_message}"
            return tip
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            return _STATUS_COLOURS.get(s.status)
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and not s.vendor:
            return QColor("#6b6b6b")  # the file name stands in for a vendor not read yet
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, s: DocumentSummary, col: int) -> str:
        if col == 0:
            return s.vendor or s.file_name
        if col == 1:
            return date_text(s.date)
        if col == 2:
            return total_text(s)
        reading = self._reading.get(s.id)
        return reading if reading is not None else STATUS_LABELS[s.status]

    @staticmethod
    def _number(s: DocumentSummary) -> float:
        try:
            return float(s.total) if s.total else float("-inf")
        except ValueError:
            return float("-inf")
