"""The library list fits its pane: in a 1024-pixel window every column shows without scrolling sideways."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from receiptdesk.ui.library.columns import STATUS, TOTAL, VENDOR
from tests.gui.conftest import OpenApp
from tests.gui.library_steps import library_with, reading
from tests.gui.test_trash import named


def _whole_in_view(table: QTableView, col: int) -> bool:
    header = table.horizontalHeader()
    left = header.sectionViewportPosition(col)
    return left >= 0 and left + header.sectionSize(col) <= table.viewport().width()


def test_at_1024_wide_the_list_shows_total_and_status_without_scrolling_sideways(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path, data_dir: Path
) -> None:
    """Total and Status were past the pane's edge at 1024 wide: a scroll bar to see whether a receipt was read."""
    library_with(
        tmp_path, ("t.jpg", reading("Timeless Kitchenette Sdn Bhd", "12345.67")), ("b.jpg", reading("Bio", "7.00"))
    )
    from receiptdesk.ui.main_window import PANES

    app = open_app()
    window = app.window
    window.resize(sum(PANES), 820)  # a new window on a desktop, made smaller: the panes as they then are
    window.splitter.setSizes(list(PANES))
    window.resize(1024, 768)
    table = named(window, QTableView, "Library")
    model = table.model()
    qtbot.waitUntil(lambda: model.rowCount() == 2 and all(model.index(r, 2).data() for r in range(2)), timeout=10_000)
    header = table.horizontalHeader()
    scroll = table.horizontalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() == 0, timeout=5_000)  # nothing to scroll to: no bar
    assert header.length() <= table.viewport().width()
    assert _whole_in_view(table, TOTAL) and _whole_in_view(table, STATUS)
    metrics = table.fontMetrics()
    total = next(str(model.index(r, TOTAL).data()) for r in range(2) if "12345.67" in str(model.index(r, TOTAL).data()))
    assert header.sectionSize(TOTAL) >= metrics.horizontalAdvance(total)  # the amount whole, never "12345.6…"
    assert header.sectionSize(VENDOR) >= metrics.horizontalAdvance("Timel")  # the vendor gave way, not away
    assert header.sectionSize(STATUS) >= metrics.horizontalAdvance("Needs")

    # As narrow as the pane goes: still no sideways scrolling, the total whole.
    window.splitter.setSizes([1, 1000, 1000])
    qtbot.waitUntil(lambda: window.library.width() == window.library.minimumWidth(), timeout=5_000)
    qtbot.waitUntil(lambda: scroll.maximum() == 0, timeout=5_000)
    assert _whole_in_view(table, TOTAL) and _whole_in_view(table, STATUS)
    assert header.sectionSize(TOTAL) >= metrics.horizontalAdvance(total)

    # The user can still size a column: the width they give it stays when the pane changes size.
    header.resizeSection(STATUS, 140)
    window.resize(1100, 768)
    qtbot.waitUntil(lambda: table.viewport().width() > 0 and window.width() == 1100, timeout=5_000)
    assert header.sectionSize(STATUS) == 140
