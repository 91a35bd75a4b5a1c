"""The list's columns fit the list's width: no sideways scrolling to see a document's total or status.

The vendor takes the room left (its long names end in "…", the whole name on
hover); the date, total, status and category are as wide as what the rows on
screen show. When the pane is narrow (a 1024-pixel window leaves it about 300
pixels) the columns give way in turn, each to a width that still reads: the
category first, then the vendor to five letters, the status to "Needs…", the
date to "07 Dec…"; only then to a letter: the status, the date, the vendor
last (it names the document). The total is never cut (a cut amount reads as
another amount). A column the user widened or narrowed keeps the width they
gave it. Only the rows on screen are measured, so the list costs the same at
any size of library.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView

VENDOR, DATE, TOTAL, STATUS, CATEGORY = range(5)
PADDING = 16  # a cell's margins on both sides
MOST_ROWS = 200  # a tall screen's worth of rows
VENDOR_LETTERS = 9  # the vendor's room before the others give way: "Mega Mark…"


class ColumnFit(QObject):
    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.chosen: dict[int, int] = {}  # widths the user gave by dragging a column's edge
        self._fitting = False
        header = table.horizontalHeader()
        header.setSectionResizeMode(VENDOR, QHeaderView.ResizeMode.Stretch)
        for col in (DATE, TOTAL, STATUS, CATEGORY):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(table.fontMetrics().horizontalAdvance("M…") + PADDING // 2)  # "M…" at least
        header.sectionResized.connect(self._resized_by_user)
        self._soon = QTimer(self, singleShot=True, interval=30)  # rows come in pages: one fit per burst
        self._soon.timeout.connect(self.fit)
        model = table.model()
        for signal in (model.modelReset, model.dataChanged, model.rowsInserted, model.layoutChanged):
            signal.connect(self._soon.start)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    def _resized_by_user(self, col: int, _old: int, new: int) -> None:
        if not self._fitting and col != VENDOR:
            self.chosen[col] = new

    def wanted(self, col: int) -> int:
        """As wide as the column's title and what the rows on screen show in it."""
        if col in self.chosen:
            return self.chosen[col]
        metrics = self.table.fontMetrics()
        shown = (str(self.table.model().index(row, col).data() or "") for row in self.rows_on_screen())
        cells = max((metrics.horizontalAdvance(text) for text in shown), default=0) + PADDING
        return max(cells, self.table.horizontalHeader().sectionSizeHint(col))

    def rows_on_screen(self) -> range:
        table = self.table
        count = table.model().rowCount()
        top = max(0, table.rowAt(0))
        bottom = table.rowAt(table.viewport().height() - 1)
        return range(top, min(count, (bottom if bottom >= 0 else count - 1) + 1, top + MOST_ROWS))

    def give_way(self) -> list[tuple[int, int]]:
        """(column, the width it gives way to), in turn, while the list is too narrow for all."""
        metrics, least = self.table.fontMetrics(), self.table.horizontalHeader().minimumSectionSize()
        readable = [
            (CATEGORY, least),
            (VENDOR, metrics.averageCharWidth() * 5 + PADDING),
            (STATUS, metrics.horizontalAdvance("Needs…") + PADDING),
            (DATE, metrics.horizontalAdvance("07 Dec…") + PADDING),
        ]
        return [*readable, (STATUS, least), (DATE, least), (VENDOR, least)]

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        if room <= 0 or not self.table.isVisible():
            return
        widths = {col: self.wanted(col) for col in (DATE, TOTAL, STATUS, CATEGORY)}
        widths[VENDOR] = self.table.fontMetrics().averageCharWidth() * VENDOR_LETTERS + PADDING  # it takes the rest
        short = sum(widths.values()) - room
        for col, floor in self.give_way():
            if short <= 0:
                break
            if col not in self.chosen:
                give = min(short, max(0, widths[col] - floor))
                widths[col] -= give
                short -= give
        self._fitting = True
        try:
            for col, width in widths.items():
                if col != VENDOR and header.sectionSize(col) != width:
                    header.resizeSection(col, width)
        finally:
            self._fitting = False
