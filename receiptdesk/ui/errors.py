"""The one place errors are shown: a dialog for what the user asked for, a banner on a document.

Errors arrive already classified (core/errors.py); here they get words and
a way out: the hint, and for keys and settings a button to Settings. A bug
is logged with its traceback and shown as a bug, never as a traceback.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.ui import theme

log = logging.getLogger(__name__)

TITLES = {
    ErrorKind.BAD_DOCUMENT: "This file cannot be read",
    ErrorKind.CREDENTIALS: "The keys were not accepted",
    ErrorKind.THROTTLED: "The service is busy",
    ErrorKind.NETWORK: "No connection",
    ErrorKind.SERVICE: "The service failed",
    ErrorKind.SETTINGS: "A setting needs fixing",
    ErrorKind.EXPIRED: "The result has expired",
    ErrorKind.PENDING: "Still being read",
    ErrorKind.STORAGE: "The library could not be saved",
    ErrorKind.BUG: "Something went wrong",
}
# Kinds the user fixes in Settings, so the message offers the way there.
FIXED_IN_SETTINGS = frozenset({ErrorKind.CREDENTIALS, ErrorKind.SETTINGS})


def as_error(e: BaseException | ReceiptDeskError) -> ReceiptDeskError:
    """Anything not classified at an I/O edge is a bug: logged with its traceback, named as a bug."""
    if isinstance(e, ReceiptDeskError):
        return e
    log.error("unexpected failure", exc_info=e)
    return ReceiptDeskError(ErrorKind.BUG, f"Something went wrong in ReceiptDesk ({type(e).__name__}).")


class ErrorPresenter(QObject):
    """Shows errors over the main window; never blocks the event loop (the dialog is window-modal)."""

    open_settings = Signal()
    shown = Signal(object)  # the ReceiptDeskError just shown (tests and the status bar listen)

    def __init__(self, window: QWidget, log_file: Path | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._log_file = log_file
        self.dialog: QMessageBox | None = None

    def show(self, e: BaseException | ReceiptDeskError, *, title: str | None = None) -> QMessageBox:
        error = as_error(e)
        if self.dialog is not None and self.dialog.isVisible() and self.dialog.text() == error.message:
            return self.dialog  # the same problem again (a batch of files): one dialog says it
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Critical if error.kind is ErrorKind.BUG else QMessageBox.Icon.Warning)
        box.setWindowTitle(title or TITLES[error.kind])
        box.setText(error.message)
        hint = error.hint
        if error.kind is ErrorKind.BUG and self._log_file is not None:
            hint += f"\nLog: {self._log_file}"
        box.setInformativeText(hint)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        if error.kind in FIXED_IN_SETTINGS:
            settings = box.addButton("Open Settings…", QMessageBox.ButtonRole.ActionRole)
            settings.clicked.connect(self.open_settings)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.dialog = box
        box.finished.connect(lambda _: setattr(self, "dialog", None))
        self.shown.emit(error)
        return box

    def install_excepthook(self) -> None:
        """An exception nobody caught (a slot, a callback) is logged and shown as a bug; the app goes on."""

        def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
            if issubclass(kind, KeyboardInterrupt):
                sys.__excepthook__(kind, value, tb)
                return
            log.error("uncaught exception:\n%s", "".join(traceback.format_exception(kind, value, tb)))
            self.show(value)

        sys.excepthook = hook


class ProblemBanner(QFrame):
    """Why a document could not be read, what to do, and the button that does it."""

    open_settings = Signal()
    retry = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemBanner")
        theme.style_sheet(
            self,
            "#problemBanner {{ background: {ERROR_BACKGROUND}; border: 1px solid {ERROR_BORDER}; border-radius: 6px; }}"
            '#problemBanner[waiting="true"] {{ background: {WARNING_BACKGROUND}; border-color: {WARNING_BORDER}; }}',
        )
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.message = QLabel(wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(wordWrap=True)
        theme.style_sheet(self.hint, "color: {QUIET};")
        self.settings_button = QPushButton("Open Settings…")
        self.settings_button.clicked.connect(self.open_settings)
        self.retry_button = QPushButton("Try again")
        self.retry_button.setAccessibleName("Read the document again")
        self.retry_button.clicked.connect(self.retry)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        buttons.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.hide()

    def set_problem(self, error: ReceiptDeskError | None, *, waiting: bool = False) -> None:
        if error is None:
            self.hide()
            return
        self.setProperty("waiting", waiting)
        self.style().unpolish(self)
        self.style().polish(self)
        self.title.setText("Waiting to try again" if waiting else TITLES[error.kind])
        self.message.setText(error.message)
        self.hint.setText(error.hint)
        self.settings_button.setVisible(error.kind in FIXED_IN_SETTINGS)
        self.show()
