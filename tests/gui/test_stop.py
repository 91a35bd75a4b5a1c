"""Changing one's mind while a document is read: stop it, delete it, close a dialog that is still asking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from receiptdesk.app import Window
from receiptdesk.services.secrets import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
from receiptdesk.store.records import Status
from tests.emulators.fixtures import moto_s3, s3_bucket, textract_emulator
from tests.emulators.textract import TextractEmulator
from tests.gui.cloud_steps import KEY_ID, SECRET, fill_settings, price_asked, send
from tests.gui.conftest import OpenApp, drop, settled
from tests.unit.providers.textract.conftest import write_pdf

__all__ = ["moto_s3", "s3_bucket", "textract_emulator"]


def slow_textract_by_default(
    qtbot: QtBot, app: Window, emulator: TextractEmulator, moto_s3: str, bucket: str = ""
) -> None:
    """New documents go to Textract, which takes its time answering."""
    values = {
        "extract.provider": "textract",
        "textract.endpoint_url": emulator.url,
        "textract.s3_endpoint_url": moto_s3,
        "textract.bucket": bucket,
    }
    fill_settings(qtbot, app, values, {AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET})
    emulator.delay(3.0)


def test_a_stopped_document_waits_until_asked_even_after_a_restart(
    qtbot: QtBot, open_app: OpenApp, textract_emulator: TextractEmulator, moto_s3: str, s3_bucket: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    app = open_app()
    slow_textract_by_default(qtbot, app, textract_emulator, moto_s3, bucket=s3_bucket)
    textract_emulator.stall(True)  # a two-page PDF: Textract works on it as a job, for as long as it likes
    drop(app.window, [write_pdf(tmp_path / "statement.pdf", 2).path])
    send(price_asked(qtbot, app))  # Textract reads new documents: the price is asked first
    qtbot.waitUntil(lambda: textract_emulator.count("GetExpenseAnalysis") >= 1, timeout=30_000)
    assert app.window.cancel_button.isVisible()
    app.window.cancel_button.click()
    qtbot.waitUntil(lambda: settled(app, 1), timeout=30_000)
    model = app.window.library.model
    doc_id = model.summary(0).id
    assert model.summary(0).status is Status.STOPPED and model.index(0, 3).data() == "Stopped"
    assert not app.window.progress.isVisible()
    assert app.close()

    textract_emulator.stall(False)
    again = open_app()
    qtbot.waitUntil(lambda: again.window.library.model.rowCount() == 1, timeout=10_000)
    qtbot.wait(500)  # time enough for a resume to start, if one wrongly did
    assert again.desk.reading_ids() == []
    assert again.services.library.summary(doc_id).status is Status.STOPPED
    polls = textract_emulator.count("GetExpenseAnalysis")
    # Asked again, it is read (the same job: the token is the file's, so nothing is billed twice).
    again.window.library.select([doc_id])
    again.window.commands.read_with["textract"].trigger()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in again.window.findChildren(QMessageBox, "confirmCost")),
                    timeout=10_000)  # fmt: skip
    (box,) = [b for b in again.window.findChildren(QMessageBox, "confirmCost") if b.isVisible()]
    next(b for b in box.buttons() if b.text() == "Send").click()
    qtbot.waitUntil(lambda: again.services.library.summary(doc_id).status is Status.OK, timeout=30_000)
    assert textract_emulator.count("GetExpenseAnalysis") > polls
    assert len(textract_emulator.jobs) == 1


def test_deleting_a_document_while_it_is_read_leaves_nothing_behind(
    qtbot: QtBot, open_app: OpenApp, textract_emulator: TextractEmulator, moto_s3: str, shared: Path
) -> None:
    app = open_app()
    slow_textract_by_default(qtbot, app, textract_emulator, moto_s3)
    drop(app.window, [shared / "data" / "responses" / "textract" / "receipt.jpg"])
    send(price_asked(qtbot, app))
    qtbot.waitUntil(lambda: textract_emulator.count("AnalyzeExpense") == 1, timeout=30_000)
    doc_id = app.window.library.model.summary(0).id
    original = app.services.library.original_path(doc_id)
    app.window.library.select([doc_id])
    app.window.commands.trash.trigger()
    (question,) = [b for b in app.window.findChildren(QMessageBox) if b.isVisible()]
    next(b for b in question.buttons() if b.text() == "Move to Trash").click()
    qtbot.waitUntil(lambda: app.window.library.model.rowCount() == 0 and not app.desk.reading_ids(), timeout=30_000)
    assert not app.window.progress.isVisible() and app.window.status.text() == ""
    assert app.window.errors.dialog is None  # nothing went wrong from the user's point of view
    assert original.exists()  # in the Trash: kept until the Trash is emptied
    assert app.services.library.summary(doc_id).in_trash


def test_closing_settings_while_it_tests_the_connection_is_quiet(
    qtbot: QtBot, open_app: OpenApp, textract_emulator: TextractEmulator, moto_s3: str
) -> None:
    app = open_app()
    app.window.open_settings("textract")
    qtbot.waitUntil(lambda: app.window.settings_dialog is not None, timeout=5000)
    dialog = app.window.settings_dialog
    assert dialog is not None
    dialog.editors["textract.endpoint_url"].setProperty("text", textract_emulator.url)
    dialog.keys[AWS_ACCESS_KEY_ID].setText(KEY_ID)
    dialog.keys[AWS_SECRET_ACCESS_KEY].setText(SECRET)
    textract_emulator.delay(1.0)
    dialog.tests["textract"].click()
    qtbot.waitUntil(lambda: textract_emulator.count("GetExpenseAnalysis") >= 1, timeout=10_000)
    dialog.reject()  # the user gives up before the answer comes
    qtbot.wait(1500)  # the answer arrives after the dialog is gone
    assert app.window.errors.dialog is None
