"""Reading a document again with Amazon Textract or Azure, from the window, against local services.

The real boto3 and Azure SDK clients talk HTTP to the emulators in
tests/emulators, which answer with the real recorded responses; the keys
are typed into the Settings dialog as a user would and go to the keyring.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from receiptdesk.core.errors import ErrorKind
from receiptdesk.providers.azure import remap as azure_remap
from receiptdesk.services.secrets import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AZURE_KEY
from receiptdesk.store.records import Status
from receiptdesk.ui.desk import Activity
from tests.emulators.azure import AzureEmulator
from tests.emulators.fixtures import free_port, moto_s3, textract_emulator
from tests.emulators.textract import TextractEmulator
from tests.gui.cloud_steps import (
    KEY_ID,
    SECRET,
    azure_emulator,
    fill_settings,
    first_read,
    read_again_with,
    scan_for,
    send,
)
from tests.gui.conftest import OpenApp, settled
from tests.memory_keyring import MemoryKeyring

__all__ = ["azure_emulator", "moto_s3", "textract_emulator"]


def test_textract_from_the_window_with_a_retry_then_a_wrong_key(
    qtbot: QtBot, open_app: OpenApp, textract_emulator: TextractEmulator, moto_s3: str, shared: Path,
    keyring: MemoryKeyring, data_dir: Path,
) -> None:  # fmt: skip
    app, doc_id = first_read(qtbot, open_app, shared / "data" / "responses" / "textract" / "receipt.jpg")
    textract_emulator.accept_keys({KEY_ID: SECRET})
    settings = {"textract.endpoint_url": textract_emulator.url, "textract.s3_endpoint_url": moto_s3}
    fill_settings(qtbot, app, settings, {AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET})
    assert keyring.get_password("ReceiptDesk", AWS_SECRET_ACCESS_KEY) == SECRET

    box = read_again_with(qtbot, app, doc_id, "textract")
    assert "1 page billed, about 0.0100 USD" in box.text()
    seen: list[str] = []
    app.desk.activity.connect(lambda a: seen.append(a.text) if isinstance(a, Activity) else None)
    textract_emulator.throttle(1)  # busy once: botocore waits and tries again
    textract_emulator.delay(0.2)
    send(box)
    qtbot.waitUntil(lambda: textract_emulator.count("AnalyzeExpense") == 2 and settled(app, 1), timeout=60_000)
    assert any("Amazon Textract is busy; trying again" in text for text in seen), seen

    editor = app.window.editor
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.current is not None
                    and editor.record.current.provenance.provider == "textract", timeout=10_000)  # fmt: skip
    assert "read by Amazon Textract" in editor.subtitle.full_text()
    assert editor.form.rows["vendor_name"].edit.text() == "MEGA MARKET PLUS"  # what the response says
    assert Decimal(editor.form.rows["total"].edit.text()) == Decimal("1810.46")
    qtbot.waitUntil(lambda: "total" in app.window.viewer.view.box_names(), timeout=10_000)
    assert app.services.library.usage.pages("textract") == 1

    # A wrong secret: the document says the keys were not accepted and offers the way to Settings.
    fill_settings(qtbot, app, {}, {AWS_SECRET_ACCESS_KEY: "not-the-right-secret-at-all-0123456789"})
    send(read_again_with(qtbot, app, doc_id, "textract"))
    banner = editor.banner
    qtbot.waitUntil(lambda: banner.isVisible() and settled(app, 1), timeout=30_000)
    assert "did not accept the access key" in banner.message.text()
    assert banner.settings_button.isVisible()
    assert editor.form.rows["vendor_name"].edit.text() == "MEGA MARKET PLUS"  # the values read stay
    banner.settings_button.click()
    qtbot.waitUntil(lambda: app.window.settings_dialog is not None, timeout=5000)
    dialog = app.window.settings_dialog
    assert dialog is not None and dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Amazon Textract"
    dialog.reject()

    assert app.close()
    # The keys were only in the keyring: not in settings, the library, the log or the cache.
    assert scan_for(SECRET, data_dir) == []
    assert scan_for("not-the-right-secret-at-all-0123456789", data_dir) == []


def test_azure_from_the_window_then_a_wrong_key(
    qtbot: QtBot, open_app: OpenApp, azure_emulator: AzureEmulator, shared: Path, data_dir: Path
) -> None:
    azure = shared / "data" / "responses" / "azure"
    app, doc_id = first_read(qtbot, open_app, azure / "contoso-receipt.png")
    fill_settings(qtbot, app, {"azure.endpoint": azure_emulator.url}, {AZURE_KEY: azure_emulator.key})

    box = read_again_with(qtbot, app, doc_id, "azure")
    assert "1 page billed" in box.text()
    send(box)
    editor = app.window.editor
    qtbot.waitUntil(lambda: settled(app, 1) and editor.record is not None and editor.record.current is not None
                    and editor.record.current.provenance.provider == "azure", timeout=60_000)  # fmt: skip
    recording = "sdk-recordings/test_dac_analyze_prebuilts.pyTestDACAnalyzePrebuiltstest_receipt_png.json"
    expected = azure_remap(json.loads((azure / recording).read_text(encoding="utf-8")))
    assert editor.form.rows["vendor_name"].edit.text() == expected.value("vendor_name")
    assert Decimal(editor.form.rows["total"].edit.text()) == expected.value("total")
    assert "read by Azure Form Recognizer" in editor.subtitle.full_text()

    fill_settings(qtbot, app, {}, {AZURE_KEY: "a-wrong-azure-key-0000000000000000"})
    send(read_again_with(qtbot, app, doc_id, "azure"))
    qtbot.waitUntil(lambda: editor.banner.isVisible() and settled(app, 1), timeout=30_000)
    summary = app.services.library.summary(doc_id)
    assert summary.error_kind == ErrorKind.CREDENTIALS.value
    assert editor.banner.settings_button.isVisible()
    assert app.close()
    assert scan_for(azure_emulator.key, data_dir) == []


def test_offline_the_document_waits_and_is_read_when_the_service_answers_again(
    qtbot: QtBot, open_app: OpenApp, azure_emulator: AzureEmulator, shared: Path
) -> None:
    app, doc_id = first_read(qtbot, open_app, shared / "data" / "responses" / "azure" / "contoso-receipt.png")
    nobody = f"http://127.0.0.1:{free_port()}/"  # nothing listens there: as good as no network
    fill_settings(qtbot, app, {"azure.endpoint": nobody}, {AZURE_KEY: azure_emulator.key})
    app.desk.retry_timer.setInterval(300)  # a minute for users; the test cannot wait that long
    send(read_again_with(qtbot, app, doc_id, "azure"))
    editor = app.window.editor
    qtbot.waitUntil(lambda: app.services.library.summary(doc_id).status is Status.WAITING, timeout=60_000)
    qtbot.waitUntil(lambda: editor.banner.isVisible() and editor.banner.title.text() == "Waiting to try again",
                    timeout=10_000)  # fmt: skip
    assert app.desk.retry_timer.isActive()
    assert editor.form.rows["total"].edit.text()  # what was read on this computer is still shown

    fill_settings(qtbot, app, {"azure.endpoint": azure_emulator.url}, {})  # the service answers again
    qtbot.waitUntil(lambda: app.services.library.summary(doc_id).provider == "azure", timeout=60_000)
    qtbot.waitUntil(lambda: settled(app, 1) and not editor.banner.isVisible(), timeout=30_000)
    assert app.services.library.summary(doc_id).status is Status.OK
    assert not app.desk.retry_timer.isActive()


def test_settings_test_connection_says_whether_the_key_works(
    qtbot: QtBot, open_app: OpenApp, azure_emulator: AzureEmulator, keyring: MemoryKeyring, data_dir: Path
) -> None:
    app = open_app()
    window = app.window
    window.open_settings("azure")
    qtbot.waitUntil(lambda: window.settings_dialog is not None and window.settings_dialog.isVisible(), timeout=5000)
    dialog = window.settings_dialog
    assert dialog is not None and dialog.keys[AZURE_KEY].placeholderText() == "not set"
    endpoint = dialog.editors["azure.endpoint"]
    assert isinstance(endpoint, QLineEdit)
    endpoint.setText(azure_emulator.url)
    dialog.keys[AZURE_KEY].setText("a-wrong-azure-key-0000000000000000")
    result = dialog.results["azure"]
    dialog.tests["azure"].click()
    qtbot.waitUntil(lambda: result.text().startswith("✗"), timeout=30_000)
    assert "key" in result.text().lower()
    dialog.keys[AZURE_KEY].setText(azure_emulator.key)
    dialog.tests["azure"].click()
    qtbot.waitUntil(lambda: result.text().startswith("✓"), timeout=30_000)
    assert keyring.get_password("ReceiptDesk", AZURE_KEY) == azure_emulator.key
    assert dialog.keys[AZURE_KEY].text() == "" and "keyring" in dialog.keys[AZURE_KEY].placeholderText()
    assert "Pages sent this month: 0" in [w.text() for w in dialog.findChildren(QLabel)]
    dialog.reject()
    settings = (data_dir / "config" / "settings.json").read_text(encoding="utf-8")
    assert azure_emulator.url in settings and azure_emulator.key not in settings
