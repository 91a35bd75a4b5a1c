"""The main window: the library, the page and the values side by side. It only wires.

Every action goes to the Desk (which runs it on a lane) and every answer
comes back as a signal or callback that updates a panel; errors are shown
by the one ErrorPresenter.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
)

from receiptdesk import APP_NAME, __version__
from receiptdesk.core.document import Value
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.source import CHOOSABLE
from receiptdesk.services.paths import resources_dir
from receiptdesk.store.listing import ListQuery, SortBy
from receiptdesk.store.records import DocumentRecord
from receiptdesk.ui.accounts import CostEstimate, SettingsState
from receiptdesk.ui.desk import Activity, Desk
from receiptdesk.ui.dialogs.confirm import confirm_cost
from receiptdesk.ui.dialogs.settings import SettingsDialog
from receiptdesk.ui.editor.panel import EditorPanel
from receiptdesk.ui.errors import ErrorPresenter
from receiptdesk.ui.library.model import ListView
from receiptdesk.ui.library.order import LibraryOrder
from receiptdesk.ui.library.panel import LibraryPanel
from receiptdesk.ui.library.welcome import WelcomePage
from receiptdesk.ui.viewer.panel import ViewerPanel


def dropped_paths(urls: list[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, log_file: Path | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.errors = ErrorPresenter(self, log_file)
        self.errors.open_settings.connect(lambda: self.open_settings())
        self.settings_dialog: SettingsDialog | None = None
        self._current: int | None = None  # the document shown in the viewer and editor
        self._query = ListQuery()
        self._asked = 0  # the newest list asked for: older answers are dropped
        self._changed: set[int] = set()  # documents whose rows are fetched again at the next tick
        self._refresh = QTimer(self, singleShot=True, interval=50)
        self._refresh.timeout.connect(self._refresh_changed)

        self.library = LibraryPanel()
        self.viewer = ViewerPanel(desk.render)
        self.editor = EditorPanel({i.name: i.title for i in desk.services.providers.infos()})
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for w, stretch in ((self.library, 3), (self.viewer, 5), (self.editor, 4)):
            splitter.addWidget(w)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        splitter.setChildrenCollapsible(False)
        self.library.setMinimumWidth(240)
        self.viewer.setMinimumWidth(280)
        self.editor.setMinimumWidth(320)
        splitter.setSizes([340, 560, 420])
        self.splitter = splitter
        self.welcome = WelcomePage()
        self.welcome.import_clicked.connect(self.choose_files)
        self.welcome.sample_clicked.connect(lambda: self.import_files([resources_dir() / "samples" / "receipt.jpg"]))
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

        self._make_actions()
        self.library.selection_changed.connect(self._selected)
        self.library.search_changed.connect(self._searched)
        self.library.model.sort_requested.connect(self._sorted)
        self.library.model.fetch_needed.connect(self._fetch_rows)
        self.viewer.box_clicked.connect(self._box_clicked)
        self.editor.field_focused.connect(self.viewer.highlight)
        self.editor.edit_requested.connect(self._edit)
        self.editor.notes_changed.connect(desk.set_notes)
        self.editor.refused.connect(lambda why: self.statusBar().showMessage(why, 8000))
        self.editor.open_settings.connect(lambda: self.open_settings())
        self.editor.retry.connect(lambda doc_id: self._read_again([doc_id], None))
        desk.documents_changed.connect(self.reload)
        desk.document_changed.connect(self._document_changed)
        desk.activity.connect(self._activity)
        desk.problem.connect(self.errors.show)
        desk.already_there.connect(self._already_there)
        self._restore_geometry()
        self._add_organize()
        self.reload()

    # ------------------------------------------------------------------ actions and menus
    def _make_actions(self) -> None:
        def action(
            text: str,
            slot: object,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            tip: str = "",
        ) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            return a

        self.import_action = action("&Import…", self.choose_files, QKeySequence.StandardKey.Open,
                                    "Add receipts and invoices to the library")  # fmt: skip
        self.export_action = action("&Export…", self.choose_export_folder, "Ctrl+E",
                                    "Write the chosen documents (or all) as CSV and JSON")  # fmt: skip
        self.quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.settings_action = action("&Settings…", lambda: self.open_settings(), QKeySequence.StandardKey.Preferences)
        self.delete_action = action("&Delete from library", self._delete, QKeySequence.StandardKey.Delete)
        self.stop_action = action("&Stop reading", lambda: self.desk.stop(self.library.selected_ids()), None,
                                  "Stop reading the chosen documents; nothing more is sent for them")  # fmt: skip
        self.find_action = action("&Find", lambda: self.library.search.setFocus(), QKeySequence.StandardKey.Find)
        self.read_actions = {
            info.name: action(info.title, lambda _=False, n=info.name: self._read_again(self.library.selected_ids(), n))
            for info in self.desk.services.providers.infos()
        }

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.import_action, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        doc_menu = menu.addMenu("&Document")
        self.read_menu = doc_menu.addMenu("&Read again with")
        self.read_menu.addActions(list(self.read_actions.values()))
        doc_menu.addAction(self.stop_action)
        doc_menu.addSeparator()
        doc_menu.addActions([self.find_action, self.delete_action])
        tools = menu.addMenu("&Tools")
        tools.addAction(self.settings_action)
        tools.addAction(action("Open the &data folder", self._open_data_folder))
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(action(f"&About {APP_NAME}", self._about))

        bar = self.addToolBar("Main")
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.import_action)
        bar.addAction(self.export_action)
        read = QToolButton()
        read.setText("Read again with")
        read.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        read.setMenu(self.read_menu)
        bar.addWidget(read)
        bar.addSeparator()
        bar.addAction(self.settings_action)
        self._selection_actions = [self.delete_action, self.stop_action, *self.read_actions.values()]
        for a in self._selection_actions:
            a.setEnabled(False)

    def _add_organize(self) -> None:
        """Filters, sums of the chosen, categories and tags, duplicates, and the export dialog (issue 13)."""
        self.order = LibraryOrder(self)

    # ------------------------------------------------------------------ the library
    def reload(self) -> None:
        """Ask the library for the list as the search and sort say; only the newest answer is shown."""
        self._asked += 1
        asked = self._asked
        self.desk.list_view(self._query, lambda view: self._listed(view) if asked == self._asked else None)

    def _listed(self, view: ListView) -> None:
        self.pages.setCurrentWidget(self.welcome if not view.ids and not self._query.search else self.splitter)
        self.library.set_view(view)
        self._show_reading(self.desk.reading_ids())

    def _show_reading(self, doc_ids: list[int]) -> None:
        """The status column of documents being read, in one update."""
        texts: dict[int, str | None] = {}
        for doc_id in doc_ids:
            state = self.desk.reading_state(doc_id)
            texts[doc_id] = f"{state[0] * 100:.0f}%" if state else None
        self.library.model.set_reading_many(texts)

    def _searched(self, text: str) -> None:
        self._query = replace(self._query, search=text)
        self.reload()

    def _sorted(self, sort: SortBy, descending: bool) -> None:
        self._query = replace(self._query, sort=sort, descending=descending)
        self.reload()

    def _fetch_rows(self, doc_ids: list[int]) -> None:
        self.desk.summaries(doc_ids, lambda rows: self.library.model.fetched(rows, doc_ids))

    def _selected(self, ids: list[int]) -> None:
        for a in self._selection_actions:
            a.setEnabled(bool(ids))
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

    def _refresh_changed(self) -> None:
        changed, self._changed = self._changed, set()
        shown = [i for i in changed if self.library.model.row_of(i) is not None]
        if shown:
            self.desk.summaries(shown, lambda rows: self.library.model.update_documents(rows.values()))
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

    def _edit(self, doc_id: int, path: str, value: Value | None) -> None:
        self.desk.edit(doc_id, path, value)

    def _already_there(self, doc_id: int, name: str) -> None:
        """The same bytes were dropped before: show the one the library has rather than a copy."""
        self.statusBar().showMessage(f"{name} is already in the library: it is the document chosen now.", 10_000)
        self.library.select([doc_id])

    def _box_clicked(self, name: str) -> None:
        self.viewer.highlight(name)
        self.editor.form.focus_field(name)

    # ------------------------------------------------------------------ commands
    def import_files(self, paths: list[Path]) -> None:
        if paths:
            self.status.setText(f"Adding {len(paths)} item{'s' if len(paths) > 1 else ''}…")
            self.desk.import_paths(paths)

    def choose_files(self) -> None:
        patterns = " ".join(f"*{e}" for e in CHOOSABLE)
        names, _ = QFileDialog.getOpenFileNames(
            self, "Import receipts and invoices", str(Path.home()), f"Receipts and invoices ({patterns});;All files (*)"
        )
        self.import_files([Path(n) for n in names])

    def choose_export_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to folder", str(Path.home()))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        ids = self.library.selected_ids()
        what = f"{len(ids)} document{'s' if len(ids) != 1 else ''}" if ids else "the whole library"

        def done(written: list[Path]) -> None:
            self.statusBar().showMessage(f"Exported {what} to {folder}: " + ", ".join(p.name for p in written), 15000)

        self.desk.export(ids or None, folder, done)

    def _read_again(self, ids: list[int], provider: str | None) -> None:
        if not ids:
            return
        name = provider or self.desk.default_provider()
        if not self.desk.services.providers.info(name).needs_network:
            self.desk.read(ids, name)
            return

        def estimated(cost: CostEstimate) -> None:
            confirm_cost(self, cost, lambda: self.desk.read([i for i in ids if i not in cost.refused_ids], name))

        self.desk.accounts.estimate(ids, name, estimated)

    def _delete(self) -> None:
        ids = self.library.selected_ids()
        if not ids:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete from library",
            f"Delete {len(ids)} document{'s' if len(ids) > 1 else ''} and the kept original file"
            f"{'s' if len(ids) > 1 else ''} from the library? Your files elsewhere are not touched.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.desk.delete(ids))
        box.open()

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
            dialog.open()

        self.desk.accounts.state(opened)

    def _open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.desk.services.paths.data)))

    def _about(self) -> None:
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

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if dropped_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def _window_state(self) -> QSettings:
        """Where the window was and how big (not a setting: Qt's own file beside settings.json)."""
        path = self.desk.services.paths.config / "window.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        state = self._window_state()
        stored = state.value("geometry")
        if stored is None or not self.restoreGeometry(stored):
            self.resize(1320, 820)
        panes = state.value("panes")
        if panes is not None:
            self.splitter.restoreState(panes)
        try:  # the list's order as the user left it
            sort = SortBy(str(state.value("sort", SortBy.DATE.value)))
        except ValueError:
            sort = SortBy.DATE
        descending = str(state.value("descending", "true")).lower() == "true"
        self._query = ListQuery("", sort, descending)
        self.library.show_sort(sort, descending)

    def closeEvent(self, event: QCloseEvent) -> None:
        state = self._window_state()
        state.setValue("geometry", self.saveGeometry())
        state.setValue("panes", self.splitter.saveState())
        state.setValue("sort", self._query.sort.value)
        state.setValue("descending", "true" if self._query.descending else "false")
        super().closeEvent(event)
