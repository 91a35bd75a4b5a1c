import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receiptdesk.core.document import Document, Field, LineItem, Provenance
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError, bad_document
from receiptdesk.store.db import Database
from receiptdesk.store.library import DB_NAME, Library
from receiptdesk.store.records import Status
from receiptdesk.store.schema import MIGRATIONS


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(content)
    return p


def _doc(vendor: str, total: str, text: str = "") -> Document:
    return Document(
        Provenance("local", "test"),
        currency="EUR",
        fields={
            "vendor_name": Field(vendor, vendor, 0.9),
            "total": Field(Decimal(total), total, 0.8),
            "date": Field(date(2024, 3, 4), "04.03.2024", 0.9),
        },
        line_items=[LineItem({"description": Field("Tea"), "amount": Field(Decimal(total))})],
        text=text or f"{vendor}\nTOTAL {total}",
    )


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


def test_same_file_imported_twice_is_one_document(library: Library, tmp_path: Path) -> None:
    a = _file(tmp_path, "a.jpg", b"\xff\xd8\xff same bytes")
    b = _file(tmp_path, "copy of a.jpg", b"\xff\xd8\xff same bytes")
    first, created = library.add_file(a, media_type="image/jpeg", page_count=1)
    second, created_again = library.add_file(b, media_type="image/jpeg", page_count=1)
    assert created
    assert not created_again
    assert first == second
    assert len(library.documents()) == 1
    assert library.original_path(first).read_bytes() == a.read_bytes()


def test_search_finds_vendor_text_and_notes(library: Library, tmp_path: Path) -> None:
    ids = []
    for i, (vendor, total) in enumerate([("Café Zur Post", "12.50"), ("Hardware Depot", "99.00")]):
        doc_id, _ = library.add_file(_file(tmp_path, f"{i}.png", f"png {i}".encode()), media_type=None, page_count=1)
        library.save_extraction(doc_id, _doc(vendor, total, text=f"{vendor}\nscrews and nails" * i), raw={"r": i})
        ids.append(doc_id)
    library.set_notes(ids[0], "lunch with the accountant")
    assert [d.vendor for d in library.documents("cafe")] == ["Café Zur Post"]  # without typing the accent
    assert [d.vendor for d in library.documents("Café")] == ["Café Zur Post"]
    assert [d.vendor for d in library.documents("nails")] == ["Hardware Depot"]
    assert [d.id for d in library.documents("accountant")] == [ids[0]]
    assert [d.id for d in library.documents("hard dep")] == [ids[1]]  # prefixes of every word
    assert library.documents('"; DROP TABLE documents; --') == []
    assert len(library.documents()) == 2


def test_edit_keeps_the_extracted_value_beside_it(library: Library, tmp_path: Path) -> None:
    doc_id, _ = library.add_file(_file(tmp_path, "r.jpg", b"r"), media_type="image/jpeg", page_count=1)
    library.save_extraction(doc_id, _doc("Shop", "10.00"), raw=None)
    record = library.edit(doc_id, "total", Decimal("12.00"))
    assert record.current is not None
    assert record.extracted is not None
    assert record.current.value("total") == Decimal("12.00")
    assert "edited" in record.current.fields["total"].flags
    assert record.extracted.value("total") == Decimal("10.00")
    assert record.edits["total"].old_value == "10.00"
    assert library.summary(doc_id).total == "12.00"  # the list shows the edit
    # the checks are re-run on the edited document: one line of 10.00 no longer adds up to 12.00
    assert any(c.name == "line_sum" and c.status == "warning" for c in record.current.checks)
    record = library.edit(doc_id, "line_items.0.amount", "12.00")
    assert record.current is not None
    assert not any(c.name == "line_sum" and c.status != "ok" for c in record.current.checks)
    assert [e.field for e in library.history(doc_id)] == ["total", "line_items.0.amount"]


def test_edits_survive_reopening(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    doc_id, _ = lib.add_file(_file(tmp_path, "r.jpg", b"r"), media_type="image/jpeg", page_count=1)
    lib.save_extraction(doc_id, _doc("Shop", "10.00"), raw={"words": []})
    lib.edit(doc_id, "vendor_name", "Shop & Co")
    lib.close()
    again = Library(tmp_path / "lib")
    try:
        record = again.get(doc_id)
        assert record.current is not None
        assert record.current.value("vendor_name") == "Shop & Co"
        assert again.raw_response(doc_id) == ("local", {"words": []})
    finally:
        again.close()


def test_a_reading_parsed_again_is_not_written_over_what_the_user_did_meanwhile(
    library: Library, tmp_path: Path
) -> None:
    """Parsing a large library again takes minutes: a document marked reviewed, or read anew, after its words
    were taken keeps its mark and its values."""
    doc_id, _ = library.add_file(_file(tmp_path, "r.jpg", b"r"), media_type="image/jpeg", page_count=1)
    library.save_extraction(doc_id, _doc("Shop", "10.00"), raw={"words": []})
    taken, _, _ = library.words_read(doc_id) or (0, "", None)
    library.set_review([doc_id], "reviewed")  # while the parser works on the words
    assert not library.replace_reading(doc_id, taken, _doc("Shop", "99.00"))
    assert library.summary(doc_id).review == "reviewed"
    assert library.summary(doc_id).total == "10.00"

    library.set_review([doc_id], None)
    library.save_extraction(doc_id, _doc("Shop", "12.00"), raw={"words": ["again"]})  # read anew meanwhile
    assert not library.replace_reading(doc_id, taken, _doc("Shop", "99.00"))
    assert library.summary(doc_id).total == "12.00"

    latest, _, _ = library.words_read(doc_id) or (0, "", None)
    assert library.replace_reading(doc_id, latest, _doc("Shop", "13.00"))
    assert library.summary(doc_id).total == "13.00"


def test_failed_document_keeps_its_reason_and_original(library: Library, tmp_path: Path) -> None:
    doc_id, _ = library.add_file(_file(tmp_path, "broken.pdf", b"%PDF-1.4 broken"), media_type=None, page_count=0)
    library.set_status(doc_id, Status.FAILED, bad_document("broken.pdf is damaged and cannot be opened as a PDF."))
    s = library.summary(doc_id)
    assert s.status is Status.FAILED
    assert s.error_kind == "bad_document"
    assert "damaged" in (s.error_message or "")
    assert library.original_path(doc_id).read_bytes() == b"%PDF-1.4 broken"


def test_first_schema_is_upgraded_with_a_backup(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    old = Database(root / DB_NAME, MIGRATIONS[:1])  # a library made by the first release
    old.execute(
        "INSERT INTO documents(sha256, file_name, size, added_at, status, vendor) "
        "VALUES ('ab', 'old.jpg', 3, '2024-01-01', 'ok', 'Old Shop')"
    )
    old.execute(
        "INSERT INTO extractions(document_id, provider, created_at, document_json) VALUES (1, 'local', 'x', ?)",
        (json.dumps({"text": "OLD SHOP receipt"}),),
    )
    old.execute("INSERT INTO documents_fts(rowid, file_name, vendor, body) VALUES (1, 'old.jpg', 'Old Shop', '')")
    assert old.version == 1
    old.close()

    lib = Library(root)
    try:
        assert lib.db.version == len(MIGRATIONS)
        assert [d.vendor for d in lib.documents()] == ["Old Shop"]
        # the documents table was made anew in version 4: what hangs off it is all still there
        assert lib.db.query("SELECT document_id FROM extractions")[0][0] == 1
        assert lib.db.query("PRAGMA foreign_keys")[0][0] == 1
        assert [d.file_name for d in lib.documents("receipt")] == ["old.jpg"]  # re-indexed text
        lib.set_notes(1, "kept for taxes")
        assert [d.notes for d in lib.documents("taxes")] == ["kept for taxes"]
        backups = list(root.glob(f"{DB_NAME}.v1-*.bak"))
        assert len(backups) == 1
        assert sqlite3.connect(backups[0]).execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        lib.close()


def test_library_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    conn = sqlite3.connect(root / DB_NAME)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    before = (root / DB_NAME).read_bytes()
    with pytest.raises(ReceiptDeskError) as err:
        Library(root)
    assert err.value.kind is ErrorKind.STORAGE
    assert "newer ReceiptDesk" in err.value.message
    assert (root / DB_NAME).read_bytes() == before


def test_damaged_library_file_is_a_storage_error(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / DB_NAME).write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ReceiptDeskError) as err:
        Library(root)
    assert err.value.kind is ErrorKind.STORAGE
    assert "damaged" in err.value.message


def test_jobs_resume_and_never_double(library: Library, tmp_path: Path) -> None:
    doc_id, _ = library.add_file(_file(tmp_path, "r.pdf", b"%PDF"), media_type="application/pdf", page_count=3)
    job = library.jobs.start(doc_id, "textract")
    assert library.jobs.start(doc_id, "textract").id == job.id
    library.jobs.running(job.id)
    library.jobs.checkpoint(job.id, {"job_id": "abc"})
    assert [(j.id, j.remote) for j in library.jobs.unfinished()] == [(job.id, {"job_id": "abc"})]
    library.jobs.finish(job.id)
    assert library.jobs.unfinished() == []
    assert library.jobs.start(doc_id, "textract").id != job.id


def test_usage_counts_pages_per_month(library: Library) -> None:
    library.usage.add("textract", 3, month="2026-10")
    library.usage.add("textract", 2, month="2026-11")
    library.usage.add("textract", 1, month="2026-11")
    assert library.usage.pages("textract", month="2026-11") == 3
    assert library.usage.pages("azure", month="2026-11") == 0


def test_a_new_reading_keeps_the_users_corrections_beside_it(library: Library, tmp_path: Path) -> None:
    doc_id, _ = library.add_file(_file(tmp_path, "r.jpg", b"r"), media_type="image/jpeg", page_count=1)
    library.save_extraction(doc_id, _doc("Shop", "10.00"), raw=None)
    library.edit(doc_id, "total", Decimal("12.00"))
    library.edit(doc_id, "vendor_name", "Shop & Co")
    library.edit(doc_id, "line_items.0.amount", "12.00")
    # Read again (another service): it reads 11.00 and the vendor as the user wrote it.
    library.save_extraction(doc_id, _doc("Shop & Co", "11.00"), raw={"again": True})
    record = library.get(doc_id)
    assert record.current is not None and record.extracted is not None
    assert record.current.value("total") == Decimal("12.00")  # the user's value stands
    assert record.edits["total"].old_value == "11.00"  # beside what the new reading says
    assert "vendor_name" not in record.edits  # the new reading agrees: nothing to keep
    assert record.current.value("vendor_name") == "Shop & Co"
    assert record.current.line_items[0].value("amount") == Decimal("11.00")  # rows may differ: not carried
    assert library.summary(doc_id).total == "12.00"
