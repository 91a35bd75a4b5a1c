"""What a closed window leaves behind: nothing still ticking."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from tests.gui.conftest import OpenApp


def test_closing_the_window_stops_the_desks_timers(open_app: OpenApp) -> None:
    app = open_app()
    timers = app.desk.findChildren(QTimer)
    assert timers
    for timer in timers:  # a reload of the list due, documents waiting for the network to be tried again
        timer.start()
    assert app.close()
    assert [t.objectName() or t.interval() for t in timers if t.isActive()] == []
