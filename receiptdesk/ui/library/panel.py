"""The library list with its search box, and the empty state that invites the first drop."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.store.records import DocumentSummary
from receiptdesk.ui.library.model import ID_ROLE, SORT_ROLE, DocumentListModel

EMPTY_TEXT = "<p>No documents yet: drop receipts onto the window.</p>"
NO_MATCH_TEXT = "<p style='font-size:12pt'>Nothing matches “{}”.</p><p>Try fewer or shorter words.</p>"
SEARCH_DELAY_MS = 200


class LibraryPanel(QWidget):
    selection_changed = Signal(list)  # document ids, in list order
    search_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel()
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self.model)
        self._proxy.setSortRole(SORT_ROLE)

        self.search = QLineEdit(placeholderText="Search vendor, items, notes…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the library")
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(lambda: self.search_changed.emit(self.search.text().strip()))
        self.search.textChanged.connect(lambda _: self._debounce.start())

        self.table = QTableView()
        self.table.setModel(self._proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the library's own order until a header is clicked
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._emit_selection())

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("emptyLibrary")
        self.empty.setStyleSheet("#emptyLibrary { border: 2px dashed #b0b0b0; border-radius: 12px; padding: 24px; }")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.stack, 1)
        self._show_empty(True)

    def set_documents(self, rows: list[DocumentSummary]) -> None:
        """New rows from the library; the selection stays on the same documents."""
        keep = self.selected_ids()
        self.table.selectionModel().blockSignals(True)
        self.model.set_documents(rows)
        self.table.selectionModel().blockSignals(False)
        self._show_empty(not rows)
        if keep:
            self.select(keep, notify=False)
        if keep != self.selected_ids():
            self._emit_selection()

    def _show_empty(self, empty: bool) -> None:
        query = self.search.text().strip()
        self.empty.setText(NO_MATCH_TEXT.format(query) if empty and query else EMPTY_TEXT)
        self.stack.setCurrentWidget(self.empty if empty else self.table)

    def selected_ids(self) -> list[int]:
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [int(i.data(ID_ROLE)) for i in rows]

    def select(self, doc_ids: list[int], *, notify: bool = True) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        selection.clearSelection()
        first = None
        for doc_id in doc_ids:
            row = self.model.row_of(doc_id)
            if row is None:
                continue
            index = self._proxy.mapFromSource(self.model.index(row, 0))
            last = self._proxy.index(index.row(), self._proxy.columnCount() - 1)
            selection.select(QItemSelection(index, last), QItemSelectionModel.SelectionFlag.Select)
            first = first or index
        if first is not None:
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)
        selection.blockSignals(False)
        if notify:
            self._emit_selection()

    def _emit_selection(self) -> None:
        self.selection_changed.emit(self.selected_ids())
