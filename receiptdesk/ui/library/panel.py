"""The library list with its search box, and the empty state that invites the first drop."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.store.listing import SortBy
from receiptdesk.store.records import DocumentSummary
from receiptdesk.ui import theme
from receiptdesk.ui.library.columns import ColumnFit
from receiptdesk.ui.library.header import ListHeader
from receiptdesk.ui.library.model import SORTS, DocumentListModel, ListView

EMPTY_TEXT = "<p>No documents yet: drop receipts onto the window.</p>"
NO_MATCH_TEXT = "<p style='font-size:12pt'>Nothing matches “{}”.</p><p>Try fewer or shorter words.</p>"
# An empty Trash or filters that match nothing are not an empty library: said so, with the way back.
EMPTY_TRASH_TEXT = "<p style='font-size:12pt'>The Trash is empty.</p><p>Back to the library shows your documents.</p>"
NO_FILTER_MATCH_TEXT = (
    "<p style='font-size:12pt'>Nothing matches the filters.</p><p>Clear filters shows every document.</p>"
)
SEARCH_DELAY_MS = 200


class LibraryPanel(QWidget):
    selection_changed = Signal(list)  # document ids, in list order
    search_changed = Signal(str)
    trash_toggled = Signal(bool)  # the Trash is shown instead of the library

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(self)  # deleted with the list, on the GUI thread

        self.search = QLineEdit(placeholderText="Search vendor, items, notes…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the library")
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(lambda: self.search_changed.emit(self.search.text().strip()))
        self.search.textChanged.connect(lambda _: self._debounce.start())
        clear = QAction("Clear the search", self.search)  # Escape, as in a browser's or a file manager's search
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.search.clear)
        self.search.addAction(clear)

        self.trash_button = QToolButton()
        self.trash_button.setText("Trash")
        self.trash_button.setCheckable(True)
        self.trash_button.setAccessibleName("Show the Trash")
        self.trash_button.setToolTip("Documents moved to the Trash, which can be restored until it is emptied")
        self.trash_button.toggled.connect(self.trash_toggled)

        self.table = QTableView()
        self.table.setAccessibleName("Library")
        self.table.setTabKeyNavigation(False)  # Tab moves on to the page and the values
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.setHorizontalHeader(ListHeader(self.table))  # paints at once with every document chosen
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        theme.follow(self.table, self.table.viewport().update)  # the status colours are the theme's
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)  # rows are one line: a long vendor ends "Timeless Kitche…", not "Timeless …"
        # Fixed row heights: nothing is measured per row, at any size of library.
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        self.columns = ColumnFit(self.table)  # the columns fit the list's width, the vendor taking the rest
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._emit_selection())

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("emptyLibrary")
        theme.style_sheet(
            self.empty, "#emptyLibrary {{ border: 2px dashed {DROP_BORDER}; border-radius: 12px; padding: 24px; }}"
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.trash_button)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self._show_empty(True)

    def add_above_list(self, widget: QWidget) -> None:
        """A bar right over the list (the Trash's), under the search and the filters."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.stack), widget)

    def show_sort(self, sort: SortBy, descending: bool) -> None:
        """Put the header's arrow where the list's order is (without asking for a new order)."""
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(SORTS.index(sort), order)
        header.blockSignals(False)

    def set_documents(self, rows: list[DocumentSummary]) -> None:
        self.set_view(ListView.of([s.id for s in rows], {s.id: s for s in rows}))

    def set_view(self, view: ListView, ticket: int | None = None, *, filtered: bool = False) -> None:
        """A new list from the library (narrowed by filters or not); the selection stays on the same documents."""
        keep = self.selected_ids()
        self.table.selectionModel().blockSignals(True)
        self.model.set_view(view, ticket)
        self.table.selectionModel().blockSignals(False)
        self._show_empty(not view.ids, filtered=filtered)
        if keep:
            self.select(keep, notify=False)
        if keep != self.selected_ids():
            self._emit_selection()

    def _show_empty(self, empty: bool, *, filtered: bool = False) -> None:
        query = self.search.text().strip()
        if query:
            text = NO_MATCH_TEXT.format(escape(query))
        elif filtered:
            text = NO_FILTER_MATCH_TEXT
        elif self.trash_button.isChecked():
            text = EMPTY_TRASH_TEXT
        else:
            text = EMPTY_TEXT
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty if empty else self.table)

    def selected_ids(self) -> list[int]:
        """The chosen documents in list order, from the selection's ranges (not an index per row and column:
        choosing all of 100,000 documents stays quick)."""
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for n in range(selection.count()):
            r = selection.at(n)
            rows.update(range(r.top(), r.bottom() + 1))
        ids = self.model.ids()
        return [ids[r] for r in sorted(rows) if r < len(ids)]

    def select(self, doc_ids: list[int], *, notify: bool = True) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        selection.clearSelection()
        first = None
        for doc_id in doc_ids:
            row = self.model.row_of(doc_id)
            if row is None:
                continue
            index = self.model.index(row, 0)
            last = self.model.index(row, self.model.columnCount() - 1)
            selection.select(QItemSelection(index, last), QItemSelectionModel.SelectionFlag.Select)
            first = first or index
        if first is not None:
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)
        selection.blockSignals(False)
        if notify:
            self._emit_selection()

    def select_step(self, step: int) -> None:
        """The next (1) or previous (-1) document in the list's order, from wherever the user is."""
        ids = self.model.ids()
        if not ids:
            return
        current = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
        row = min(max(current + step, 0), len(ids) - 1) if current >= 0 else 0
        self.select([ids[row]])

    def select_next_of(self, wanted: set[int]) -> bool:
        """The next document after the current one (wrapping round) that is in `wanted`."""
        ids = self.model.ids()
        start = self.table.currentIndex().row() + 1 if self.table.currentIndex().isValid() else 0
        for row in (*range(start, len(ids)), *range(0, start)):
            if ids[row] in wanted:
                self.select([ids[row]])
                return True
        return False

    def _emit_selection(self) -> None:
        self.selection_changed.emit(self.selected_ids())
