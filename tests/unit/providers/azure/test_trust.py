"""Azure readings you can trust (issue 12), through the real SDK clients against the emulator:
one document per document found, tables and key-value pairs kept, the pages option, a deadline
on waiting that keeps the analysis, Retry-After, the 24-hour expiry, and Read again for free."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.azure import AzureProvider, AzureSettings
from receiptdesk.providers.azure.settings import locale_problem
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import Source
from tests.emulators.azure import AzureEmulator
from tests.unit.providers.azure.files import pdf
from tests.unit.providers.azure.recorder import Recorder

RECEIPT = "sdk-recordings/test_dac_analyze_prebuilts.pyTestDACAnalyzePrebuiltstest_receipt_png.json"


def _served(tmp_path: Path, body: dict[str, Any]) -> Path:
    path = tmp_path / "served.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_two_receipts_in_one_file_are_two_documents_each_with_its_page(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path, tmp_path: Path
) -> None:
    body = json.loads((azure_data / RECEIPT).read_text(encoding="utf-8"))
    result = body["analyzeResult"]
    page2 = copy.deepcopy(result["pages"][0]) | {"pageNumber": 2}
    second = copy.deepcopy(result["documents"][0])
    for f in second["fields"].values():
        for region in f.get("boundingRegions") or []:
            region["pageNumber"] = 2
    for region in second["boundingRegions"]:
        region["pageNumber"] = 2
    second["fields"]["MerchantName"] |= {"valueString": "Fabrikam", "content": "Fabrikam"}
    result["pages"].append(page2)
    result["documents"].append(second)
    azure_emulator.use(_served(tmp_path, body))

    extraction = azure_provider.with_model("receipt").extract(
        Source.open(azure_data / "contoso-receipt.png"), RunContext()
    )
    first, other = extraction.documents
    assert extraction.document is first
    assert first.value("vendor_name") == "Contoso" and other.value("vendor_name") == "Fabrikam"
    assert [p.number for p in first.pages] == [1] and [p.number for p in other.pages] == [2]
    assert len(first.line_items) == len(other.line_items) == 2  # the second keeps its items
    assert other.fields["total"].page == 2 and other.fields["total"].box is not None
    assert (first.part, other.part) == (1, 2)
    assert not any(k.startswith("document2") for k in first.extra)
    assert first.confidence == pytest.approx(0.988)


def test_the_v21_invoice_gets_its_line_item_from_the_table(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, azure_data: Path
) -> None:
    provider = AzureProvider(replace(azure_settings, api_version="2.1", model="invoice"), azure_emulator.key)
    try:
        doc = provider.extract(Source.open(azure_data / "sample-invoice.pdf"), RunContext()).document
    finally:
        provider.close()
    (item,) = doc.line_items
    assert item.value("description") == "Test for 23 fields"
    assert (item.value("quantity"), item.value("amount")) == (Decimal(1), Decimal("100.00"))
    assert item.fields["description"].box is not None and item.fields["description"].page == 1


def test_printed_key_value_pairs_are_kept_with_both_boxes(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path, tmp_path: Path
) -> None:
    body = json.loads((azure_data / RECEIPT).read_text(encoding="utf-8"))
    region = [{"pageNumber": 1, "polygon": [10, 20, 110, 20, 110, 40, 10, 40]}]
    value_region = [{"pageNumber": 1, "polygon": [120, 20, 220, 20, 220, 40, 120, 40]}]
    body["analyzeResult"]["keyValuePairs"] = [  # the 2023-07-31 shape (DocumentKeyValuePair)
        {
            "key": {"content": "Table:", "boundingRegions": region, "spans": []},
            "value": {"content": "12", "boundingRegions": value_region, "spans": []},
            "confidence": 0.91,
        },
        {"key": {"content": "Signature", "boundingRegions": region, "spans": []}, "confidence": 0.5},
    ]
    azure_emulator.use(_served(tmp_path, body))
    doc = azure_provider.with_model("receipt").extract(Source.open(azure_data / "contoso-receipt.png"), RunContext())
    table = doc.document.extra["keyValue.Table"]
    assert (table.value, table.label, table.confidence) == ("12", "Table:", 0.91)
    assert table.box is not None and table.label_box is not None and table.box != table.label_box
    signature = doc.document.extra["keyValue.Signature"]
    assert signature.value is None and signature.label == "Signature"  # a label with no value is kept


def test_the_pages_option_reads_and_bills_only_those_pages(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, tmp_path: Path
) -> None:
    source = pdf(tmp_path / "long.pdf", 5)
    provider = AzureProvider(replace(azure_settings, pages="1-2", model="invoice"), azure_emulator.key)
    try:
        assert provider.estimate(source).pages_billed == 2
        doc = provider.extract(source, RunContext()).document
    finally:
        provider.close()
    (post,) = azure_emulator.posts()
    assert post.query["pages"] == "1-2"
    assert any("Only pages 1-2 of the 5 were read" in w for w in doc.warnings) and doc.needs_review


def test_a_stalled_analysis_stops_waiting_at_the_deadline_and_is_kept(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, azure_data: Path
) -> None:
    azure_emulator.stall()
    source = Source.open(azure_data / "receipt.png")
    rec = Recorder()
    provider = AzureProvider(replace(azure_settings, poll_timeout=0.5), azure_emulator.key)
    try:
        with pytest.raises(ReceiptDeskError) as err:
            provider.extract(source, rec.ctx())
    finally:
        provider.close()
    assert err.value.kind is ErrorKind.PENDING and err.value.retryable
    assert "The analysis is kept" in err.value.message and "UTC" in err.value.message
    assert any("stops waiting at" in text for _, text in rec.progress)  # the wait is said while it lasts

    azure_emulator.release()
    again = AzureProvider(azure_settings, azure_emulator.key)
    try:
        doc = again.extract(source, RunContext(resume=rec.checkpoints[-1])).document
    finally:
        again.close()
    assert doc.value("total") is not None
    assert len(azure_emulator.posts()) == 1  # paid once


def test_polling_honours_retry_after(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    azure_emulator.retry_after = "1"  # the service asks for a second between looks
    azure_provider.extract(Source.open(azure_data / "receipt.png"), RunContext())
    polls = azure_emulator.polls()
    assert len(polls) == 2
    assert polls[1].at - polls[0].at >= 0.9  # not the 0.01 s polling interval of the settings


def test_a_result_older_than_24_hours_is_said_plainly_without_calling(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    source = Source.open(azure_data / "receipt.png")
    rec = Recorder()
    azure_provider.extract(source, rec.ctx())
    old = rec.checkpoints[-1] | {"started": (datetime.now(UTC) - timedelta(hours=25)).isoformat()}
    before = len(azure_emulator.calls)
    assert not azure_provider.can_fetch_again(old)
    with pytest.raises(ReceiptDeskError) as err:
        azure_provider.extract(source, RunContext(resume=old))
    assert err.value.kind is ErrorKind.EXPIRED and "keeps a result 24 hours" in err.value.message
    assert len(azure_emulator.calls) == before


def test_read_again_fetches_the_kept_result_instead_of_posting_again(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    source = Source.open(azure_data / "receipt.png")
    rec = Recorder()
    first = azure_provider.extract(source, rec.ctx()).document
    last = rec.checkpoints[-1]
    assert azure_provider.can_fetch_again(last)
    again = azure_provider.extract(source, RunContext(resume=azure_provider.read_again_state(last))).document
    assert again.value("total") == first.value("total")
    assert len(azure_emulator.posts()) == 1  # one billed analysis
    azure_provider.extract(source, RunContext(resume=azure_provider.read_again_state(last, fresh=True)))
    assert len(azure_emulator.posts()) == 2  # a fresh reading was asked for


@pytest.mark.parametrize("locale", ["ja-JP", "ko-KR", "pl-PL", "cs-CZ", "sv-SE", "zh-Hans"])
def test_languages_of_2023_07_31_get_no_false_warning(locale: str) -> None:
    assert locale_problem(locale, "2023-07-31", "invoice") is None
    assert locale_problem(locale, "2023-07-31", "receipt") is None


def test_azure_failing_on_its_side_while_polling_leaves_the_analysis_waiting(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    source = Source.open(azure_data / "receipt.png")
    azure_emulator.fail_poll("server_error", times=20)  # more than the SDK's retries
    rec = Recorder()
    with pytest.raises(ReceiptDeskError) as err:
        azure_provider.extract(source, rec.ctx())
    assert err.value.kind is ErrorKind.PENDING and "The analysis is kept" in err.value.message

    azure_emulator.clear_faults()  # the service is back
    doc = azure_provider.extract(source, RunContext(resume=rec.checkpoints[-1])).document
    assert doc.value("total") is not None
    assert len(azure_emulator.posts()) == 1
