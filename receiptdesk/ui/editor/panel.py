"""Everything about one document beside its page: status, problems, checks, values, line items."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.core.document import Document
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.core.fields import FIELDS
from receiptdesk.core.review import NEEDS_REVIEW
from receiptdesk.store.records import STATUS_LABELS, DocumentRecord, Status
from receiptdesk.ui import theme
from receiptdesk.ui.editor.boxes import ElidedLabel, LineItemsTable, NotesBox
from receiptdesk.ui.editor.checks import ChecksLabel, WarningsLabel
from receiptdesk.ui.editor.fields import FieldsForm
from receiptdesk.ui.editor.line_items import COLUMNS, LineItemsModel
from receiptdesk.ui.editor.rows import RowOp, Rows
from receiptdesk.ui.errors import ProblemBanner
from receiptdesk.ui.library.model import REVIEW_LABELS

IN_TRASH = "In the Trash: restore it to edit."
# Boxes that only show a value look it: the window's ground, not a field to type in.
READ_ONLY_CSS = 'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] { background: palette(window); }'
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setStyleSheet("font-weight: bold; margin-top: 10px;")
    return label


def failing_rows(doc: Document) -> set[int]:
    rows = set()
    for check in doc.checks:
        if check.status != "ok":
            for name in check.fields:
                if name.startswith("line_items."):
                    rows.add(int(name.split(".")[1]))
    return rows


class EditorPanel(QWidget):
    field_focused = Signal(str)
    edit_requested = Signal(int, str, object)  # document id, field path, value
    revert_requested = Signal(str)  # a value's path: back to what was read
    rows_requested = Signal(int, str, str)  # document id, the rows after (as the store keeps them), the step's name
    notes_changed = Signal(int, str)  # document id, the notes as typed
    refused = Signal(str)  # why a typed value was not saved
    open_settings = Signal()
    retry = Signal(int)

    def __init__(self, provider_titles: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: DocumentRecord | None = None
        self._titles = provider_titles

        self.title = ElidedLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.subtitle = ElidedLabel(Qt.TextElideMode.ElideRight)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.banner = ProblemBanner()
        self.banner.open_settings.connect(self.open_settings)
        self.banner.retry.connect(lambda: self.record and self.retry.emit(self.record.id))

        self.warnings = WarningsLabel()
        self.checks = ChecksLabel()
        # Why the values cannot be changed (a document in the Trash), said once, over them.
        self.read_only_note = QLabel(wordWrap=True)
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setAccessibleName("Why the values cannot be changed")
        self.read_only_note.hide()
        self._read_only = False
        self.form = FieldsForm()
        self.form.revert_requested.connect(self.revert_requested)
        self.form.field_focused.connect(self.field_focused)
        self.form.edit_requested.connect(self._edit)
        self.form.refused.connect(lambda _, why: self.refused.emit(why))
        self.form.rebuilt.connect(self._order_tabs)

        self.items_model = LineItemsModel(self)  # deleted with the panel, on the GUI thread
        self.items_model.edit_requested.connect(self._edit)
        self.items_model.refused.connect(lambda _, why: self.refused.emit(why))
        self.items = LineItemsTable()
        self.items.setAccessibleName("Line items")
        self.items.setModel(self.items_model)
        self.items.clear_cells.connect(self._clear_cells)
        self.items.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.items.customContextMenuRequested.connect(self._items_menu)
        self.items.setEditTriggers(EDIT_TRIGGERS)
        self.items.setTabKeyNavigation(False)  # the arrows walk the cells; Tab moves on to the notes
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.items.verticalHeader().setDefaultSectionSize(22)
        self.items.setMinimumHeight(120)
        self.items.selectionModel().currentChanged.connect(self._item_focused)
        self.items_title = _section("Line items")

        body = QWidget()
        layout = QVBoxLayout(body)
        for w in (self.title, self.subtitle, self.progress, self.banner, self.read_only_note, self.warnings,
                  self.checks):  # fmt: skip
            layout.addWidget(w)
        self.values_title = _section("Values")
        layout.addWidget(self.values_title)
        layout.addWidget(self.form)
        self.add_value = QToolButton()
        self.add_value.setText("Add a value…")
        self.add_value.setAccessibleName("Add a value")
        self.add_value.setToolTip("Add a value that was not read: an invoice number, a due date…")
        self.add_value.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_value.setMenu(QMenu(self.add_value))
        self.add_value.menu().aboutToShow.connect(self._fill_add_menu)
        layout.addWidget(self.add_value)
        items_bar = QHBoxLayout()
        items_bar.addWidget(self.items_title, 1)
        self.add_row = QToolButton()
        self.add_row.setText("Add a line")
        self.add_row.setAccessibleName("Add a line item")
        self.add_row.clicked.connect(lambda: self._rows_op("add a line", lambda rows, r: rows.add(r)))
        items_bar.addWidget(self.add_row)
        layout.addLayout(items_bar)
        layout.addWidget(self.items, 1)
        self.notes = NotesBox()
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("Notes: what it was for, who paid, the project… (searchable)")
        self.notes.setMaximumHeight(80)
        self.notes.setTabChangesFocus(True)  # Tab moves on (a tab typed in a note helps no one)
        self.notes.left.connect(lambda text: self.record and self.notes_changed.emit(self.record.id, text))
        layout.addWidget(_section("Notes"))
        layout.addWidget(self.notes)
        layout.addStretch(0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own: it follows the focus inside
        scroll.setWidget(body)
        self.body = body
        self.placeholder = QLabel("The values read from the document you choose appear here.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.placeholder, 1)
        self._scroll = scroll
        self._style()
        self.clear()

    def _style(self) -> None:
        """Colours by the theme's roles; what is written in colours (the checks) is written again when the
        theme changes."""
        theme.style_sheet(self.subtitle, "color: {hint};")
        theme.style_sheet(self.placeholder, "color: {hint};")
        theme.style_sheet(
            self,
            READ_ONLY_CSS.replace("{", "{{").replace("}", "}}")
            + " #readOnlyNote {{ background: {NOTICE_BACKGROUND}; border: 1px solid {NOTICE_BORDER};"
            " border-radius: 6px; padding: 6px; }}",
        )
        theme.follow(self, self._redraw)

    def _redraw(self) -> None:
        doc = self.record.current if self.record is not None else None
        self.items.viewport().update()  # unsure cells are coloured by the theme
        self.warnings.show_warnings(doc)
        if doc is not None:
            self.checks.show_checks(doc, self.form.rows)

    def _order_tabs(self) -> None:
        """The value boxes are made anew for each set of values, so they joined the Tab order last (after
        the toolbar and the filters): put them back where they are shown, before Add a value."""
        chain: list[QWidget] = [self.banner.settings_button, self.banner.retry_button]  # made first: they stay
        chain += [r.edit for r in self.form.rows.values()]
        chain += [self.add_value, self.add_row, self.items, self.notes]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def clear(self, text: str | None = None) -> None:
        self.record = None
        self._scroll.hide()
        if text:
            self.placeholder.setText(text)
        self.placeholder.show()

    def show_record(self, record: DocumentRecord, reading: tuple[float, str] | None = None) -> None:
        same = self.record is not None and self.record.id == record.id
        self.record = record
        s = record.summary
        if not (same and self.notes.hasFocus()):
            self.notes.setPlainText(s.notes)
            self.notes.document().setModified(False)
        self.placeholder.hide()
        self._scroll.show()
        self.title.setText(s.vendor or s.file_name)
        doc = record.current
        parts = []
        if doc is not None:
            name, model = doc.provenance.provider, doc.provenance.model
            by = "read on this computer" if name == "local" else f"read by {self._titles.get(name, name)}"
            parts.append(f"{by} ({model})" if model and name != "local" else by)
        if s.page_count:
            parts.append(f"{s.page_count} page{'s' if s.page_count != 1 else ''}")
        # the review mark as the list says it (the reader's doubt stays "Needs review" until marked)
        review = s.review or (NEEDS_REVIEW if doc is not None and doc.needs_review else None)
        marked = s.status is Status.OK and review in REVIEW_LABELS
        parts.append(REVIEW_LABELS[review or ""] if marked else STATUS_LABELS[s.status])
        if s.vendor:  # last: a long file name gives way, the state stays in sight
            parts.append(s.file_name)
        self.subtitle.setText(" · ".join(parts))
        self._read_only = s.in_trash  # its values are shown, not changed, until it is restored
        self.read_only_note.setText(IN_TRASH)
        self.read_only_note.setVisible(self._read_only)
        self.set_reading(reading)
        error = ReceiptDeskError(ErrorKind(s.error_kind), s.error_message or "") if s.error_kind else None
        self.banner.set_problem(error, waiting=s.status is Status.WAITING)
        again = error is not None and error.kind is not ErrorKind.BAD_DOCUMENT and not self._read_only
        self.banner.retry_button.setVisible(again)  # a document in the Trash is not read again: restored first
        has_values = doc is not None
        for w in (self.form, self.checks, self.values_title):
            w.setVisible(has_values)
        for button in (self.add_value, self.add_row):
            button.setVisible(has_values and not self._read_only)
        self.form.set_read_only(self._read_only)
        self.notes.setReadOnly(self._read_only)
        self.warnings.show_warnings(doc)
        if doc is None:
            self.items_title.hide()
            self.items.hide()
            return
        if not same:
            self.form.added.clear()
        self.form.show_document(doc, record.edits, record.history)
        self.checks.show_checks(doc, self.form.rows)
        self.items_model.set_items(doc.line_items, failing_rows(doc))
        self.items_title.setText(f"Line items ({len(doc.line_items)})" if doc.line_items else "Line items: none found")
        self.items_title.show()
        self.items.setVisible(bool(doc.line_items))

    def set_reading(self, reading: tuple[float, str] | None) -> None:
        # Rows are numbered by the reading: while a new one comes, line items wait to be edited.
        fixed = reading is not None or self._read_only
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if fixed else EDIT_TRIGGERS)
        if reading is None:
            self.progress.hide()
            return
        fraction, text = reading
        self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(f"{text or 'Reading'} – %p%")
        self.progress.show()

    def _item_focused(self, index: QModelIndex) -> None:
        if index.isValid():
            self.field_focused.emit(self.items_model.path(index))

    def _fill_add_menu(self) -> None:
        menu = self.add_value.menu()
        menu.clear()
        record = self.record
        if record is None or record.current is None:
            return
        doc = record.current
        for name in self.form.missing(doc):
            action = menu.addAction(FIELDS[name].label)
            action.triggered.connect(lambda _=False, n=name: self._add_value(n))

    def _add_value(self, name: str) -> None:
        record = self.record
        if record is not None and record.current is not None:
            self.form.add(name, record.current, record.edits, record.history)

    def _clear_cells(self, cells: list[QModelIndex]) -> None:
        if self._read_only:
            return
        for index in cells:
            if index.isValid() and index.data():
                self._edit(self.items_model.path(index), None)

    def focus_item(self, path: str) -> None:
        """The line-item cell of a box chosen on the page."""
        _, row, name = path.split(".", 2)
        column = COLUMNS.index(name) if name in COLUMNS else 0
        index = self.items_model.index(int(row), column)
        if index.isValid():
            self.items.setFocus()
            self.items.setCurrentIndex(index)
            self.items.scrollTo(index)

    def _items_menu(self, where: QPoint) -> None:
        if self._read_only:
            return
        row = self.items.indexAt(where).row()
        count = self.items_model.rowCount()
        menu = QMenu(self)
        ops: list[tuple[str, RowOp, bool]] = [
            ("Add a line below", lambda rows, r: rows.add(r), True),
            ("Remove this line", lambda rows, r: rows.remove(r), row >= 0),
            ("Move up", lambda rows, r: rows.move(r, -1), row > 0),
            ("Move down", lambda rows, r: rows.move(r, 1), 0 <= row < count - 1),
            ("Split into two lines", lambda rows, r: rows.split(r), row >= 0),
            ("Merge with the line below", lambda rows, r: rows.merge(r), 0 <= row < count - 1),
        ]
        for text, op, enabled in ops:
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _=False, t=text, o=op: self._rows_op(t.lower(), o, row))
        menu.exec(self.items.viewport().mapToGlobal(where))
        menu.deleteLater()

    def _rows_op(self, text: str, op: RowOp, row: int = -1) -> None:
        """One change to the rows, as one step: the rows before and after, as the store keeps them."""
        record = self.record
        if record is None or record.current is None:
            return
        rows = Rows.of(record)
        op(rows, row if row >= 0 else len(rows.items) - 1)
        self.rows_requested.emit(record.id, rows.json(), text)

    def _edit(self, path: str, value: object) -> None:
        if self.record is not None:
            self.edit_requested.emit(self.record.id, path, value)
