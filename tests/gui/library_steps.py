"""Steps the window's tests share: a library already read, a document chosen, a value typed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from receiptdesk.app import Window
from receiptdesk.core.document import Document, Field, LineItem, Provenance
from receiptdesk.services.paths import AppPaths
from receiptdesk.store.library import Library
from tests.gui.conftest import SAMPLES


def reading(vendor: str | None, total: str | None, items: int = 1) -> Document:
    """What a reader gave: a vendor, a total and that many line items, surely read."""
    fields = {"date": Field(date(2024, 3, 4), "04.03.2024", 0.95)}
    if vendor:
        fields["vendor_name"] = Field(vendor, vendor, 0.95)
    if total:
        fields["total"] = Field(Decimal(total), total, 0.95)
    each = Decimal(total or "1") / items
    lines = [LineItem({"description": Field(f"Item {n + 1}", confidence=0.9), "amount": Field(each, confidence=0.9)})
             for n in range(items)]  # fmt: skip
    return Document(Provenance("local", "test"), currency="EUR", fields=fields, line_items=lines)


def library_with(tmp_path: Path, *docs: tuple[str, Document]) -> list[int]:
    """Documents already read, put in the library the window will open (real files, real SQLite)."""
    library = Library(AppPaths.from_environment().ensure().data)
    ids = []
    for n, (name, doc) in enumerate(docs):
        original = tmp_path / name
        original.write_bytes((SAMPLES / "receipt.jpg").read_bytes() + b" %d" % n)
        doc_id, _ = library.add_file(original, media_type="image/jpeg", page_count=1)
        library.save_extraction(doc_id, doc, raw=None)
        ids.append(doc_id)
    library.close()
    return ids


def choose(qtbot: QtBot, app: Window, doc_id: int) -> None:
    qtbot.waitUntil(lambda: app.window.library.model.row_of(doc_id) is not None, timeout=10_000)
    app.window.library.select([doc_id])
    editor = app.window.editor
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == doc_id, timeout=10_000)


def type_value(qtbot: QtBot, app: Window, name: str, text: str) -> None:
    box = app.window.editor.form.rows[name].edit
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def stored_total(app: Window, doc_id: int) -> str | None:
    """The total in the library, once the editor shows it too (the user acts on what is shown)."""
    total = app.services.library.summary(doc_id).total
    return total if app.window.editor.form.rows["total"].edit.text() == total else None


def visible_box(window: QWidget, name: str) -> QMessageBox:
    (box,) = [b for b in window.findChildren(QMessageBox, name) if b.isVisible()]
    return box
