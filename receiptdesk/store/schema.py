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


_V4_DOCUMENTS = """
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL,             -- the original file, kept in originals/
    part          INTEGER NOT NULL DEFAULT 0, -- 0: the whole file; 1, 2 ...: documents cut from it
    pages         TEXT,                      -- the pages of the original this document is ("2-3"), or all
    file_name     TEXT NOT NULL,
    media_type    TEXT,
    size          INTEGER NOT NULL,
    page_count    INTEGER NOT NULL DEFAULT 0,
    added_at      TEXT NOT NULL,
    status        TEXT NOT NULL,             -- queued | extracting | waiting | ok | failed | stopped
    error_kind    TEXT,
    error_message TEXT,
    kind          TEXT,
    vendor        TEXT,
    doc_date      TEXT,
    total         TEXT,
    currency      TEXT,
    provider      TEXT,
    notes         TEXT NOT NULL DEFAULT '',
    review        TEXT,                      -- needs_review | reviewed | NULL (nothing to check)
    rotation      INTEGER NOT NULL DEFAULT 0, -- quarter turns clockwise the user gave the pages
    deleted_at    TEXT,                      -- in the Trash since then (the original is kept)
    category      TEXT,
    category_suggested INTEGER NOT NULL DEFAULT 0, -- 1: the reader's guess, not the user's choice
    duplicate_of  INTEGER,                   -- the document this one may be a copy of
    page_hash     TEXT,                      -- a perceptual hash of the first page, for look-alikes
    UNIQUE (sha256, part)
)
"""
_V4_COLUMNS = (
    "id, sha256, file_name, media_type, size, page_count, added_at, status, error_kind, error_message, kind, vendor, "
    "doc_date, total, currency, provider, notes"
)


def _v4(conn: sqlite3.Connection) -> None:
    """Several documents from one file (a PDF of three receipts, a split), the Trash, review marks,
    rotation, categories and tags, duplicates. The table is made anew (SQLite cannot drop the old
    UNIQUE on sha256 in place); Database turns foreign keys off around it, as SQLite prescribes.
    The list's indexes cover only what is not in the Trash (partial), so walking one in order never
    reads a row: the id is in the index, and the Trash test is the index's own condition."""
    conn.execute(_V4_DOCUMENTS.replace("CREATE TABLE documents", "CREATE TABLE documents_v4"))
    conn.execute(f"INSERT INTO documents_v4({_V4_COLUMNS}) SELECT {_V4_COLUMNS} FROM documents")
    conn.execute("DROP TABLE documents")
    conn.execute("ALTER TABLE documents_v4 RENAME TO documents")
    run_script(
        conn,
        """
        DROP INDEX IF EXISTS documents_by_date;
        DROP INDEX IF EXISTS documents_by_date_desc;
        DROP INDEX IF EXISTS documents_by_vendor;
        DROP INDEX IF EXISTS documents_by_total;
        DROP INDEX IF EXISTS documents_by_total_desc;
        DROP INDEX IF EXISTS documents_by_status;
        CREATE INDEX documents_by_date ON documents(doc_date IS NULL, doc_date, id) WHERE deleted_at IS NULL;
        CREATE INDEX documents_by_date_desc ON documents(doc_date IS NOT NULL, doc_date, id) WHERE deleted_at IS NULL;
        CREATE INDEX documents_by_vendor ON documents(COALESCE(vendor, file_name) COLLATE NOCASE, id)
            WHERE deleted_at IS NULL;
        CREATE INDEX documents_by_total ON documents(total IS NULL, currency, CAST(total AS REAL), id)
            WHERE deleted_at IS NULL;
        CREATE INDEX documents_by_total_desc ON documents(total IS NOT NULL, currency, CAST(total AS REAL), id)
            WHERE deleted_at IS NULL;
        CREATE INDEX documents_by_status ON documents(status, id) WHERE deleted_at IS NULL;
        CREATE INDEX documents_in_trash ON documents(deleted_at) WHERE deleted_at IS NOT NULL;
        CREATE INDEX documents_to_review ON documents(review) WHERE review IS NOT NULL;
        CREATE INDEX documents_by_category ON documents(category);
        CREATE INDEX documents_by_match ON documents(vendor COLLATE NOCASE, doc_date, total);
        CREATE INDEX documents_by_page_hash ON documents(page_hash) WHERE page_hash IS NOT NULL;
        CREATE TABLE tags (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            tag         TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (document_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX tags_by_tag ON tags(tag, document_id);
        CREATE TABLE categories (
            name        TEXT PRIMARY KEY COLLATE NOCASE,
            position    INTEGER NOT NULL
        );
        """,
    )
    # Prefix indexes for one to three letters: a search as one types ("1", "12", "s") is a lookup,
    # not a scan of every word that starts so (100,000 documents: 271 -> 30 ms for "1").
    run_script(
        conn,
        """
        CREATE VIRTUAL TABLE documents_fts_v4 USING fts5(file_name, vendor, body, notes, tokenize = 'unicode61',
                                                         prefix = '1 2 3');
        INSERT INTO documents_fts_v4(rowid, file_name, vendor, body, notes)
            SELECT rowid, file_name, vendor, body, notes FROM documents_fts;
        DROP TABLE documents_fts;
        ALTER TABLE documents_fts_v4 RENAME TO documents_fts;
        """,
    )
    defaults = (
        "Meals", "Groceries", "Travel", "Fuel", "Lodging", "Office supplies", "Software", "Phone and internet",
        "Utilities", "Rent", "Equipment", "Professional services", "Advertising", "Insurance", "Health",
        "Education", "Gifts", "Other",
    )  # fmt: skip
    conn.executemany("INSERT INTO categories(name, position) VALUES (?, ?)", [(n, i) for i, n in enumerate(defaults)])


def _v5(conn: sqlite3.Connection) -> None:
    # The documents the user asked to be parsed again with new reading settings, until each is: kept in the file,
    # so a quit halfway (a large library takes a while) goes on at the next start instead of being forgotten.
    # `asked` grows with every ask: a re-read crosses off only the asks it saw, never one made while it ran.
    run_script(
        conn,
        """
        CREATE TABLE parse_again (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            asked       INTEGER NOT NULL
        );
        -- The sum per currency of every document (all of them chosen) read from one small index in currency
        -- order, not the rows themselves: 100,000 documents in 15 ms instead of 200.
        CREATE INDEX documents_sums ON documents(currency, total) WHERE deleted_at IS NULL;
        """,
    )


MIGRATIONS: list[Migration] = [_v1, _v2, _v3, _v4, _v5]
