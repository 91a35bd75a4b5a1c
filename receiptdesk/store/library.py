"""The library: documents, what was extracted from them, the user's edits, search.

A repository over the SQLite file and the blob folder. It returns plain
records; callers never see SQL. Every write that spans tables runs in one
transaction, so a crash leaves the library as it was before or after.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from receiptdesk.core.document import Document, Value, value_to_json
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.core.review import REVIEWED, verdict
from receiptdesk.store import listing, organize, trash
from receiptdesk.store.blobs import BlobStore, Received
from receiptdesk.store.db import Database
from receiptdesk.store.edits import ROWS, apply_edits, read_value
from receiptdesk.store.jobs import Jobs, Usage
from receiptdesk.store.listing import ListQuery
from receiptdesk.store.records import DocumentRecord, DocumentSummary, Edit, Status
from receiptdesk.store.schema import MIGRATIONS

DB_NAME = "library.sqlite3"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Library:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = Database(root / DB_NAME, MIGRATIONS)
        # The list's queries read on their own connection: WAL lets them run while an import writes.
        self.reader = Database(root / DB_NAME, MIGRATIONS, reader=True)
        self.orders = listing.Orders(self.reader)  # the list's orders, kept until the library changes
        self.blobs = BlobStore(root / "originals")
        self.jobs = Jobs(self.db)
        self.usage = Usage(self.db)

    def close(self) -> None:
        self.reader.close()
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
        found = listing.summaries(self.db, [doc_id])
        if doc_id not in found:
            raise KeyError(doc_id)
        return found[doc_id]

    def documents(self, search: str | None = None) -> list[DocumentSummary]:
        """Every document, newest receipt first; `search` filters by any word. Small uses only:
        exports and the command line stream `walk` instead."""
        return list(self.walk(ListQuery(search or "")))

    def walk(self, query: ListQuery) -> Iterator[DocumentSummary]:
        """Every document the query matches, in its order, read a page at a time."""
        return listing.walk(self.db, query)

    def get(self, doc_id: int) -> DocumentRecord:
        summary = self.summary(doc_id)
        rows = self.db.query(
            "SELECT id, document_json FROM extractions WHERE document_id = ? ORDER BY id DESC LIMIT 1", (doc_id,)
        )
        if not rows:
            return DocumentRecord(summary, None, None)
        extraction_id = int(rows[0]["id"])
        extracted = Document.from_json(json.loads(rows[0]["document_json"]))
        edits = self._edits(doc_id, extraction_id, extracted)
        current = apply_edits(extracted, edits) if edits else extracted
        return DocumentRecord(summary, current, extracted, extraction_id, edits, self.history(doc_id))

    def raw_response(self, doc_id: int) -> tuple[str, Any] | None:
        """The provider name and its stored raw answer for the latest extraction."""
        kept = self.words_read(doc_id)
        return None if kept is None else (kept[1], kept[2])

    def words_read(self, doc_id: int) -> tuple[int, str, Any] | None:
        """The latest extraction's id, its provider and its stored raw answer (what to parse again)."""
        rows = self.db.query(
            "SELECT id, provider, raw_json FROM extractions WHERE document_id = ? ORDER BY id DESC LIMIT 1", (doc_id,)
        )
        if not rows or rows[0]["raw_json"] is None:
            return None
        return int(rows[0]["id"]), str(rows[0]["provider"]), json.loads(rows[0]["raw_json"])

    def _edits(self, doc_id: int, extraction_id: int, extracted: Document) -> dict[str, Edit]:
        """The latest edit of each value, in the order they were made, each beside the value read.

        A value typed back to what was read is no longer an edit (its mark goes)."""
        rows = self.db.query(
            """SELECT id, field, new_value, edited_at FROM edits
               WHERE document_id = ? AND extraction_id = ? ORDER BY id""",
            (doc_id, extraction_id),
        )
        latest: dict[str, sqlite3.Row] = {}
        for r in rows:
            latest.pop(r["field"], None)  # re-inserted last: the dict keeps the order of latest edits
            latest[r["field"]] = r
        out: dict[str, Edit] = {}
        for path, r in latest.items():
            read = read_value(extracted, path)
            if r["new_value"] == read and not path.startswith("line_items"):
                continue
            out[path] = Edit(path, read, r["new_value"], r["edited_at"])
        return out

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
            current = apply_edits(document, kept) if kept else document
            self._refresh(conn, doc_id, current, review=verdict(current, None))  # a new reading: looked at anew
            return extraction_id

    def save_parts(self, doc_id: int, documents: Sequence[Document], raw: Any) -> list[int]:
        """Several receipts found in one file: the first stays `doc_id` (part 1), each other one becomes
        its own document (part 2, 3 …) linked to the same original; reading the file again updates the
        same parts. Returns the ids of parts 2 and on."""
        first = self.summary(doc_id)
        ids = []
        with self.db.transaction() as conn:
            conn.execute("UPDATE documents SET part = 1, pages = ? WHERE id = ?", (_pages(documents[:1]), doc_id))
            for n, document in enumerate(documents[1:], start=2):
                row = conn.execute(
                    "SELECT id FROM documents WHERE sha256 = ? AND part = ?", (first.sha256, n)
                ).fetchone()
                if row is None:
                    cur = conn.execute(
                        """INSERT INTO documents(sha256, part, pages, file_name, media_type, size, page_count,
                                                 added_at, status)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        (first.sha256, n, _pages([document]), first.file_name, first.media_type, first.size,
                         len(document.pages), now(), Status.QUEUED.value),
                    )  # fmt: skip
                    part_id = int(cur.lastrowid or 0)
                    conn.execute(
                        "INSERT INTO documents_fts(rowid, file_name, vendor, body, notes) VALUES (?, ?, '', '', '')",
                        (part_id, first.file_name),
                    )
                else:
                    part_id = int(row[0])
                self.save_extraction(part_id, document, raw)
                ids.append(part_id)
        return ids

    def replace_reading(self, doc_id: int, extraction_id: int, document: Document) -> bool:
        """The reading `extraction_id` parsed again (same words, a newer parser or setting): the user's edits stay
        on it. Looked at again inside the write, so nothing the user did meanwhile is undone: nothing is written
        (False) when the document has been marked reviewed, or read anew, since its words were taken."""
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT review, (SELECT MAX(id) FROM extractions WHERE document_id = ?) FROM documents WHERE id = ?",
                (doc_id, doc_id),
            ).fetchone()
            if row is None or row[0] == REVIEWED or row[1] != extraction_id:
                return False
            conn.execute(
                "UPDATE extractions SET model = ?, document_json = ? WHERE id = ?",
                (document.provenance.model, json.dumps(document.to_json(), ensure_ascii=False), extraction_id),
            )
            current = apply_edits(document, self._edits(doc_id, extraction_id, document))
            self._refresh(conn, doc_id, current, review=verdict(current, row[0]))
        return True

    def parts_of(self, doc_id: int) -> list[int]:
        """Every document cut from the same file as this one, in the file's order (itself if none)."""
        sha = self.summary(doc_id).sha256
        return self.db.column("SELECT id FROM documents WHERE sha256 = ? AND deleted_at IS NULL ORDER BY part, id",
                              (sha,))  # fmt: skip

    def join_parts(self, keep: int, others: Sequence[int]) -> None:
        """The file is one document again: the others are forgotten (the original stays with `keep`)."""
        with self.db.transaction() as conn:
            for other in others:
                conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (other,))
                conn.execute("DELETE FROM documents WHERE id = ?", (other,))
            conn.execute("UPDATE documents SET part = 0, pages = NULL WHERE id = ?", (keep,))

    def _carry_edits(
        self, conn: sqlite3.Connection, doc_id: int, extraction_id: int, edits: dict[str, Edit], new: Document
    ) -> dict[str, Edit]:
        kept: dict[str, Edit] = {}
        for path, edit in edits.items():
            if path.startswith("line_items"):
                continue
            read = read_value(new, path)
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
        """Record the user's change to one value; the value read stays beside it.

        A string is taken as typed in the editor's JSON form ("12.50", "2024-03-04"); the
        editor parses what the user typed with the core parsers first."""
        return self.edit_many(doc_id, {path: new_value})

    def edit_many(self, doc_id: int, values: Mapping[str, Value | None]) -> DocumentRecord:
        """Several values changed as one step (a revert, an undo of one): all or none are kept."""
        record = self.get(doc_id)
        if record.extracted is None or record.extraction_id is None or record.current is None:
            raise ValueError("a document must be read before its fields can be edited")
        changes = []
        for path, new_value in values.items():
            new = value_to_json(new_value) if not isinstance(new_value, str) else (new_value.strip() or None)
            if path == ROWS and isinstance(new_value, str):
                new = new_value
            old = read_value(record.current, path)
            if new != old:
                changes.append((doc_id, record.extraction_id, path, old, new, now()))
        if not changes:
            return record
        with self.db.transaction() as conn:
            conn.executemany(
                """INSERT INTO edits(document_id, extraction_id, field, old_value, new_value, edited_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                changes,
            )
            edits = self._edits(doc_id, record.extraction_id, record.extracted)
            current = apply_edits(record.extracted, edits)
            self._refresh(conn, doc_id, current, review=verdict(current, record.summary.review))
        return self.get(doc_id)

    def revert(self, doc_id: int, paths: list[str] | None = None) -> DocumentRecord:
        """Back to what was read: these values, or every value the user changed."""
        record = self.get(doc_id)
        if record.extracted is None:
            return record
        chosen = paths if paths is not None else list(record.edits)
        return self.edit_many(doc_id, {p: read_value(record.extracted, p) for p in chosen})

    def history(self, doc_id: int) -> list[Edit]:
        rows = self.db.query(
            "SELECT field, old_value, new_value, edited_at FROM edits WHERE document_id = ? ORDER BY id", (doc_id,)
        )
        return [Edit(r["field"], r["old_value"], r["new_value"], r["edited_at"]) for r in rows]

    def set_notes(self, doc_id: int, notes: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE documents SET notes = ? WHERE id = ?", (notes, doc_id))
            conn.execute("UPDATE documents_fts SET notes = ? WHERE rowid = ?", (notes, doc_id))

    def trash(self, doc_ids: Sequence[int]) -> None:
        trash.move_to_trash(self.db, doc_ids, now())

    def restore(self, doc_ids: Sequence[int]) -> None:
        trash.restore(self.db, doc_ids)

    def set_rotation(self, doc_id: int, quarter_turns: int) -> None:
        """How the user turned the pages (clockwise), kept with the document."""
        self.db.execute("UPDATE documents SET rotation = ? WHERE id = ?", (quarter_turns % 4, doc_id))

    def set_review(self, doc_ids: Sequence[int], mark: str | None) -> None:
        """ "reviewed" (the user checked it), "needs_review", or None."""
        trash.mark(self.db, doc_ids, "UPDATE documents SET review = ? WHERE id = ?", mark)

    def count_to_review(self) -> int:
        return int(self.reader.column(
            "SELECT COUNT(*) FROM documents WHERE review = 'needs_review' AND deleted_at IS NULL")[0])  # fmt: skip

    def empty_trash(self) -> int:
        return trash.empty(self.db, self.blobs)

    def delete(self, doc_id: int) -> None:
        trash.forget(self.db, self.blobs, doc_id)

    # ------------------------------------------------------------------ order: categories, tags, duplicates
    def categories(self) -> list[str]:
        return organize.categories(self.db)

    def set_category(self, doc_ids: Sequence[int], category: str | None) -> None:
        organize.set_category(self.db, doc_ids, category)

    def add_tag(self, doc_ids: Sequence[int], tag: str) -> None:
        organize.add_tag(self.db, doc_ids, tag)

    def remove_tag(self, doc_ids: Sequence[int], tag: str) -> None:
        organize.remove_tag(self.db, doc_ids, tag)

    def keep_both(self, doc_ids: Sequence[int]) -> None:
        organize.keep_both(self.db, doc_ids)

    def _refresh(self, conn: sqlite3.Connection, doc_id: int, doc: Document, *, review: str | None) -> None:
        """Keep the list columns, the review mark and the search index in step with the document."""
        vendor = doc.value("vendor_name")
        conn.execute(
            "UPDATE documents SET kind = ?, vendor = ?, doc_date = ?, total = ?, currency = ?, review = ? WHERE id = ?",
            (
                doc.kind.value,
                str(vendor) if vendor else None,
                value_to_json(doc.value("date")),
                value_to_json(doc.value("total")),
                doc.currency,
                review,
                doc_id,
            ),
        )
        body = "\n".join([doc.text, *(value_to_json(f.value) or "" for f in doc.fields.values()), doc.currency or ""])
        conn.execute("UPDATE documents_fts SET vendor = ?, body = ? WHERE rowid = ?", (str(vendor or ""), body, doc_id))


def _pages(documents: Sequence[Document]) -> str | None:
    """ "2-3": the original's pages these documents were read from (None: not known)."""
    numbers = [p.number for d in documents for p in d.pages]
    if not numbers:
        return None
    lo, hi = min(numbers), max(numbers)
    return str(lo) if lo == hi else f"{lo}-{hi}"
