"""The window's commands: menu bar, tool bar, context menus and their keys, declared in one place.

Each command is a QAction with the words a user would use and a key where one
is expected; the Help menu lists the keys from these same actions, so the
list cannot drift from what the keys do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QToolButton

from receiptdesk import APP_NAME

if TYPE_CHECKING:
    from receiptdesk.ui.main_window import MainWindow

Key = QKeySequence | QKeySequence.StandardKey | str | None


class WindowActions:
    def __init__(self, w: MainWindow, undo: QUndoStack) -> None:
        self._w = w
        self.all: list[QAction] = []

        def act(text: str, slot: Callable[[], object], key: Key = None, tip: str = "", *,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QAction:  # fmt: skip
            a = QAction(text, w)
            if key is not None:
                a.setShortcut(QKeySequence(key))
                a.setShortcutContext(context)
            a.setStatusTip(tip)
            a.setToolTip(tip or text.replace("&", "").rstrip("…"))
            a.triggered.connect(lambda _=False: slot())
            self.all.append(a)
            return a

        lib = w.library
        chosen = lib.selected_ids
        # File
        self.import_files = act("&Import files…", w.importing.choose_files, QKeySequence.StandardKey.Open,
                                "Add receipts and invoices to the library")  # fmt: skip
        self.import_folder = act("Import a &folder…", w.importing.choose_folder, "Ctrl+Shift+O",
                                 "Add every receipt and invoice in a folder and the folders in it")  # fmt: skip
        self.export = act("&Export…", lambda: w.order.open_export(), "Ctrl+E",
                          "Export the chosen documents, what the list shows, or everything",
                          context=Qt.ShortcutContext.ApplicationShortcut)  # fmt: skip
        self.quit = act("&Quit", w.close, QKeySequence.StandardKey.Quit)
        # Edit
        self.undo = undo.createUndoAction(w, "&Undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = undo.createRedoAction(w, "&Redo")
        self.redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z")])
        self.all += [self.undo, self.redo]
        self.revert_value = act("Back to what was &read (this value)", w.reviewing.revert_value, None,
                                "Put the value read back in place of your change")  # fmt: skip
        self.revert_document = act("Back to what was read (&whole document)", w.reviewing.revert_document, None,
                                   "Undo every change you made to this document's values")  # fmt: skip
        self.find = act("&Find", lambda: lib.search.setFocus(), QKeySequence.StandardKey.Find)
        # Document
        self.reviewed = act("Mark as re&viewed", lambda: w.reviewing.mark_reviewed(chosen()), "Ctrl+Return",
                            "You checked it: it leaves the review queue",
                            context=Qt.ShortcutContext.ApplicationShortcut)  # fmt: skip
        self.needs_review = act("Mark as &needing review", lambda: w.reviewing.mark_needs_review(chosen()), None,
                                "Put it back in the review queue")  # fmt: skip
        self.next_review = act("Next to re&view", w.reviewing.next_to_review, "F8",
                               "The next document that needs a look",
                               context=Qt.ShortcutContext.ApplicationShortcut)  # fmt: skip
        self.next_document = act("Ne&xt document", lambda: lib.select_step(1), "Alt+Down", "",
                                 context=Qt.ShortcutContext.ApplicationShortcut)  # fmt: skip
        self.next_document.setShortcuts([QKeySequence("Alt+Down"), QKeySequence("Ctrl+PgDown")])
        self.previous_document = act("Pre&vious document", lambda: lib.select_step(-1), "Alt+Up", "",
                                     context=Qt.ShortcutContext.ApplicationShortcut)  # fmt: skip
        self.previous_document.setShortcuts([QKeySequence("Alt+Up"), QKeySequence("Ctrl+PgUp")])
        self.split = act("S&plit into documents…", w.reviewing.split_document, None,
                         "A file of several receipts: one document per page or range of pages")  # fmt: skip
        self.merge = act("&Merge back into one document", w.reviewing.merge_document, None,
                         "The documents split from this file become one again")  # fmt: skip
        self.stop = act("&Stop reading", lambda: w.desk.stop(chosen()), None,
                        "Stop reading the chosen documents; nothing more is sent for them")  # fmt: skip
        # Delete acts on the list only: in a value or a line item Delete clears what is there.
        self.trash = act("Move to &Trash", lambda: w.reviewing.move_to_trash(chosen()), QKeySequence.StandardKey.Delete,
                         "The documents leave the list; their originals are kept until the Trash is emptied",
                         context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        self.restore = act("&Restore from Trash", lambda: w.changes.restore(chosen()), None,
                           "Put the chosen documents back in the library")  # fmt: skip
        self.empty_trash = act("&Empty Trash…", w.reviewing.empty_trash, None, "Forget the Trash's documents for good")
        self.read_with = {
            info.name: act(info.title, partial(w.importing.read_again_chosen, info.name))
            for info in w.desk.services.providers.infos()
        }
        # Tools, Help
        self.settings = act("&Settings…", lambda: w.open_settings(), QKeySequence.StandardKey.Preferences)
        self.data_folder = act("Open the &data folder", w.open_data_folder)
        self.keys = act("&Keyboard shortcuts", w.show_keys, QKeySequence.StandardKey.HelpContents)
        self.about = act(f"&About {APP_NAME}", w.about)
        lib.table.addActions([self.trash])  # its Delete key belongs to the list

        # What acts on the library's documents; in the Trash only Restore and Empty Trash do (a document
        # there is not reviewed, read again or stopped: it is restored first).
        self.library_only = [self.trash, self.stop, self.reviewed, self.needs_review, *self.read_with.values()]
        self.enable_for(chosen=False, in_trash=False)
        self._menus(w)

    def enable_for(self, *, chosen: bool, in_trash: bool) -> None:
        """Enabled as what the list shows (the library or the Trash) and whether documents are chosen."""
        for a in self.library_only:
            a.setEnabled(chosen and not in_trash)
        self.next_review.setEnabled(not in_trash)
        self.restore.setEnabled(chosen and in_trash)

    def _menus(self, w: MainWindow) -> None:
        bar = w.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.import_files, self.import_folder, self.export])
        file.addSeparator()
        file.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.revert_value, self.revert_document])
        edit.addSeparator()
        edit.addAction(self.find)
        doc = bar.addMenu("&Document")
        doc.addActions([self.reviewed, self.needs_review, self.next_review])
        doc.addSeparator()
        doc.addActions([self.next_document, self.previous_document])
        doc.addSeparator()
        self.read_menu = doc.addMenu("&Read again with")
        self.read_menu.addActions(list(self.read_with.values()))
        doc.addAction(self.stop)
        doc.addSeparator()
        doc.addActions([self.split, self.merge])
        doc.addSeparator()
        doc.addActions([self.trash, self.restore, self.empty_trash])
        tools = bar.addMenu("&Tools")
        tools.addActions([self.settings, self.data_folder])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.keys, self.about])

        tool_bar = w.addToolBar("Main")
        tool_bar.setObjectName("mainToolBar")
        tool_bar.setMovable(False)
        tool_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tool_bar.addActions([self.import_files, self.export])
        read = QToolButton()
        read.setText("Read again with")
        read.setAccessibleName("Read again with")
        read.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        read.setMenu(self.read_menu)
        tool_bar.addWidget(read)
        tool_bar.addSeparator()
        tool_bar.addActions([self.reviewed, self.next_review])
        tool_bar.addSeparator()
        tool_bar.addAction(self.settings)

    def list_menu(self, in_trash: bool) -> list[QAction]:
        """The library list's context menu: what can be done with the chosen documents here."""
        if in_trash:
            return [self.restore, self.empty_trash]
        return [self.reviewed, self.needs_review, self.stop, self._separator(), self.trash]

    def _separator(self) -> QAction:
        s = QAction(self._w)
        s.setSeparator(True)
        return s

    def shortcuts(self) -> list[tuple[str, str]]:
        """(command, keys) for every command with a key, for Help > Keyboard shortcuts."""
        rows = []
        for a in self.all:
            keys = _keys(a.shortcuts())
            if keys:
                rows.append((a.text().replace("&", ""), keys))
        # the page viewer's buttons have keys of their own (turn, zoom, fit, pages)
        for b in self._w.viewer.findChildren(QToolButton):
            if not b.shortcut().isEmpty():
                rows.append((b.accessibleName(), _keys([b.shortcut()])))
        return rows


def _keys(sequences: list[QKeySequence]) -> str:
    """Each key once: Redo is Ctrl+Shift+Z by the platform and by us on Linux, said once."""
    texts = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in sequences]
    return ", ".join(dict.fromkeys(t for t in texts if t))
