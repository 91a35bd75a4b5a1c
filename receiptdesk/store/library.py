"""The library: documents, what was extracted from them, the user's edits, search.

A repository over the SQLite file and the blob folder. It returns plain
records; callers never see SQL. Every write that spans tables runs in one
transaction, so a crash leaves the library as it was before or after.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from receiptdesk.core.document import Document, Value, value_to_json
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.store.blobs import BlobStore, Received
from receiptdesk.store.db import Database
from receiptdesk.store.edits import apply_edits
from receiptdesk.store.jobs import Jobs, Usage
from receiptdesk.store.records import DocumentRecord, DocumentSummary, Edit, Status
from receiptdesk.store.schema import MIGRATIONS

DB_NAME = "library.sqlite3"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fts_query(text: str) -> str:
    """User words -> an FTS5 query: every word must appear, as a prefix, quoted so no syntax leaks."""
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


class Library:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = Database(root / DB_NAME, MIGRATIONS)
        self.blobs = BlobStore(root / "originals")
        self.jobs = Jobs(self.db)
        self.usage = Usage(self.db)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ documents
    def add_file(
        self,
        path: Path,
        *,
        media_type: str | None,
        page_count: int,
        received: Received | None = None,
        name: str | None = None,
    ) -> tuple[int, bool]:
        """Record a file and keep its original; the same bytes again return the existing id (and False).

        `received` is the file already copied in (the import's file step, off the db lane); the copy
        takes its SHA-256 name inside the transaction that records it, so a kill leaves no original
        without its row. `name` is the file's name as the user knows it."""
        if received is None:
            try:
                with path.open("rb") as f:
                    received = self.blobs.receive(f, path.name)
            except OSError as e:
                raise ReceiptDeskError(ErrorKind.BAD_DOCUMENT, f"{path.name} cannot be read.", detail=str(e)) from e
        name = name or path.name
        sha = received.sha256
        stored = False
        try:
            with self.db.transaction() as conn:
                existing = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha,)).fetchone()
                if existing:
                    self.blobs.keep(received.incoming, sha)  # puts a lost original back
                    return int(existing["id"]), False
                cur = conn.execute(
                    """INSERT INTO documents(sha256, file_name, media_type, size, page_count, added_at, status)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (sha, name, media_type, received.size, page_count, now(), Status.QUEUED.value),
                )
                doc_id = int(cur.lastrowid or 0)
                conn.execute(
                    "INSERT INTO documents_fts(rowid, file_name, vendor, body, notes) VALUES (?, ?, '', '', '')",
                    (doc_id, name),
                )
                stored = self.blobs.keep(received.incoming, sha)
            return doc_id, True
        except BaseException:
            if stored:  # the row was not written after all: no original without its row
                self.blobs.remove(sha)
            raise
        finally:
            self.blobs.discard(received.incoming)

    def original_path(self, doc_id: int) -> Path:
        return self.blobs.path_for(self.summary(doc_id).sha256)

    def summary(self, doc_id: int) -> DocumentSummary:
        rows = self.db.query("SELECT * FROM documents WHERE id = ?", (doc_id,))
        if not rows:
            raise KeyError(doc_id)
        return _summary(rows[0])

    def documents(self, search: str | None = None, *, limit: int = 10_000, offset: int = 0) -> list[DocumentSummary]:
        """Newest receipt first (by its date, then by when it was added); `search` filters by any word."""
        order = "ORDER BY d.doc_date IS NULL, d.doc_date DESC, d.id DESC"
        if search and (q := fts_query(search)):
            rows = self.db.query(
                f"""SELECT d.* FROM documents d JOIN documents_fts f ON f.rowid = d.id
                    WHERE documents_fts MATCH ? {order} LIMIT ? OFFSET ?""",
                (q, limit, offset),
            )
        else:
            rows = self.db.query(f"SELECT d.* FROM documents d {order} LIMIT ? OFFSET ?", (limit, offset))
        return [_summary(r) for r in rows]

    def get(self, doc_id: int) -> DocumentRecord:
        summary = self.summary(doc_id)
        rows = self.db.query(
            "SELECT id, document_json FROM extractions WHERE document_id = ? ORDER BY id DESC LIMIT 1", (doc_id,)
        )
        if not rows:
            return DocumentRecord(summary, None, None)
        extraction_id = int(rows[0]["id"])
        extracted = Document.from_json(json.loads(rows[0]["document_json"]))
        edits = self._edits(doc_id, extraction_id)
        current = apply_edits(extracted, edits) if edits else extracted
        return DocumentRecord(summary, current, extracted, extraction_id, edits)

    def raw_response(self, doc_id: int) -> tuple[str, Any] | None:
        """The provider name and its stored raw answer for the latest extraction."""
        rows = self.db.query(
            "SELECT provider, raw_json FROM extractions WHERE document_id = ? ORDER BY id DESC LIMIT 1", (doc_id,)
        )
        if not rows or rows[0]["raw_json"] is None:
            return None
        return str(rows[0]["provider"]), json.loads(rows[0]["raw_json"])

    def _edits(self, doc_id: int, extraction_id: int) -> dict[str, Edit]:
        rows = self.db.query(
            """SELECT field, old_value, new_value, edited_at FROM edits
               WHERE document_id = ? AND extraction_id = ? ORDER BY id""",
            (doc_id, extraction_id),
        )
        return {r["field"]: Edit(r["field"], r["old_value"], r["new_value"], r["edited_at"]) for r in rows}

    def set_status(self, doc_id: int, status: Status, error: ReceiptDeskError | None = None) -> None:
        self.db.execute(
            "UPDATE documents SET status = ?, error_kind = ?, error_message = ? WHERE id = ?",
            (status.value, error.kind.value if error else None, error.message if error else None, doc_id),
        )

    def save_extraction(self, doc_id: int, document: Document, raw: Any) -> int:
        """Keep a provider's answer; it becomes the document's current reading.

        The user's corrections of the document's own fields (not its line items, whose rows
        a new reading may number differently) carry over: a value the user typed is theirs,
        whichever service reads the document next. The new reading stays beside each one."""
        created = (document.provenance.created or datetime.now(UTC)).isoformat(timespec="seconds")
        previous = self.get(doc_id)
        with self.db.transaction() as conn:
            cur = conn.execute(
                """INSERT INTO extractions(document_id, provider, model, created_at, raw_json, document_json)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (
                    doc_id,
                    document.provenance.provider,
                    document.provenance.model,
                    created,
                    json.dumps(raw, ensure_ascii=False) if raw is not None else None,
                    json.dumps(document.to_json(), ensure_ascii=False),
                ),
            )
            conn.execute(
                "UPDATE documents SET status = ?, error_kind = NULL, error_message = NULL, page_count = "
                "MAX(page_count, ?), provider = ? WHERE id = ?",
                (Status.OK.value, len(document.pages), document.provenance.provider, doc_id),
            )
            extraction_id = int(cur.lastrowid or 0)
            kept = self._carry_edits(conn, doc_id, extraction_id, previous.edits, document)
            self._refresh(conn, doc_id, apply_edits(document, kept) if kept else document)
            return extraction_id

    def _carry_edits(
        self, conn: sqlite3.Connection, doc_id: int, extraction_id: int, edits: dict[str, Edit], new: Document
    ) -> dict[str, Edit]:
        kept: dict[str, Edit] = {}
        for path, edit in edits.items():
            if path.startswith("line_items."):
                continue
            read = _extracted_value(new, path)
            if read == edit.new_value:
                continue  # the new reading agrees with the user
            conn.execute(
                """INSERT INTO edits(document_id, extraction_id, field, old_value, new_value, edited_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (doc_id, extraction_id, path, read, edit.new_value, edit.edited_at),
            )
            kept[path] = Edit(path, read, edit.new_value, edit.edited_at)
        return kept

    def edit(self, doc_id: int, path: str, new_value: Value | None) -> DocumentRecord:
        """Record the user's change to one field; the extracted value stays beside it.

        A string is taken as typed in the editor's JSON form ("12.50", "2024-03-04"); the
        editor parses what the user typed with the core parsers first.
        """
        record = self.get(doc_id)
        if record.extracted is None or record.extraction_id is None:
            raise ValueError("a document must be read before its fields can be edited")
        new = value_to_json(new_value) if not isinstance(new_value, str) else (new_value.strip() or None)
        old = record.edits[path].new_value if path in record.edits else _extracted_value(record.extracted, path)
        if new == old:
            return record
        with self.db.transaction() as conn:
            conn.execute(
                """INSERT INTO edits(document_id, extraction_id, field, old_value, new_value, edited_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (doc_id, record.extraction_id, path, old, new, now()),
            )
            edits = self._edits(doc_id, record.extraction_id)
            current = apply_edits(record.extracted, edits)
            self._refresh(conn, doc_id, current)
        return self.get(doc_id)

    def history(self, doc_id: int) -> list[Edit]:
        rows = self.db.query(
            "SELECT field, old_value, new_value, edited_at FROM edits WHERE document_id = ? ORDER BY id", (doc_id,)
        )
        return [Edit(r["field"], r["old_value"], r["new_value"], r["edited_at"]) for r in rows]

    def set_notes(self, doc_id: int, notes: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE documents SET notes = ? WHERE id = ?", (notes, doc_id))
            conn.execute("UPDATE documents_fts SET notes = ? WHERE rowid = ?", (notes, doc_id))

    def delete(self, doc_id: int) -> None:
        """Forget a document and its original file."""
        sha = self.summary(doc_id).sha256
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (doc_id,))
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        self.blobs.remove(sha)

    def _refresh(self, conn: sqlite3.Connection, doc_id: int, doc: Document) -> None:
        """Keep the list columns and the search index in step with the document."""
        vendor = doc.value("vendor_name")
        conn.execute(
            "UPDATE documents SET kind = ?, vendor = ?, doc_date = ?, total = ?, currency = ? WHERE id = ?",
            (
                doc.kind.value,
                str(vendor) if vendor else None,
                value_to_json(doc.value("date")),
                value_to_json(doc.value("total")),
                doc.currency,
                doc_id,
            ),
        )
        body = "\n".join([doc.text, *(value_to_json(f.value) or "" for f in doc.fields.values()), doc.currency or ""])
        conn.execute("UPDATE documents_fts SET vendor = ?, body = ? WHERE rowid = ?", (str(vendor or ""), body, doc_id))


def _extracted_value(doc: Document, path: str) -> str | None:
    if path == "currency":
        return doc.currency
    f = doc.field_at(path)
    return value_to_json(f.value) if f else None


def _summary(r: sqlite3.Row) -> DocumentSummary:
    return DocumentSummary(
        id=int(r["id"]),
        sha256=r["sha256"],
        file_name=r["file_name"],
        media_type=r["media_type"],
        size=int(r["size"]),
        page_count=int(r["page_count"]),
        added_at=r["added_at"],
        status=Status(r["status"]),
        error_kind=r["error_kind"],
        error_message=r["error_message"],
        kind=r["kind"],
        vendor=r["vendor"],
        date=r["doc_date"],
        total=r["total"],
        currency=r["currency"],
        provider=r["provider"],
        notes=r["notes"],
    )
