"""A reading's warnings live in the document JSON the library keeps: stored, read back, kept
through the user's edits, and exported with it."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from receiptdesk.core.document import Document, Field, Provenance
from receiptdesk.services.exporter import Format, export, record_json
from receiptdesk.store.library import Library

PARTIAL = "Amazon Textract could not read page 2 (UNREADABLE_PAGE)."


def test_warnings_are_stored_read_back_kept_through_edits_and_exported(tmp_path: Path) -> None:
    original = tmp_path / "invoice.pdf"
    original.write_bytes(b"%PDF-1.4 two pages")
    library = Library(tmp_path / "lib")
    try:
        doc_id, _ = library.add_file(original, media_type="application/pdf", page_count=2)
        doc = Document(Provenance("textract", "AnalyzeExpense 1.0"), fields={"total": Field(Decimal("9.00"), "9.00")})
        doc.warnings = [PARTIAL]
        library.save_extraction(doc_id, doc, raw={"JobStatus": "PARTIAL_SUCCESS"})

        record = library.get(doc_id)
        assert record.extracted is not None and record.extracted.warnings == [PARTIAL]
        library.edit(doc_id, "total", Decimal("9.50"))
        edited = library.get(doc_id).current
        assert edited is not None and edited.value("total") == Decimal("9.50")
        assert edited.warnings == [PARTIAL] and edited.needs_review  # an edit does not make it whole
        exported = record_json(library.get(doc_id))["document"]
        assert exported["warnings"] == [PARTIAL] and exported["needs_review"] is True
        assert library.summary(doc_id).review == "needs_review"  # the list and the status bar say it too
        files = export([library.get(doc_id)], tmp_path / "out", formats=(Format.CSV,))
        with next(f for f in files if f.name.endswith(".csv") and "lines" not in f.name).open(
            encoding="utf-8-sig"
        ) as f:
            (row,) = list(csv.DictReader(f))
        assert row["Warnings about the reading"] == PARTIAL  # and the spreadsheet
    finally:
        library.close()
