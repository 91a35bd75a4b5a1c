"""Categories, tags, possible duplicates and the sums of chosen documents: how a user keeps order.

Plain functions over the Database, each one statement or one transaction; the
Library offers them as methods. Categories set by the user win over the
reader's suggestion; a suggestion is marked as one (category_suggested) until
the user confirms or changes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from receiptdesk.store.db import Database

CHUNK = 500  # ids bound per statement, far below SQLite's limit on parameters

# duplicate_of = 0: the user compared the two and kept both; it is not flagged again.
KEPT_BOTH = 0


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _marks(n: int) -> str:
    return ",".join("?" * n)


# ------------------------------------------------------------------ categories
def categories(db: Database) -> list[str]:
    """The user's categories in their order (a default list comes with a new library)."""
    return [str(n) for n in db.column("SELECT name FROM categories ORDER BY position, name")]


def add_category(db: Database, name: str) -> None:
    name = name.strip()
    if not name:
        raise ValueError("A category needs a name.")
    db.execute(
        "INSERT OR IGNORE INTO categories(name, position) VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 "
        "FROM categories))",
        (name,),
    )


def rename_category(db: Database, old: str, new: str) -> None:
    """The category and every document in it take the new name."""
    new = new.strip()
    if not new:
        raise ValueError("A category needs a name.")
    with db.transaction() as conn:
        conn.execute("UPDATE categories SET name = ? WHERE name = ?", (new, old))
        conn.execute("UPDATE documents SET category = ? WHERE category = ? COLLATE NOCASE", (new, old))


def remove_category(db: Database, name: str) -> None:
    """The category leaves the list; documents in it keep no category."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM categories WHERE name = ?", (name,))
        conn.execute("UPDATE documents SET category = NULL, category_suggested = 0 WHERE category = ?", (name,))


def set_category(db: Database, doc_ids: Sequence[int], category: str | None) -> None:
    """The user's choice for many documents at once (None: no category); a new name joins the list."""
    with db.transaction() as conn:
        if category:
            conn.execute(
                "INSERT OR IGNORE INTO categories(name, position) VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 "
                "FROM categories))",
                (category,),
            )
            # the list's spelling of a name typed in another case
            category = str(conn.execute("SELECT name FROM categories WHERE name = ?", (category,)).fetchone()[0])
        for chunk in _chunks(doc_ids):
            conn.execute(
                f"UPDATE documents SET category = ?, category_suggested = 0 WHERE id IN ({_marks(len(chunk))})",
                (category or None, *chunk),
            )


def suggest_category(db: Database, doc_id: int, category: str | None) -> bool:
    """The reader's guess, kept only where the user has chosen nothing; True if it was kept."""
    if category is None:
        return False
    cur = db.execute(
        "UPDATE documents SET category = ?, category_suggested = 1 "
        "WHERE id = ? AND (category IS NULL OR category_suggested = 1)",
        (category, doc_id),
    )
    return cur.rowcount > 0


# ------------------------------------------------------------------ tags
def clean_tag(tag: str) -> str:
    """A tag is one word-like label: spaces become dashes ('client x' -> 'client-x')."""
    return re.sub(r"\s+", "-", tag.strip())


def add_tag(db: Database, doc_ids: Sequence[int], tag: str) -> None:
    tag = clean_tag(tag)
    if not tag:
        raise ValueError("A tag needs a name.")
    with db.transaction() as conn:
        conn.executemany("INSERT OR IGNORE INTO tags(document_id, tag) VALUES (?, ?)", [(i, tag) for i in doc_ids])


def remove_tag(db: Database, doc_ids: Sequence[int], tag: str) -> None:
    with db.transaction() as conn:
        for chunk in _chunks(doc_ids):
            conn.execute(f"DELETE FROM tags WHERE tag = ? AND document_id IN ({_marks(len(chunk))})", (tag, *chunk))


def all_tags(db: Database) -> list[str]:
    """Every tag in use, for the filter bar and the tag box's completion (an index walk)."""
    return [str(t) for t in db.column("SELECT DISTINCT tag FROM tags ORDER BY tag")]


def tags_of(db: Database, doc_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for chunk in _chunks(doc_ids):
        rows = db.query(
            f"SELECT document_id, tag FROM tags WHERE document_id IN ({_marks(len(chunk))}) ORDER BY tag", chunk
        )
        for r in rows:
            out.setdefault(int(r["document_id"]), []).append(str(r["tag"]))
    return {k: tuple(v) for k, v in out.items()}


def currencies(db: Database) -> list[str]:
    """The currencies in the library, for the filter bar (a walk of the totals index)."""
    return [str(c) for c in db.column("SELECT DISTINCT currency FROM documents WHERE currency IS NOT NULL")]


# ------------------------------------------------------------------ sums of chosen documents
@dataclass(frozen=True, slots=True)
class Sums:
    """The count of chosen documents and their totals per currency (documents with no total apart)."""

    count: int
    by_currency: dict[str, Decimal]
    without_total: int

    def text(self) -> str:
        if not self.count:
            return ""
        parts = [f"{self.count:,} document{'s' if self.count != 1 else ''} chosen"]
        if self.by_currency:
            parts.append(" + ".join(f"{amount:,.2f} {cur}".strip() for cur, amount in sorted(self.by_currency.items())))
        if self.without_total:
            parts.append(f"{self.without_total} without a total")
        return " · ".join(parts)


# Totals are summed in SQL as whole thousandths (every currency has at most three decimals), so the sum
# is exact without reading each row into Python: a float holds any total to a thousandth far past 10^12.
_THOUSANDTHS = "CAST(ROUND(CAST(total AS REAL) * 1000) AS INTEGER)"


def _grouped(db: Database, where: str, params: Sequence[Any]) -> list[tuple[str, int, Decimal]]:
    rows = db.query(
        f"SELECT COALESCE(currency, '') AS currency, COUNT(*) AS n, SUM({_THOUSANDTHS}) AS amount FROM documents "
        # grouped by the column (NULL and '' are merged by _sums): the library's whole list reads documents_sums
        f"WHERE ({where}) AND total IS NOT NULL AND total != '' GROUP BY currency",
        params,
    )
    return [(str(r["currency"]), int(r["n"]), Decimal(int(r["amount"])) / 1000) for r in rows]


def _sums(count: int, groups: Iterable[tuple[str, int, Decimal]]) -> Sums:
    by_currency: dict[str, Decimal] = {}
    with_total = 0
    for currency, n, amount in groups:
        with_total += n
        by_currency[currency] = by_currency.get(currency, Decimal(0)) + amount
    return Sums(
        count, {k: v.quantize(Decimal("0.001")).normalize() for k, v in by_currency.items()}, count - with_total
    )


def sums(db: Database, doc_ids: Sequence[int]) -> Sums:
    """Exact sums per currency of the chosen documents, one grouped query per chunk of ids."""
    groups = (g for chunk in _chunks(doc_ids) for g in _grouped(db, f"id IN ({_marks(len(chunk))})", chunk))
    return _sums(len(doc_ids), groups)


def sums_where(db: Database, where: str, params: Sequence[Any], count: int) -> Sums:
    """The sums of every document a list shows (all of it chosen): one grouped query over its conditions."""
    return _sums(count, _grouped(db, where, params))


def _decimal(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


# ------------------------------------------------------------------ possible duplicates
# Two first pages whose 256-bit difference hashes differ in at most this many bits look the same
# (measured on real receipts: tests/bench/duplicates.py prints the distances).
PAGE_HASH_BITS = 256
LOOKS_THE_SAME = 12


def vendor_key(vendor: str | None) -> str:
    """A vendor's name as compared for duplicates: no accents, case, spaces or punctuation."""
    if not vendor:
        return ""
    plain = unicodedata.normalize("NFKD", vendor).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^0-9a-z]", "", plain)


def hash_distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def find_duplicate(db: Database, doc_id: int) -> int | None:
    """An earlier document (not in the Trash) with the same vendor, date and total, or a first page that
    looks the same. The date narrows the candidates through its index; the rest is compared here."""
    rows = db.query("SELECT vendor, doc_date, total, page_hash, duplicate_of FROM documents WHERE id = ?", (doc_id,))
    if not rows or rows[0]["duplicate_of"] == KEPT_BOTH:
        return None
    me = rows[0]
    total, vendor = _decimal(me["total"]), vendor_key(me["vendor"])
    if me["doc_date"] and total is not None and vendor:
        for r in db.query(
            "SELECT id, vendor, total FROM documents WHERE (doc_date IS NULL) = 0 AND doc_date = ? AND id != ? "
            "AND deleted_at IS NULL ORDER BY id",
            (me["doc_date"], doc_id),
        ):
            if _decimal(r["total"]) == total and vendor_key(r["vendor"]) == vendor:
                return int(r["id"])
    if me["page_hash"]:
        # documents cut from the same file share its first page: they are parts, not copies
        for r in db.query(
            "SELECT id, page_hash FROM documents WHERE page_hash IS NOT NULL AND id != ? AND deleted_at IS NULL "
            "AND sha256 != (SELECT sha256 FROM documents WHERE id = ?) ORDER BY id",
            (doc_id, doc_id),
        ):
            if hash_distance(me["page_hash"], r["page_hash"]) <= LOOKS_THE_SAME:
                return int(r["id"])
    return None


def mark_duplicate(db: Database, doc_id: int, page_hash: str | None = None) -> int | None:
    """Store the page's hash (when given) and mark the document a possible duplicate; returns of which."""
    if page_hash is not None:
        db.execute("UPDATE documents SET page_hash = ? WHERE id = ?", (page_hash, doc_id))
    other = find_duplicate(db, doc_id)
    db.execute(
        "UPDATE documents SET duplicate_of = ? WHERE id = ? AND (duplicate_of IS NULL OR duplicate_of != ?)",
        (other, doc_id, KEPT_BOTH),
    )
    return other


def keep_both(db: Database, doc_ids: Iterable[int]) -> None:
    """The user compared them: neither is flagged as a copy again."""
    with db.transaction() as conn:
        conn.executemany("UPDATE documents SET duplicate_of = ? WHERE id = ?", [(KEPT_BOTH, i) for i in doc_ids])
