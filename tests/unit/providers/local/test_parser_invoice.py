"""Digital PDF invoices: words from a text layer, columns side by side, totals at the bottom."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from receiptdesk.core.document import DocumentKind
from receiptdesk.providers.local.parser import parse
from tests.unit.providers.local.pages import receipt, text_layer


def _invoice() -> list[object]:
    return [
        (0.05, "Acme Supplies B.V.", 0.6, "Invoice"),
        (0.05, "Kerkstraat 12", 0.6, "Bill to: Jansen Bouw"),
        (0.05, "1017 GC Amsterdam", 0.6, "Dorpsweg 3, 1234 AB Utrecht"),
        (0.05, "BTW: NL001234567B01"),
        (0.05, "Invoice Date:", 0.35, "Due Date:", 0.65, "Invoice No:"),
        (0.05, "14-03-2024", 0.35, "13-04-2024", 0.65, "2024-0042"),
        (0.05, "Description", 0.45, "Qty", 0.55, "Unit price", 0.7, "VAT", 0.85, "Amount"),
        (0.05, "Office chair ergonomic", 0.45, "2", 0.55, "€ 149,00", 0.7, "21%", 0.85, "€ 298,00"),
        (0.05, "Desk lamp", 0.45, "3", 0.55, "€ 24,50", 0.7, "21%", 0.85, "€ 73,50"),
        (0.55, "Subtotal", 0.85, "€ 371,50"),
        (0.55, "VAT 21%", 0.85, "€ 78,02"),
        (0.55, "Total", 0.85, "€ 449,52"),
        (0.05, "Please pay within 30 days to IBAN NL91ABNA0417164300"),
    ]


def test_invoice_totals_date_and_lines_from_a_text_layer() -> None:
    doc = parse([text_layer(*_invoice())])  # type: ignore[arg-type]
    assert doc.kind is DocumentKind.INVOICE
    assert doc.currency == "EUR"
    assert doc.value("total") == Decimal("449.52")
    assert doc.value("subtotal") == Decimal("371.50")
    assert doc.value("total_tax") == Decimal("78.02")
    assert doc.value("date") == date(2024, 3, 14)  # the invoice date, not the due date
    assert doc.value("vendor_name") == "Acme Supplies B.V."
    rows = [
        (i.value("description"), i.value("quantity"), i.value("unit_price"), i.value("amount")) for i in doc.line_items
    ]
    assert rows == [
        ("Office chair ergonomic", Decimal(2), Decimal("149.00"), Decimal("298.00")),
        ("Desk lamp", Decimal(3), Decimal("24.50"), Decimal("73.50")),
    ]
    assert all(c.status == "ok" for c in doc.checks if c.name in ("total_arithmetic", "line_sum"))


def test_till_receipt_with_tax_invoice_banner_stays_a_receipt() -> None:
    doc = parse([receipt("KEDAI ABC SDN BHD", "TAX INVOICE", "INVOICE NO : 18287/102", "TOTAL | 2.50")])
    assert doc.kind is DocumentKind.RECEIPT


def test_empty_pages_give_an_empty_but_valid_document() -> None:
    page = text_layer()
    doc = parse([page])
    assert doc.fields == {} and doc.line_items == []
    assert [p.number for p in doc.pages] == [1]
