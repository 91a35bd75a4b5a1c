"""Exports for spreadsheets and accounting imports: CSV per document, CSV per line, JSON.

Values are the user's (extracted, with their edits); money is a plain
decimal string with a dot and dates are ISO, which every spreadsheet and
accounting import reads. CSV is UTF-8 with a byte-order mark so Excel
shows accents right.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from receiptdesk.core.document import Document, value_to_json
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.store.records import DocumentRecord

DOCUMENT_COLUMNS = (
    "file", "status", "kind", "vendor_name", "date", "invoice_id", "currency",
    "subtotal", "total_tax", "tip", "discount", "total", "amount_due", "amount_paid",
    "vendor_address", "vendor_phone", "vendor_tax_id", "customer_name", "due_date", "payment_terms",
    "provider", "edited", "checks", "notes", "error", "sha256",
)  # fmt: skip
LINE_COLUMNS = ("file", "line", "description", "quantity", "unit", "unit_price", "amount", "product_code", "tax",
                "currency", "sha256")  # fmt: skip


def result_json(source: str, document: Document | None, error: ReceiptDeskError | None) -> dict[str, Any]:
    """The canonical JSON of one input (DESIGN.md): what `extract` prints and exports carry."""
    return {
        "source": source,
        "status": "error" if error else "ok",
        "error": error.to_json() if error else None,
        "document": document.to_json() if document else None,
    }


def record_json(record: DocumentRecord) -> dict[str, Any]:
    s = record.summary
    error = ReceiptDeskError(ErrorKind(s.error_kind), s.error_message or "") if s.error_kind else None
    out = result_json(s.file_name, record.current, error if record.current is None else None)
    out["library"] = {
        "id": s.id,
        "sha256": s.sha256,
        "added": s.added_at,
        "notes": s.notes,
        "edits": [{"field": e.field, "from": e.old_value, "to": e.new_value, "when": e.edited_at}
                  for e in record.edits.values()],
    }  # fmt: skip
    return out


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.DictWriter(f, columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def _document_row(record: DocumentRecord) -> dict[str, Any]:
    s, doc = record.summary, record.current
    row: dict[str, Any] = {"file": s.file_name, "status": s.status.value, "notes": s.notes, "sha256": s.sha256,
                           "error": s.error_message or "", "provider": s.provider or ""}  # fmt: skip
    if doc is not None:
        row.update({name: value_to_json(f.value) or "" for name, f in doc.fields.items()})
        row["kind"] = doc.kind.value
        row["currency"] = doc.currency or ""
        row["edited"] = " ".join(sorted(record.edits))
        row["checks"] = "; ".join(c.message for c in doc.checks if c.status != "ok")
    return row


def _line_rows(record: DocumentRecord) -> Iterable[dict[str, Any]]:
    doc = record.current
    if doc is None:
        return
    for i, item in enumerate(doc.line_items, start=1):
        row: dict[str, Any] = {name: value_to_json(f.value) or "" for name, f in item.fields.items()}
        row.update(file=record.summary.file_name, line=i, currency=doc.currency or "", sha256=record.summary.sha256)
        yield row


def export(records: list[DocumentRecord], folder: Path, *, stem: str = "receipts") -> list[Path]:
    """Write <stem>.csv, <stem>-lines.csv and <stem>.json into `folder`; returns the files written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        docs, lines, js = folder / f"{stem}.csv", folder / f"{stem}-lines.csv", folder / f"{stem}.json"
        _write_csv(docs, DOCUMENT_COLUMNS, (_document_row(r) for r in records))
        _write_csv(lines, LINE_COLUMNS, (row for r in records for row in _line_rows(r)))
        js.write_text(
            json.dumps([record_json(r) for r in records], ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    except OSError as e:
        raise ReceiptDeskError(ErrorKind.STORAGE, f"The export could not be written to {folder}.", detail=str(e)) from e
    return [docs, lines, js]
