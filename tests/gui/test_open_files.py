"""Files reaching a window that is already open: macOS file-open events and later launches."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from receiptdesk.app import accept_files
from receiptdesk.ui.instance import claim
from tests.conftest import ROOT
from tests.gui.conftest import READ_TIMEOUT_MS, SAMPLES, OpenApp, settled


def test_a_document_opened_from_the_finder_is_imported(qtbot: QtBot, open_app: OpenApp) -> None:
    app = open_app()
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    events = accept_files(app, qapp)
    try:
        event = QFileOpenEvent(str(SAMPLES / "receipt.jpg"))
        assert QApplication.sendEvent(qapp, event), "the file-open event was not taken"
        qtbot.waitUntil(lambda: settled(app, 1), timeout=READ_TIMEOUT_MS)
        assert app.window.library.model.summary(0).file_name == "receipt.jpg"
    finally:
        qapp.removeEventFilter(events)


def test_a_later_launch_hands_its_files_to_the_window_and_is_told_ok(
    qtbot: QtBot, open_app: OpenApp, data_dir: Path
) -> None:
    app = open_app()
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    server = claim(data_dir)
    assert server is not None
    events = accept_files(app, qapp, server)
    try:
        assert claim(data_dir) is None, "a second window could claim a library that has one"
        # the later launch is a process of its own, as when the desktop runs `receiptdesk invoice.png`
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with qtbot.waitSignal(server.files_received, timeout=60_000) as received:
            launch = subprocess.Popen([sys.executable, "-m", "receiptdesk", "invoice.png"], cwd=SAMPLES, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            qtbot.waitUntil(lambda: launch.poll() is not None, timeout=60_000)
        finally:
            if launch.poll() is None:  # it did not get through and opened a window or a message of its own
                launch.kill()
        _, errors = launch.communicate()
        assert launch.returncode == 0, errors
        assert received.args == [[SAMPLES / "invoice.png"]]
        qtbot.waitUntil(lambda: settled(app, 1), timeout=READ_TIMEOUT_MS)
        assert app.window.library.model.summary(0).file_name == "invoice.png"
    finally:
        qapp.removeEventFilter(events)
        server.close()
    assert claim(data_dir) is not None, "closing the window did not free the library for the next one"
