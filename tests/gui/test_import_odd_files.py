"""Dropping odd files on the window: each fails alone, in words, and a text receipt is read and shown."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.store.records import Status
from tests.gui.conftest import OpenApp, drop, row_by_file, settled

RECEIPT = "Corner Shop\n12 High Street\n\nMilk        1.20\nBread       2.30\n\nTOTAL       3.50\n"


def test_a_pipe_and_a_loop_among_the_files_stop_nothing(qtbot: QtBot, open_app: OpenApp, tmp_path: Path) -> None:
    app = open_app()
    order = tmp_path / "order.txt"
    order.write_text(RECEIPT, encoding="utf-8")
    pipe = tmp_path / "scan.pdf"
    os.mkfifo(pipe)
    loop = tmp_path / "loop.jpg"
    loop.symlink_to(loop)
    problems: list[ReceiptDeskError] = []
    app.desk.problem.disconnect()  # the window's dialog would wait for a click; the words are checked here
    app.desk.problem.connect(problems.append)
    drop(app.window, [pipe, loop, order])
    qtbot.waitUntil(lambda: settled(app, 1) and bool(problems), timeout=30_000)
    [problem] = problems
    assert "2 files could not be added (scan.pdf, loop.jpg)" in problem.message
    assert (
        "scan.pdf is a named pipe" in problem.message
        and "loop.jpg is a link that leads back to itself" in problem.message
    )

    doc_id = row_by_file(app, "order.txt")  # kept with no name ending, read by its content
    summary = app.services.library.summary(doc_id)
    assert summary.status is Status.OK, summary.error_message
    assert summary.total == "3.50"
    with qtbot.waitSignal(app.window.viewer.page_shown, timeout=30_000):
        app.window.library.select([doc_id])
