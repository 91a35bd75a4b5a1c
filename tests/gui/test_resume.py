"""Quitting in the middle of a cloud reading: the next start finishes the same remote job, and pays once."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from receiptdesk.services.secrets import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
from receiptdesk.store.records import Status
from tests.emulators.fixtures import BUCKET, moto_s3, s3_bucket, textract_emulator
from tests.emulators.textract import TextractEmulator
from tests.gui.cloud_steps import KEY_ID, SECRET, fill_settings, first_read, read_again_with, send
from tests.gui.conftest import OpenApp, settled
from tests.unit.providers.textract.conftest import write_pdf

__all__ = ["moto_s3", "s3_bucket", "textract_emulator"]


def test_quit_while_textract_reads_a_pdf_and_the_next_start_finishes_the_same_job(
    qtbot: QtBot, open_app: OpenApp, textract_emulator: TextractEmulator, moto_s3: str, s3_bucket: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    pdf = write_pdf(tmp_path / "statement.pdf", 2).path
    app, doc_id = first_read(qtbot, open_app, pdf)
    settings = {
        "textract.endpoint_url": textract_emulator.url,
        "textract.s3_endpoint_url": moto_s3,
        "textract.bucket": BUCKET,
    }
    fill_settings(qtbot, app, settings, {AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET})
    textract_emulator.serve("analyzeExpenseResponse-multipage.json")
    textract_emulator.stall(True)  # the job stays IN_PROGRESS
    box = read_again_with(qtbot, app, doc_id, "textract")
    assert "2 pages billed" in box.text() and "s3://receiptdesk-test/" in box.text()  # via the bucket
    send(box)
    library = app.services.library

    def job_started() -> bool:
        job = library.jobs.open_for(doc_id, "textract")
        return job is not None and bool(job.remote)

    qtbot.waitUntil(job_started, timeout=30_000)
    assert app.close()  # quit while Amazon Textract is still reading

    textract_emulator.stall(False)
    again = open_app()  # the next start looks for unfinished jobs by itself
    qtbot.waitUntil(lambda: settled(again, 1), timeout=60_000)
    summary = again.services.library.summary(doc_id)
    assert summary.status is Status.OK and summary.provider == "textract"
    assert textract_emulator.count("StartExpenseAnalysis") == 1  # the same job, billed once
    assert again.services.library.jobs.open_for(doc_id, "textract") is None
