"""A reading's warnings are shown beside its values, with a name a screen reader says."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from receiptdesk.core.document import Document, Field, Provenance
from receiptdesk.core.errors import bad_document
from receiptdesk.store.records import DocumentRecord, DocumentSummary, Status
from receiptdesk.ui import theme
from receiptdesk.ui.editor.panel import EditorPanel
from receiptdesk.ui.errors import ProblemBanner
from receiptdesk.ui.theme import Role
from tests.gui.test_trash import named

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
    assert "needs review" in panel.subtitle.full_text().lower()

    panel.show_record(record([]))  # a complete reading: nothing to warn about
    assert not panel.warnings.isVisible()
    assert "needs review" not in panel.subtitle.full_text().lower()


def test_a_failed_document_in_the_trash_is_not_offered_a_retry(qtbot: QtBot) -> None:
    """Try again read a trashed document anew, though the Trash keeps it as it was until restored."""
    panel = EditorPanel({"textract": "Amazon Textract"})
    qtbot.addWidget(panel)
    panel.show()
    failed = replace(record([]).summary, status=Status.FAILED, error_kind="service", error_message="Textract failed.")
    panel.show_record(DocumentRecord(failed, None, None))
    retry = named(panel, QPushButton, "Read the document again")
    assert retry.isVisible()
    panel.show_record(DocumentRecord(replace(failed, deleted_at="2026-12-02T11:00:00"), None, None))
    assert not retry.isVisible() and named(panel, QLabel, "Why the values cannot be changed").isVisible()


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_what_to_do_about_a_bad_file_is_readable_in_either_theme(qtbot: QtBot, name: str) -> None:
    """The hint under "This file cannot be read" was #555 in both themes: grey on dark red in the dark one."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette = app.style().name(), app.palette()
    theme.apply(app, name)
    try:
        banner = ProblemBanner()
        qtbot.addWidget(banner)
        banner.set_problem(bad_document("empty.jpg is empty (0 bytes)."))
        banner.show()
        banner.hint.ensurePolished()
        text = banner.hint.palette().color(banner.hint.foregroundRole())
        assert _contrast(text, theme.colour(Role.ERROR_BACKGROUND)) >= 4.5, (name, text.name())
    finally:
        app.setStyle(style)
        app.setPalette(palette)
