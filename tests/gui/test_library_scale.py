"""A library of years in the window: shown, sorted and searched at once; Stop that stops; settings mid-read."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from receiptdesk.app import Window
from receiptdesk.services.paths import AppPaths
from receiptdesk.services.secrets import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AZURE_KEY
from receiptdesk.store.library import Library
from receiptdesk.store.records import Status
from tests.emulators.azure import AzureEmulator
from tests.emulators.fixtures import moto_s3, textract_emulator
from tests.emulators.textract import TextractEmulator
from tests.gui.cloud_steps import (
    KEY_ID,
    SECRET,
    azure_emulator,
    fill_settings,
    first_read,
    price_asked,
    read_again_with,
    send,
)
from tests.gui.conftest import OpenApp, drop, settled
from tests.library_rows import fill

__all__ = ["azure_emulator", "moto_s3", "textract_emulator"]


def _shown(app: Window, row: int) -> str:
    return str(app.window.library.model.index(row, 0).data())


def test_a_library_of_2000_documents_is_shown_sorted_and_searched(
    qtbot: QtBot, open_app: OpenApp, data_dir: Path
) -> None:
    library = Library(AppPaths.from_environment().ensure().data)
    fill(library, 2000)
    library.close()
    app = open_app()
    model, table = app.window.library.model, app.window.library.table
    qtbot.waitUntil(lambda: model.rowCount() == 2000, timeout=10_000)
    header = table.horizontalHeader()
    # Nothing measures every row: no column sized to its contents, rows of one fixed height.
    assert all(header.sectionResizeMode(c) is not QHeaderView.ResizeMode.ResizeToContents for c in range(4))
    assert table.verticalHeader().sectionResizeMode(0) is QHeaderView.ResizeMode.Fixed

    # Total, largest first: a click on the header, sorted by the library (as numbers, per currency).
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)
    first = [model.summary(r) for r in range(20)]
    assert all(s is not None for s in first)
    euros = [Decimal(s.total or "0") for s in first if s is not None and s.currency == first[0].currency]
    assert euros == sorted(euros, reverse=True) and len(euros) > 1

    # Rows far down are fetched when scrolled to, not before.
    far = next(r for r in range(1999, 0, -1) if model.summary(r) is None)
    assert _shown(app, far) == "…"
    table.scrollTo(model.index(far, 0))
    qtbot.waitUntil(lambda: model.summary(far) is not None, timeout=10_000)
    assert _shown(app, far) != "…"

    # One changed document: its row is redrawn, the list is not rebuilt.
    doc_id = model.id_at(5)
    resets: list[object] = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(model.dataChanged, timeout=10_000) as changed:
        app.desk.set_notes(doc_id, "for the tax return")
    top, bottom = changed.args[0], changed.args[1]
    assert top.row() == bottom.row() == 5 and not resets

    # A search narrows the list in the store; the order stays the user's.
    app.window.library.search.setText("tesco")
    qtbot.waitUntil(lambda: 0 < model.rowCount() < 2000, timeout=10_000)
    assert all(model.summary(r) is not None and model.summary(r).vendor == "Tesco"  # type: ignore[union-attr]
               for r in range(min(model.rowCount(), 50)))  # fmt: skip
    assert app.close()
    # The order chosen is there again at the next start.
    again = open_app()
    qtbot.waitUntil(lambda: again.window.library.model.rowCount() == 2000, timeout=10_000)
    assert again.window.library.table.horizontalHeader().sortIndicatorSection() == 2


def test_stop_sends_nothing_more_of_twenty_queued_for_textract(
    qtbot: QtBot, open_app: OpenApp, textract_emulator: TextractEmulator, moto_s3: str, shared: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    app = open_app()
    values = {
        "extract.provider": "textract",
        "textract.endpoint_url": textract_emulator.url,
        "textract.s3_endpoint_url": moto_s3,
    }
    fill_settings(qtbot, app, values, {AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET})
    textract_emulator.delay(2.0)
    receipt = (shared / "data" / "responses" / "textract" / "receipt.jpg").read_bytes()
    files = []
    for n in range(20):  # twenty different files (bytes after the JPEG's end change nothing it shows)
        files.append(tmp_path / f"receipt-{n:02}.jpg")
        files[-1].write_bytes(receipt + bytes([n]) * (n + 1))
    drop(app.window, files)
    box = price_asked(qtbot, app)  # once for the batch, before anything is sent
    assert "20 documents" in box.text() and textract_emulator.count("AnalyzeExpense") == 0
    send(box)
    qtbot.waitUntil(app.window.cancel_button.isVisible, timeout=10_000)
    app.window.cancel_button.click()
    qtbot.waitUntil(lambda: settled(app, 20), timeout=120_000)
    # At most what was already on the wire when Stop was pressed (two at a time) was sent.
    assert textract_emulator.count("AnalyzeExpense") <= 2
    library = app.services.library
    statuses = [library.summary(app.window.library.model.id_at(r)).status for r in range(20)]
    assert statuses.count(Status.STOPPED) >= 18
    assert app.services.library.usage.pages("textract") <= 2


def test_settings_saved_during_an_azure_reading_leave_it_to_finish(
    qtbot: QtBot, open_app: OpenApp, azure_emulator: AzureEmulator, shared: Path
) -> None:
    azure = shared / "data" / "responses" / "azure"
    app, doc_id = first_read(qtbot, open_app, azure / "contoso-receipt.png")
    fill_settings(qtbot, app, {"azure.endpoint": azure_emulator.url}, {AZURE_KEY: azure_emulator.key})
    azure_emulator.stall()  # the analysis takes its time
    send(read_again_with(qtbot, app, doc_id, "azure"))
    qtbot.waitUntil(lambda: len(azure_emulator.polls()) >= 1, timeout=30_000)
    fill_settings(qtbot, app, {"azure.locale": "en-GB"}, {})  # saved while the reading is out
    azure_emulator.release()
    qtbot.waitUntil(lambda: settled(app, 1), timeout=60_000)
    s = app.services.library.summary(doc_id)
    assert s.status is Status.OK and s.provider == "azure" and s.error_message is None
    assert len(azure_emulator.posts()) == 1  # one analysis paid for, not two
    # Read again while Azure keeps the result (24 h): it is fetched again, not paid for again.
    polls = len(azure_emulator.polls())
    send(read_again_with(qtbot, app, doc_id, "azure"))
    qtbot.waitUntil(lambda: len(azure_emulator.polls()) > polls and settled(app, 1), timeout=60_000)
    assert len(azure_emulator.posts()) == 1
    assert app.services.library.summary(doc_id).status is Status.OK
