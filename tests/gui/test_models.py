"""The Qt models are thin adapters that keep Qt's contracts (pytest-qt's model tester)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from receiptdesk.core.document import Field, LineItem
from receiptdesk.store.records import DocumentSummary, Status
from receiptdesk.ui.editor.line_items import LineItemsModel
from receiptdesk.ui.library.header import ListHeader
from receiptdesk.ui.library.model import ID_ROLE, DocumentListModel

SUMMARY = DocumentSummary(
    id=1, sha256="0" * 64, file_name="cafe.jpg", media_type="image/jpeg", size=10, page_count=1,
    added_at="2024-03-01T10:00:00+00:00", status=Status.OK, error_kind=None, error_message=None, kind="receipt",
    vendor="Café Luna", date="2024-03-01", total="12.50", currency="EUR", provider="local",
)  # fmt: skip


def test_the_library_list_shows_vendor_date_total_and_status(qtmodeltester: ModelTester) -> None:
    model = DocumentListModel()
    unread = replace(
        SUMMARY, id=2, vendor=None, total=None, date=None, status=Status.FAILED, file_name="cafe2.jpg",
        error_kind="bad_document", error_message="cafe2.jpg is empty (0 bytes).",
    )  # fmt: skip
    model.set_documents([SUMMARY, unread])
    qtmodeltester.check(model)
    cells = [model.index(0, c).data() for c in range(4)]
    assert cells == ["Café Luna", "01 Mar 2024", "12.50 EUR", "Done"]
    assert model.index(1, 0).data() == "cafe2.jpg"  # no vendor yet: the file name stands in
    assert "empty" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)
    # the vendor in full on hover (its column often shows part of it), then the file it came from
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole).split("\n")[:2] == ["Café Luna", "cafe.jpg"]
    assert model.index(1, 3).data() == "Failed" and model.index(1, 0).data(ID_ROLE) == 2
    model.set_reading_many({2: "40%"})
    assert model.index(1, 3).data() == "40%"
    model.update_documents([replace(SUMMARY, total="13.00")])
    assert model.index(0, 2).data() == "13.00 EUR"


def test_line_items_show_quantities_as_written_and_ask_before_saving_an_edit(
    qtmodeltester: ModelTester, qtbot: QtBot
) -> None:
    model = LineItemsModel()
    item = LineItem(
        {
            "description": Field("Flat white", confidence=0.95),
            "quantity": Field(Decimal("2.00"), confidence=0.9),
            "unit_price": Field(Decimal("3.50"), confidence=0.9),
            "amount": Field(Decimal("7.00"), confidence=0.4),
        }
    )
    model.set_items([item])
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(4)] == ["Flat white", "2", "3.50", "7.00"]
    assert model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole) is not None  # unsure: marked
    asked: list[tuple[str, object]] = []
    refused: list[str] = []
    model.edit_requested.connect(lambda path, value: asked.append((path, value)))
    model.refused.connect(lambda path, why: refused.append(why))
    assert model.setData(model.index(0, 3), "7,50")
    assert asked == [("line_items.0.amount", Decimal("7.50"))]
    assert not model.setData(model.index(0, 1), "two")
    assert refused and "not a quantity" in refused[0]

    # The saved edit comes back: the cells change in place, so an open cell editor (Tab) survives.
    edited = LineItem({**item.fields, "amount": Field(Decimal("7.50"), flags=("edited",))})
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_items([edited])
    assert model.index(0, 3).data() == "7.50"


def test_an_older_answer_never_overwrites_a_newer_row(qtmodeltester: ModelTester) -> None:
    """Answers can come back after the document changed again: the newest asked for wins."""
    from receiptdesk.ui.library.model import ListView

    model = DocumentListModel()
    model.set_documents([SUMMARY])
    older, newer = model.ticket(), model.ticket()
    model.update_documents([replace(SUMMARY, status=Status.FAILED)], newer)
    model.set_view(ListView.of([1], {1: replace(SUMMARY, status=Status.QUEUED)}), older)  # asked before
    qtmodeltester.check(model)
    assert model.index(0, 3).data() == "Failed"


def test_rows_read_again_show_their_old_values_until_the_new_ones_come(qtbot: QtBot) -> None:
    """The library read again (a long re-read refreshes the rows every few seconds): no row goes blank."""
    model = DocumentListModel()
    model.set_documents([SUMMARY])
    before = model.ticket()  # a query already on its way when the re-read's new values were written
    model.forget_rows()
    with qtbot.waitSignal(model.fetch_needed) as asked:
        assert model.index(0, 0).data() == "Café Luna"  # shown as it was, and asked for again
    assert asked.args == [[1]]
    model.fetched({1: replace(SUMMARY, vendor="Old answer")}, [1], before)
    assert model.index(0, 0).data() == "Café Luna"  # an answer asked before the re-read is not kept
    model.fetched({1: replace(SUMMARY, currency="IDR")}, [1], model.ticket())
    assert model.index(0, 2).data() == "12.50 IDR"


class _Counted(QAbstractTableModel):
    """Rows that say how often the view asked how many there are."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows, self.asked = rows, 0

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        self.asked += 1
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 5

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return "x" if role == Qt.ItemDataRole.DisplayRole else None


@pytest.mark.parametrize("heading", ["Qt's", "the list's"])
def test_every_row_chosen_paints_its_headings_without_asking_about_each_row(qtbot: QtBot, heading: str) -> None:
    """Ctrl+A in a list of 100,000: Qt's own headings asked, row by row, whether each column was wholly chosen
    (half a million calls, over a second before the window painted again); the list's headings do not."""
    model = _Counted(2000)
    table = QTableView()
    qtbot.addWidget(table)
    if heading == "the list's":
        table.setHorizontalHeader(ListHeader(table))
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.resize(600, 300)
    table.show()
    qtbot.waitExposed(table)
    table.selectAll()
    model.asked = 0
    drawn = table.horizontalHeader().grab()  # the headings painted, as the window paints them
    assert not drawn.isNull()
    if heading == "Qt's":
        assert model.asked > 2000  # what the list's headings leave out
    else:
        assert model.asked < 50
