"""Libraries of any size for the scale bench, built through the store from real receipts' text.

Every document's text, vendor, address, line items and totals come from a labelled receipt in
../shared/data (SROIE's ground-truth lines, WildReceipt's words and line items), varied per copy:
another date across ten years, the amounts scaled, some fields left unread, some documents failed
or still queued, as a real library has. Built once per size and kept in a cache folder.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from receiptdesk.core.document import Document, Field, LineItem, Page, Provenance
from receiptdesk.core.errors import bad_document
from receiptdesk.core.geometry import Box
from receiptdesk.store import schema as schema_module
from receiptdesk.store.library import Library
from receiptdesk.store.records import Status
from receiptdesk.store.schema import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "receipts"
PHOTO = ROOT / "resources" / "samples" / "receipt.jpg"
REAL_EVERY = 1000  # one document in so many keeps a real photo as its original (the rest: a few bytes)


@dataclass(frozen=True, slots=True)
class Seed:
    """One real receipt: its printed lines and labels."""

    text: str
    vendor: str
    address: str
    total: Decimal | None
    items: tuple[tuple[str, Decimal], ...]


def _money(text: str | None) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", "")) if text else None
    except InvalidOperation:
        return None


def _sroie_lines(box: Path) -> str:
    lines = []
    for row in box.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = row.split(",", 8)
        if len(parts) == 9:
            lines.append(parts[8])
    return "\n".join(lines)


def seeds() -> list[Seed]:
    """Every labelled receipt with its text (826 of them)."""
    out: list[Seed] = []
    for folder, listing in (("sroie", "sroie-dev.jsonl"), ("sroie-train-text", "sroie-train-text.jsonl")):
        for line in (DATA / folder / listing).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            f = rec["fields"]
            text = _sroie_lines(DATA / folder / rec["ocr_gt"])
            out.append(Seed(text, f.get("vendor") or "", f.get("address") or "", _money(f.get("total")), ()))
    wild = DATA / "wildreceipt"
    for line in (wild / "wildreceipt-dev.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        f = rec["fields"]
        words = json.loads((wild / rec["ocr_gt"]).read_text(encoding="utf-8"))["words"]
        text = " ".join(w["text"] for w in words if w["text"])
        items = tuple(
            (i["description"], m) for i in f.get("line_items") or [] if (m := _money(i.get("amount"))) is not None
        )
        out.append(Seed(text, f.get("vendor") or "", f.get("address") or "", _money(f.get("total")), items))
    return out


def _document(seed: Seed, rng: random.Random) -> Document:
    scale = Decimal(rng.choice(["0.5", "1", "1", "1", "2", "3.5"]))
    day = date(2016, 1, 1) + timedelta(days=rng.randrange(3650))
    fields: dict[str, Field] = {"date": Field(day, day.isoformat(), 0.9, 1, Box(0.1, 0.2, 0.3, 0.22))}
    if seed.vendor and rng.random() > 0.05:
        fields["vendor_name"] = Field(seed.vendor, seed.vendor, 0.8, 1, Box(0.1, 0.02, 0.8, 0.05))
    if seed.address:
        fields["vendor_address"] = Field(seed.address, seed.address, 0.7, 1, Box(0.1, 0.06, 0.8, 0.1))
    if seed.total is not None and rng.random() > 0.03:
        total = (seed.total * scale).quantize(Decimal("0.01"))
        fields["total"] = Field(total, str(total), 0.9, 1, Box(0.6, 0.8, 0.9, 0.82))
    items = [
        LineItem({"description": Field(d, d, 0.8), "amount": Field((a * scale).quantize(Decimal("0.01")), None, 0.8)})
        for d, a in seed.items
    ]
    return Document(
        Provenance("local", "bench corpus"),
        currency=rng.choice(["MYR", "MYR", "USD", "EUR", "GBP"]),
        pages=[Page(1, 1000, 2000)],
        fields=fields,
        line_items=items,
        text=seed.text,
    )


def build(root: Path, count: int, *, seed: int = 7) -> Library:
    """A library of `count` documents in `root` (made anew)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    rng = random.Random(seed)
    pool = seeds()
    library = Library(root)
    photo = PHOTO.read_bytes()
    real: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        original = Path(tmp) / "receipt.jpg"
        with library.db.transaction():  # one commit: the store's own calls join it
            for n in range(count):
                is_real = n % REAL_EVERY == REAL_EVERY // 2
                # bytes after a JPEG's end change nothing it shows, and make each file another document
                original.write_bytes((photo if is_real else b"\xff\xd8\xff bench receipt") + b" %d" % n)
                doc_id, _ = library.add_file(original, media_type="image/jpeg", page_count=1)
                roll = rng.random()
                if roll < 0.01:
                    library.set_status(doc_id, Status.FAILED, bad_document("receipt.jpg is damaged."))
                elif roll < 0.02:
                    library.set_status(doc_id, Status.STOPPED)  # stopped before it was read
                else:
                    library.save_extraction(doc_id, _document(rng.choice(pool), rng), raw=None)
                if is_real:
                    real.append(doc_id)
    (root / "real-originals.json").write_text(json.dumps(real))
    return library


def cached(cache: Path, count: int) -> Path:
    """The data folder of a library of `count` documents, built on first use."""
    schema = hashlib.sha1(inspect.getsource(schema_module).encode()).hexdigest()[:8]
    root = cache / f"library-{count}-v{len(MIGRATIONS)}-{schema}"
    done = root / ".complete"
    if not done.exists():
        build(root, count).close()
        done.touch()
    return root


def words(library: Library, n: int, *, seed: int = 3) -> Iterator[str]:
    """Words that occur in the library's text, for searches."""
    rng = random.Random(seed)
    rows = library.db.column("SELECT vendor FROM documents WHERE vendor IS NOT NULL LIMIT 200")
    for _ in range(n):
        yield rng.choice(rows).split()[0]
