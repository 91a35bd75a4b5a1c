"""Finding, ordering and exporting in the real window: filters, sums, categories and tags, duplicates, Ctrl+E."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from PIL import Image
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from receiptdesk.app import Window
from receiptdesk.services.exporter import Format
from receiptdesk.services.paths import AppPaths
from receiptdesk.store.library import Library
from receiptdesk.store.listing import ListQuery
from receiptdesk.store.records import DocumentSummary
from receiptdesk.ui.dialogs.duplicates import DuplicateDialog
from receiptdesk.ui.dialogs.export import ExportDialog
from receiptdesk.ui.library.filters import CUSTOM
from tests.gui.conftest import READ_TIMEOUT_MS, SAMPLES, OpenApp, drop, settled
from tests.library_rows import fill


def _library(count: int) -> list[DocumentSummary]:
    library = Library(AppPaths.from_environment().ensure().data)
    fill(library, count)
    rows = list(library.walk(ListQuery()))
    library.set_category([s.id for s in rows[:40]], "Travel")
    library.add_tag([s.id for s in rows[20:60]], "client-x")
    rows = list(library.walk(ListQuery()))
    library.close()
    return rows


def _shown_ids(app: Window) -> set[int]:
    return set(app.window.library.model.ids())


def test_filters_beside_the_search_narrow_the_list_with_the_search_terms(
    qtbot: QtBot, open_app: OpenApp, data_dir: Path
) -> None:
    rows = _library(500)
    app = open_app()
    bar, model = app.window.order.filter_bar, app.window.library.model
    qtbot.waitUntil(lambda: model.rowCount() == 500 and bar.category.count() > 2, timeout=10_000)
    bar.toggle.click()
    assert bar.panel.isVisible()
    bar.category.setCurrentIndex(bar.category.findData("Travel"))
    travel = {s.id for s in rows[:40]}
    qtbot.waitUntil(lambda: _shown_ids(app) == travel, timeout=10_000)
    assert bar.toggle.text() == "Filters (1)" and bar.clear.isVisible()
    bar.tag.setCurrentIndex(bar.tag.findData("client-x"))
    qtbot.waitUntil(lambda: _shown_ids(app) == {s.id for s in rows[20:40]}, timeout=10_000)
    qtbot.keyClicks(app.window.library.search, "total>100")  # a term, not text: ">100" is no word on a receipt
    expected = {s.id for s in rows[20:40] if s.total and Decimal(s.total) > 100}
    qtbot.waitUntil(lambda: _shown_ids(app) == expected, timeout=10_000)
    bar.clear.click()
    qtbot.waitUntil(
        lambda: _shown_ids(app) == {s.id for s in rows if s.total and Decimal(s.total) > 100}, timeout=10_000
    )
    app.window.library.search.clear()
    bar.period.setCurrentIndex(bar.period.findData(CUSTOM))
    assert bar.since.isVisible() and bar.until.isVisible()
    bar.since.setDate(QDate(2020, 1, 1))
    bar.until.setDate(QDate(2020, 12, 31))
    in_2020 = {s.id for s in rows if s.date and s.date.startswith("2020")}
    qtbot.waitUntil(lambda: _shown_ids(app) == in_2020, timeout=10_000)
    assert bar.provider.itemText(bar.provider.findData("local")) == "On this computer"
    bar.min_total.setText("50")
    bar.currency.setCurrentIndex(bar.currency.findData("USD"))
    qtbot.waitUntil(
        lambda: (
            _shown_ids(app)
            == {s.id for s in rows if s.id in in_2020 and s.currency == "USD" and Decimal(s.total or 0) >= 50}
        ),
        timeout=10_000,
    )


def test_choosing_documents_shows_their_count_and_sum_per_currency(
    qtbot: QtBot, open_app: OpenApp, data_dir: Path
) -> None:
    rows = _library(300)
    app = open_app()
    model, label = app.window.library.model, app.window.order.sums
    qtbot.waitUntil(lambda: model.rowCount() == 300, timeout=10_000)
    chosen = [s for s in rows[:7]]
    app.window.library.select([s.id for s in chosen])
    sums: dict[str, Decimal] = {}
    for s in chosen:
        if s.total:
            sums[s.currency or ""] = sums.get(s.currency or "", Decimal(0)) + Decimal(s.total)
    qtbot.waitUntil(lambda: label.text().startswith("7 documents chosen"), timeout=10_000)
    for currency, amount in sums.items():
        assert f"{amount:,.2f} {currency}" in label.text()
    app.window.library.table.selectAll()  # every row, most of them never fetched: summed by the store
    qtbot.waitUntil(lambda: label.text().startswith("300 documents chosen"), timeout=10_000)
    app.window.library.select([])
    qtbot.waitUntil(lambda: label.text() == "", timeout=10_000)


def test_the_sum_of_a_dropped_receipt_shows_its_total_once_it_is_read(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path
) -> None:
    """A file dropped alone is chosen while it is read: the status bar said "1 without a total" until another
    document was chosen, though the values beside it showed the total."""
    from tests.unit.providers.local.pdfmaker import TextPage, make_pdf

    lines = [(60, 60, 16, "Corner Shop"), (60, 120, 12, "Milk"), (300, 120, 12, "3.50"),
             (60, 150, 12, "TOTAL EUR"), (300, 150, 12, "3.50")]  # fmt: skip
    app = open_app()
    drop(app.window, [make_pdf(tmp_path / "corner.pdf", [TextPage(lines)])])
    qtbot.waitUntil(lambda: settled(app, 1), timeout=READ_TIMEOUT_MS)
    label = app.window.order.sums
    qtbot.waitUntil(lambda: label.text() == "1 document chosen · 3.50 EUR", timeout=10_000)


def test_a_category_and_a_tag_set_on_many_documents_at_once_show_in_the_list(
    qtbot: QtBot, open_app: OpenApp, data_dir: Path
) -> None:
    _library(80)
    app = open_app()
    model, order = app.window.library.model, app.window.order
    qtbot.waitUntil(lambda: model.rowCount() == 80 and bool(order.choices.categories), timeout=10_000)
    ids = [model.id_at(r) for r in (70, 71, 72)]  # no category or tag yet
    app.window.library.select(ids)
    order.category_menu.aboutToShow.emit()
    fuel = next(a for a in order.category_menu.actions() if a.text() == "Fuel")
    fuel.trigger()
    qtbot.waitUntil(lambda: all(model.cached(i) and model.cached(i).category == "Fuel" for i in ids), timeout=10_000)
    order.add_tag_action.trigger()
    dialog = order._dialog
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue("receipts 2024")
    dialog.accept()
    qtbot.waitUntil(lambda: all(model.cached(i).tags == ("receipts-2024",) for i in ids), timeout=10_000)  # type: ignore[union-attr]
    row = model.row_of(ids[0])
    assert model.index(row, 4).data() == "Fuel · receipts-2024"
    qtbot.waitUntil(lambda: "receipts-2024" in order.choices.tags, timeout=10_000)


def test_ctrl_e_from_the_search_box_opens_the_export_of_what_the_list_shows(
    qtbot: QtBot, open_app: OpenApp, data_dir: Path, tmp_path: Path
) -> None:
    rows = _library(200)
    app = open_app()
    model, order, search = app.window.library.model, app.window.order, app.window.library.search
    qtbot.waitUntil(lambda: model.rowCount() == 200, timeout=10_000)
    qtbot.keyClicks(search, "category:travel")
    travel = {s.id for s in rows[:40]}
    qtbot.waitUntil(lambda: _shown_ids(app) == travel, timeout=10_000)
    app.window.library.select([next(iter(travel))])  # one open: the list is still what is exported
    search.setFocus()
    qtbot.keyClick(search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(order._dialog, ExportDialog), timeout=5_000)
    dialog = order._dialog
    assert isinstance(dialog, ExportDialog) and search.text() == "category:travel"
    assert dialog.what_shown.isChecked() and "40 documents" in dialog.what_shown.text()
    out = tmp_path / "exports"
    dialog.folder.setText(str(out))
    dialog.name.setText("travel")
    for f, box in dialog.format_boxes.items():
        box.setChecked(f is Format.XLSX)
    dialog.copy_originals.setChecked(False)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: (out / "travel.xlsx").exists(), timeout=20_000)
    sheet = load_workbook(out / "travel.xlsx")["Documents"]
    header = [c.value for c in sheet[1]]
    got = [r for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {r[header.index("Document")] for r in got} == travel
    dated = [r[header.index("Date")] for r in got if r[header.index("Date")] is not None]
    assert dated and all(d.date() <= date.today() for d in dated)  # real dates, not text
    assert all(r[header.index("Category")] == "Travel" for r in got)
    before = (out / "travel.xlsx").read_bytes()

    # The same export again: nothing is written over until the user says Replace.
    app.window.activateWindow()
    search.setFocus()
    qtbot.waitUntil(search.hasFocus, timeout=5_000)
    qtbot.keyClick(search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(order._dialog, ExportDialog), timeout=5_000)
    again = order._dialog
    assert isinstance(again, ExportDialog)
    assert again.folder.text() == str(out)  # the last folder, remembered
    assert again.format_boxes[Format.XLSX].isChecked() and not again.format_boxes[Format.CSV].isChecked()
    again.name.setText("travel")
    again.what_all.setChecked(True)
    again.export_button.click()
    qtbot.waitUntil(lambda: isinstance(order._dialog, QMessageBox), timeout=10_000)
    box = order._dialog
    assert isinstance(box, QMessageBox) and "travel.xlsx already exists" in box.text()
    assert (out / "travel.xlsx").read_bytes() == before
    replace = next(b for b in box.buttons() if b.text() == "Replace")
    replace.click()
    qtbot.waitUntil(lambda: sum(1 for _ in load_workbook(out / "travel.xlsx")["Documents"].iter_rows()) == 201,
                    timeout=20_000)  # fmt: skip


def test_the_same_receipt_as_a_photo_and_a_pdf_is_marked_and_one_moves_to_the_trash(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path
) -> None:
    photo = tmp_path / "receipt.jpg"
    photo.write_bytes((SAMPLES / "receipt.jpg").read_bytes())
    pdf = tmp_path / "receipt scanned.pdf"
    Image.open(photo).convert("RGB").save(pdf, resolution=150)
    app = open_app()
    drop(app.window, [photo])
    qtbot.waitUntil(lambda: settled(app, 1), timeout=READ_TIMEOUT_MS)
    drop(app.window, [pdf])
    model = app.window.library.model

    def marked() -> int | None:
        if not settled(app, 2):
            return None
        s = next(model.summary(r) for r in range(2) if model.summary(r).file_name == pdf.name)  # type: ignore[union-attr]
        return s.id if s and s.duplicate_of is not None else None

    qtbot.waitUntil(lambda: marked() is not None, timeout=READ_TIMEOUT_MS)
    copy = marked()
    assert copy is not None
    row = model.row_of(copy)
    assert model.index(row, 3).data() == "Possible duplicate"
    app.window.library.select([copy])
    order = app.window.order
    qtbot.waitUntil(order.compare.isVisible, timeout=10_000)
    original = app.services.library.summary(app.services.library.summary(copy).duplicate_of or 0)
    assert order.compare.text().startswith(f"Possible duplicate of {original.vendor}")
    order.compare.click()
    qtbot.waitUntil(lambda: isinstance(order._dialog, DuplicateDialog), timeout=10_000)
    dialog = order._dialog
    assert isinstance(dialog, DuplicateDialog)
    qtbot.waitUntil(lambda: all(p.pixmap() is not None and not p.pixmap().isNull() for p in dialog.pictures),
                    timeout=30_000)  # fmt: skip
    dialog.trash_buttons[1].click()  # the PDF, shown on the right
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10_000)
    assert model.summary(0).file_name == "receipt.jpg"  # type: ignore[union-attr]
    library = app.services.library
    assert library.summary(copy).in_trash and library.original_path(copy).exists()


def test_categories_are_added_renamed_and_removed_and_documents_follow(
    qtbot: QtBot, open_app: OpenApp, data_dir: Path
) -> None:
    rows = _library(60)
    app = open_app()
    model, order = app.window.library.model, app.window.order
    qtbot.waitUntil(lambda: model.rowCount() == 60 and "Travel" in order.choices.categories, timeout=10_000)
    order.open_categories()
    dialog = order._categories
    assert dialog is not None
    dialog.new_name.setText("Client dinners")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: "Client dinners" in order.choices.categories, timeout=10_000)
    assert "Client dinners" in [dialog.list.item(i).text() for i in range(dialog.list.count())]
    dialog.new_name.setText("client DINNERS")
    dialog.add_button.click()
    assert "already" in dialog.problem.text()
    travel = next(dialog.list.item(i) for i in range(dialog.list.count()) if dialog.list.item(i).text() == "Travel")
    travel.setText("Trips")  # as typed over the name in the list
    first = rows[0].id
    qtbot.waitUntil(lambda: model.cached(first) is not None and model.cached(first).category == "Trips",  # type: ignore[union-attr]
                    timeout=10_000)  # fmt: skip
    qtbot.waitUntil(lambda: "Travel" not in order.choices.categories, timeout=10_000)
    assert order.filter_bar.category.findData("Trips") > 0
    dialog.list.setCurrentRow(next(i for i in range(dialog.list.count()) if dialog.list.item(i).text() == "Trips"))
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: model.cached(first) is not None and model.cached(first).category is None, timeout=10_000)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "Trips" not in order.choices.categories, timeout=10_000)
