"""What the library list shows: one query per view, on indexes, for libraries of 100,000 documents.

A view of the library is its ids in order (`ids`), fetched at once and cheap
(an index walk, four bytes a row), and the rows themselves (`summaries`),
fetched by id only for what is on screen. Sorting and searching are SQL;
nothing here reads a whole row it will not show.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from receiptdesk.store import organize
from receiptdesk.store.db import Database
from receiptdesk.store.filters import Filters, parse_search
from receiptdesk.store.records import DocumentSummary, Status


class SortBy(StrEnum):
    DATE = "date"
    VENDOR = "vendor"
    TOTAL = "total"
    STATUS = "status"


# Each order walks one index of schema v3 (forwards, or backwards for the other direction);
# documents with no date or no total come last both ways.
_ORDERS: dict[tuple[SortBy, bool], str] = {
    (SortBy.DATE, False): "doc_date IS NULL, doc_date, id",
    (SortBy.DATE, True): "doc_date IS NOT NULL DESC, doc_date DESC, id DESC",
    (SortBy.VENDOR, False): "COALESCE(vendor, file_name) COLLATE NOCASE, id",
    (SortBy.VENDOR, True): "COALESCE(vendor, file_name) COLLATE NOCASE DESC, id DESC",
    (SortBy.TOTAL, False): "total IS NULL, currency, CAST(total AS REAL), id",
    (SortBy.TOTAL, True): "total IS NOT NULL DESC, currency DESC, CAST(total AS REAL) DESC, id DESC",
    (SortBy.STATUS, False): "status, id",
    (SortBy.STATUS, True): "status DESC, id DESC",
}


@dataclass(frozen=True, slots=True)
class ListQuery:
    """One view of the library: the words searched for, the filters and the order. The default is newest first.

    `search` may hold terms (`vendor:aldi total>100`): they filter like the filter bar's choices."""

    search: str = ""
    sort: SortBy = SortBy.DATE
    descending: bool = True
    trash: bool = False  # the Trash instead of the library
    filters: Filters = field(default_factory=Filters)


def fts_query(text: str) -> str:
    """User words -> an FTS5 query: every word must appear, as a prefix, quoted so no syntax leaks."""
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def where(query: ListQuery) -> tuple[str, tuple[Any, ...]]:
    """The query's conditions (search words, terms and filters) as SQL for `FROM documents WHERE ...`."""
    conditions = ["deleted_at IS NOT NULL" if query.trash else "deleted_at IS NULL"]
    params: list[Any] = []
    words, terms = parse_search(query.search)
    match = fts_query(words)
    if match:
        conditions.append("id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(match)
    for f in (query.filters, *terms):
        sql, values = f.sql()
        conditions.extend(sql)
        params.extend(values)
    return " AND ".join(conditions), tuple(params)


def _select(query: ListQuery, columns: str) -> tuple[str, tuple[Any, ...]]:
    sql, params = where(query)
    return f"SELECT {columns} FROM documents WHERE {sql} ORDER BY {_ORDERS[(query.sort, query.descending)]}", params


def ids(db: Database, query: ListQuery) -> list[int]:
    """Every matching document's id, in the list's order: no cap, however large the library."""
    sql, params = _select(query, "id")
    return db.column(sql, params)


class Orders:
    """The list's orders kept in memory on the reading connection, until the library changes.

    A sort is one index walk; the same sort again (back from a search, a header clicked twice) is
    free. A search (or a filter) takes the words' matches from the full-text index (the filter's
    matches from its own conditions) and keeps the order already known: a common word matching half
    the library costs one FTS lookup and a pass over ids, not a sort of the matches. SQLite's
    data_version says when another connection (an import, an edit) has written, and every kept order
    is dropped then."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._version: int | None = None
        self._orders: dict[tuple[SortBy, bool, bool], list[int]] = {}

    def ids(self, query: ListQuery) -> list[int]:
        version = int(self.db.column("PRAGMA data_version")[0])
        if version != self._version:
            self._orders.clear()
            self._version = version
        key = (query.sort, query.descending, query.trash)
        order = self._orders.get(key)
        if order is None:
            order = self._orders[key] = ids(self.db, ListQuery("", query.sort, query.descending, query.trash))
        words, terms = parse_search(query.search)
        if terms or query.filters.active:
            # Filters and terms (`total>100`, a period, a tag): the ids they keep, from their indexes where
            # they have one, and the order already known; nothing is sorted.
            sql, params = where(query)
            found = set(self.db.column(f"SELECT id FROM documents WHERE {sql}", params))
            return [i for i in order if i in found]
        match = fts_query(words)
        if not match:
            return order
        found = set(self.db.column("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", (match,)))
        return [i for i in order if i in found]


def summaries(db: Database, doc_ids: Sequence[int]) -> dict[int, DocumentSummary]:
    """The rows for these ids (an indexed lookup each), by id; ids deleted meanwhile are absent."""
    out: dict[int, DocumentSummary] = {}
    for start in range(0, len(doc_ids), 500):  # SQLite's limit on bound parameters is far above this
        chunk = list(doc_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        tags = organize.tags_of(db, chunk)
        for r in db.query(f"SELECT * FROM documents WHERE id IN ({marks})", chunk):
            out[int(r["id"])] = summary_of(r, tags.get(int(r["id"]), ()))
    return out


def walk(db: Database, query: ListQuery, *, page: int = 500) -> Iterator[DocumentSummary]:
    """Every matching document in order, a page at a time: exports and the command line stream this."""
    order = ids(db, query)
    for start in range(0, len(order), page):
        chunk = order[start : start + page]
        rows = summaries(db, chunk)
        yield from (rows[i] for i in chunk if i in rows)


def summary_of(r: sqlite3.Row, tags: tuple[str, ...] = ()) -> DocumentSummary:
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
        review=r["review"],
        deleted_at=r["deleted_at"],
        category=r["category"],
        category_suggested=bool(r["category_suggested"]),
        duplicate_of=r["duplicate_of"] or None,  # 0: the user kept both
        part=int(r["part"]),
        pages=r["pages"],
        rotation=int(r["rotation"]),
        tags=tags,
    )
