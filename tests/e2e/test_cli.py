"""The command line as a user runs it: separate processes on a fresh data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from receiptdesk.services import reparse
from receiptdesk.services.paths import AppPaths
from receiptdesk.services.wiring import Services, open_services
from receiptdesk.store.listing import ListQuery
from tests.conftest import ROOT

SAMPLES = ROOT / "resources" / "samples"


def receiptdesk(*args: str, data: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECEIPTDESK_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "receiptdesk", *args], env=env, cwd=cwd or ROOT, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip


def test_import_then_list_on_a_fresh_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "empty.png"
    bad.write_bytes(b"")
    done = receiptdesk("import", str(SAMPLES / "receipt.jpg"), str(bad), data=data)
    assert done.returncode == 1, done.stderr  # one input failed
    assert "empty" in done.stdout
    listed = receiptdesk("list", "--format", "jsonl", data=data)
    assert listed.returncode == 0, listed.stderr
    rows = {r["file"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert set(rows) == {"receipt.jpg", "empty.png"}
    good = rows["receipt.jpg"]
    assert good["status"] == "ok"
    assert Decimal(good["total"]) == Decimal("1810.46")
    assert rows["empty.png"]["status"] == "failed"
    assert rows["empty.png"]["error"]["kind"] == "bad_document"
    # the library is in the data folder, originals kept byte for byte
    assert (data / "library.sqlite3").exists()
    kept = [p for p in (data / "originals").rglob("*") if p.is_file()]
    assert sorted(p.read_bytes() for p in kept) == sorted([b"", (SAMPLES / "receipt.jpg").read_bytes()])
    # importing the same file again does not make a second document
    again = receiptdesk("import", str(SAMPLES / "receipt.jpg"), data=data)
    assert again.returncode == 0
    assert "already in the library" in again.stdout
    # search finds it by a word printed on it
    found = receiptdesk("list", "--search", "market", "--format", "jsonl", data=data)
    assert [json.loads(x)["file"] for x in found.stdout.splitlines()] == ["receipt.jpg"]
    nothing = receiptdesk("list", "--search", "zebra", data=data)
    assert "Nothing matches" in nothing.stdout


def test_extract_prints_canonical_json_and_leaves_no_library(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = receiptdesk("extract", "--format", "jsonl", str(SAMPLES / "receipt.jpg"), str(SAMPLES / "invoice.png"),
                       data=data)  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [Path(r["source"]).name for r in rows] == ["receipt.jpg", "invoice.png"]
    for r in rows:
        assert r["status"] == "ok"
        doc = r["document"]
        assert doc["provider"] == "local"
        for name, f in doc["fields"].items():
            assert set(f) >= {"value", "text", "confidence", "page", "box"}, name
            if f["box"] is not None:
                assert all(0.0 <= v <= 1.0 for v in f["box"]), name
        assert isinstance(doc["checks"], list)
    assert rows[0]["document"]["fields"]["total"]["value"] == "1810.46"
    assert not (data / "library.sqlite3").exists()


def test_extract_reports_a_bad_file_and_goes_on(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj garbage")
    done = receiptdesk("extract", "--format", "jsonl", str(broken), str(SAMPLES / "receipt.jpg"), data=tmp_path)
    assert done.returncode == 1
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["status"] == "error"
    assert first["error"]["kind"] == "bad_document"
    assert "damaged" in first["error"]["message"]
    assert first["document"] is None
    assert second["status"] == "ok"
    assert "broken.pdf" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.usefixtures("shared")
def test_parse_maps_saved_responses_of_both_services(tmp_path: Path, shared: Path) -> None:
    textract = shared / "data" / "responses" / "textract" / "test_analyze_expense_from_image.json"
    azure = shared / "data" / "responses" / "azure" / "receipt-result.json"
    done = receiptdesk("parse", "--format", "jsonl", str(textract), str(azure), data=tmp_path)
    assert done.returncode == 0, done.stderr
    t, a = (json.loads(line)["document"] for line in done.stdout.splitlines())
    assert t["provider"] == "textract"
    assert t["fields"]["total"]["value"] == "1810.46"
    assert a["provider"] == "azure"
    assert a["fields"]["tip"]["value"] == "1.63"


@pytest.mark.usefixtures("shared")
def test_import_a_saved_response_with_its_document(tmp_path: Path, shared: Path) -> None:
    data = tmp_path / "data"
    responses = shared / "data" / "responses" / "textract"
    done = receiptdesk("import", "--response", str(responses / "test_analyze_expense_from_image.json"),
                       "--file", str(responses / "receipt.jpg"), data=data)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (row,) = map(json.loads, receiptdesk("list", "--format", "jsonl", data=data).stdout.splitlines())
    assert row["provider"] == "textract"
    assert row["vendor"] == "MEGA MARKET PLUS"
    shown = json.loads(receiptdesk("show", str(row["id"]), data=data).stdout)
    assert shown["document"]["fields"]["date"]["value"] == "2019-12-07"


def test_parse_refuses_what_is_not_a_response(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"hello": "world"}')
    done = receiptdesk("parse", str(other), data=tmp_path)
    assert done.returncode == 1
    assert "not a saved Textract or Azure response" in done.stderr


def test_a_document_imported_into_a_library_of_10000_is_listed_and_exported(tmp_path: Path) -> None:
    from receiptdesk.store.library import Library
    from tests.library_rows import fill

    data = tmp_path / "data"
    library = Library(data)
    fill(library, 10_000)
    library.close()
    bad = tmp_path / "the-new-one.png"
    bad.write_bytes(b"")  # kept as a failed document: no OCR needed to be the 10,001st
    assert receiptdesk("import", str(bad), data=data).returncode == 1
    listed = receiptdesk("list", "--format", "jsonl", data=data)
    assert listed.returncode == 0, listed.stderr
    files = [json.loads(line)["file"] for line in listed.stdout.splitlines()]
    assert len(files) == 10_001 and "the-new-one.png" in files
    exported = receiptdesk("export", str(tmp_path / "out"), data=data)
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads((tmp_path / "out" / "receipts.json").read_text(encoding="utf-8"))) == 10_001
    assert (tmp_path / "out" / "receipts.csv").stat().st_mode & 0o077 == 0  # the user's only


def test_list_and_export_filter_like_the_window_and_never_overwrite(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from receiptdesk.store.library import Library
    from tests.library_rows import fill

    data = tmp_path / "data"
    library = Library(data)
    fill(library, 300)
    rows = list(library.walk(ListQuery()))
    travel = [s.id for s in rows if s.status.value == "ok" and s.date and s.date.startswith("2024")][:6]
    library.set_category(travel, "Travel")
    library.add_tag(travel[:2], "client-x")
    library.db.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (travel[0], travel[1]))
    library.close()

    listed = receiptdesk("list", "--format", "jsonl", "--category", "travel", "--since", "2024", data=data)
    assert listed.returncode == 0, listed.stderr
    got = {r["id"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert set(got) == set(travel)
    assert got[travel[1]]["duplicate_of"] == travel[0] and got[travel[0]]["duplicate_of"] is None
    assert got[travel[0]]["tags"] == ["client-x"] and got[travel[0]]["category"] == "Travel"
    assert got[travel[0]]["status"] == "ok"
    terms = receiptdesk("list", "--format", "jsonl", "--search", "tag:client-x total>0", data=data)
    assert {json.loads(x)["id"] for x in terms.stdout.splitlines()} == {
        i for i in travel[:2] if any(s.id == i and s.total for s in rows)
    }
    assert "Nothing matches these filters." in receiptdesk("list", "--category", "Gifts", data=data).stdout
    failed = receiptdesk("list", "--format", "jsonl", "--status", "failed", data=data)
    assert {json.loads(x)["id"] for x in failed.stdout.splitlines()} == {
        s.id for s in rows if s.status.value == "failed"
    }

    out = tmp_path / "out"
    args = ("export", str(out), "--format", "xlsx", "--format", "csv", "--category", "Travel", "--until", "2024-12")
    exported = receiptdesk(*args, data=data)
    assert exported.returncode == 0, exported.stderr
    book = load_workbook(out / "receipts.xlsx")
    sheet = book["Documents"]
    header = [c.value for c in sheet[1]]
    ids = [r[header.index("Document")].value for r in sheet.iter_rows(min_row=2)]
    assert sorted(ids) == sorted(travel)
    totals = [r[header.index("Total")].value for r in sheet.iter_rows(min_row=2)]
    assert all(t is None or isinstance(t, float) for t in totals) and any(totals)
    assert (out / "receipts.csv").exists() and not (out / "receipts.json").exists()
    before = (out / "receipts.csv").read_bytes()
    again = receiptdesk(*args[:-2], data=data)  # the whole of Travel this time, to the same files
    assert again.returncode == 1 and "already exist" in again.stderr and "--replace" in again.stderr
    assert (out / "receipts.csv").read_bytes() == before
    assert receiptdesk(*args, "--replace", data=data).returncode == 0
    bad = receiptdesk("export", str(out), "--since", "last tuesday", data=data)
    assert bad.returncode == 1 and "is not a date" in bad.stderr


def test_delete_moves_to_the_trash_and_restore_brings_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "note.png"
    bad.write_bytes(b"")
    receiptdesk("import", str(bad), data=data)
    (row,) = [json.loads(x) for x in receiptdesk("list", "--format", "jsonl", data=data).stdout.splitlines()]
    doc_id = str(row["id"])
    assert receiptdesk("delete", doc_id, data=data).returncode == 0
    assert receiptdesk("list", "--format", "jsonl", data=data).stdout.strip() == ""
    trash = receiptdesk("list", "--trash", "--format", "jsonl", data=data).stdout.splitlines()
    assert [json.loads(x)["file"] for x in trash] == ["note.png"]
    kept = [p for p in (data / "originals").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(kept) == 1  # the original stays while it is in the Trash
    assert receiptdesk("restore", doc_id, data=data).returncode == 0
    assert [json.loads(x)["file"] for x in receiptdesk("list", "--format", "jsonl", data=data).stdout.splitlines()] == [
        "note.png"
    ]
    assert receiptdesk("delete", "999", data=data).returncode == 1


def _read_by_an_older_parser(tmp_path: Path, data: Path, review: str | None = None) -> int:
    """A receipt imported, then its reading made as an older ReceiptDesk made it: its parser's name and a
    wrong total (35.00 for 3.50), with the user's edit of the vendor and the review mark given."""
    import sqlite3

    from tests.unit.providers.local.pdfmaker import TextPage, make_pdf

    lines = [(60, 60, 16, "Corner Shop"), (60, 90, 11, "12 High Street"), (60, 130, 11, "Milk"), (300, 130, 11, "1.20"),
             (60, 150, 11, "Bread"), (300, 150, 11, "2.30"), (60, 180, 12, "TOTAL"), (300, 180, 12, "3.50"),
             (60, 210, 11, "14/03/2024 10:12")]  # fmt: skip
    receipt = make_pdf(tmp_path / "corner-shop.pdf", [TextPage(lines)])
    assert receiptdesk("import", str(receipt), data=data).returncode == 0
    (row,) = [json.loads(x) for x in receiptdesk("list", "--format", "jsonl", data=data).stdout.splitlines()]
    assert receiptdesk("reparse", data=data).stdout.strip() == "Every reading is up to date."
    db = sqlite3.connect(data / "library.sqlite3")
    stored = json.loads(db.execute("SELECT document_json FROM extractions").fetchone()[0])
    stored["fields"]["total"]["value"] = "35.00"
    db.execute("UPDATE extractions SET model = 'offline reader + parser 2', document_json = ?", (json.dumps(stored),))
    db.execute("UPDATE documents SET total = '35.00', review = ?", (review,))
    db.execute(
        "INSERT INTO edits(document_id, extraction_id, field, old_value, new_value, edited_at) "
        "SELECT document_id, id, 'vendor_name', NULL, 'Corner Shop Ltd', '2026-01-01' FROM extractions"
    )
    db.commit()
    db.close()
    return int(row["id"])


def test_reparse_reads_old_readings_again_from_their_words_and_keeps_edits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    doc_id = _read_by_an_older_parser(tmp_path, data)
    done = receiptdesk("reparse", data=data)
    assert done.returncode == 0 and done.stdout.strip() == "Parsed again: 1 document.", done.stdout + done.stderr
    shown = json.loads(receiptdesk("show", str(doc_id), data=data).stdout)
    assert shown["document"]["fields"]["total"]["value"] == "3.50"  # read again from the stored words
    assert shown["document"]["fields"]["vendor_name"]["value"] == "Corner Shop Ltd"  # the user's edit stays
    assert "parser 2" not in shown["document"]["model"]


def test_reparse_leaves_a_reviewed_document_as_the_user_checked_it(tmp_path: Path) -> None:
    """Marked reviewed, its values are the ones a person checked: a newer parser does not change them."""
    data = tmp_path / "data"
    doc_id = _read_by_an_older_parser(tmp_path, data, review="reviewed")
    said = receiptdesk("reparse", data=data).stdout.strip()
    assert said == "Every reading is up to date. 1 marked reviewed kept the values you checked."
    shown = json.loads(receiptdesk("show", str(doc_id), data=data).stdout)
    assert shown["document"]["fields"]["total"]["value"] == "35.00"
    assert shown["library"]["review"] == "reviewed"


def _three_read(tmp_path: Path) -> Path:
    """A library of three receipts read on this computer, their words kept."""
    from tests.unit.providers.local.pdfmaker import TextPage, make_pdf

    data = tmp_path / "data"
    lines = [[(60, 60, 16, f"Shop {n}"), (60, 100, 12, "TOTAL"), (300, 100, 12, f"{n}.50")] for n in (1, 2, 3)]
    bills = [make_pdf(tmp_path / f"bill-{n}.pdf", [TextPage(page)]) for n, page in enumerate(lines)]
    assert receiptdesk("import", *map(str, bills), data=data).returncode == 0
    return data


def _services(data: Path) -> Services:
    return open_services(AppPaths.from_environment({"RECEIPTDESK_DATA_DIR": str(data)}), log_to_file=False)


def test_a_read_again_stopped_halfway_is_finished_by_reparse_and_never_repeated(tmp_path: Path) -> None:
    """Asked to read the library again (a reading setting changed), stopped after one document: the others stay
    asked for in the library, and `receiptdesk reparse` reads just those."""
    data = _three_read(tmp_path)
    services = _services(data)
    try:
        assert reparse.ask_unreviewed(services.library) == 3
        calls = iter([False, True])  # Stop pressed while the first is parsed
        stopped = reparse.reparse(services.library, services.providers, reparse.pending(services.library),
                                  lambda: next(calls, True))  # fmt: skip
        assert (stopped.done, stopped.left) == (1, 2)
        assert len(reparse.pending(services.library)) == 2  # still asked for, in the library
    finally:
        services.close()
    said = receiptdesk("reparse", data=data).stdout.strip()
    assert said == "Parsed again: 2 documents."
    assert receiptdesk("reparse", data=data).stdout.strip() == "Every reading is up to date."


def test_a_setting_changed_again_while_the_library_is_read_again_is_not_lost(tmp_path: Path) -> None:
    """The currency changed, the library being read again with it; the date order changed too, and asked for,
    before that read ended: every document is still to be read again with both, none crossed off."""
    services = _services(_three_read(tmp_path))
    try:
        library = services.library
        reparse.ask_unreviewed(library)
        steps = iter([False, True])

        def asked_again_after_the_first() -> bool:
            if next(steps, False):
                reparse.ask_unreviewed(library)
            return False

        first = reparse.reparse(library, services.providers, reparse.pending(library), asked_again_after_the_first)
        assert (first.done, first.left) == (3, 0)
        assert len(reparse.pending(library)) == 3  # the second ask stands: a quit now loses nothing
        second = reparse.reparse(library, services.providers, reparse.pending(library))
        assert (second.done, second.left, len(reparse.pending(library))) == (3, 0, 0)
    finally:
        services.close()


def test_a_document_put_in_the_trash_is_not_read_again(tmp_path: Path) -> None:
    """Asked for, then moved to the Trash before its turn: it stays as it was put there."""
    services = _services(_three_read(tmp_path))
    try:
        library = services.library
        reparse.ask_unreviewed(library)
        trashed = next(iter(reparse.pending(library)))
        library.trash([trashed])
        assert trashed not in reparse.pending(library) and len(reparse.pending(library)) == 2
    finally:
        services.close()
