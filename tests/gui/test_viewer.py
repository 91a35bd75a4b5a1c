"""The page beside the values: paging through a PDF, zooming, a value's box on its own page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.conftest import READ_TIMEOUT_MS, OpenApp, drop, row_by_file, settled
from tests.unit.providers.local.pdfmaker import TextPage, make_pdf


@pytest.fixture
def two_page_invoice(tmp_path: Path) -> Path:
    first = TextPage(
        [
            (60, 60, 20, "Harbour Supplies Ltd"),
            (60, 100, 11, "Invoice date: 14 March 2024"),
            (60, 140, 11, "Invoice number: INV-2041"),
            (60, 200, 11, "Rope, 20 m"),
            (420, 200, 11, "42.00"),
        ]
    )
    second = TextPage([(60, 60, 11, "Anchor chain"), (420, 60, 11, "81.45"), (60, 120, 12, "Subtotal"),
                       (420, 120, 12, "123.45"), (60, 150, 12, "Total due EUR"), (420, 150, 12, "123.45")])  # fmt: skip
    return make_pdf(tmp_path / "invoice-2041.pdf", [first, second])


def test_page_through_a_pdf_zoom_and_find_a_value_on_its_page(
    qtbot: QtBot, open_app: OpenApp, two_page_invoice: Path
) -> None:
    app = open_app()
    drop(app.window, [two_page_invoice])
    qtbot.waitUntil(lambda: settled(app, 1), timeout=READ_TIMEOUT_MS)
    viewer = app.window.viewer
    # A file dropped alone is opened by itself; choosing it again shows the same page.
    app.window.library.select([row_by_file(app, "invoice-2041.pdf")])
    qtbot.waitUntil(lambda: viewer.view.has_page and viewer.page == 1, timeout=30_000)
    assert viewer.page_label.text() == "Page 1 of 2"
    assert not viewer.previous.isEnabled() and viewer.next.isEnabled()

    with qtbot.waitSignal(viewer.page_shown, timeout=30_000) as shown:
        viewer.next.click()
    assert shown.args == [2] and viewer.page_label.text() == "Page 2 of 2" and not viewer.next.isEnabled()

    fitted = viewer.view.zoom
    viewer.zoom_in.click()
    viewer.zoom_in.click()
    assert viewer.view.zoom == pytest.approx(fitted * 1.25 * 1.25)
    assert viewer.zoom_label.text() == f"{viewer.view.zoom * 100:.0f}%"
    viewer.zoom_out.click()
    assert viewer.view.zoom == pytest.approx(fitted * 1.25)
    viewer.fit.click()
    assert viewer.view.zoom == pytest.approx(fitted)

    # The total was printed on page 2; asking for it from page 1 turns the page and marks its box.
    with qtbot.waitSignal(viewer.page_shown, timeout=30_000):
        viewer.previous.click()
    total = app.window.editor.form.rows["total"]
    assert total.edit.text() == "123.45"
    with qtbot.waitSignal(viewer.page_shown, timeout=30_000):
        qtbot.mouseClick(total.edit, Qt.MouseButton.LeftButton)
    assert viewer.page == 2 and viewer.view.highlighted == "total"
    rect = viewer.view.box_rect("total")
    assert rect is not None and rect.left() > viewer.view.sceneRect().width() / 2  # the amount, at the right
    # Boxes say what they are in the user's words and are coloured by kind.
    items = viewer.view.scene().items()
    tips = {i.toolTip() for i in items if i.toolTip()}
    assert "Total" in tips and not any(t.startswith("line_items.") for t in tips)

    # The strip of pages: a picture per page, a click turns to it.
    qtbot.waitUntil(lambda: viewer.strip.isVisible() and viewer.strip.count() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: not viewer.strip.item(0).icon().isNull(), timeout=30_000)
    with qtbot.waitSignal(viewer.page_shown, timeout=30_000) as shown:
        viewer.strip.setCurrentRow(0)
    assert shown.args == [1]

    # Fit width: the page as wide as the view; turning the page turns its boxes with it, and undoes.
    viewer.fit_width.click()
    width = viewer.view.mapFromScene(viewer.view.sceneRect()).boundingRect().width()
    assert width == pytest.approx(viewer.view.viewport().width(), rel=0.05)
    doc_id = row_by_file(app, "invoice-2041.pdf")
    viewer.turn_right.click()
    qtbot.waitUntil(lambda: app.services.library.summary(doc_id).rotation == 1, timeout=10_000)
    qtbot.waitUntil(lambda: viewer.offer.isVisible(), timeout=10_000)
    assert "read it again" in viewer.offer.text()
    app.window.commands.undo.trigger()
    qtbot.waitUntil(lambda: app.services.library.summary(doc_id).rotation == 0, timeout=10_000)


def test_a_file_split_into_documents_by_page_and_merged_back(
    qtbot: QtBot, open_app: OpenApp, two_page_invoice: Path
) -> None:
    from receiptdesk.services.parts import parse_ranges

    app = open_app()
    drop(app.window, [two_page_invoice])
    qtbot.waitUntil(lambda: settled(app, 1), timeout=READ_TIMEOUT_MS)
    doc_id = row_by_file(app, "invoice-2041.pdf")
    library = app.services.library
    assert parse_ranges("1, 2", 2) == [(1, 1), (2, 2)]
    with pytest.raises(Exception, match="cover pages 1 to 2"):
        parse_ranges("1", 2)

    app.window.changes.split(doc_id, [(1, 1), (2, 2)])
    qtbot.waitUntil(lambda: app.window.library.model.rowCount() == 2, timeout=30_000)
    parts = sorted(library.documents(), key=lambda s: s.part)
    assert [(p.part, p.pages) for p in parts] == [(1, "1"), (2, "2")]
    assert parts[0].id == doc_id and parts[0].sha256 == parts[1].sha256  # one original
    assert parts[0].vendor == "Harbour Supplies Ltd"  # page 1's words, read again without OCR
    assert parts[1].total == "123.45"  # page 2's total is page 2's own document's

    app.window.commands.undo.trigger()  # merged back: one document read as a whole
    qtbot.waitUntil(lambda: app.window.library.model.rowCount() == 1, timeout=30_000)
    whole = library.summary(doc_id)
    assert whole.part == 0 and whole.pages is None and whole.total == "123.45"
    app.window.commands.redo.trigger()
    qtbot.waitUntil(lambda: app.window.library.model.rowCount() == 2, timeout=30_000)
