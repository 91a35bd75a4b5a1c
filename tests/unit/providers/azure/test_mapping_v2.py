"""The v2.0 / v2.1 recordings map to the values they carry, custom and layout ones included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from receiptdesk.core.document import DocumentKind, Page
from receiptdesk.providers.azure import remap
from tests.unit.providers.azure.boxes import assert_box

Loader = Callable[[str], Any]


def test_v20_receipt(recorded: Loader) -> None:
    raw = recorded("receipt-result.json")
    doc = remap(raw)
    assert doc.kind is DocumentKind.RECEIPT
    assert doc.doc_type == "prebuilt:receipt"
    assert doc.provenance.model == "prebuilt:receipt 2.0.0"
    assert doc.pages == [Page(1, 1688.0, 3000.0, "pixel")]
    assert doc.value("vendor_name") == "Contoso Contoso"
    assert doc.value("vendor_address") == "123 Main Street Redmond, WA 98052"
    assert doc.value("vendor_phone") == "+19876543210"
    assert doc.value("date") == date(2019, 6, 10)
    assert doc.value("time") == "13:59"
    assert doc.value("subtotal") == Decimal("11.7")
    assert doc.value("total_tax") == Decimal("1.17")  # v2 receipts call it Tax
    assert doc.value("tip") == Decimal("1.63")
    assert doc.value("total") == Decimal("14.5")
    assert doc.currency == "USD"  # "$14.50"
    lines = [(i.value("quantity"), i.value("description"), i.value("amount")) for i in doc.line_items]
    assert lines == [(Decimal(1), "Cappuccino", Decimal("2.2")), (Decimal(1), "BACON & EGGS", Decimal("9.5"))]
    assert doc.extra["ReceiptType"].value == "Itemized"
    fields = raw["analyzeResult"]["documentResults"][0]["fields"]
    assert doc.fields["tip"].page == 1
    assert_box(doc.fields["tip"].box, fields["Tip"]["boundingBox"], 1688, 3000)
    first_amount = fields["Items"]["valueArray"][0]["valueObject"]["TotalPrice"]["boundingBox"]
    assert_box(doc.line_items[0].fields["amount"].box, first_amount, 1688, 3000)
    checks = {c.name: c.status for c in doc.checks}
    assert checks["total_arithmetic"] == "ok"  # 11.70 + 1.17 + 1.63 = 14.50
    assert checks["line_sum"] == "ok"  # 2.20 + 9.50 = 11.70
    assert doc.text == ""  # made without text details: no lines to read


def test_v21_invoice(recorded: Loader) -> None:
    raw = recorded("sample-invoice-output.json")
    doc = remap(raw)
    assert doc.kind is DocumentKind.INVOICE
    assert doc.provenance.model == "prebuilt:invoice 2.1.0"
    assert doc.pages == [Page(1, 8.5, 11.0, "inch")]
    expected = {
        "vendor_name": "CONTOSO LTD.",
        "vendor_address": "123 456th St New York, NY, 10001",
        "customer_name": "MICROSOFT CORPORATION",
        "customer_address": "123 Other St, Redmond WA, 98052",
        "billing_address": "123 Bill St, Redmond WA, 98052",
        "shipping_address": "123 Ship St, Redmond WA, 98052",
        "invoice_id": "INV-100",
        "purchase_order": "PO-3333",
        "date": date(2019, 11, 15),
        "due_date": date(2019, 12, 15),
        "service_start_date": date(2019, 10, 14),
        "service_end_date": date(2019, 11, 14),
        "subtotal": Decimal(100),
        "total_tax": Decimal(10),
        "total": Decimal(110),
        "previous_balance": Decimal(500),
        "amount_due": Decimal(610),
    }
    assert {name: doc.value(name) for name in expected} == expected
    assert doc.extra["CustomerId"].value == "CID-12345"
    assert doc.extra["VendorAddressRecipient"].value == "Contoso Headquarters"
    assert doc.extra["RemittanceAddress"].value == "123 Remit St New York, NY, 10001"
    # The model gave no Items; the item table of the layout gives the one line.
    (item,) = doc.line_items
    assert item.value("description") == "Test for 23 fields" and item.value("amount") == Decimal("100.00")
    assert item.value("quantity") == Decimal(1) and item.fields["amount"].box is not None
    total = raw["analyzeResult"]["documentResults"][0]["fields"]["InvoiceTotal"]
    assert_box(doc.fields["total"].box, total["boundingBox"], 8.5, 11)
    assert {c.name: c.status for c in doc.checks}["total_arithmetic"] == "ok"  # 100 + 10 = 110


def test_v21_custom_model_keeps_its_own_fields(recorded: Loader) -> None:
    raw = recorded("analyze-result-invoice-6.pdf.json")
    doc = remap(raw)
    assert doc.doc_type == "custom:custom-form-demo"
    assert doc.kind is DocumentKind.INVOICE  # a letter-size PDF page
    assert doc.fields == {}  # a custom model names its own fields; none is canonical
    assert doc.extra["Receipt No"].value == "9876"
    assert doc.extra["Sold To"].value == "Wingtip Toys"
    assert doc.extra["ID #"].value == "5554443"
    assert doc.extra["Online Delivery?"].value == "selected"
    assert doc.extra["Video Delivery?"].value == "unselected"
    sold_to = raw["analyzeResult"]["documentResults"][0]["fields"]["Sold To"]
    assert_box(doc.extra["Sold To"].box, sold_to["boundingBox"], 8.5, 11)
    lines = doc.text.splitlines()
    assert len(lines) == 41
    assert lines[:3] == ["Contoso, Ltd.", "Project Statement", "Date: 9/10/2020"]


def test_v20_layout_only_is_a_document_with_text(recorded: Loader) -> None:
    doc = remap(recorded("Invoice_1.pdf.ocr.json"))
    assert doc.fields == {} and doc.line_items == [] and doc.extra == {}
    assert doc.provenance.model == "layout 2.0.0"
    assert doc.pages == [Page(1, 8.5, 11.0, "inch")]
    lines = doc.text.splitlines()
    assert len(lines) == 18
    assert lines[0] == "Contoso" and lines[-2:] == ["$56,651.49", "PT"]
    assert doc.checks == []
