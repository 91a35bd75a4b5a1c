"""The library's schema, one function per version, never edited once released.

Version 1 is the first release's schema; each later version is a function
that moves a version N-1 file forward. Database runs the missing ones in a
transaction after copying the file aside.
"""

from __future__ import annotations

import sqlite3

from receiptdesk.store.db import Migration, run_script


def _v1(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE documents (
            id            INTEGER PRIMARY KEY,
            sha256        TEXT NOT NULL UNIQUE,      -- the original file, kept in blobs/
            file_name     TEXT NOT NULL,
            media_type    TEXT,
            size          INTEGER NOT NULL,
            page_count    INTEGER NOT NULL DEFAULT 0,
            added_at      TEXT NOT NULL,
            status        TEXT NOT NULL,             -- queued | extracting | waiting | ok | failed
            error_kind    TEXT,
            error_message TEXT,
            -- what the list shows and sorts by, kept in step with extraction + edits
            kind          TEXT,
            vendor        TEXT,
            doc_date      TEXT,
            total         TEXT,
            currency      TEXT,
            provider      TEXT
        );
        CREATE TABLE extractions (
            id            INTEGER PRIMARY KEY,
            document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            provider      TEXT NOT NULL,
            model         TEXT,
            created_at    TEXT NOT NULL,
            raw_json      TEXT,                      -- the provider's answer, to re-map for free
            document_json TEXT NOT NULL              -- the canonical document as extracted
        );
        CREATE INDEX extractions_by_document ON extractions(document_id, id);
        CREATE TABLE edits (
            id            INTEGER PRIMARY KEY,
            document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            extraction_id INTEGER REFERENCES extractions(id) ON DELETE SET NULL,
            field         TEXT NOT NULL,             -- "total", "line_items.2.amount"
            old_value     TEXT,
            new_value     TEXT,
            edited_at     TEXT NOT NULL
        );
        CREATE INDEX edits_by_document ON edits(document_id, id);
        CREATE TABLE jobs (
            id            INTEGER PRIMARY KEY,
            document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            provider      TEXT NOT NULL,
            state         TEXT NOT NULL,             -- pending | running | waiting | done | failed
            remote_json   TEXT,                      -- what the provider checkpointed (a JobId ...)
            attempts      INTEGER NOT NULL DEFAULT 0,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            error_kind    TEXT,
            error_message TEXT
        );
        CREATE INDEX jobs_open ON jobs(state);
        CREATE VIRTUAL TABLE documents_fts USING fts5(file_name, vendor, body, tokenize = 'unicode61');
        """,
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Notes on documents (searchable) and the pages each paid service read per month."""
    run_script(
        conn,
        """
        ALTER TABLE documents ADD COLUMN notes TEXT NOT NULL DEFAULT '';
        CREATE TABLE usage (
            month     TEXT NOT NULL,                 -- "2026-11"
            provider  TEXT NOT NULL,
            pages     INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (month, provider)
        );
        DROP TABLE documents_fts;
        CREATE VIRTUAL TABLE documents_fts USING fts5(file_name, vendor, body, notes, tokenize = 'unicode61');
        """,
    )
    # Re-index what version 1 had indexed, now with the notes column.
    rows = conn.execute(
        """SELECT d.id, d.file_name, COALESCE(d.vendor, ''), COALESCE(
                (SELECT json_extract(e.document_json, '$.text') FROM extractions e
                 WHERE e.document_id = d.id ORDER BY e.id DESC LIMIT 1), '')
           FROM documents d"""
    ).fetchall()
    conn.executemany(
        "INSERT INTO documents_fts(rowid, file_name, vendor, body, notes) VALUES (?, ?, ?, ?, '')",
        [tuple(r) for r in rows],
    )


def _v3(conn: sqlite3.Connection) -> None:
    """Indexes for every order the list offers, so a sort is a walk along an index, not a sort of rows.

    The expressions here are the ones store/listing.py orders by, letter for letter: SQLite uses an
    index on an expression only when the query repeats the expression. Dates and totals have two,
    so the documents without one come last whichever way the list is sorted."""
    run_script(
        conn,
        """
        CREATE INDEX documents_by_date ON documents(doc_date IS NULL, doc_date, id);
        CREATE INDEX documents_by_date_desc ON documents(doc_date IS NOT NULL, doc_date, id);
        CREATE INDEX documents_by_vendor ON documents(COALESCE(vendor, file_name) COLLATE NOCASE, id);
        CREATE INDEX documents_by_total ON documents(total IS NULL, currency, CAST(total AS REAL), id);
        CREATE INDEX documents_by_total_desc ON documents(total IS NOT NULL, currency, CAST(total AS REAL), id);
        CREATE INDEX documents_by_status ON documents(status, id);
        """,
    )


MIGRATIONS: list[Migration] = [_v1, _v2, _v3]
