"""Edit the list of categories: add, rename (documents follow), remove (documents keep none)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.ui import theme


class CategoriesDialog(QDialog):
    added = Signal(str)
    renamed = Signal(str, str)  # old, new
    removed = Signal(str)

    def __init__(self, categories: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Categories")
        self.list = QListWidget()
        self.list.setAccessibleName("Categories")
        self.list.itemChanged.connect(self._edited)
        self.new_name = QLineEdit(placeholderText="New category")
        self.new_name.setAccessibleName("Name of a new category")
        self.add_button = QPushButton("Add")
        self.add_button.setAccessibleName("Add the new category")
        self.add_button.clicked.connect(self._add)
        self.new_name.returnPressed.connect(self._add)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the chosen category")
        self.remove_button.clicked.connect(self._remove)
        note = QLabel("Double-click a name to rename it; its documents follow. Removing a category leaves its "
                      "documents without one.")  # fmt: skip
        note.setWordWrap(True)
        self.problem = QLabel()
        theme.style_sheet(self.problem, "color: {ERROR};")
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.problem)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.set_categories(categories)

    def set_categories(self, categories: Sequence[str]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for name in categories:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def _names(self) -> set[str]:
        return {str(self.list.item(i).data(Qt.ItemDataRole.UserRole)).casefold() for i in range(self.list.count())}

    def _add(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            return
        if name.casefold() in self._names():
            self.problem.setText(f"There is a category “{name}” already.")
            return
        self.problem.clear()
        self.added.emit(name)
        self.new_name.clear()

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.removed.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _edited(self, item: QListWidgetItem) -> None:
        old, new = str(item.data(Qt.ItemDataRole.UserRole)), item.text().strip()
        taken = new.casefold() != old.casefold() and new.casefold() in self._names()
        if not new or taken:
            self.problem.setText(f"There is a category “{new}” already." if taken else "A category needs a name.")
            self.list.blockSignals(True)
            item.setText(old)
            self.list.blockSignals(False)
            return
        self.problem.clear()
        if new != old:
            self.renamed.emit(old, new)
