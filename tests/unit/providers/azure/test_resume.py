"""An analysis survives a restart: the next run resumes the same operation and pays once."""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from receiptdesk.core.errors import Cancelled, ErrorKind, ReceiptDeskError
from receiptdesk.providers.azure import AzureProvider, AzureSettings
from receiptdesk.providers.azure.client import safe_token
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import Source
from tests.emulators.azure import AzureEmulator
from tests.unit.providers.azure.recorder import Recorder

RECEIPT_JS = "sdk-recordings/aad_analysis_node_receipts__recording_png_file_stream.json"


@pytest.mark.parametrize(
    ("api_version", "document", "recording", "total"),
    [
        ("2023-07-31", "receipt.png", RECEIPT_JS, "2516.28"),
        ("2.1", "contoso-allinone.jpg", "receipt-result.json", "14.50"),
    ],
)
def test_a_restart_in_the_middle_resumes_the_same_operation(
    azure_emulator: AzureEmulator,
    azure_settings: AzureSettings,
    azure_data: Path,
    api_version: str,
    document: str,
    recording: str,
    total: str,
) -> None:
    settings = replace(azure_settings, api_version=api_version)
    azure_emulator.use(recording)
    azure_emulator.polls_before_done = 3
    source = Source.open(azure_data / document)

    first = AzureProvider(settings, azure_emulator.key)
    quitting = Recorder(cancel_at_checkpoint=True)
    with pytest.raises(Cancelled):
        first.extract(source, quitting.ctx())
    first.close()
    (saved,) = quitting.checkpoints

    # the next start: a new provider, clients and context, with only what was checkpointed
    second = AzureProvider(settings, azure_emulator.key)
    resumed = Recorder()
    try:
        extraction = second.extract(source, resumed.ctx(resume=saved))
    finally:
        second.close()
    assert extraction.document.to_json()["fields"]["total"]["value"] == total
    assert extraction.warnings == [saved["automatic"]]  # the automatic choice is still shown
    assert len(azure_emulator.posts()) == 1  # paid once
    assert resumed.checkpoints == []
    (operation,) = azure_emulator.operations
    assert {c.path.rsplit("/", 1)[-1] for c in azure_emulator.polls()} == {operation}


def test_a_result_gone_after_24_hours_is_reported_as_expired(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, azure_data: Path
) -> None:
    source = Source.open(azure_data / "receipt.png")
    first = AzureProvider(azure_settings, azure_emulator.key)
    quitting = Recorder(cancel_at_checkpoint=True)
    with pytest.raises(Cancelled):
        first.extract(source, quitting.ctx())
    first.close()
    azure_emulator.expire()
    second = AzureProvider(azure_settings, azure_emulator.key)
    try:
        with pytest.raises(ReceiptDeskError) as e:
            second.extract(source, RunContext(resume=quitting.checkpoints[0]))
    finally:
        second.close()
    assert e.value.kind is ErrorKind.EXPIRED
    assert "keeps results for 24 hours" in e.value.message and "Read the document again" in e.value.message
    assert len(azure_emulator.posts()) == 1  # nothing posted behind the user's back


def test_a_token_this_version_cannot_read_is_reported_not_reposted(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    stale = {
        "kind": "azure-operation",
        "api_version": "2023-07-31",
        "model": "receipt",
        "token": "gASVbm90IGEgdG9rZW4=",
    }
    with pytest.raises(ReceiptDeskError) as e:
        azure_provider.extract(Source.open(azure_data / "receipt.png"), RunContext(resume=stale))
    assert e.value.kind is ErrorKind.EXPIRED
    assert azure_emulator.posts() == []


def test_someone_elses_checkpoint_is_not_taken_for_ours(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    textract_job = {"job_id": "1234", "provider": "textract"}
    azure_provider.extract(Source.open(azure_data / "receipt.png"), RunContext(resume=textract_job))
    assert len(azure_emulator.posts()) == 1


def test_cancelling_a_stalled_analysis_stops_at_once_and_stops_polling(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    azure_emulator.stall()
    rec = Recorder()
    ctx = rec.ctx()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            azure_provider.extract(Source.open(azure_data / "receipt.png"), ctx)
        except BaseException as e:  # noqa: BLE001 - handed to the test thread
            outcome.append(e)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 5
    while len(azure_emulator.polls()) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(azure_emulator.polls()) >= 5  # still running after several polls: stalled
    cancelled_at = time.monotonic()
    ctx.cancel()
    worker.join(timeout=2)
    assert not worker.is_alive()
    assert time.monotonic() - cancelled_at < 1.0
    assert [type(e) for e in outcome] == [Cancelled]
    assert len(rec.checkpoints) == 1  # the operation can still be resumed later
    time.sleep(0.1)
    polls = len(azure_emulator.polls())
    time.sleep(0.2)
    assert len(azure_emulator.polls()) == polls  # the SDK's poller thread ended too


def test_cancelling_a_v21_analysis_returns_at_once(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, azure_data: Path
) -> None:
    # FormRecognizerClient fixes its own polling method: we stop waiting at once, and its
    # poller thread ends by itself when the service finishes.
    azure_emulator.stall()
    provider = AzureProvider(replace(azure_settings, api_version="2.1"), azure_emulator.key)
    rec = Recorder()
    ctx = rec.ctx()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            provider.extract(Source.open(azure_data / "contoso-allinone.jpg"), ctx)
        except BaseException as e:  # noqa: BLE001 - handed to the test thread
            outcome.append(e)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 5
    while len(azure_emulator.polls()) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    cancelled_at = time.monotonic()
    ctx.cancel()
    worker.join(timeout=2)
    assert time.monotonic() - cancelled_at < 1.0
    assert [type(e) for e in outcome] == [Cancelled]
    assert len(rec.checkpoints) == 1
    azure_emulator.release()  # the service finishes; the SDK's thread gets its answer and ends
    deadline = time.monotonic() + 5
    while _still_polling(azure_emulator) and time.monotonic() < deadline:
        pass
    assert not _still_polling(azure_emulator)
    provider.close()


def _still_polling(emulator: AzureEmulator) -> bool:
    before = len(emulator.polls())
    time.sleep(0.1)
    return len(emulator.polls()) != before


def test_a_continuation_token_that_would_carry_the_key_is_not_kept() -> None:
    key = "0123456789abcdef0123456789abcdef"
    pickled_request = b"\x80\x04...Ocp-Apim-Subscription-Key\x94" + key.encode() + b"\x94..."
    assert safe_token(base64.b64encode(pickled_request).decode(), key) is None
    fine = base64.b64encode(b'{"version": 1, "data": {"request": {"method": "POST"}}}').decode()
    assert safe_token(fine, key) == fine
