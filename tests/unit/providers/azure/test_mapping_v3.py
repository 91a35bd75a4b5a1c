"""The three 2023-07-31 recordings map to the values they carry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from receiptdesk.core.document import DocumentKind, Page
from receiptdesk.providers.azure import remap
from tests.unit.providers.azure.boxes import assert_box

RECEIPT_PY = "sdk-recordings/test_dac_analyze_prebuilts.pyTestDACAnalyzePrebuiltstest_receipt_png.json"
RECEIPT_JS = "sdk-recordings/aad_analysis_node_receipts__recording_png_file_stream.json"
INVOICE_JS = "sdk-recordings/aad_analysis_node_invoices__recording_url.json"

Loader = Callable[[str], Any]


def _fields(raw: Any) -> dict[str, Any]:
    fields: dict[str, Any] = raw["analyzeResult"]["documents"][0]["fields"]
    return fields


def test_receipt_png_python_recording(recorded: Loader) -> None:
    raw = recorded(RECEIPT_PY)
    doc = remap(raw)
    assert doc.kind is DocumentKind.RECEIPT
    assert doc.doc_type == "receipt.retailMeal"
    assert doc.provenance.provider == "azure"
    assert doc.provenance.model == "prebuilt-receipt 2023-07-31"
    assert doc.pages == [Page(1, 1688.0, 3000.0, "pixel")]
    assert doc.value("vendor_name") == "Contoso"
    assert doc.value("vendor_phone") == "+11234567890"
    assert doc.fields["vendor_phone"].text == "123-456-7890"
    assert doc.value("vendor_address") == "123 Main Street Redmond, WA 98052"
    assert doc.value("date") == date(2019, 6, 10)
    assert doc.value("time") == "13:59"
    assert doc.value("subtotal") == Decimal("1098.99")
    assert doc.value("total_tax") == Decimal("104.4")
    assert doc.value("total") == Decimal("1203.39")
    assert doc.fields["total"].text == "$ 1203.39"
    assert doc.fields["total"].confidence == 0.961
    assert "tip" not in doc.fields
    assert doc.currency == "USD"  # receipts give numbers; the $ printed beside them says USD
    lines = [(i.value("description"), i.value("quantity"), i.value("amount")) for i in doc.line_items]
    assert lines == [("Surface Pro 6", Decimal(1), Decimal(999)), ("SurfacePen", Decimal(1), Decimal("99.99"))]
    assert doc.line_items[0].value("row") == "1 Surface Pro 6 256GB / Intel Core i5 / 8GB RAM (Black) $ 999.00"
    assert doc.text.startswith("Contoso\nContoso\n123 Main Street")
    fields = _fields(raw)
    for name, canonical in (("Total", "total"), ("MerchantName", "vendor_name"), ("TransactionDate", "date")):
        region = fields[name]["boundingRegions"][0]
        assert doc.fields[canonical].page == region["pageNumber"] == 1
        assert_box(doc.fields[canonical].box, region["polygon"], 1688, 3000)
    # the total is printed below the subtotal, and on the right half of the receipt
    total, subtotal = doc.fields["total"].box, doc.fields["subtotal"].box
    assert total is not None and subtotal is not None
    assert total.y0 > subtotal.y1 and total.x0 > 0.5


def test_receipt_jpeg_javascript_recording(recorded: Loader) -> None:
    raw = recorded(RECEIPT_JS)
    doc = remap(raw)
    assert doc.kind is DocumentKind.RECEIPT
    assert doc.pages == [Page(1, 2448.0, 3264.0, "pixel")]
    assert doc.value("vendor_name") == "Contoso"
    assert doc.value("vendor_phone") == "+19876543210"
    assert doc.value("date") == date(2019, 6, 10)
    assert (doc.value("subtotal"), doc.value("total_tax"), doc.value("total")) == (
        Decimal("2297.97"),
        Decimal("218.31"),
        Decimal("2516.28"),
    )
    lines = [(i.value("description"), i.value("quantity"), i.value("amount")) for i in doc.line_items]
    assert lines == [("Surface Pro 6", Decimal(2), Decimal(1998)), ("Surface Pen", Decimal(3), Decimal("299.97"))]
    item = _fields(raw)["Items"]["valueArray"][1]["valueObject"]["TotalPrice"]["boundingRegions"][0]
    assert doc.line_items[1].fields["amount"].page == 1
    assert_box(doc.line_items[1].fields["amount"].box, item["polygon"], 2448, 3264)
    checks = {c.name: c.status for c in doc.checks}
    assert checks["total_arithmetic"] == "ok"  # 2297.97 + 218.31 = 2516.28
    assert checks["line_sum"] == "ok"  # 1998.00 + 299.97 = 2297.97


def test_invoice_pdf_recording_in_inches(recorded: Loader) -> None:
    raw = recorded(INVOICE_JS)
    doc = remap(raw)
    assert doc.kind is DocumentKind.INVOICE
    assert doc.doc_type == "invoice"
    assert doc.provenance.model == "prebuilt-invoice 2023-07-31"
    assert doc.pages == [Page(1, 8.5, 11.0, "inch")]
    assert doc.value("vendor_name") == "Contoso"
    assert doc.value("customer_name") == "Microsoft"
    assert doc.value("invoice_id") == "34278587"
    assert doc.value("date") == date(2017, 6, 18)
    assert doc.value("due_date") == date(2017, 6, 24)
    assert doc.value("total") == Decimal("56651.49")
    assert doc.fields["total"].text == "$56,651.49"
    assert doc.currency == "USD"  # valueCurrency.currencyCode
    # the address: its printed text as the value, its parts kept under the field's own name
    assert doc.value("vendor_address") == "1 Redmond way Suite 6000 Redmond, WA 99243"
    assert doc.fields["vendor_address"].text == "1 Redmond way Suite\n6000 Redmond, WA\n99243"
    assert doc.extra["VendorAddress.city"].value == "Redmond"
    assert doc.extra["VendorAddress.postalCode"].value == "99243"
    assert doc.extra["VendorAddress.state"].value == "WA"
    assert doc.extra["CustomerAddressRecipient"].value == "Microsoft"
    (item,) = doc.line_items
    assert item.value("amount") == Decimal("56651.49")
    assert item.value("product_code") == "34278587"
    assert item.value("date") == date(2017, 6, 24)
    # Items[0].Tax has a type (currency) but no value: empty, with what was printed
    assert item.fields["tax"].value is None and item.fields["tax"].text == "PT"
    region = _fields(raw)["VendorName"]["boundingRegions"][0]
    assert_box(doc.fields["vendor_name"].box, region["polygon"], 8.5, 11)
    assert doc.fields["vendor_name"].box is not None and doc.fields["vendor_name"].box.y1 < 0.2  # at the top


def test_the_bare_analyze_result_maps_the_same(recorded: Loader) -> None:
    raw = recorded(INVOICE_JS)
    assert remap(raw["analyzeResult"]).to_json() == {**remap(raw).to_json(), "created": None}
