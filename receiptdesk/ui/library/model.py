"""The library list as a Qt model: a window onto the store's ordered ids, rows fetched as they show.

The model holds the view's ids in order (a list and an id -> row map, both made
off the GUI thread) and a bounded cache of the rows it has shown. A row not
cached yet is drawn as a placeholder while its page is asked for; the answer
fills it with one dataChanged. Sorting is asked of the store (`sort_requested`),
never done here, so a click on a header costs one indexed query at any size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from receiptdesk.core.review import NEEDS_REVIEW, REVIEWED
from receiptdesk.store.listing import SortBy
from receiptdesk.store.records import STATUS_LABELS, DocumentSummary, Status
from receiptdesk.ui import theme
from receiptdesk.ui.theme import Role

COLUMNS = ("Vendor", "Date", "Total", "Status", "Category")
SORTS = (SortBy.VENDOR, SortBy.DATE, SortBy.TOTAL, SortBy.STATUS)  # what each column sorts by
STATUS_COLUMN = 3
CATEGORY_COLUMN = 4
ID_ROLE = Qt.ItemDataRole.UserRole + 1

REVIEW_LABELS = {NEEDS_REVIEW: "Needs review", REVIEWED: "Reviewed ✓"}
PAGE = 200  # rows asked for at once when the view reaches rows not fetched yet
CACHE_LIMIT = 20_000  # rows kept; the oldest are dropped and fetched again if scrolled back to

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class ListView:
    """One answer of the store for the list: every id in order, and the first rows filled in."""

    ids: list[int]
    rows: dict[int, int]  # id -> row
    first: dict[int, DocumentSummary] = field(default_factory=dict)

    @classmethod
    def of(cls, ids: list[int], first: dict[int, DocumentSummary]) -> ListView:
        return cls(ids, {doc_id: row for row, doc_id in enumerate(ids)}, first)


def total_text(s: DocumentSummary) -> str:
    if not s.total:
        return ""
    return f"{s.total} {s.currency}" if s.currency else s.total


def category_text(s: DocumentSummary) -> str:
    """'Travel · client-x'; the reader's suggestion is marked with a question mark until the user confirms it."""
    category = f"{s.category}?" if s.category and s.category_suggested else s.category or ""
    return " · ".join(p for p in (category, *s.tags) if p)


def date_text(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso).strftime("%d %b %Y")
    except ValueError:
        return iso


class DocumentListModel(QAbstractTableModel):
    fetch_needed = Signal(list)  # ids whose rows the view is about to show
    sort_requested = Signal(object, bool)  # SortBy, descending

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = ListView([], {})
        self._cache: dict[int, DocumentSummary] = {}
        # The ticket of the query each cached row came from. Queries run in the order they are asked
        # (one thread), so a higher ticket is newer data: an older answer never overwrites a newer row.
        self._tickets: dict[int, int] = {}
        self._ticket = 0
        self._oldest = 0  # answers to queries asked before this ticket are stale (see forget_rows)
        self._asked: set[int] = set()  # ids fetched and not answered yet
        self._stale: set[int] = set()  # cached rows shown until a newer answer comes (see forget_rows)
        self._reading: dict[int, str] = {}  # document id -> progress text while being read
        self._wanted: set[int] = set()  # pages the view asked for since the last fetch went out
        self._ask = QTimer(self, singleShot=True, interval=0)  # one fetch per paint, not one per cell
        self._ask.timeout.connect(self._fetch)

    # ------------------------------------------------------------------ filling it
    def ticket(self) -> int:
        """A number for a query about to be asked of the store: its answer is as new as its ticket."""
        self._ticket += 1
        return self._ticket

    def set_view(self, view: ListView, ticket: int | None = None) -> None:
        """A new order or search: one reset; rows already cached stay, so nothing on screen flickers."""
        self.beginResetModel()
        self._view = view
        self._remember(view.first.values(), self.ticket() if ticket is None else ticket)
        self._asked.clear()
        self._wanted.clear()
        self.endResetModel()

    def set_documents(self, rows: Sequence[DocumentSummary]) -> None:
        """Rows already in hand, in order (small lists and tests)."""
        self.set_view(ListView.of([s.id for s in rows], {s.id: s for s in rows}))

    def forget_rows(self) -> None:
        """Many documents' values changed at once (the library read again): every row is asked for again as it
        is shown, and an answer to a query asked before now is not kept. Until its answer comes a row shows
        what it showed (not a blank list every few seconds while a long re-read runs)."""
        self._stale = set(self._cache)
        self._asked.clear()
        self._oldest = self.ticket()
        if self._view.ids:
            self._redraw([0, len(self._view.ids) - 1])

    def update_documents(self, rows: Iterable[DocumentSummary], ticket: int | None = None) -> None:
        """Documents whose values or status changed: only their rows are redrawn, in one update.
        Rows not in the list now are kept too, for when a newer list shows them."""
        kept = self._remember(rows, self.ticket() if ticket is None else ticket)
        self._redraw([r for i in kept if (r := self._view.rows.get(i)) is not None])

    def set_reading_many(self, texts: Mapping[int, str | None]) -> None:
        """Progress of documents being read; rows whose text did not change are left alone."""
        changed = []
        for doc_id, text in texts.items():
            if self._reading.get(doc_id) == text:
                continue
            if text is None:
                self._reading.pop(doc_id, None)
            else:
                self._reading[doc_id] = text
            if (row := self._view.rows.get(doc_id)) is not None:
                changed.append(row)
        self._redraw(changed, STATUS_COLUMN)

    def _redraw(self, rows: list[int], first_column: int = 0) -> None:
        if rows:
            self.dataChanged.emit(self.index(min(rows), first_column), self.index(max(rows), len(COLUMNS) - 1))

    def _remember(self, rows: Iterable[DocumentSummary], ticket: int) -> list[int]:
        kept = []
        for s in rows:
            self._asked.discard(s.id)
            if self._tickets.get(s.id, -1) > ticket or ticket < self._oldest:
                continue  # a newer answer about this document is already here
            self._cache.pop(s.id, None)  # re-inserted at the end: the newest are kept longest
            self._cache[s.id] = s
            self._tickets[s.id] = ticket
            self._stale.discard(s.id)
            kept.append(s.id)
        while len(self._cache) > CACHE_LIMIT:
            oldest = next(iter(self._cache))
            del self._cache[oldest]
            self._tickets.pop(oldest, None)
        return kept

    def fetched(self, rows: Mapping[int, DocumentSummary], asked: Sequence[int], ticket: int | None = None) -> None:
        """The answer to `fetch_needed`: fill the rows in; ids with no row were deleted meanwhile."""
        self._asked.difference_update(asked)
        kept = self._remember(rows.values(), self.ticket() if ticket is None else ticket)
        self._redraw([r for i in kept if (r := self._view.rows.get(i)) is not None])

    def _want(self, row: int) -> None:
        self._wanted.add(row // PAGE)
        if not self._ask.isActive():
            self._ask.start()

    def _fetch(self) -> None:
        ids: list[int] = []
        for page in sorted(self._wanted):
            chunk = self._view.ids[page * PAGE : (page + 1) * PAGE]
            ids.extend(i for i in chunk if (i not in self._cache or i in self._stale) and i not in self._asked)
        self._wanted.clear()
        if ids:
            self._asked.update(ids)
            self.fetch_needed.emit(ids)

    # ------------------------------------------------------------------ reading it
    def reading_ids(self) -> list[int]:
        return list(self._reading)

    def ids(self) -> list[int]:
        return self._view.ids

    def row_of(self, doc_id: int) -> int | None:
        return self._view.rows.get(doc_id)

    def id_at(self, row: int) -> int:
        return self._view.ids[row]

    def summary(self, row: int) -> DocumentSummary | None:
        """The row's document, or None while it is being fetched."""
        return self._cache.get(self._view.ids[row])

    def cached(self, doc_id: int) -> DocumentSummary | None:
        return self._cache.get(doc_id)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A click on a header: the store sorts (the view only shows the indicator)."""
        if 0 <= column < len(SORTS):
            self.sort_requested.emit(SORTS[column], order == Qt.SortOrder.DescendingOrder)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._view.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._view.ids):
            return None
        doc_id = self._view.ids[index.row()]
        if role == ID_ROLE:
            return doc_id
        s = self._cache.get(doc_id)
        col = index.column()
        if (s is None or doc_id in self._stale) and role == Qt.ItemDataRole.DisplayRole and doc_id not in self._asked:
            self._want(index.row())
        if s is None:
            return ("…" if col == 0 else "") if role == Qt.ItemDataRole.DisplayRole else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(s, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            # the vendor in full first: the column often has room for only part of it
            tip = f"{s.vendor}\n{s.file_name}" if s.vendor else s.file_name
            if s.error_message:
                tip += f"\n{s.error_message}"
            if s.duplicate_of is not None:
                tip += f"\nPossible duplicate of document {s.duplicate_of}"
            if s.category and s.category_suggested:
                tip += f"\nCategory {s.category} suggested from the vendor and items"
            return tip
        if role == Qt.ItemDataRole.ForegroundRole and col == STATUS_COLUMN:
            if s.status is Status.FAILED:
                return theme.colour(Role.ERROR)
            if s.status is Status.WAITING or (s.status is Status.OK and s.review == NEEDS_REVIEW):
                return theme.colour(Role.WARNING)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and not s.vendor:
            # the file name stands in for a vendor not read yet
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
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
        if col == CATEGORY_COLUMN:
            return category_text(s)
        reading = self._reading.get(s.id)
        if reading is not None:
            return reading
        if s.status is Status.OK and s.duplicate_of is not None:
            return "Possible duplicate"
        if s.status is Status.OK and s.review in REVIEW_LABELS:
            return REVIEW_LABELS[s.review]
        return STATUS_LABELS[s.status]
