"""Importer, extraction jobs, exporter, settings, secrets and the log redactor on real files."""

from __future__ import annotations

import csv
import json
import logging
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from receiptdesk.core.document import Document, Field, LineItem, Page, Provenance
from receiptdesk.core.errors import Cancelled, ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Context, Estimate, Extraction, RunContext
from receiptdesk.providers.source import Source
from receiptdesk.services import exporter, importer, jobs
from receiptdesk.services.logs import Redactor, setup_logging
from receiptdesk.services.secrets import AZURE_KEY, NO_KEYRING, SecretStore
from receiptdesk.services.settings import Settings
from receiptdesk.store.library import Library
from receiptdesk.store.records import Status
from tests.memory_keyring import MemoryKeyring

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fe"
    "a7d605f70000000049454e44ae426082"
)


class ScriptedProvider:
    """A provider that answers as told: the job flow is tested, not a reader."""

    name = "scripted"
    title = "Scripted"
    needs_network = True

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.resumed: list[dict[str, Any] | None] = []

    def estimate(self, source: Source) -> Estimate:
        return Estimate(source.pages, Decimal("0.01") * source.pages, route="sync")

    def extract(self, source: Source, ctx: Context) -> Extraction:
        self.resumed.append(ctx.resume)
        ctx.checkpoint({"remote_job": "job-1"})
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return Extraction(answer, raw={"answer": "raw"}, pages_billed=source.pages)

    def remap(self, raw: Any) -> Document:
        raise NotImplementedError


def _doc(total: str = "9.99") -> Document:
    return Document(
        Provenance("scripted", "v1"),
        currency="EUR",
        fields={"vendor_name": Field("Bäckerei Krume"), "total": Field(Decimal(total), total, 0.9)},
        line_items=[LineItem({"description": Field("Brot"), "amount": Field(Decimal(total))})],
        text="Bäckerei Krume",
    )


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


def _png(tmp_path: Path, name: str = "r.png", salt: bytes = b"") -> Path:
    p = tmp_path / name
    p.write_bytes(PNG_1PX + salt)
    return p


def test_folder_import_keeps_bad_files_as_failed_and_goes_on(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    _png(folder, "good.png")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "notes.txt").write_text("not a receipt")  # not a document kind: skipped in a folder
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    outcomes = importer.import_paths(library, [folder])
    by_name = {o.path.name: o for o in outcomes}
    assert set(by_name) == {"good.png", "empty.jpg", "broken.pdf"}
    assert by_name["good.png"].error is None
    assert library.summary(by_name["good.png"].doc_id or 0).status is Status.QUEUED
    for bad in ("empty.jpg", "broken.pdf"):
        s = library.summary(by_name[bad].doc_id or 0)
        assert s.status is Status.FAILED
        assert s.error_kind == "bad_document"
        assert library.original_path(s.id).read_bytes() == (folder / bad).read_bytes()
    assert "empty" in (library.summary(by_name["empty.jpg"].doc_id or 0).error_message or "")


def test_a_file_that_is_no_document_is_kept_and_failed(library: Library, tmp_path: Path) -> None:
    odd = tmp_path / "archive.docx"
    odd.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)  # a zip: neither image, PDF nor text
    (outcome,) = importer.import_paths(library, [odd])
    assert outcome.doc_id is not None
    assert "not a document ReceiptDesk can read" in (library.summary(outcome.doc_id).error_message or "")
    assert library.original_path(outcome.doc_id).read_bytes() == odd.read_bytes()


def test_a_text_receipt_is_imported_when_chosen_but_a_folders_text_files_are_not(
    library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "README.txt").write_text("scans from the shoebox, 2024")
    _png(folder, "scan.png")
    from_folder = importer.import_paths(library, [folder])
    assert [o.path.name for o in from_folder] == ["scan.png"]
    mail = tmp_path / "order-receipt.txt"
    mail.write_text("Thank you for your order\nTotal: $12.50\n", encoding="utf-8")
    (chosen,) = importer.import_paths(library, [mail])
    assert chosen.error is None
    assert library.summary(chosen.doc_id or 0).status is Status.QUEUED


def test_job_saves_result_counts_pages_and_checkpoints(library: Library, tmp_path: Path) -> None:
    (o,) = importer.import_paths(library, [_png(tmp_path)])
    provider = ScriptedProvider([_doc()])
    record = jobs.extract_document(library, provider, o.doc_id or 0, RunContext())
    assert record.summary.status is Status.OK
    assert record.current is not None
    assert record.current.value("total") == Decimal("9.99")
    assert library.raw_response(record.id) == ("scripted", {"answer": "raw"})
    assert library.usage.pages("scripted") == 1
    assert library.jobs.unfinished() == []


def test_offline_document_waits_and_resumes_the_same_remote_job(library: Library, tmp_path: Path) -> None:
    (o,) = importer.import_paths(library, [_png(tmp_path)])
    doc_id = o.doc_id or 0
    offline = ReceiptDeskError(ErrorKind.NETWORK, "No connection to the service.")
    provider = ScriptedProvider([offline, _doc("5.00")])
    record = jobs.extract_document(library, provider, doc_id, RunContext())
    assert record.summary.status is Status.WAITING
    (job,) = library.jobs.unfinished()
    assert job.remote == {"remote_job": "job-1"}
    record = jobs.extract_document(library, provider, doc_id, RunContext())
    assert provider.resumed == [None, {"remote_job": "job-1"}]
    assert record.summary.status is Status.OK
    assert record.current is not None
    assert record.current.value("total") == Decimal("5.00")


def test_cancel_leaves_the_job_open_to_resume(library: Library, tmp_path: Path) -> None:
    (o,) = importer.import_paths(library, [_png(tmp_path)])
    provider = ScriptedProvider([Cancelled()])
    with pytest.raises(Cancelled):
        jobs.extract_document(library, provider, o.doc_id or 0, RunContext())
    assert library.summary(o.doc_id or 0).status is Status.QUEUED
    assert [j.remote for j in library.jobs.unfinished()] == [{"remote_job": "job-1"}]


def test_bug_in_a_provider_is_a_clear_failed_status(library: Library, tmp_path: Path) -> None:
    (o,) = importer.import_paths(library, [_png(tmp_path)])
    record = jobs.extract_document(library, ScriptedProvider([ZeroDivisionError()]), o.doc_id or 0, RunContext())
    assert record.summary.status is Status.FAILED
    assert record.summary.error_kind == "bug"


def test_export_writes_csv_lines_and_json_with_edits(library: Library, tmp_path: Path) -> None:
    (o,) = importer.import_paths(library, [_png(tmp_path)])
    doc_id = o.doc_id or 0
    jobs.extract_document(library, ScriptedProvider([_doc()]), doc_id, RunContext())
    library.edit(doc_id, "total", Decimal("10.49"))
    files = exporter.export([library.get(doc_id)], tmp_path / "out")
    docs_csv, lines_csv, js = files
    with docs_csv.open(encoding="utf-8-sig") as f:
        (row,) = list(csv.DictReader(f))
    assert row["Vendor"] == "Bäckerei Krume"
    assert row["Total"] == "10.49"
    assert row["Currency"] == "EUR"
    assert row["Corrected by you"] == "Total"
    with lines_csv.open(encoding="utf-8-sig") as f:
        (line,) = list(csv.DictReader(f))
    assert line["Description"] == "Brot"
    assert line["Amount"] == "9.99"
    (data,) = json.loads(js.read_text(encoding="utf-8"))
    assert data["status"] == "ok"
    assert data["document"]["fields"]["total"]["value"] == "10.49"
    assert data["library"]["edits"][0]["from"] == "9.99"


def test_a_hostile_invoice_cannot_put_a_formula_in_the_csv(library: Library, tmp_path: Path) -> None:
    (o,) = importer.import_paths(library, [_png(tmp_path)])
    doc_id = o.doc_id or 0
    jobs.extract_document(library, ScriptedProvider([_doc("-12.50")]), doc_id, RunContext())
    library.edit(doc_id, "vendor_name", "=cmd|' /C calc'!A0")
    library.set_notes(doc_id, "@SUM(A1:A9)")
    docs_csv, lines_csv, _ = exporter.export([library.get(doc_id)], tmp_path / "out")
    with docs_csv.open(encoding="utf-8-sig") as f:
        (row,) = list(csv.DictReader(f))
    assert row["Vendor"] == "'=cmd|' /C calc'!A0"  # shown as text by every spreadsheet
    assert row["Notes"] == "'@SUM(A1:A9)"
    assert row["Total"] == "-12.50"  # a refund stays a number
    with lines_csv.open(encoding="utf-8-sig") as f:
        assert next(csv.DictReader(f))["Amount"] == "-12.50"


def test_a_stopped_reading_gives_back_the_earlier_failure_and_its_reason(library: Library, tmp_path: Path) -> None:
    (o,) = importer.import_paths(library, [_png(tmp_path)])
    doc_id = o.doc_id or 0
    jobs.extract_document(library, ScriptedProvider([ReceiptDeskError(ErrorKind.CREDENTIALS, "Keys refused.")]),
                          doc_id, RunContext())  # fmt: skip
    started = jobs.begin(library, doc_id, "scripted")  # read again ...
    jobs.settle(library, doc_id, started, "scripted", Cancelled(), stopped=True)  # ... and stopped
    s = library.summary(doc_id)
    assert s.status is Status.FAILED and s.error_message == "Keys refused."


def test_settings_are_typed_saved_and_a_broken_file_is_set_aside(tmp_path: Path) -> None:
    s = Settings.load(tmp_path)
    assert s.get("extract.provider") == "local"
    s.set("textract.bucket", "my-receipts")
    with pytest.raises(ValueError, match="not a valid value"):
        s.set("extract.provider", "ocr-magic")
    with pytest.raises(ValueError, match="not a valid value"):
        s.set("extract.workers", "2")
    s.save()
    assert Settings.load(tmp_path).get("textract.bucket") == "my-receipts"
    (tmp_path / "settings.json").write_text("{ not json")
    assert Settings.load(tmp_path).get("textract.bucket") == ""
    assert (tmp_path / "settings.json.unreadable").exists()


def test_secret_lives_in_the_keyring_and_never_in_the_log(tmp_path: Path) -> None:
    redactor = Redactor()
    log_file = setup_logging(tmp_path / "logs", redactor)
    backend = MemoryKeyring()
    secrets = SecretStore(redactor, backend)
    secrets.set(AZURE_KEY, "0123456789abcdef0123456789abcdef")
    assert backend.items[("ReceiptDesk", AZURE_KEY)] == "0123456789abcdef0123456789abcdef"
    assert secrets.problem is None
    logging.getLogger("receiptdesk.test").warning("calling with key %s", "0123456789abcdef0123456789abcdef")
    logging.getLogger("receiptdesk.test").warning("aws key AKIAIOSFODNN7EXAMPLE in a message")
    for h in logging.getLogger().handlers:
        h.flush()
    text = log_file.read_text()
    assert "0123456789abcdef" not in text
    assert "AKIAIOSFODNN7EXAMPLE" not in text
    assert "calling with key ***" in text


def test_without_a_keyring_the_secret_stays_in_memory_only() -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    secrets = SecretStore(Redactor(), FailKeyring())
    secrets.set(AZURE_KEY, "secret-value-123")
    assert secrets.problem == NO_KEYRING
    assert secrets.get(AZURE_KEY) == "secret-value-123"
    # the next session (a new store over the same failing backend) does not have it: nothing was written
    assert SecretStore(Redactor(), FailKeyring()).get(AZURE_KEY) is None


def test_runcontext_wait_is_cancellable() -> None:
    ctx = RunContext()
    threading.Timer(0.05, ctx.cancel).start()
    with pytest.raises(Cancelled):
        ctx.wait(5)


def test_two_receipts_in_one_file_become_two_documents_and_stay_two(library: Library, tmp_path: Path) -> None:
    (o,) = importer.import_paths(library, [_png(tmp_path)])
    doc_id = o.doc_id or 0

    class TwoReceipts(ScriptedProvider):
        def extract(self, source: Source, ctx: Context) -> Extraction:
            first, second = _doc("9.99"), _doc("4.50")
            first.pages, second.pages = [Page(1, 10, 10)], [Page(2, 10, 10)]
            return Extraction(first, raw={"answer": "raw"}, pages_billed=2, documents=[first, second])

    for _ in range(2):  # read twice: the same two documents, not four
        jobs.extract_document(library, TwoReceipts([]), doc_id, RunContext())
    docs = sorted(library.documents(), key=lambda s: s.part)
    assert [(d.part, d.pages, d.total) for d in docs] == [(1, "1", "9.99"), (2, "2", "4.50")]
    assert docs[0].sha256 == docs[1].sha256  # one original, kept once
    library.trash([docs[1].id])
    library.empty_trash()
    assert library.original_path(doc_id).exists()  # still the first receipt's original


def test_a_page_drawn_before_is_shown_without_touching_the_original(tmp_path: Path) -> None:
    from receiptdesk.services.rendering import PageRenderer
    from receiptdesk.store.blobs import sha256_of

    original = tmp_path / "r.png"
    original.write_bytes(PNG_1PX)
    renderer = PageRenderer(tmp_path / "cache")
    first = renderer.page(original, 1)
    sha = sha256_of(original)
    original.unlink()  # gone (or on a disk that sleeps): the cached page is enough
    again = renderer.page(original, 1, sha256=sha, pages=1)
    assert again.path == first.path and again.path.is_file()
