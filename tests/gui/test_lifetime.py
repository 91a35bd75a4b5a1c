"""What a closed window leaves behind: nothing still ticking, and once it is deleted, nothing of its own."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from receiptdesk.app import open_window
from receiptdesk.services.paths import AppPaths
from tests.gui.conftest import OpenApp
from tests.memory_keyring import MemoryKeyring


def test_closing_the_window_stops_the_desks_timers(open_app: OpenApp) -> None:
    app = open_app()
    timers = app.desk.findChildren(QTimer)
    assert timers
    for timer in timers:  # a reload of the list due, documents waiting for the network to be tried again
        timer.start()
    assert app.close()
    assert [t.objectName() or t.interval() for t in timers if t.isActive()] == []


def test_deleting_the_window_deletes_what_it_owned(qtbot: QtBot, data_dir: Path, keyring: MemoryKeyring) -> None:
    """On the GUI thread, with the window: anything left over would be deleted by Python's cycle collector,
    on whichever thread it runs, and a QObject deleted off its thread leaves its timers to fire into freed memory."""
    app = open_window(AppPaths.from_environment(), keyring_backend=keyring)
    window = app.window
    owned = {
        "desk": app.desk,
        "runner": app.runner,
        "list model": window.library.model,
        "line items model": window.editor.items_model,
    }
    assert app.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(window)
    assert [name for name, obj in owned.items() if shiboken6.isValid(obj)] == []
