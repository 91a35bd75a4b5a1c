"""Many documents in a real library file at once, for tests of the list at scale.

Rows go into the real schema with one executemany (the store's own add_file copies a file and
fsyncs per document: right for users, minutes for 10,000 rows in a test).
"""

from __future__ import annotations

import random
from decimal import Decimal

from receiptdesk.store.library import Library

VENDORS = ("Aldi", "Bäckerei Ernst", "Café Luna", "Hardware Depot", "Tesco", "Shell", "Ikea", "Zara", None)
CURRENCIES = ("EUR", "EUR", "USD", "GBP")


def fill(library: Library, count: int, *, seed: int = 5) -> None:
    rng = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        vendor = rng.choice(VENDORS)
        dated = rng.random() > 0.1
        total = Decimal(rng.randrange(1, 200_000)) / 100 if rng.random() > 0.1 else None
        rows.append(
            (
                f"{n:064x}", f"scan-{n:05}.jpg", "image/jpeg", 1000 + n, 1, "2026-01-01T00:00:00+00:00",
                "ok" if vendor else "failed", "receipt", vendor,
                f"20{rng.randrange(16, 26)}-{rng.randrange(1, 13):02}-{rng.randrange(1, 29):02}" if dated else None,
                str(total) if total is not None else None, rng.choice(CURRENCIES) if total is not None else None,
            )
        )  # fmt: skip
    with library.db.transaction() as conn:
        conn.executemany(
            """INSERT INTO documents(sha256, file_name, media_type, size, page_count, added_at, status, kind,
                                     vendor, doc_date, total, currency)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows,
        )
        conn.execute(
            "INSERT INTO documents_fts(rowid, file_name, vendor, body, notes) "
            "SELECT id, file_name, COALESCE(vendor, ''), 'TOTAL ' || COALESCE(total, ''), '' FROM documents"
        )
