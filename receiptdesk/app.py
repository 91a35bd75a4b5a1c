"""The composition root of the window: builds every service once and hands it to the widgets.

`open_window` and `accept_files` are what `main` and the GUI tests both use, so the
tests run the app as it is assembled for users. Nothing heavy happens before the
window is shown: the OCR engine and the SDK clients load on the first document.
One window per library: a launch on a library that already has one hands its
files over (ui/instance.py) and exits.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from receiptdesk import APP_ID, APP_NAME, __version__
from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.services.logs import start_crash_log, stop_crash_log, threads_on_request
from receiptdesk.services.paths import AppPaths, resources_dir
from receiptdesk.services.wiring import Services, open_services
from receiptdesk.tasks.runner import DEFAULT_LANES, TaskRunner
from receiptdesk.ui import theme
from receiptdesk.ui.desk import Desk
from receiptdesk.ui.instance import FileOpenEvents, WindowServer, claim, hand_over
from receiptdesk.ui.main_window import MainWindow
from receiptdesk.ui.startup import offer_crash_log

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        path = resources_dir() / "icons" / f"receiptdesk-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon


@dataclass(slots=True)
class Window:
    """Everything one window owns, closed in the right order."""

    services: Services
    runner: TaskRunner
    desk: Desk
    window: MainWindow
    closed: bool = False

    def close(self, timeout_ms: int = 15_000) -> bool:
        """Stop reading (jobs stay open and resume next time), wait for the threads, close the library."""
        if self.closed:
            return True
        self.closed = True
        self.window.close()
        idle = self.runner.shutdown(timeout_ms)
        self.desk.close()  # its timers: the reload of the list, the retry of waiting documents
        if idle:
            self.services.close()
        else:  # a call is still out: leave the library open for its checkpoint; the process ends anyway
            log.warning("quitting with a reading still running; it resumes at the next start")
        return idle


def open_window(paths: AppPaths | None = None, *, keyring_backend: object = None, log_to_file: bool = True) -> Window:
    services = open_services(paths, keyring_backend=keyring_backend, log_to_file=log_to_file)
    app = QApplication.instance()
    if isinstance(app, QApplication):  # before any widget is made: style sheets read the palette
        theme.apply(app, str(services.settings.get("appearance.theme")))
        app.setStyleSheet(theme.FOCUS_CSS)
    runner = TaskRunner({**DEFAULT_LANES, "extract": int(services.settings.get("extract.workers"))})
    desk = Desk(services, runner)
    window = MainWindow(desk, services.log_file)
    # The window owns the desk and its runner (as its panels own their models), so they are deleted with
    # it, on the GUI thread. Without a parent each was left to Python's cycle collector, which runs on
    # whichever thread happens to allocate (a pool thread reading a document): a QObject deleted there
    # cannot stop its timers, and the GUI thread later fires them into freed memory.
    desk.setParent(window)
    runner.setParent(window)
    window.setWindowIcon(app_icon())
    desk.resume()  # documents a previous run left unread
    desk.clean_uploads()
    desk.reparse_pending()  # an older parser's readings, and a re-read a quit cut short, parsed from their words
    return Window(services, runner, desk, window)


def accept_files(opened: Window, app: QApplication, server: WindowServer | None = None) -> FileOpenEvents:
    """Files opened from the desktop while the window is up (macOS file-open events) and files later
    launches hand over: the window comes to the front and imports them."""

    def bring(files: list[Path]) -> None:
        window = opened.window
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        window.importing.import_files(files)

    events = FileOpenEvents(app)
    app.installEventFilter(events)
    events.files_opened.connect(bring)
    if server is not None:
        server.files_received.connect(bring)
    return events


def main(files: Sequence[Path] = ()) -> int:
    """The window, importing `files`; or, when a window is open on this library already, hand them to it."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    paths = AppPaths.from_environment()
    try:
        paths.ensure()
    except OSError as e:
        QMessageBox.critical(None, APP_NAME, f"ReceiptDesk cannot use its data folder {paths.data}: {e.strerror}.")
        return 1
    server = claim(paths.data)
    if server is None:
        if hand_over(paths.data, list(files)):
            return 0
        message = (
            "ReceiptDesk is already open on this library but does not answer. "
            "Close that window (or end ReceiptDesk in the system monitor) and try again."
        )
        sys.stderr.write(f"receiptdesk: {message}\n")
        QMessageBox.critical(None, APP_NAME, message)
        return 1
    # A native crash (a signal in Qt, pdfium or ONNX) leaves every thread's traceback here; the
    # next start finds it with services.logs.previous_crash and offers to show it.
    threads_on_request()
    try:
        crash_log: IO[str] | None = start_crash_log(paths.logs)
    except OSError as e:
        log.warning("no crash log: %s", e)
        crash_log = None
    try:
        opened = open_window(paths)
    except ReceiptDeskError as e:
        server.close()
        QMessageBox.critical(None, APP_NAME, f"{e.message}\n\n{e.hint}")
        return 1
    except Exception as e:
        server.close()
        log.exception("ReceiptDesk could not start")
        QMessageBox.critical(None, APP_NAME, f"ReceiptDesk could not start ({type(e).__name__}). See the log.")
        return 1
    opened.window.errors.install_excepthook()
    accept_files(opened, app, server)
    opened.window.show()
    offer_crash_log(opened.window, opened.desk)
    opened.window.importing.import_files(list(files))
    log.info("ReceiptDesk %s started", __version__)
    try:
        return app.exec()
    finally:
        server.close()
        opened.close()
        if crash_log is not None:
            stop_crash_log(crash_log)
