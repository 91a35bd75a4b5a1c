"""The composition root of the window: builds every service once and hands it to the widgets.

`open_window` is what `main` and the GUI tests both use, so the tests run the
app as it is assembled for users. Nothing heavy happens before the window is
shown: the OCR engine and the SDK clients load on the first document.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import IO

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from receiptdesk import APP_ID, APP_NAME, __version__
from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.services.logs import start_crash_log, stop_crash_log
from receiptdesk.services.paths import AppPaths, resources_dir
from receiptdesk.services.wiring import Services, open_services
from receiptdesk.tasks.runner import DEFAULT_LANES, TaskRunner
from receiptdesk.ui.desk import Desk
from receiptdesk.ui.main_window import MainWindow

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
        if idle:
            self.services.close()
        else:  # a call is still out: leave the library open for its checkpoint; the process ends anyway
            log.warning("quitting with a reading still running; it resumes at the next start")
        return idle


def open_window(paths: AppPaths | None = None, *, keyring_backend: object = None, log_to_file: bool = True) -> Window:
    services = open_services(paths, keyring_backend=keyring_backend, log_to_file=log_to_file)
    runner = TaskRunner({**DEFAULT_LANES, "extract": int(services.settings.get("extract.workers"))})
    desk = Desk(services, runner)
    window = MainWindow(desk, services.log_file)
    window.setWindowIcon(app_icon())
    desk.resume()  # documents a previous run left unread
    return Window(services, runner, desk, window)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    # A native crash (a signal in Qt, pdfium or ONNX) leaves every thread's traceback here; the
    # next start finds it with services.logs.previous_crash and offers to show it.
    try:
        crash_log: IO[str] | None = start_crash_log(AppPaths.from_environment().logs)
    except OSError as e:
        log.warning("no crash log: %s", e)
        crash_log = None
    try:
        opened = open_window()
    except ReceiptDeskError as e:
        QMessageBox.critical(None, APP_NAME, f"{e.message}\n\n{e.hint}")
        return 1
    except Exception as e:
        log.exception("ReceiptDesk could not start")
        QMessageBox.critical(None, APP_NAME, f"ReceiptDesk could not start ({type(e).__name__}). See the log.")
        return 1
    opened.window.errors.install_excepthook()
    opened.window.show()
    log.info("ReceiptDesk %s started", __version__)
    try:
        return app.exec()
    finally:
        opened.close()
        if crash_log is not None:
            stop_crash_log(crash_log)
