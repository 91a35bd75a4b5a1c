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
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from receiptdesk.core.document import Document, value_to_json
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.core.fields import FIELDS, LINE_ITEM_FIELDS, ValueKind
from receiptdesk.store.records import STATUS_LABELS, DocumentRecord, DocumentSummary, Status

M, N, D, X = ValueKind.MONEY, ValueKind.NUMBER, ValueKind.DATE, ValueKind.TEXT

# The columns of the documents and line-items tables: (machine name, what users call it, kind).
# JSON keeps the machine names; CSV and Excel headers are the users' words.
DOCUMENT_COLUMNS: tuple[tuple[str, str, ValueKind], ...] = (
    ("id", "Document", N), ("file", "File", X), ("status", "Status", X), ("kind", "Type", X),
    ("vendor_name", "Vendor", X), ("date", "Date", D), ("invoice_id", "Invoice / receipt number", X),
    ("currency", "Currency", X), ("subtotal", "Subtotal", M), ("total_tax", "Tax", M), ("tip", "Tip", M),
    ("discount", "Discount", M), ("total", "Total", M), ("amount_due", "Amount due", M),
    ("amount_paid", "Amount paid", M), ("category", "Category", X), ("tags", "Tags", X),
    ("vendor_address", "Vendor address", X), ("vendor_phone", "Vendor phone", X),
    ("vendor_tax_id", "Vendor tax ID", X), ("customer_name", "Customer", X), ("due_date", "Due date", D),
    ("payment_terms", "Payment terms", X), ("provider", "Read by", X), ("edited", "Corrected by you", X),
    ("checks", "Checks", X), ("warnings", "Warnings about the reading", X), ("notes", "Notes", X),
    ("duplicate_of", "Possible duplicate of", N),
    ("error", "Problem", X), ("sha256", "File fingerprint (SHA-256)", X),
)  # fmt: skip
LINE_COLUMNS: tuple[tuple[str, str, ValueKind], ...] = (
    ("id", "Document", N), ("file", "File", X), ("vendor_name", "Vendor", X), ("date", "Date", D),
    ("line", "Line", N), ("description", "Description", X), ("quantity", "Quantity", N), ("unit", "Unit", X),
    ("unit_price", "Unit price", M), ("amount", "Amount", M), ("product_code", "Product code", X),
    ("tax", "Tax", M), ("currency", "Currency", X), ("sha256", "File fingerprint (SHA-256)", X),
)  # fmt: skip
# The readers as the window names them (providers/*/provider.py `title`), without importing the readers.
PROVIDER_TITLES = {"local": "On this computer", "textract": "Amazon Textract", "azure": "Azure Form Recognizer"}


class Format(StrEnum):
    CSV = "csv"  # documents and line items, two files
    XLSX = "xlsx"  # one workbook, a sheet per table
    JSON = "json"


class Originals(StrEnum):
    FOLDER = "folder"
    ZIP = "zip"


class ExportExists(ReceiptDeskError):
    """Files of an earlier export are where this one would write: the user decides whether to replace them."""

    def __init__(self, paths: list[Path]) -> None:
        names = ", ".join(p.name for p in paths[:3]) + (" …" if len(paths) > 3 else "")
        verb = "exists" if len(paths) == 1 else "exist"
        super().__init__(
            ErrorKind.STORAGE,
            f"{names} already {verb} in {paths[0].parent}. Choose another name or folder, or replace them.",
        )
        self.paths = paths


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
        "category": s.category,
        "category_suggested": s.category_suggested,
        "tags": list(s.tags),
        "duplicate_of": s.duplicate_of,
        "review": s.review,
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


def _status_text(s: DocumentSummary) -> str:
    if s.status is Status.OK and s.review == "needs_review":
        return "Needs review"
    if s.status is Status.OK and s.review == "reviewed":
        return "Reviewed"
    return STATUS_LABELS[s.status]


def _iso_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _amount(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _edited_text(paths: Iterable[str]) -> str:
    """'line_items.2.amount' -> 'Line 2 amount': what the user corrected, as they would say it."""
    out = []
    for path in sorted(paths):
        parts = path.split(".")
        if parts[0] == "line_items" and len(parts) == 3:
            label = LINE_ITEM_FIELDS[parts[2]].label.lower() if parts[2] in LINE_ITEM_FIELDS else parts[2]
            out.append(f"Line {int(parts[1]) + 1} {label}")
        else:
            out.append(FIELDS[path].label if path in FIELDS else path.capitalize())
    return ", ".join(out)


def document_row(record: DocumentRecord) -> dict[str, Any]:
    """One document's values, typed (Decimal, date, int, str), keyed by machine name."""
    s, doc = record.summary, record.current
    row: dict[str, Any] = {
        "id": s.id, "file": s.file_name, "status": _status_text(s), "notes": s.notes, "sha256": s.sha256,
        "error": s.error_message or "", "provider": PROVIDER_TITLES.get(s.provider or "", s.provider or ""),
        "category": s.category or "", "tags": ", ".join(s.tags), "duplicate_of": s.duplicate_of,
        # the list's own columns, for a document with no reading kept
        "vendor_name": s.vendor, "date": _iso_date(s.date), "total": _amount(s.total), "currency": s.currency or "",
    }  # fmt: skip
    if doc is not None:
        row.update({name: f.value for name, f in doc.fields.items()})
        row["kind"] = doc.kind.value.capitalize()
        row["currency"] = doc.currency or ""
        row["edited"] = _edited_text(record.edits)
        row["checks"] = "; ".join(c.message for c in doc.checks if c.status != "ok")
        row["warnings"] = "; ".join(doc.warnings)  # a partial cloud reading says so in the spreadsheet too
    return row


def line_rows(record: DocumentRecord) -> Iterable[dict[str, Any]]:
    doc = record.current
    if doc is None:
        return
    s = record.summary
    for i, item in enumerate(doc.line_items, start=1):
        row: dict[str, Any] = {name: f.value for name, f in item.fields.items()}
        row.update(id=s.id, file=s.file_name, line=i, currency=doc.currency or "", sha256=s.sha256,
                   vendor_name=doc.value("vendor_name"), date=doc.value("date"))  # fmt: skip
        yield row


def _text_row(row: dict[str, Any], columns: Sequence[tuple[str, str, ValueKind]]) -> list[Any]:
    """A row for CSV: money as a plain decimal string, dates ISO, formulas defused."""
    out: list[Any] = []
    for name, _, _ in columns:
        value = row.get(name)
        out.append(cell(value_to_json(value) if value is not None and not isinstance(value, (str, int)) else
                        "" if value is None else value))  # fmt: skip
    return out


def targets(folder: Path, stem: str, formats: Iterable[Format], originals: Originals | None) -> list[Path]:
    """The files and folders an export writes, so they can be checked before anything is written."""
    out: list[Path] = []
    for f in formats:
        if f is Format.CSV:
            out += [folder / f"{stem}.csv", folder / f"{stem}-lines.csv"]
        else:
            out.append(folder / f"{stem}.{f.value}")
    if originals is Originals.FOLDER:
        out.append(folder / f"{stem}-originals")
    elif originals is Originals.ZIP:
        out.append(folder / f"{stem}-originals.zip")
    return out


DEFAULT_FORMATS = (Format.CSV, Format.JSON)


def export(
    records: Iterable[DocumentRecord],
    folder: Path,
    *,
    stem: str = "receipts",
    formats: Sequence[Format] = DEFAULT_FORMATS,
    originals: Originals | None = None,
    original_path: Callable[[DocumentSummary], Path] | None = None,
    replace: bool = False,
) -> list[Path]:
    """Write the chosen formats (and a copy of the originals) into `folder`; returns what was written.

    Files already there are refused (ExportExists) unless `replace`. `records` may be a generator: it
    is read once, and each record is let go once written; every file appears whole or not at all."""
    from receiptdesk.services.export_files import OriginalsCopy, Workbook

    written = targets(folder, stem, formats, originals)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        there = [p for p in written if p.exists()]
        if there and not replace:
            raise ExportExists(there)
        if originals is not None and original_path is None:
            raise ValueError("copying the originals needs original_path")
        with contextlib.ExitStack() as stack:
            doc_csv = line_csv = js = None
            # The JSON is put in place last (contexts close in reverse): when it is there, all of it is.
            if Format.JSON in formats:
                js = stack.enter_context(_private(folder / f"{stem}.json"))
                js.write("[")
            if Format.CSV in formats:
                doc_csv = csv.writer(stack.enter_context(_private(folder / f"{stem}.csv")))
                line_csv = csv.writer(stack.enter_context(_private(folder / f"{stem}-lines.csv")))
                doc_csv.writerow([label for _, label, _ in DOCUMENT_COLUMNS])
                line_csv.writerow([label for _, label, _ in LINE_COLUMNS])
            book = stack.enter_context(Workbook(folder / f"{stem}.xlsx")) if Format.XLSX in formats else None
            copies = stack.enter_context(OriginalsCopy(written[-1], originals)) if originals is not None else None
            for n, record in enumerate(records):
                row, lines = document_row(record), list(line_rows(record))
                if doc_csv is not None and line_csv is not None:
                    doc_csv.writerow(_text_row(row, DOCUMENT_COLUMNS))
                    line_csv.writerows(_text_row(line, LINE_COLUMNS) for line in lines)
                if book is not None:
                    book.add(row, lines)
                if js is not None:
                    js.write(",\n" if n else "\n")
                    js.write(json.dumps(record_json(record), ensure_ascii=False, indent=2))
                if copies is not None and original_path is not None:
                    copies.add(record.summary, original_path(record.summary))
            if js is not None:
                js.write("\n]\n")
    except OSError as e:
        raise ReceiptDeskError(ErrorKind.STORAGE, f"The export could not be written to {folder}.", detail=str(e)) from e
    return written
