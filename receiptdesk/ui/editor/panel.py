"""Everything about one document beside its page: status, problems, checks, values, line items."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.core.document import Document
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.store.records import STATUS_LABELS, DocumentRecord, Status
from receiptdesk.ui.editor.fields import FieldsForm
from receiptdesk.ui.editor.line_items import LineItemsModel
from receiptdesk.ui.errors import ProblemBanner

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


class NotesBox(QPlainTextEdit):
    """The user's own words about a document (what it was for, who paid); saved when they move on."""

    left = Signal(str)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.left.emit(self.toPlainText().strip())


class EditorPanel(QWidget):
    field_focused = Signal(str)
    edit_requested = Signal(int, str, object)  # document id, field path, value
    notes_changed = Signal(int, str)  # document id, the notes as typed
    refused = Signal(str)  # why a typed value was not saved
    open_settings = Signal()
    retry = Signal(int)

    def __init__(self, provider_titles: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: DocumentRecord | None = None
        self._titles = provider_titles

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.subtitle = QLabel(wordWrap=True)
        self.subtitle.setStyleSheet("color: #555;")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.banner = ProblemBanner()
        self.banner.open_settings.connect(self.open_settings)
        self.banner.retry.connect(lambda: self.record and self.retry.emit(self.record.id))

        # What the reader said about its own result (a page it could not read, an upload left in S3):
        # shown beside the values, so a partial reading is never taken for a whole one.
        self.warnings = QLabel(wordWrap=True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setAccessibleName("Warnings about this reading")
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings.setStyleSheet("background: #fff4e0; border: 1px solid #e0b060; padding: 6px;")
        self.checks = QLabel(wordWrap=True)
        self.checks.setTextFormat(Qt.TextFormat.RichText)
        self.checks.setAccessibleName("Checks of the amounts and dates")
        self.form = FieldsForm()
        self.form.field_focused.connect(self.field_focused)
        self.form.edit_requested.connect(self._edit)
        self.form.refused.connect(lambda _, why: self.refused.emit(why))

        self.items_model = LineItemsModel()
        self.items_model.edit_requested.connect(self._edit)
        self.items_model.refused.connect(lambda _, why: self.refused.emit(why))
        self.items = QTableView()
        self.items.setModel(self.items_model)
        self.items.setEditTriggers(EDIT_TRIGGERS)
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.items.verticalHeader().setDefaultSectionSize(22)
        self.items.setMinimumHeight(120)
        self.items.selectionModel().currentChanged.connect(self._item_focused)
        self.items_title = _section("Line items")

        body = QWidget()
        layout = QVBoxLayout(body)
        for w in (self.title, self.subtitle, self.progress, self.banner, self.warnings, self.checks):
            layout.addWidget(w)
        self.values_title = _section("Values")
        layout.addWidget(self.values_title)
        layout.addWidget(self.form)
        layout.addWidget(self.items_title)
        layout.addWidget(self.items, 1)
        self.notes = NotesBox()
        self.notes.setPlaceholderText("Notes: what it was for, who paid, the project… (searchable)")
        self.notes.setMaximumHeight(80)
        self.notes.left.connect(lambda text: self.record and self.notes_changed.emit(self.record.id, text))
        layout.addWidget(_section("Notes"))
        layout.addWidget(self.notes)
        layout.addStretch(0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.body = body
        self.placeholder = QLabel("The values read from the document you choose appear here.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #555;")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.placeholder, 1)
        self._scroll = scroll
        self.clear()

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
        parts = [s.file_name] if s.vendor else []
        if doc is not None:
            name, model = doc.provenance.provider, doc.provenance.model
            by = "read on this computer" if name == "local" else f"read by {self._titles.get(name, name)}"
            parts.append(f"{by} ({model})" if model and name != "local" else by)
        if s.page_count:
            parts.append(f"{s.page_count} page{'s' if s.page_count != 1 else ''}")
        parts.append(STATUS_LABELS[s.status])
        if doc is not None and doc.needs_review:
            parts.append("needs review")
        self.subtitle.setText(" · ".join(parts))
        self.set_reading(reading)
        error = ReceiptDeskError(ErrorKind(s.error_kind), s.error_message or "") if s.error_kind else None
        self.banner.set_problem(error, waiting=s.status is Status.WAITING)
        self.banner.retry_button.setVisible(error is not None and error.kind is not ErrorKind.BAD_DOCUMENT)
        has_values = doc is not None
        for w in (self.form, self.checks, self.values_title):
            w.setVisible(has_values)
        self._show_warnings(doc)
        if doc is None:
            self.items_title.hide()
            self.items.hide()
            return
        self.form.show_document(doc, record.edits)
        self._show_checks(doc)
        self.items_model.set_items(doc.line_items, failing_rows(doc))
        self.items_title.setText(f"Line items ({len(doc.line_items)})" if doc.line_items else "Line items: none found")
        self.items_title.show()
        self.items.setVisible(bool(doc.line_items))

    def set_reading(self, reading: tuple[float, str] | None) -> None:
        # Rows are numbered by the reading: while a new one comes, line items wait to be edited.
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if reading else EDIT_TRIGGERS)
        if reading is None:
            self.progress.hide()
            return
        fraction, text = reading
        self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(f"{text or 'Reading'} – %p%")
        self.progress.show()

    def _show_warnings(self, doc: Document | None) -> None:
        warnings = doc.warnings if doc is not None else []
        if warnings:
            lines = "".join(f"<li>{escape(w)}</li>" for w in warnings)
            title = "The reading is incomplete" if len(warnings) == 1 else f"{len(warnings)} warnings about the reading"
            self.warnings.setText(f"<b style='color:#8a5a00'>⚠ {title}</b><ul style='margin:0'>{lines}</ul>")
            self.warnings.setAccessibleDescription(" ".join(warnings))
        else:
            self.warnings.setText("")
            self.warnings.setAccessibleDescription("")
        self.warnings.setVisible(bool(warnings))

    def _show_checks(self, doc: Document) -> None:
        problems = [c for c in doc.checks if c.status != "ok"]
        if problems:
            lines = "".join(f"<li>{escape(c.message)}</li>" for c in problems)
            self.checks.setText(f"<b style='color:#8a5a00'>Worth a look</b><ul style='margin:0'>{lines}</ul>")
        elif doc.checks:
            self.checks.setText("<span style='color:#1e7b34'>✓ The amounts add up.</span>")
        else:
            self.checks.setText("")
        self.checks.setVisible(bool(doc.checks))

    def _item_focused(self, index: QModelIndex) -> None:
        if index.isValid():
            self.field_focused.emit(self.items_model.path(index))

    def _edit(self, path: str, value: object) -> None:
        if self.record is not None:
            self.edit_requested.emit(self.record.id, path, value)
