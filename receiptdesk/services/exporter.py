"""Exports for spreadsheets and accounting imports: CSV per document, CSV per line, JSON.

Values are the user's (extracted, with their edits); money is a plain
decimal string with a dot and dates are ISO, which every spreadsheet and
accounting import reads. CSV is UTF-8 with a byte-order mark so Excel
shows accents right. The files are written in one pass over the records, one
record in memory at a time, so a library of any size exports; they are the
user's only (0600), since they hold every receipt's text and amounts.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

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


# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)", "@SUM", "+cmd|..."): written with a
# leading apostrophe, as spreadsheets themselves do, so it shows as text. Plain numbers stay numbers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


@contextlib.contextmanager
def _private(path: Path) -> Iterator[IO[str]]:
    """A file only its owner can read, written whole or not at all (a temporary name, then renamed)."""
    tmp = path.with_name(f".{path.name}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8") as f:
            yield f
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


def export(records: Iterable[DocumentRecord], folder: Path, *, stem: str = "receipts") -> list[Path]:
    """Write <stem>.csv, <stem>-lines.csv and <stem>.json into `folder`; returns the files written.

    `records` may be a generator: it is read once, and each record is let go once written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        docs, lines, js = folder / f"{stem}.csv", folder / f"{stem}-lines.csv", folder / f"{stem}.json"
        with _private(docs) as d, _private(lines) as li, _private(js) as j:
            doc_writer = csv.DictWriter(d, DOCUMENT_COLUMNS, extrasaction="ignore")
            line_writer = csv.DictWriter(li, LINE_COLUMNS, extrasaction="ignore")
            doc_writer.writeheader()
            line_writer.writeheader()
            j.write("[")
            for n, record in enumerate(records):
                doc_writer.writerow({k: cell(v) for k, v in _document_row(record).items()})
                line_writer.writerows({k: cell(v) for k, v in row.items()} for row in _line_rows(record))
                j.write(",\n" if n else "\n")
                j.write(json.dumps(record_json(record), ensure_ascii=False, indent=2))
            j.write("\n]\n")
    except OSError as e:
        raise ReceiptDeskError(ErrorKind.STORAGE, f"The export could not be written to {folder}.", detail=str(e)) from e
    return [docs, lines, js]
