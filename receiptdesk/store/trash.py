"""The Trash: a document moved there leaves the list, search and exports, and is kept as it was
until the Trash is emptied; then it is forgotten, with its original unless another document was
cut from the same file.

Plain functions over the Database and the blob folder; the Library offers them as methods.
"""

from __future__ import annotations

from collections.abc import Sequence

from receiptdesk.store.blobs import BlobStore
from receiptdesk.store.db import Database


def mark(db: Database, doc_ids: Sequence[int], sql: str, value: str | None) -> None:
    """One UPDATE per document, all in one transaction."""
    with db.transaction() as conn:
        conn.executemany(sql, [(value, i) for i in doc_ids])


def move_to_trash(db: Database, doc_ids: Sequence[int], when: str) -> None:
    """Documents marked as possible copies of the trashed ones are no longer marked."""
    mark(db, doc_ids, "UPDATE documents SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", when)
    mark(db, doc_ids, "UPDATE documents SET duplicate_of = ? WHERE duplicate_of = ?", None)


def restore(db: Database, doc_ids: Sequence[int]) -> None:
    """Back from the Trash, as it was."""
    mark(db, doc_ids, "UPDATE documents SET deleted_at = ? WHERE id = ?", None)


def empty(db: Database, blobs: BlobStore) -> int:
    """Forget every document in the Trash for good; the count forgotten."""
    doomed = db.column("SELECT id FROM documents WHERE deleted_at IS NOT NULL")
    for doc_id in doomed:
        forget(db, blobs, doc_id)
    return len(doomed)


def forget(db: Database, blobs: BlobStore, doc_id: int) -> None:
    """Forget a document; its original too, unless another document was cut from the same file."""
    with db.transaction() as conn:
        row = conn.execute("SELECT sha256 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        shared = conn.execute("SELECT 1 FROM documents WHERE sha256 = ? LIMIT 1", (row[0],)).fetchone()
    if shared is None:
        blobs.remove(row[0])
