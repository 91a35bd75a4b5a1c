"""Resume finishes every document not done; a text receipt kept in the library is read by its content."""

from __future__ import annotations

from pathlib import Path

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.local.provider import LocalProvider
from receiptdesk.services import importer, jobs
from receiptdesk.store.library import Library
from receiptdesk.store.records import Status

RECEIPT = "Corner Shop\n12 High Street\n\nMilk        1.20\nBread       2.30\n\nTOTAL       3.50\n"


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "data")
    yield lib
    lib.close()


def _doc(library: Library, tmp_path: Path, name: str) -> int:
    path = tmp_path / name
    path.write_text(f"{name}\n{RECEIPT}", encoding="utf-8")
    outcome = importer.import_file(library, path)
    assert outcome.doc_id is not None and outcome.error is None
    return outcome.doc_id


def test_resume_takes_queued_waiting_and_passing_failures_but_not_stopped_or_bad(
    tmp_path: Path, library: Library
) -> None:
    _doc(library, tmp_path, "queued.txt")  # imported, the app killed before reading began
    waiting = _doc(library, tmp_path, "waiting.txt")
    job = library.jobs.start(waiting, "azure")
    library.jobs.fail(job.id, ReceiptDeskError(ErrorKind.NETWORK, "offline"), waiting=True)
    library.set_status(waiting, Status.WAITING)
    for name, kind in (("busy.txt", ErrorKind.THROTTLED), ("down.txt", ErrorKind.SERVICE),
                       ("bad.txt", ErrorKind.BAD_DOCUMENT), ("keys.txt", ErrorKind.CREDENTIALS)):  # fmt: skip
        doc = _doc(library, tmp_path, name)
        job = library.jobs.start(doc, "textract")
        library.jobs.fail(job.id, ReceiptDeskError(kind, "no"))
        library.set_status(doc, Status.FAILED, ReceiptDeskError(kind, "no"))
    stopped = _doc(library, tmp_path, "stopped.txt")
    library.set_status(stopped, Status.STOPPED)
    names = {d.id: d.file_name for d in library.documents()}

    found = [(names[i], p) for i, p in jobs.to_resume(library, "local")]
    assert found == [("queued.txt", "local"), ("waiting.txt", "azure"), ("busy.txt", "textract"),
                     ("down.txt", "textract")]  # fmt: skip


def test_a_text_receipt_in_the_library_is_read_and_failures_name_the_file(tmp_path: Path, library: Library) -> None:
    doc = _doc(library, tmp_path, "order.txt")
    record = jobs.extract_document(library, LocalProvider(), doc, RunContext())
    assert record.summary.status is Status.OK, record.summary.error_message
    assert str(record.current.value("total") if record.current else None) == "3.50"

    # A failure after import names the file as the user knows it, never the kept copy's SHA-256.
    other = _doc(library, tmp_path, "lost.txt")
    library.original_path(other).write_bytes(b"\x00\x01\x02\x03" * 100)  # the kept copy damaged on disk
    record = jobs.extract_document(library, LocalProvider(), other, RunContext())
    assert record.summary.status is Status.FAILED
    message = record.summary.error_message or ""
    assert message.startswith("lost.txt is not a document") and record.summary.sha256 not in message
