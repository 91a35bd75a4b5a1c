"""The synchronous route end to end: boto3 over HTTP to the local Textract, the real response back."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from receiptdesk.core.document import DocumentKind
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import Source
from receiptdesk.providers.textract import TextractProvider
from tests.emulators.textract import TextractEmulator


def test_a_receipt_photo_is_read_with_one_call(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, receipt: Source
) -> None:
    progress: list[tuple[float, str]] = []
    extraction = make_provider().extract(receipt, RunContext(on_progress=lambda f, t: progress.append((f, t))))

    assert [c.operation for c in textract_emulator.calls] == ["AnalyzeExpense"]
    sent = textract_emulator.calls[0].body["Document"]
    assert base64.b64decode(sent["Bytes"]) == receipt.read_bytes()  # the file's bytes, no bucket involved
    assert textract_emulator.calls[0].headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIA")

    doc = extraction.document
    assert doc.value("vendor_name") == "MEGA MARKET PLUS"
    assert doc.value("total") == Decimal("1810.46")
    assert doc.kind is DocumentKind.RECEIPT
    assert extraction.pages_billed == 1
    assert extraction.warnings == []
    assert progress[-1] == (1.0, "Done")
    # The raw answer is kept as the service sent it (boto3's ResponseMetadata dropped) and maps again for free.
    assert "ResponseMetadata" not in extraction.raw
    assert json.loads(json.dumps(extraction.raw)) == extraction.raw  # storable as it is
    assert extraction.raw["ExpenseDocuments"][0]["SummaryFields"][0]["ValueDetection"]["Text"] == "MEGA MARKET PLUS"
    calls_before = len(textract_emulator.calls)
    again = make_provider().remap(extraction.raw)
    assert len(textract_emulator.calls) == calls_before
    assert again.to_json()["fields"] == doc.to_json()["fields"]


def test_an_invoice_scan(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, responses: Path
) -> None:
    textract_emulator.serve("invoice-expense-response.json")
    extraction = make_provider().extract(Source.open(responses / "default_invoice_1.png"), RunContext())
    assert extraction.document.kind is DocumentKind.INVOICE
    assert extraction.document.value("total") == Decimal("6231.09")
    assert extraction.document.value("invoice_id") == "123PQR456"
    assert textract_emulator.count("StartExpenseAnalysis") == 0


def test_building_the_provider_calls_nothing(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, receipt: Source
) -> None:
    provider = make_provider(bucket="some-bucket")
    provider.estimate(receipt)
    assert "secret" not in repr(provider).lower()
    assert textract_emulator.calls == []
