"""What the window says once at start: the crash log an earlier run left, if it died.

The log folder is looked at on the quick lane (file I/O stays off the GUI thread); the crash log
is offered once, then moved aside (services/logs.crash_shown), so it is never asked about again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from receiptdesk.services import logs
from receiptdesk.ui.desk import Desk


def offer_crash_log(parent: QWidget, desk: Desk) -> None:
    paths = desk.services.paths

    def found(path: Path | None) -> None:
        if path is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning, "ReceiptDesk closed unexpectedly",
            "ReceiptDesk closed unexpectedly the last time it ran. Nothing in your library was lost; what it "
            f"was doing is written in {path.name}, in the log folder, if you want to report it.",
            QMessageBox.StandardButton.Close, parent,
        )  # fmt: skip
        box.setObjectName("crashLog")
        show = box.addButton("Open the log folder", QMessageBox.ButtonRole.ActionRole)
        show.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _: desk.runner.submit("quick", lambda ctx: logs.crash_shown(path)))
        box.open()

    desk.runner.submit("quick", lambda ctx: logs.previous_crash(paths), on_done=found)
