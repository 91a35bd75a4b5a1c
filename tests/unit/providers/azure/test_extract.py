"""The real SDK clients, both generations, against the local service: file in, document out."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path

import pytest

from receiptdesk.core.document import DocumentKind
from receiptdesk.providers.azure import AzureProvider, AzureSettings, remap
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import Source
from tests.emulators.azure import AzureEmulator
from tests.unit.providers.azure.recorder import Recorder

RECEIPT_PY = "sdk-recordings/test_dac_analyze_prebuilts.pyTestDACAnalyzePrebuiltstest_receipt_png.json"
INVOICE_JS = "sdk-recordings/aad_analysis_node_invoices__recording_url.json"


@pytest.mark.parametrize(
    ("api_version", "document", "recording", "model_path", "total"),
    [
        ("2023-07-31", "contoso-receipt.png", RECEIPT_PY, "documentModels/prebuilt-receipt:analyze", "1203.39"),
        ("2023-07-31", "Invoice_1.pdf", INVOICE_JS, "documentModels/prebuilt-invoice:analyze", "56651.49"),
        ("2.1", "contoso-allinone.jpg", "receipt-result.json", "v2.1/prebuilt/receipt/analyze", "14.50"),
        ("2.1", "sample-invoice.pdf", "sample-invoice-output.json", "v2.1/prebuilt/invoice/analyze", "110.00"),
    ],
)
def test_a_file_is_read_end_to_end(
    azure_emulator: AzureEmulator,
    azure_settings: AzureSettings,
    azure_data: Path,
    api_version: str,
    document: str,
    recording: str,
    model_path: str,
    total: str,
) -> None:
    azure_emulator.use(recording)
    azure_emulator.polls_before_done = 2
    provider = AzureProvider(replace(azure_settings, api_version=api_version), azure_emulator.key)
    source = Source.open(azure_data / document)
    rec = Recorder()
    try:
        extraction = provider.extract(source, rec.ctx())
    finally:
        provider.close()

    # the stored raw body is exactly what the service sent, and maps again to the same document
    assert extraction.raw == json.loads((azure_data / recording).read_text())
    assert remap(extraction.raw).to_json() == extraction.document.to_json()
    assert extraction.document.to_json()["fields"]["total"]["value"] == total
    assert extraction.pages_billed == 1
    assert extraction.warnings and "chosen automatically" in extraction.warnings[0]

    (post,) = azure_emulator.posts()
    assert post.path.endswith(model_path)
    assert post.body_size == source.size  # the whole file, streamed from disk
    assert post.query.get("locale") == "en-US"
    if api_version == "2.1":
        assert post.query["includeTextDetails"] == "true"
    else:
        assert post.query["api-version"] == "2023-07-31"
    assert len(azure_emulator.polls()) == 3  # running, running, succeeded

    (checkpoint,) = rec.checkpoints  # saved once, as soon as Azure accepted the file
    assert checkpoint["api_version"] == api_version
    (operation,) = azure_emulator.operations
    assert operation in base64.b64decode(checkpoint["token"]).decode()
    fractions = [f for f, _ in rec.progress]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_a_model_set_in_settings_is_used_without_a_note(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, azure_data: Path
) -> None:
    provider = AzureProvider(replace(azure_settings, model="invoice"), azure_emulator.key)
    try:
        extraction = provider.extract(Source.open(azure_data / "contoso-allinone.jpg"), RunContext())
    finally:
        provider.close()
    assert azure_emulator.posts()[0].path.endswith("prebuilt-invoice:analyze")
    assert extraction.document.kind is DocumentKind.INVOICE
    assert extraction.warnings == []


def test_without_a_locale_no_hint_is_sent(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, azure_data: Path
) -> None:
    provider = AzureProvider(replace(azure_settings, locale=""), azure_emulator.key)
    try:
        provider.extract(Source.open(azure_data / "receipt.png"), RunContext())
    finally:
        provider.close()
    assert "locale" not in azure_emulator.posts()[0].query


def test_the_automatic_choice_is_reported_so_the_other_model_can_be_tried(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    source = Source.open(azure_data / "contoso-allinone.jpg")
    first = azure_provider.extract(source, RunContext())
    assert first.document.kind is DocumentKind.RECEIPT
    assert first.document.provenance.model == "prebuilt-receipt 2023-07-31"
    assert "If it is an invoice, read it again as an invoice." in first.warnings[0]
    again = azure_provider.with_model("invoice")
    try:
        second = again.extract(source, RunContext())
    finally:
        again.close()
    assert second.document.kind is DocumentKind.INVOICE
    assert [p.path.rsplit("/", 1)[-1] for p in azure_emulator.posts()] == [
        "prebuilt-receipt:analyze",
        "prebuilt-invoice:analyze",
    ]
