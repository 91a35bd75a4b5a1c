"""The window as users get it (app.open_window), on a private data folder, with an in-memory keyring."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from receiptdesk.app import Window, open_window
from receiptdesk.services.paths import AppPaths
from receiptdesk.store.records import Status
from tests.conftest import ROOT
from tests.memory_keyring import MemoryKeyring

SAMPLES = ROOT / "resources" / "samples"
READ_TIMEOUT_MS = 180_000  # OCR on a loaded CI machine; a normal receipt takes a few seconds

OpenApp = Callable[[], Window]


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def open_app(qtbot: QtBot, data_dir: Path, keyring: MemoryKeyring) -> Iterator[OpenApp]:
    """Opens the window on the test's data folder; every window opened is closed, its threads idle,
    and deleted: a closed window left alive is one more widget for every later test's event filters
    and style changes to walk."""
    opened: list[Window] = []

    def open_() -> Window:
        app = open_window(AppPaths.from_environment(), keyring_backend=keyring)
        app.window.show()
        qtbot.waitExposed(app.window)
        opened.append(app)
        return app

    yield open_
    for app in opened:
        assert app.close(), "a task was still running when the test ended"
    for app in opened:
        app.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def drop(window: object, paths: list[Path]) -> None:
    """A real drag and drop of files from a file manager: enter, then drop, with file URLs."""
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted(), "the window refused the drag"
    event = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, event)
    assert event.isAccepted(), "the window refused the drop"


def settled(app: Window, count: int) -> bool:
    """`count` documents in the list, none still being read."""
    model = app.window.library.model
    if model.rowCount() != count:
        return False
    done = (Status.OK, Status.FAILED, Status.WAITING, Status.STOPPED)
    return all(model.summary(r).status in done for r in range(count)) and not app.desk.reading_ids()


def row_by_file(app: Window, name: str) -> int:
    model = app.window.library.model
    return next(model.summary(r).id for r in range(model.rowCount()) if model.summary(r).file_name == name)
