"""The window's ways in: files and folders chosen or dropped, and reading them (again) with a reader.

A paid service as the reader asks its price once, for the whole batch, when the
batch is in; a missing key is said before any price, pointing to its Settings tab.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.providers.source import CHOOSABLE
from receiptdesk.store.listing import ListQuery
from receiptdesk.ui.accounts import CostEstimate
from receiptdesk.ui.desk_import import ImportSummary
from receiptdesk.ui.dialogs.confirm import confirm_cost
from receiptdesk.ui.library.model import ListView

if TYPE_CHECKING:
    from receiptdesk.ui.main_window import MainWindow


class Importing:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self._single = False  # one file came in: it is the one shown once it is listed
        self._ask_price = False  # the reader is a paid service: its price is asked when the batch is in
        self._unreadable: list[int] = []  # the last import's files that could not be read
        window.import_note.linkActivated.connect(lambda _: self.select_listed(self._unreadable))
        window.desk.imported.connect(self.imported)

    def import_files(self, paths: list[Path]) -> None:
        if paths:
            self.w.status.setText(f"Adding {len(paths)} item{'s' if len(paths) > 1 else ''}…")
            self._single = len(paths) == 1 and not paths[0].is_dir()
            desk = self.w.desk
            self._ask_price = desk.services.providers.info(desk.default_provider()).needs_network
            desk.import_paths(paths, read=not self._ask_price)

    def choose_files(self) -> None:
        patterns = " ".join(f"*{e}" for e in CHOOSABLE)
        names, _ = QFileDialog.getOpenFileNames(
            self.w, "Import receipts and invoices", str(Path.home()),
            f"Receipts and invoices ({patterns});;All files (*)",
        )  # fmt: skip
        self.import_files([Path(n) for n in names])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, "Import a folder of receipts and invoices", str(Path.home()))
        if folder:
            self.import_files([Path(folder)])

    def imported(self, summary: ImportSummary) -> None:
        """Said once at the end: how many came in, which could not be read (with a way to see them)."""
        self._unreadable = [doc_id for doc_id, _, _ in summary.unreadable]
        text = summary.text
        if self._unreadable:
            text += ": <a href='show'>show them</a>"
        self.w.import_note.setText(text)
        # A message said during the import ("… is already in the library") is in the summary now; left
        # up, the status bar would draw it and the summary over each other on the same line.
        self.w.statusBar().clearMessage()
        self.w.import_note.show()
        self._show_if_hidden([*summary.added, *summary.already])
        if self._single and len(summary.added) == 1:
            self.select_listed(list(summary.added))  # one file dropped: it is the one shown
        if self._ask_price and summary.added:
            self.read_again(list(summary.added), None)

    def _show_if_hidden(self, ids: list[int]) -> None:
        """What was imported is seen: a search, filters or the Trash that hide it are cleared, and the note says
        so. (Rather than a note that they are hidden, with a link: the user just asked for these documents.)"""
        w = self.w
        query = w.query
        if not ids or not (query.search or query.filters.active or query.trash):
            return

        def listed(view: ListView) -> None:
            shown = set(view.ids)
            if w.query == query and any(i not in shown for i in ids):
                w.show_whole_library()
                w.import_note.setText(f"{w.import_note.text()} — {_cleared(query)} to show them")

        w.desk.list_view(query, listed)

    def select_listed(self, ids: list[int]) -> None:
        """Choose documents that may not be in the list yet (just imported): once the list has them."""
        w = self.w
        if all(w.library.model.row_of(i) is not None for i in ids):
            w.library.select(ids)
        else:
            w.to_select = ids
            w.reload()

    def read_again_chosen(self, provider: str) -> None:
        self.read_again(self.w.library.selected_ids(), provider)

    def read_again(self, ids: list[int], provider: str | None) -> None:
        """Read again; a paid service first says if it lacks keys, then what it will cost."""
        if not ids:
            return
        w = self.w
        name = provider or w.desk.default_provider()
        if not w.desk.services.providers.info(name).needs_network:
            w.desk.read(ids, name)
            return

        def estimated(cost: CostEstimate) -> None:
            confirm_cost(w, cost, lambda: w.desk.read([i for i in ids if i not in cost.refused_ids], name))

        def checked(missing: ReceiptDeskError | None) -> None:
            if missing is not None:
                w.settings_tab = name
                w.errors.show(missing)
            else:
                w.desk.accounts.estimate(ids, name, estimated)

        w.desk.accounts.missing_keys(name, checked)


def _cleared(query: ListQuery) -> str:
    """What was put aside, in words: "search and filters cleared", "back from the Trash"."""
    cleared = [w for w, on in (("search", query.search), ("filters", query.filters.active)) if on]
    words = f"{' and '.join(cleared)} cleared" if cleared else ""
    if query.trash:
        words = f"{words}, back from the Trash" if words else "back from the Trash"
    return words
