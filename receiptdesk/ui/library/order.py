"""The window's parts for keeping order: filter bar, sums of the chosen, categories and tags, duplicates, export.

Built once by the main window (`_add_organize`) and wired to its library panel,
menus and status bar, so the window itself stays a thin list of connections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMenu, QMessageBox, QPushButton, QVBoxLayout, QWidget

from receiptdesk.services.exporter import ExportExists, Format
from receiptdesk.store import organize
from receiptdesk.store.filters import Filters
from receiptdesk.store.organize import Sums
from receiptdesk.store.records import DocumentSummary
from receiptdesk.ui.dialogs.categories import CategoriesDialog
from receiptdesk.ui.dialogs.duplicates import DuplicateDialog
from receiptdesk.ui.dialogs.export import ExportDialog
from receiptdesk.ui.errors import as_error
from receiptdesk.ui.library.filters import FilterBar
from receiptdesk.ui.library.model import date_text
from receiptdesk.ui.organize import Choices, ExportRequest, Organizer

if TYPE_CHECKING:
    from receiptdesk.ui.main_window import MainWindow

EXPORT_KEYS = QKeySequence("Ctrl+E")


class KeepShortcut(QObject):
    """Text boxes take Ctrl+E as 'end of line' before any shortcut sees it; in this window it is Export."""

    def __init__(self, window: QWidget, keys: QKeySequence) -> None:
        super().__init__(window)
        self.window = window
        self.keys = keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        pressed = QKeySequence(event.keyCombination())
        ours = isinstance(watched, QWidget) and watched.window() is self.window
        if ours and pressed.matches(self.keys) == QKeySequence.SequenceMatch.ExactMatch:
            event.ignore()  # not overridden: the export shortcut runs
            return True
        return False


class LibraryOrder(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.organizer = Organizer(window.desk)
        self.choices = Choices([], [], [])
        self._dialog: QWidget | None = None
        self._categories: CategoriesDialog | None = None
        self._sums_asked = 0

        providers = {i.name: i.title for i in window.desk.services.providers.infos()}
        self.filter_bar = FilterBar(providers)
        layout = window.library.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.filter_bar)  # under the search box
        self.filter_bar.filters_changed.connect(self._filtered)

        self.sums = QLabel()
        self.sums.setAccessibleName("Chosen documents and their sum")
        self.compare = QPushButton("Compare…", flat=True)
        self.compare.setAccessibleName("Compare with the document it may duplicate")
        self.compare.hide()
        self.compare.clicked.connect(self.open_duplicate)
        window.statusBar().addPermanentWidget(self.sums)
        window.statusBar().addPermanentWidget(self.compare)
        window.library.selection_changed.connect(self._selected)
        self._resum = QTimer(window, singleShot=True, interval=250)
        self._resum.timeout.connect(lambda: self._selected(self.window.library.selected_ids()))
        window.desk.document_changed.connect(self._document_changed)
        window.desk.documents_changed.connect(self.refresh_choices)

        export = window.commands.export
        export.setShortcut(EXPORT_KEYS)
        export.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        export.setStatusTip("Export the chosen documents, what the list shows, or everything")
        self.keep_shortcut = KeepShortcut(window, EXPORT_KEYS)
        QApplication.instance().installEventFilter(self.keep_shortcut)  # type: ignore[union-attr]

        self.category_menu = QMenu("&Category", window)
        self.category_menu.aboutToShow.connect(self._fill_category_menu)
        self.add_tag_action = QAction("Add &tag…", window)
        self.add_tag_action.triggered.connect(self.ask_tag)
        self.remove_tag_action = QAction("Remove ta&g…", window)
        self.remove_tag_action.triggered.connect(lambda: self.ask_tag(remove=True))
        self.duplicate_action = QAction("Compare with its possible &duplicate…", window)
        self.duplicate_action.triggered.connect(self.open_duplicate)
        doc_menu = next(
            m for a in window.menuBar().actions() if isinstance(m := a.menu(), QMenu) and a.text() == "&Document"
        )
        doc_menu.addSeparator()
        doc_menu.addMenu(self.category_menu)
        doc_menu.addActions([self.add_tag_action, self.remove_tag_action, self.duplicate_action])
        self._needs_selection = [self.category_menu.menuAction(), self.add_tag_action, self.remove_tag_action]
        for a in self._needs_selection:
            a.setEnabled(False)
        self.duplicate_action.setEnabled(False)
        self._duplicate: DocumentSummary | None = None
        self.refresh_choices()

    # ------------------------------------------------------------------ filters
    def _filtered(self, filters: Filters) -> None:
        self.window.query = replace(self.window.query, filters=filters)
        self.window.reload()

    def refresh_choices(self) -> None:
        def got(choices: Choices) -> None:
            self.choices = choices
            self.filter_bar.set_choices(choices.categories, choices.currencies, choices.tags)
            if self._categories is not None:
                self._categories.set_categories(choices.categories)

        self.organizer.choices(got)

    # ------------------------------------------------------------------ the chosen documents
    def _selected(self, ids: list[int]) -> None:
        for a in self._needs_selection:  # a document in the Trash keeps its category and tags until restored
            a.setEnabled(bool(ids) and not self.window.query.trash)
        self._sums_asked += 1
        asked = self._sums_asked
        self._duplicate = None
        self.compare.hide()
        self.duplicate_action.setEnabled(False)
        if not ids:
            self.sums.setText("")
            return
        everything = len(ids) == self.window.library.model.rowCount()  # the whole list: one query, no ids
        self.organizer.sums(
            ids,
            lambda sums: self._show_sums(sums) if asked == self._sums_asked else None,
            self.window.query if everything else None,
        )
        if len(ids) == 1:
            self.window.desk.summaries(ids, lambda rows: self._maybe_duplicate(rows.get(ids[0])))

    def chosen_changed(self) -> None:
        """The chosen documents' values may have changed: their sum is asked again (at most once a quarter second)."""
        if not self._resum.isActive():
            self._resum.start()

    def _document_changed(self, doc_id: int) -> None:
        """A chosen document was read or changed (a dropped file is chosen while it is read): its sum, and
        whether it may duplicate another, are asked again, at most once a quarter second however many of the
        chosen change (all 100,000 read again). A document not chosen costs one lookup."""
        row = self.window.library.model.row_of(doc_id)
        if row is not None and self.window.library.table.selectionModel().isRowSelected(row):
            self.chosen_changed()

    def _show_sums(self, sums: Sums) -> None:
        self.sums.setText(sums.text())

    def _maybe_duplicate(self, s: DocumentSummary | None) -> None:
        if s is None or s.duplicate_of is None or self.window.library.selected_ids() != [s.id]:
            return
        other_id = s.duplicate_of

        def got(rows: dict[int, DocumentSummary]) -> None:
            other = rows.get(other_id)
            if other is None or self.window.library.selected_ids() != [s.id]:
                return
            self._duplicate = s
            what = ", ".join(p for p in (other.vendor or other.file_name, date_text(other.date)) if p)
            self.compare.setText(f"Possible duplicate of {what}: compare…")
            self.compare.show()
            self.duplicate_action.setEnabled(True)

        self.window.desk.summaries([other_id], got)

    # ------------------------------------------------------------------ categories and tags
    def _fill_category_menu(self) -> None:
        menu = self.category_menu
        menu.clear()
        for name in self.choices.categories:
            menu.addAction(name, partial(self.set_category, name))
        menu.addSeparator()
        menu.addAction("New category…", self._new_category)
        menu.addAction("No category", lambda: self.set_category(None))
        menu.addSeparator()
        menu.addAction("Edit categories…", self.open_categories)

    def set_category(self, name: str | None) -> None:
        ids = self.window.library.selected_ids()
        if ids:
            self.organizer.set_category(ids, name)

    def _new_category(self) -> None:
        self._ask("New category", "Name of the category:", [], self.set_category)

    def open_categories(self) -> None:
        dialog = CategoriesDialog(self.choices.categories, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        edit = self.organizer.edit_categories
        dialog.added.connect(lambda name: edit(lambda db: organize.add_category(db, name)))
        dialog.renamed.connect(lambda old, new: edit(lambda db: organize.rename_category(db, old, new)))
        dialog.removed.connect(lambda name: edit(lambda db: organize.remove_category(db, name)))
        self._categories = dialog
        dialog.finished.connect(lambda _: setattr(self, "_categories", None))
        dialog.open()

    def ask_tag(self, remove: bool = False) -> None:
        ids = self.window.library.selected_ids()
        if not ids:
            return
        what = f"{len(ids)} document{'s' if len(ids) != 1 else ''}"
        if remove:
            self._ask("Remove tag", f"Tag to remove from {what}:", self.choices.tags, partial(self._tagged, ids, True))
        else:
            self._ask("Add tag", f"Tag for {what}:", self.choices.tags, partial(self._tagged, ids, False))

    def _ask(self, title: str, label: str, items: list[str], then: Callable[[str], None]) -> None:
        """A small question that does not block the window (the reading goes on meanwhile)."""
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        if items:
            dialog.setComboBoxItems(items)
            dialog.setComboBoxEditable(True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda text: then(text.strip()) if text.strip() else None)
        self._dialog = dialog
        dialog.finished.connect(lambda _: setattr(self, "_dialog", None))
        dialog.open()

    def _tagged(self, ids: list[int], remove: bool, tag: str) -> None:
        if remove:
            self.organizer.remove_tag(ids, tag)
        else:
            self.organizer.add_tag(ids, tag)

    # ------------------------------------------------------------------ duplicates
    def open_duplicate(self) -> None:
        s = self._duplicate
        if s is None or s.duplicate_of is None:
            return
        other_id = s.duplicate_of

        def got(rows: dict[int, DocumentSummary]) -> None:
            other = rows.get(other_id)
            if other is None:
                return
            dialog = DuplicateDialog(other, s, self.window.desk.render, self.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.keep_both.connect(self.organizer.keep_both)
            dialog.trash.connect(lambda i: self.organizer.trash([i]))
            self._dialog = dialog
            dialog.finished.connect(lambda _: setattr(self, "_dialog", None))
            dialog.open()

        self.window.desk.summaries([other_id], got)

    # ------------------------------------------------------------------ export
    def open_export(self) -> None:
        settings = self.window.desk.services.settings
        formats = [Format(f) for f in str(settings.get("export.formats")).split(",") if f in Format._value2member_map_]
        dialog = ExportDialog(
            self.window.library.selected_ids(), self.window.library.model.rowCount(), self.window.query,
            str(settings.get("export.folder")), formats, self.window,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.export_requested.connect(self.export)
        self._dialog = dialog
        dialog.finished.connect(lambda _: setattr(self, "_dialog", None))
        dialog.open()

    def export(self, request: ExportRequest) -> None:
        settings = self.window.desk.services.settings
        settings.set("export.folder", str(request.folder))
        settings.set("export.formats", ",".join(f.value for f in request.formats))
        desk = self.window.desk
        desk._submit("quick", lambda ctx: settings.save(), on_error=lambda e: desk.problem.emit(as_error(e)))
        self.window.status.setText("Exporting…")

        def done(written: list[Path]) -> None:
            self.window.status.setText("")
            self.window.statusBar().showMessage(
                f"Exported to {request.folder}: " + ", ".join(p.name for p in written), 15_000
            )

        self.organizer.export(request, done, lambda e: self._ask_replace(request, e))

    def _ask_replace(self, request: ExportRequest, exists: ExportExists) -> None:
        self.window.status.setText("")
        box = QMessageBox(QMessageBox.Icon.Question, "Replace the earlier export?", exists.message,
                          QMessageBox.StandardButton.Cancel, self.window)  # fmt: skip
        replace_button = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        replace_button.setAccessibleName("Replace the earlier export's files")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog = box
        replace_button.clicked.connect(partial(self.export, replace(request, replace=True)))
        box.open()
