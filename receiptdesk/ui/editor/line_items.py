"""Line items as an editable table: a thin model over the document's items."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.document import LineItem, Value, value_to_json
from receiptdesk.core.fields import LINE_ITEM_FIELDS, ValueKind
from receiptdesk.core.review import UNSURE
from receiptdesk.core.typed import NotUnderstood, read_typed
from receiptdesk.ui import theme
from receiptdesk.ui.theme import Role

COLUMNS = ("description", "quantity", "unit_price", "amount")
Index = QModelIndex | QPersistentModelIndex


def display(name: str, value: Value | None) -> str:
    """A quantity as written (2, 0.5); money with its cents (12.50)."""
    if isinstance(value, Decimal) and LINE_ITEM_FIELDS[name].kind is ValueKind.NUMBER:
        return format(value.normalize(), "f")
    return value_to_json(value) or ""


class LineItemsModel(QAbstractTableModel):
    edit_requested = Signal(str, object)  # "line_items.2.amount", the typed value
    refused = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[LineItem] = []
        self._failing: set[int] = set()  # rows whose quantity × price is not their amount
        self.date_order: DateOrder | None = None

    def set_items(self, items: list[LineItem], failing_rows: set[int] | None = None) -> None:
        """New values; with as many rows as before (an edit) the cells change in place, so the cell
        being edited and the one Tab moved to keep their editors."""
        same_shape = len(items) == len(self._items) and items
        if not same_shape:
            self.beginResetModel()
        self._items = list(items)
        self._failing = failing_rows or set()
        if same_shape:
            self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, len(COLUMNS) - 1))
        else:
            self.endResetModel()

    def items(self) -> list[LineItem]:
        return list(self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return LINE_ITEM_FIELDS[COLUMNS[section]].label
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def path(self, index: Index) -> str:
        return f"line_items.{index.row()}.{COLUMNS[index.column()]}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        name = COLUMNS[index.column()]
        f = item.fields.get(name)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return display(name, f.value) if f else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and name != "description":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.row() in self._failing and name in ("quantity", "unit_price", "amount"):
                return theme.colour(Role.WARNING_BACKGROUND)
            if f is not None and not f.empty and f.confidence < UNSURE and "edited" not in f.flags:
                return theme.colour(Role.ERROR_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole:
            row = item.fields.get("row")
            tip = [f"Printed: {row.text or row.value}"] if row and (row.text or row.value) else []
            if f is not None and not f.empty:
                tip.append("Changed by you" if "edited" in f.flags else f"{f.confidence * 100:.0f}% sure")
            return "\n".join(tip) or None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = str(value or "")
        if text.strip() == (self.data(index) or ""):
            return False
        try:
            typed = read_typed(COLUMNS[index.column()], text, line_item=True, order=self.date_order)
        except NotUnderstood as e:
            self.refused.emit(self.path(index), str(e))
            return False
        self.edit_requested.emit(self.path(index), typed)
        return True
