"""The main window: the library, the page and the values side by side. It only wires.

Every action goes to the Desk (which runs it on a lane) and every answer
comes back as a signal or callback that updates a panel; errors are shown
by the one ErrorPresenter.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QDragEnterEvent, QDragLeaveEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
)

from receiptdesk import APP_NAME, __version__
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.services.paths import resources_dir
from receiptdesk.store.listing import ListQuery, SortBy
from receiptdesk.store.records import DocumentRecord
from receiptdesk.ui import theme
from receiptdesk.ui.accounts import SettingsState
from receiptdesk.ui.desk import Activity, Desk
from receiptdesk.ui.dialogs.settings import SettingsDialog
from receiptdesk.ui.editor.panel import EditorPanel
from receiptdesk.ui.errors import ErrorPresenter
from receiptdesk.ui.importing import Importing
from receiptdesk.ui.library.model import ListView
from receiptdesk.ui.library.order import LibraryOrder
from receiptdesk.ui.library.panel import LibraryPanel
from receiptdesk.ui.library.trash_bar import TrashBar
from receiptdesk.ui.library.welcome import WelcomePage
from receiptdesk.ui.menus import WindowActions
from receiptdesk.ui.reviewing import Reviewing
from receiptdesk.ui.undo import Changes
from receiptdesk.ui.viewer.panel import ViewerPanel

# The panes' widths in a new window of 1320 pixels: the list, the page, the values. The list is wide
# enough for its five columns to leave the vendor a name's worth of room (at 440 it had 58 pixels).
PANES = (500, 440, 380)


def dropped_paths(urls: list[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, log_file: Path | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.errors = ErrorPresenter(self, log_file)
        self.settings_tab: str | None = None  # the tab a message about a service's keys points to
        self.errors.open_settings.connect(lambda: self.open_settings(self.settings_tab))
        self.settings_dialog: SettingsDialog | None = None
        self._current: int | None = None  # the document shown in the viewer and editor
        self.query = ListQuery()
        self._asked = 0  # the newest list asked for: older answers are dropped
        self.to_select: list[int] = []  # documents to choose once a list shows them
        self._changed: set[int] = set()  # documents whose rows are fetched again at the next tick
        self._refresh = QTimer(self, singleShot=True, interval=50)
        self._refresh.timeout.connect(self._refresh_changed)

        self.library = LibraryPanel()
        self.viewer = ViewerPanel(desk.render, desk.thumbnail)
        self.editor = EditorPanel({i.name: i.title for i in desk.services.providers.infos()})
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for w, stretch in ((self.library, 3), (self.viewer, 5), (self.editor, 4)):
            splitter.addWidget(w)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        splitter.setChildrenCollapsible(False)
        self.library.setMinimumWidth(240)
        # The page pane is as narrow as its bar of controls allows (about 400 pixels), no narrower: at 280
        # a 1024-pixel window cut "Page 1 of 1" to "Page" and Width to "…".
        self.editor.setMinimumWidth(320)
        splitter.setSizes(list(PANES))
        self.splitter = splitter
        self.welcome = WelcomePage()
        self.welcome.import_clicked.connect(lambda: self.importing.choose_files())
        self.welcome.sample_clicked.connect(
            lambda: self.importing.import_files([resources_dir() / "samples" / "receipt.jpg"])
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(splitter)
        self.setCentralWidget(self.pages)

        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.progress.setMaximum(1000)
        self.progress.hide()
        self.cancel_button = QPushButton("Stop reading", flat=True)
        self.cancel_button.setAccessibleName("Stop reading all documents")
        self.cancel_button.clicked.connect(desk.cancel_reading)
        self.cancel_button.hide()
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)

        self.import_note: QLabel = QLabel()
        self.import_note.setAccessibleName("What the last import did")
        self.import_note.hide()
        self.statusBar().addWidget(self.import_note)
        self.importing: Importing = Importing(self)
        self.undo_stack = QUndoStack(self)
        self.changes: Changes = Changes(desk, self.undo_stack)
        self.reviewing: Reviewing = Reviewing(self)
        self.commands: WindowActions = WindowActions(self, self.undo_stack)
        self.library.table.addActions(self.commands.list_menu(in_trash=False))
        self.trash_bar = TrashBar(self.commands.restore, self.commands.empty_trash)
        self.trash_bar.back.clicked.connect(lambda: self.library.trash_button.setChecked(False))
        self.library.add_above_list(self.trash_bar)
        self.to_review = QLabel()
        self.to_review.setAccessibleName("Documents that need review")
        self.statusBar().addPermanentWidget(self.to_review)
        self.library.trash_toggled.connect(self._show_trash)
        self.library.selection_changed.connect(self._selected)
        self.library.search_changed.connect(self._searched)
        self.library.model.sort_requested.connect(self._sorted)
        self.library.model.fetch_needed.connect(self._fetch_rows)
        self.viewer.box_clicked.connect(self._box_clicked)
        self.viewer.turn_requested.connect(self._turn)
        self.viewer.read_again.connect(lambda doc_id: self.importing.read_again([doc_id], None))
        self.editor.field_focused.connect(self.viewer.highlight)
        self.editor.edit_requested.connect(self.reviewing.edit)
        self.editor.notes_changed.connect(self.reviewing.notes)
        self.editor.revert_requested.connect(self.reviewing.revert_path)
        self.editor.refused.connect(lambda why: self.statusBar().showMessage(why, 8000))
        self.editor.open_settings.connect(lambda: self.open_settings())
        self.editor.retry.connect(lambda doc_id: self.importing.read_again([doc_id], None))
        desk.documents_changed.connect(self.reload)
        desk.document_changed.connect(self._document_changed)
        desk.readings_changed.connect(self._readings_changed)
        desk.activity.connect(self._activity)
        desk.problem.connect(self.errors.show)
        desk.already_there.connect(self._already_there)
        self.editor.rows_requested.connect(self.reviewing.rows)
        self._restore_geometry()
        self._add_organize()
        self.reload()

    def _add_organize(self) -> None:
        """Filters, sums of the chosen, categories and tags, duplicates, and the export dialog (issue 13)."""
        self.order = LibraryOrder(self)

    # ------------------------------------------------------------------ the library
    def reload(self) -> None:
        """Ask the library for the list as the search and sort say; only the newest answer is shown."""
        self._asked += 1
        asked, ticket = self._asked, self.library.model.ticket()
        self.desk.list_view(self.query, lambda view: self._listed(view, ticket) if asked == self._asked else None)

    def _listed(self, view: ListView, ticket: int) -> None:
        narrowed = self.query.search or self.query.filters.active or self.query.trash
        self.pages.setCurrentWidget(self.welcome if not view.ids and not narrowed else self.splitter)
        self.library.set_view(view, ticket, filtered=bool(self.query.filters.active))
        if self.to_select and all(view.rows.get(i) is not None for i in self.to_select):
            chosen, self.to_select = self.to_select, []
            self.library.select(chosen)
        self._show_reading(self.desk.reading_ids())
        self._count_to_review()

    def _count_to_review(self) -> None:
        """How many wait for review, with the key to the next (F8): in the library, not in the Trash, where
        documents are restored before they are reviewed."""

        def counted(n: int) -> None:
            shown = n and not self.query.trash
            self.to_review.setText(f"{n} need{'s' if n == 1 else ''} review (F8)" if shown else "")

        if self.query.trash:
            self.to_review.setText("")
        else:
            self.desk.count_to_review(counted)

    def _show_reading(self, doc_ids: list[int]) -> None:
        """The status column of documents being read, in one update."""
        texts: dict[int, str | None] = {}
        for doc_id in doc_ids:
            state = self.desk.reading_state(doc_id)
            texts[doc_id] = f"{state[0] * 100:.0f}%" if state else None
        self.library.model.set_reading_many(texts)

    def _searched(self, text: str) -> None:
        self.query = replace(self.query, search=text)
        self.reload()

    def _sorted(self, sort: SortBy, descending: bool) -> None:
        self.query = replace(self.query, sort=sort, descending=descending)
        self.reload()

    def _fetch_rows(self, doc_ids: list[int]) -> None:
        ticket = self.library.model.ticket()
        self.desk.summaries(doc_ids, lambda rows: self.library.model.fetched(rows, doc_ids, ticket))

    def _selected(self, ids: list[int]) -> None:
        self.commands.enable_for(chosen=bool(ids), in_trash=self.query.trash)
        if len(ids) != 1:
            self._current = None
            many = f"{len(ids)} documents chosen." if ids else None
            self.viewer.show_message(many or "Choose a document in the list to see it here.")
            self.editor.clear(many or "The values read from the document you choose appear here.")
            return
        self._current = ids[0]
        self.desk.record(ids[0], self._show_record)

    def _show_record(self, record: DocumentRecord) -> None:
        if record.id != self._current:
            return  # the user has moved on
        order = self.desk.date_order()
        self.editor.form.date_order = self.editor.items_model.date_order = order
        self.editor.show_record(record, self.desk.reading_state(record.id))
        self.viewer.show_record(record)

    def _document_changed(self, doc_id: int) -> None:
        """One document's status or values changed: its row (and its page, if shown) follow, batched."""
        self._show_reading([doc_id])
        self._changed.add(doc_id)
        if not self._refresh.isActive():
            self._refresh.start()

    def _readings_changed(self) -> None:
        """Many documents read again at once: every row, the document shown and the sum are asked for again."""
        self.library.model.forget_rows()
        if self._current is not None:
            self.desk.record(self._current, self._show_record)
        self.order.chosen_changed()

    def _refresh_changed(self) -> None:
        changed, self._changed = self._changed, set()
        if changed:  # rows not in the list yet are kept too: a list asked for earlier may show them
            model, ticket = self.library.model, self.library.model.ticket()
            self.desk.summaries(list(changed), lambda rows: model.update_documents(rows.values(), ticket))
            self._count_to_review()
        if self._current in changed:
            self.desk.record(self._current, self._show_record)

    def _activity(self, activity: Activity) -> None:
        self.progress.setVisible(activity.busy)
        self.cancel_button.setVisible(activity.busy)
        self.progress.setValue(round(activity.fraction * 1000))
        self.status.setText(activity.text)
        if self._current is not None:
            self.editor.set_reading(self.desk.reading_state(self._current))
        self._show_reading(self.library.model.reading_ids())

    def _show_trash(self, on: bool) -> None:
        self.query = replace(self.query, trash=on)
        table = self.library.table
        for a in table.actions():
            table.removeAction(a)
        table.addActions(self.commands.list_menu(in_trash=on))
        self.trash_bar.setVisible(on)
        self.commands.enable_for(chosen=bool(self.library.selected_ids()), in_trash=on)
        self.reload()

    def show_whole_library(self) -> None:
        """No search, no filters, not the Trash: every document (after an import the narrowed list hid)."""
        search = self.library.search
        search.blockSignals(True)  # one list asked for below, not one per cleared box
        search.clear()
        search.blockSignals(False)
        self.order.filter_bar.blockSignals(True)
        self.order.filter_bar.reset()
        self.order.filter_bar.blockSignals(False)
        self.library.trash_button.setChecked(False)
        self.query = replace(self.query, search="", filters=self.order.filter_bar.filters(), trash=False)
        self.reload()

    def _already_there(self, doc_id: int, name: str) -> None:
        """The same bytes were dropped before: show the one the library has rather than a copy."""
        self.statusBar().showMessage(f"{name} is already in the library: it is the document chosen now.", 10_000)
        self.importing.select_listed([doc_id])  # once listed: a search hiding it is cleared at the import's end

    def _box_clicked(self, name: str) -> None:
        """A box on the page chosen: its value (or its line item's cell) is where the cursor goes."""
        self.viewer.highlight(name)
        if name.startswith("line_items."):
            self.editor.focus_item(name)
        else:
            self.editor.form.focus_field(name)

    def _turn(self, doc_id: int, quarter_turns: int) -> None:
        record = self.editor.record
        before = record.summary.rotation if record is not None and record.id == doc_id else 0
        if not self.reviewing.refused_in_trash(doc_id):
            self.changes.turn(doc_id, before, quarter_turns)

    # ------------------------------------------------------------------ commands
    def open_settings(self, tab: str | None = None) -> None:
        def opened(state: SettingsState) -> None:
            accounts = self.desk.accounts
            dialog = SettingsDialog(
                self.desk.services.settings, state.stored_keys, state.keyring_problem, state.usage,
                accounts.save, accounts.test_connection, self,
            )  # fmt: skip
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            if tab:
                dialog.show_tab(tab)
            elif self._current is not None and self.editor.record is not None:
                s = self.editor.record.summary
                if s.error_kind in (ErrorKind.CREDENTIALS, ErrorKind.SETTINGS) and s.provider:
                    dialog.show_tab(s.provider)
            self.settings_dialog = dialog
            dialog.finished.connect(lambda _: setattr(self, "settings_dialog", None))
            changed = dialog.changed_reading  # asked as it closes, saved
            dialog.finished.connect(lambda _: self.reviewing.offer_reading_again() if changed() else None)
            dialog.open()

        self.desk.accounts.state(opened)

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.desk.services.paths.data)))

    def show_keys(self) -> None:
        rows = "".join(f"<tr><td>{what}</td><td><b>{keys}</b></td></tr>" for what, keys in self.commands.shortcuts())
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", f"<table cellpadding=3>{rows}</table>",
                          QMessageBox.StandardButton.Close, self)  # fmt: skip
        box.setObjectName("keyboardShortcuts")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def about(self) -> None:
        paths = self.desk.services.paths
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME} {__version__}</b><p>Receipts and invoices, read and checked on your own computer.</p>"
            f"<p>Library: {paths.data}<br>Log: {self.desk.services.log_file or '-'}</p>",
        )

    def show_problem(self, error: ReceiptDeskError) -> None:
        self.errors.show(error)

    # ------------------------------------------------------------------ drag and drop, closing
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event.mimeData().urls()):
            event.acceptProposedAction()
            self._drop_highlight(True)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._drop_highlight(False)
        super().dragLeaveEvent(event)

    def _drop_highlight(self, on: bool) -> None:
        """Where the files will go lights up: the welcome frame, or the list."""
        self.welcome.show_drop(on)
        self.library.table.setProperty("dropping", on)
        theme.style_sheet(self.library.table, "QTableView {{ border: 2px solid {DROP_HIGHLIGHT}; }}" if on else "")

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if dropped_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self._drop_highlight(False)
        paths = dropped_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.importing.import_files(paths)

    def _window_state(self) -> QSettings:
        """Where the window was and how big (not a setting: Qt's own file beside settings.json)."""
        path = self.desk.services.paths.config / "window.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        state = self._window_state()
        stored = state.value("geometry")
        if stored is None or not self.restoreGeometry(stored):
            # as big as is comfortable, never more than the screen (a 1366x768 laptop included)
            screen = self.screen().availableGeometry()
            self.resize(min(1320, screen.width() - 40), min(820, screen.height() - 60))
        panes = state.value("panes")
        if panes is not None:
            self.splitter.restoreState(panes)
        try:  # the list's order as the user left it
            sort = SortBy(str(state.value("sort", SortBy.DATE.value)))
        except ValueError:
            sort = SortBy.DATE
        descending = str(state.value("descending", "true")).lower() == "true"
        self.query = ListQuery("", sort, descending)
        self.library.show_sort(sort, descending)

    def closeEvent(self, event: QCloseEvent) -> None:
        state = self._window_state()
        state.setValue("geometry", self.saveGeometry())
        state.setValue("panes", self.splitter.saveState())
        state.setValue("sort", self.query.sort.value)
        state.setValue("descending", "true" if self.query.descending else "false")
        super().closeEvent(event)
