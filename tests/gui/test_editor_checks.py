"""Each check is said once: about one value under that value, across several values above them."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from receiptdesk.core.document import Document, Field, Provenance
from receiptdesk.core.validation import validate
from receiptdesk.store.records import DocumentRecord, DocumentSummary, Status
from receiptdesk.ui.editor.panel import EditorPanel
from tests.gui.test_trash import named

NOT_A_DATE = "Date “31/02/2024” is not a date."


def record(doc: Document) -> DocumentRecord:
    doc.checks = validate(doc)
    summary = DocumentSummary(
        id=1, sha256="0" * 64, file_name="r.jpg", media_type="image/jpeg", size=10, page_count=1,
        added_at="2026-12-02T10:00:00", status=Status.OK, error_kind=None, error_message=None, kind="receipt",
        vendor="Aldi", date=None, total="13.00", currency="EUR", provider="local",
    )  # fmt: skip
    return DocumentRecord(summary, doc, doc)


def receipt(total: str) -> Document:
    fields = {
        "vendor_name": Field("Aldi", "Aldi", 0.95),
        "date": Field(None, "31/02/2024", 0.9),
        "subtotal": Field(Decimal("10.00"), "10.00", 0.95),
        "total_tax": Field(Decimal("2.00"), "2.00", 0.95),
        "total": Field(Decimal(total), total, 0.95),
    }
    return Document(Provenance("local", "test"), currency="EUR", fields=fields)


def _said(panel: EditorPanel, words: str) -> list[str]:
    """The accessible names of the visible labels that say these words."""
    return [w.accessibleName() for w in panel.findChildren(QLabel) if w.isVisible() and words in w.text()]


def test_a_check_about_one_value_is_said_once_under_that_value(qtbot: QtBot) -> None:
    panel = EditorPanel({"local": "This computer"})
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show()
    panel.show_record(record(receipt("13.00")))  # a date that is no date, and 10 + 2 is not 13

    assert _said(panel, NOT_A_DATE) == ["About Date"]  # under the value it is about, not also above
    assert named(panel, QLineEdit, "Date").accessibleDescription() == NOT_A_DATE  # said with its box
    checks = named(panel, QLabel, "Checks of the amounts and dates")
    assert "but the total is" in checks.text() and NOT_A_DATE not in checks.text()
    assert "values marked ⚠" in checks.text()  # the values to look at are pointed to
    assert "but the total is" not in named(panel, QLabel, "About Total").text()

    panel.show_record(record(receipt("12.00")))  # the amounts add up; only the date is wrong
    assert _said(panel, NOT_A_DATE) == ["About Date"]
    assert "The amounts add up" not in checks.text() and "values marked ⚠" in checks.text()
