"""A reading's warnings are shown beside its values, with a name a screen reader says."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot

from receiptdesk.core.document import Document, Field, Provenance
from receiptdesk.store.records import DocumentRecord, DocumentSummary, Status
from receiptdesk.ui.editor.panel import EditorPanel

PARTIAL = "Amazon Textract could not read page 2 (UNREADABLE_PAGE)."


def record(warnings: list[str]) -> DocumentRecord:
    doc = Document(
        Provenance("textract", "AnalyzeExpense 1.0"), fields={"total": Field(Decimal("12.00"), "$12.00", 0.99)}
    )
    doc.warnings = list(warnings)
    summary = DocumentSummary(
        id=1, sha256="0" * 64, file_name="invoice.pdf", media_type="application/pdf", size=10, page_count=2,
        added_at="2026-12-02T10:00:00", status=Status.OK, error_kind=None, error_message=None, kind="invoice",
        vendor="Acme", date=None, total="12.00", currency="USD", provider="textract",
    )  # fmt: skip
    return DocumentRecord(summary, doc, doc)


def test_a_partial_reading_shows_its_warning_beside_the_values(qtbot: QtBot) -> None:
    panel = EditorPanel({"textract": "Amazon Textract"})
    qtbot.addWidget(panel)
    panel.show()
    panel.show_record(record([PARTIAL, "The uploaded copy s3://b/k could not be deleted: Access Denied"]))
    assert panel.warnings.isVisible()
    assert panel.warnings.accessibleName() == "Warnings about this reading"
    assert "could not read page 2" in panel.warnings.text() and "could not be deleted" in panel.warnings.text()
    assert PARTIAL in panel.warnings.accessibleDescription()
    assert "needs review" in panel.subtitle.full_text()

    panel.show_record(record([]))  # a complete reading: nothing to warn about
    assert not panel.warnings.isVisible()
    assert "needs review" not in panel.subtitle.full_text()
