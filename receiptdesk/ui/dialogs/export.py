"""The export dialog: which documents, in which formats, where, and whether to copy the originals.

It only gathers the choice (an ExportRequest) and says so with `export_requested`;
the window runs it. By default it exports what the list shows, or the documents
chosen when there are several: never silently just the one that is open.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.core.fields import document_count
from receiptdesk.services.exporter import Format, Originals
from receiptdesk.store.listing import ListQuery
from receiptdesk.ui.organize import ExportRequest

FORMAT_TITLES = {
    Format.CSV: "CSV (documents, and line items in a second file)",
    Format.XLSX: "Excel workbook (.xlsx), a sheet per table",
    Format.JSON: "JSON (every value, with the names programs use)",
}


class ExportDialog(QDialog):
    export_requested = Signal(object)  # ExportRequest

    def __init__(
        self,
        chosen: list[int],
        shown: int,
        query: ListQuery,
        folder: str,
        formats: list[Format],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._chosen = chosen
        self._query = query

        self.what_chosen = QRadioButton(f"The chosen documents ({document_count(len(chosen))})")
        self.what_shown = QRadioButton(f"What the list shows now ({document_count(shown)})")
        self.what_all = QRadioButton("Everything in the library")
        self.what = QButtonGroup(self)
        for b in (self.what_chosen, self.what_shown, self.what_all):
            b.setAccessibleName(b.text())
            self.what.addButton(b)
        self.what_chosen.setEnabled(bool(chosen))
        (self.what_chosen if len(chosen) > 1 else self.what_shown).setChecked(True)

        self.format_boxes: dict[Format, QCheckBox] = {}
        for f in Format:
            box = QCheckBox(FORMAT_TITLES[f])
            box.setAccessibleName(FORMAT_TITLES[f])
            box.setChecked(f in formats)
            box.toggled.connect(self._check)
            self.format_boxes[f] = box
        self.copy_originals = QCheckBox("Copy the original files, named by date and vendor")
        self.copy_originals.setAccessibleName("Copy the original files")
        self.originals_how = QComboBox()
        self.originals_how.setAccessibleName("Copy the originals into")
        self.originals_how.addItem("into a folder", Originals.FOLDER)
        self.originals_how.addItem("into a .zip file", Originals.ZIP)
        self.originals_how.setEnabled(False)
        self.copy_originals.toggled.connect(self.originals_how.setEnabled)
        self.copy_originals.toggled.connect(self._check)

        self.folder = QLineEdit(folder or str(Path.home()))
        self.folder.setAccessibleName("Export to folder")
        choose = QPushButton("Choose…")
        choose.setAccessibleName("Choose the folder to export to")
        choose.clicked.connect(self._choose_folder)
        self.name = QLineEdit(f"receipts-{date.today().isoformat()}")
        self.name.setAccessibleName("File name")
        self.name.textChanged.connect(self._check)
        self.folder.textChanged.connect(self._check)

        form = QFormLayout()
        what = QVBoxLayout()
        for b in (self.what_chosen, self.what_shown, self.what_all):
            what.addWidget(b)
        form.addRow("Export", what)
        formats_box = QVBoxLayout()
        for box in self.format_boxes.values():
            formats_box.addWidget(box)
        originals = QHBoxLayout()
        originals.addWidget(self.copy_originals)
        originals.addWidget(self.originals_how)
        formats_box.addLayout(originals)
        form.addRow("As", formats_box)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(choose)
        form.addRow("To folder", where)
        form.addRow("File name", self.name)
        self.note = QLabel("Files already there are never replaced without asking.")
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setAccessibleName("Export now")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._check()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def formats(self) -> tuple[Format, ...]:
        return tuple(f for f, box in self.format_boxes.items() if box.isChecked())

    def _check(self) -> None:
        something = bool(self.formats()) or self.copy_originals.isChecked()
        name = self.name.text().strip()
        ok = something and bool(name) and "/" not in name and "\\" not in name and bool(self.folder.text().strip())
        self.export_button.setEnabled(ok)

    def request(self) -> ExportRequest:
        ids: tuple[int, ...] | None = None
        query = self._query
        if self.what_chosen.isChecked():
            ids = tuple(self._chosen)
        elif self.what_all.isChecked():
            query = ListQuery(sort=self._query.sort, descending=self._query.descending)
        return ExportRequest(
            folder=Path(self.folder.text().strip()).expanduser(),
            stem=self.name.text().strip(),
            formats=self.formats(),
            originals=self.originals_how.currentData() if self.copy_originals.isChecked() else None,
            ids=ids,
            query=query,
        )

    def _accept(self) -> None:
        self.export_requested.emit(self.request())
        self.accept()
