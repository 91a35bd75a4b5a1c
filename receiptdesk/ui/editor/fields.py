"""The document's values, one row each: what was read, how sure, what to check, what it was before.

Typing a value and pressing Enter (or leaving the box) asks for it to be
saved; what cannot be read as the field's kind is refused on the spot with
the reason, and Escape puts the saved value back.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.document import Document, Field, value_to_json
from receiptdesk.core.fields import FIELDS, KEY_FIELDS
from receiptdesk.core.review import SURE, UNSURE
from receiptdesk.core.typed import NotUnderstood, read_typed
from receiptdesk.store.records import Edit
from receiptdesk.ui import theme
from receiptdesk.ui.editor.checks import about_one_value
from receiptdesk.ui.theme import Role


def confidence_role(confidence: float) -> Role:
    return Role.OK if confidence >= SURE else Role.WARNING if confidence >= UNSURE else Role.ERROR


class FieldLine(QLineEdit):
    """A value box that says when it gains focus and puts the saved value back on Escape."""

    focused = Signal()
    revert = Signal()  # "Back to what was read", from its context menu

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.saved = ""
        self.edited = False

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu()
        menu.addSeparator()
        back = menu.addAction("Back to what was read")
        back.setEnabled(self.edited and not self.isReadOnly())
        back.triggered.connect(self.revert)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def event(self, event: QEvent) -> bool:
        """Ctrl+Z (Ctrl+Shift+Z) with no typing of its own to undo (redo) is Edit > Undo (Redo).

        A box always claims the keys, so right after Enter, with the value saved and the box's own
        history gone, Ctrl+Z did nothing at all instead of undoing the change just made.
        """
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            undo = event.matches(QKeySequence.StandardKey.Undo) and not self.isUndoAvailable()
            redo = event.matches(QKeySequence.StandardKey.Redo) and not self.isRedoAvailable()
            if undo or redo:
                event.ignore()  # not overridden: the window's shortcut runs
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text() != self.saved:
            self.setText(self.saved)
            theme.style_sheet(self, "")
            event.accept()
            return
        super().keyPressEvent(event)


@dataclass(slots=True)
class FieldRow:
    name: str
    label: QLabel
    edit: FieldLine
    confidence: QLabel
    note: QLabel


def notes_for(name: str, doc: Document, edits: dict[str, Edit]) -> tuple[list[str], bool]:
    """What to say under a value: its checks, its doubts, its value before the user's edit."""
    f = doc.fields.get(name)
    notes, warn = [], False
    for check in doc.checks:
        if check.status != "ok" and name in check.fields:
            warn = True
            if about_one_value(check) == name:  # said here only; a sum of several is said above the values
                notes.append(check.message)
    if f is not None and "ambiguous_date" in f.flags and not any("date" in n.lower() for n in notes):
        notes.append("This date reads two ways: check the day and the month.")
        warn = True
    if f is not None and "low_confidence" in f.flags:
        notes.append("Not sure this was read right.")
        warn = True
    if name in edits:
        before = edits[name].old_value
        notes.append(f"You changed this; it was read as “{before}”." if before else "You added this.")
    return notes, warn


class FieldsForm(QWidget):
    field_focused = Signal(str)
    edit_requested = Signal(str, object)  # field name, the typed value (Decimal, date, str or None)
    refused = Signal(str, str)  # field name, why the typed text was not saved
    revert_requested = Signal(str)  # field name: back to what was read
    rebuilt = Signal()  # new value boxes: the panel puts them in the Tab order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(1, 1)
        self.rows: dict[str, FieldRow] = {}
        self.date_order: DateOrder | None = None
        self.added: set[str] = set()  # values the user chose to add by hand (not read)
        self._history: list[Edit] = []
        self.read_only = False  # a document in the Trash: its values are shown, not changed

    def names(self, doc: Document) -> list[str]:
        present = [n for n in FIELDS if (n in doc.fields or n in self.added) and n not in KEY_FIELDS]
        return [*KEY_FIELDS, "currency", *present]

    def missing(self, doc: Document) -> list[str]:
        """Values that could be added by hand: every canonical one not shown yet."""
        shown = set(self.names(doc))
        return [n for n in FIELDS if n not in shown]

    def add(self, name: str, doc: Document, edits: dict[str, Edit], history: list[Edit]) -> None:
        self.added.add(name)
        self.show_document(doc, edits, history)
        self.focus_field(name)

    def show_document(self, doc: Document, edits: dict[str, Edit], history: list[Edit] | None = None) -> None:
        self._history = history or []
        names = self.names(doc)
        if names != list(self.rows):
            self._build(names)
        for name in names:
            self._fill(self.rows[name], doc, edits)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for row in self.rows.values():
            row.edit.setReadOnly(read_only)

    def focused_name(self) -> str | None:
        return next((r.name for r in self.rows.values() if r.edit.hasFocus()), None)

    def _build(self, names: list[str]) -> None:
        focused = next((r.name for r in self.rows.values() if r.edit.hasFocus()), None)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.deleteLater()
        self.rows.clear()
        for i, name in enumerate(names):
            label = QLabel(FIELDS[name].label if name in FIELDS else "Currency")
            edit = FieldLine(name)
            edit.setReadOnly(self.read_only)
            edit.setAccessibleName(label.text())
            label.setBuddy(edit)
            confidence = QLabel()
            confidence.setAccessibleName(f"How sure: {label.text()}")
            confidence.setMinimumWidth(36)
            confidence.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            note = QLabel(wordWrap=True)
            note.setAccessibleName(f"About {label.text()}")  # "About Date": what is to check in that value
            note.setStyleSheet("font-size: 9pt;")
            note.hide()
            row = FieldRow(name, label, edit, confidence, note)
            edit.focused.connect(lambda n=name: self.field_focused.emit(n))
            edit.revert.connect(lambda n=name: self.revert_requested.emit(n))
            edit.editingFinished.connect(lambda r=row: self._typed(r))
            self.grid.addWidget(label, 2 * i, 0)
            self.grid.addWidget(edit, 2 * i, 1)
            self.grid.addWidget(confidence, 2 * i, 2)
            self.grid.addWidget(note, 2 * i + 1, 1, 1, 2)
            self.rows[name] = row
        if focused in self.rows:
            self.rows[focused].edit.setFocus()
        self.rebuilt.emit()

    def _fill(self, row: FieldRow, doc: Document, edits: dict[str, Edit]) -> None:
        if row.name == "currency":
            text, f = doc.currency or "", None
        else:
            f = doc.fields.get(row.name) or Field()
            text = value_to_json(f.value) or ""
        row.edit.saved = text
        row.edit.edited = row.name in edits
        if not row.edit.hasFocus() or not row.edit.isModified():
            row.edit.setText(text)
            theme.style_sheet(row.edit, "")
        row.edit.setPlaceholderText("not found" if not text else "")
        tips = [f"Printed as “{f.text}”"] if f is not None and f.text and f.text != text else []
        changes = [e for e in self._history if e.field == row.name]
        if changes:  # the value's history: what each change replaced, and when
            tips.append("History:")
            tips += [f"{e.edited_at[:16].replace('T', ' ')}: “{e.old_value or '—'}” → “{e.new_value or '—'}”"
                     for e in changes]  # fmt: skip
        row.edit.setToolTip("\n".join(tips))
        if f is not None and not f.empty and "edited" not in f.flags:
            row.confidence.setText(f"{f.confidence * 100:.0f}%")
            theme.style_sheet(row.confidence, f"color: {{{confidence_role(f.confidence).name}}};")
            row.confidence.setToolTip("How sure the reading is")
        else:
            row.confidence.setText("✎" if f is not None and "edited" in f.flags else "")
            theme.style_sheet(row.confidence, "")
            row.confidence.setToolTip("Changed by you" if row.confidence.text() else "")
        notes, warn = notes_for(row.name, doc, edits)
        row.note.setText("\n".join(notes))
        row.edit.setAccessibleDescription(" ".join(notes))  # a screen reader says it with the box
        theme.style_sheet(row.note, "font-size: 9pt; color: {WARNING};" if warn else "font-size: 9pt; color: {hint};")
        row.note.setVisible(bool(notes))
        row.label.setText(("⚠ " if warn else "") + (FIELDS[row.name].label if row.name in FIELDS else "Currency"))

    def _typed(self, row: FieldRow) -> None:
        text = row.edit.text().strip()
        if text == row.edit.saved:
            theme.style_sheet(row.edit, "")
            return
        try:
            value = read_typed(row.name, text, order=self.date_order)
        except NotUnderstood as e:
            theme.style_sheet(row.edit, "border: 2px solid {ERROR};")
            row.note.setText(str(e))
            theme.style_sheet(row.note, "font-size: 9pt; color: {ERROR};")
            row.note.show()
            self.refused.emit(row.name, str(e))
            return
        theme.style_sheet(row.edit, "")
        row.edit.setText(text)  # the box's own typing history ends here: Ctrl+Z now undoes the change
        self.edit_requested.emit(row.name, value)

    def focus_field(self, name: str) -> None:
        row = self.rows.get(name)
        if row is not None:
            row.edit.setFocus()
            row.edit.selectAll()
