"""Every real recorded response in ../shared/data/responses/textract maps, with the values it carries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receiptdesk.core.document import Document, DocumentKind
from receiptdesk.providers.textract import map_response
from tests.unit.providers.textract.conftest import load_response

RECEIPT_RESPONSES = ["test_analyze_expense_from_image.json", "test_analyze_expense_from_path.json"]
# Each of these has its own test below with the values it carries.
KNOWN = {
    *RECEIPT_RESPONSES,
    "analyzeExpenseResponse-multipage.json",
    "invoice-expense-response.json",
    "test_analyze_expense_no_summary_fields.json",
    "expense-missing-geoms-response.json",
    "test_trp2_expense_sample1.json",
    "test_trp2_expense_sample2.json",
}


def _map(responses: Path, name: str) -> Document:
    return map_response(load_response(responses, name))


def _amounts(doc: Document) -> list[Decimal | None]:
    return [item.value("amount") for item in doc.line_items]  # type: ignore[misc]


def _check(doc: Document, name: str) -> str | None:
    return next((c.status for c in doc.checks if c.name == name), None)


def test_every_recorded_response_maps_to_a_consistent_document(responses: Path) -> None:
    names = sorted(p.name for p in responses.glob("*.json"))
    assert set(names) >= KNOWN  # the set this suite was written against; any new one must map too
    for name in names:
        doc = _map(responses, name)
        assert doc.provenance.provider == "textract", name
        assert doc.pages and [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1)), name
        everything = [*doc.fields.values(), *doc.extra.values()]
        everything += [f for item in doc.line_items for f in [*item.fields.values(), *item.extra.values()]]
        for f in everything:
            assert f.page is not None and 1 <= f.page <= len(doc.pages), name
            assert f.box is None or f.box.is_inside_page(), name
            assert 0.0 <= f.confidence <= 1.0, name
        # The JSON form round-trips what the editor and exports read.
        again = Document.from_json(doc.to_json())
        assert {n: f.value for n, f in again.fields.items()} == {n: f.value for n, f in doc.fields.items()}, name


@pytest.mark.parametrize("name", RECEIPT_RESPONSES)
def test_receipt_photo_with_blocks(responses: Path, name: str) -> None:
    doc = _map(responses, name)
    assert doc.kind is DocumentKind.RECEIPT
    assert doc.currency == "USD"
    # Two VENDOR_NAMEs: Textract's first stays, the logo reading is kept in extra.
    assert doc.value("vendor_name") == "MEGA MARKET PLUS"
    assert doc.extra["vendor_name"].value == "MEGA BIGBOK"
    assert doc.value("total") == Decimal("1810.46")
    assert doc.value("subtotal") == Decimal("1699.96")
    assert doc.value("total_tax") == Decimal("110.50")
    assert doc.value("amount_paid") == Decimal("1810.46")
    assert doc.fields["amount_paid"].label == "TEND"
    assert doc.value("invoice_id") == "21772"
    assert doc.value("vendor_phone") == "800-532-2918"
    # 12/07/2019 on a USD receipt reads month first, and says it could be the 12th of July.
    assert doc.value("date") == date(2019, 12, 7)
    assert "ambiguous_date" in doc.fields["date"].flags
    assert _check(doc, "ambiguous_date") == "warning"
    assert doc.value("time") == "12:22"  # printed beside the date, found in the LINE blocks
    assert [item.value("description") for item in doc.line_items] == [
        "LG FLATSCREEN 65",
        "SONY VIAO I7 6938",
        "6FT HDMI CABLE BB",
        "APPLE TV V4",
    ]
    assert _amounts(doc) == [Decimal("899.99"), Decimal("689.99"), Decimal("19.99"), Decimal("89.99")]
    assert doc.line_items[0].fields["row"].value == "LG FLATSCREEN 65 $899.99 S"
    assert _check(doc, "total_arithmetic") == "ok"
    assert _check(doc, "line_sum") == "ok"
    total = doc.fields["total"]
    assert total.page == 1 and total.box is not None
    assert total.box.x0 == pytest.approx(0.6469, abs=1e-4) and total.box.y0 == pytest.approx(0.3293, abs=1e-4)
    assert total.box.x1 == pytest.approx(0.6469 + 0.1893, abs=1e-3)
    assert total.confidence > 0.99
    assert doc.extra["CHANGE DUE"].value == "0.00" and doc.extra["CHANGE DUE"].label == "CHANGE DUE"
    assert doc.extra["ACCOUNT #"].value == "**** VISA 3433"
    assert doc.extra["TRANS ID"].value == "2516267815C098E0"  # label "TRANS ID\n-" without the stray dash
    assert doc.text.splitlines()[:3] == ["MEGA BIGBOK", "800-532-2918", "MEGA MARKET PLUS"]
    assert len(doc.pages) == 1


def test_two_page_invoice_from_get_expense_analysis(responses: Path) -> None:
    doc = _map(responses, "analyzeExpenseResponse-multipage.json")
    assert doc.kind is DocumentKind.INVOICE
    assert doc.provenance.model == "AnalyzeExpense 1.0"
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.currency == "USD"
    assert doc.value("vendor_name") == "META"  # printed "- META -", read "META\n-"
    assert doc.value("vendor_address") == "154-164 The Embarcadero, San Francisco, CA 94105"
    assert doc.value("vendor_phone") == "(1) 555-123-1234"
    # RECEIVER group: the company is the customer; the "Attn:" person is kept as a contact.
    assert doc.value("customer_name") == "Abstractors and Design Co."
    assert doc.extra["customer_name"].value == "Ronald Davis"
    assert doc.extra["customer_name"].label == "Attn:"
    assert str(doc.value("customer_address")).splitlines() == [
        "Abstractors and Design Co.",
        "Attn: Ronald Davis",
        "Suite 8",
        "611 Maine St",
        "San Francisco CA 94105",
    ]
    assert doc.extra["receiver_city"].value == "San Francisco"
    assert doc.extra["vendor_zip_code"].value == "94105"
    assert doc.value("date") == date(2020, 3, 12)
    assert doc.fields["date"].flags == ()
    assert doc.value("due_date") == date(2020, 3, 26)
    assert doc.fields["due_date"].page == 2
    assert doc.value("invoice_id") == "00000135"
    assert doc.value("purchase_order") == "F0016"
    assert doc.value("payment_terms") == "14 days"
    assert doc.value("total") == Decimal("5715.00")
    assert doc.fields["total"].page == 2
    assert doc.fields["total"].box is not None and doc.fields["total"].box.y0 == pytest.approx(0.5554, abs=1e-4)
    assert doc.extra["Email"].value == "admin@metalegalfinance.com"
    # Line items of both pages, in order, with their pages.
    quantities = [item.value("quantity") for item in doc.line_items]
    assert quantities == [Decimal(q) for q in ("3", "4.5", "10", "6", "4.5", "2", "3", "4.5")]
    amounts = _amounts(doc)
    assert amounts[0] == Decimal("1350.00") and amounts[-1] == Decimal("495.00")
    assert sum(a for a in amounts if a is not None) == Decimal("5715.00")
    assert [item.fields["amount"].page for item in doc.line_items] == [1, 1, 1, 1, 1, 2, 2, 2]
    assert str(doc.line_items[0].value("description")).startswith("ACP101 Accounting Package Annual Subscription")
    assert _check(doc, "line_sum") == "ok"
    # Text from both pages' LINE blocks, page 1 first.
    assert doc.text.startswith("INVOICE\nInvoice No:\n00000135")
    assert "Payment Due By: Thursday, 26 March 2020" in doc.text


def test_2021_invoice_without_blocks(responses: Path) -> None:
    doc = _map(responses, "invoice-expense-response.json")
    assert doc.kind is DocumentKind.INVOICE
    assert doc.currency == "USD"  # no Currency in 2021: from the "$" of the amounts
    assert doc.value("total") == Decimal("6231.09")
    assert doc.fields["total"].label == "Grand Total"
    assert doc.value("subtotal") == Decimal("6169.40")
    assert doc.value("total_tax") == Decimal("61.69")
    assert doc.value("date") == date(2021, 1, 1)
    assert doc.value("due_date") == date(2021, 1, 31)
    assert doc.value("invoice_id") == "123PQR456"
    assert doc.value("purchase_order") == "098ZYX7654"
    assert doc.value("payment_terms") == "30 days"
    assert doc.value("vendor_tax_id") == "12-3456789"
    assert doc.value("vendor_address") == "123 Some Street\nSome City, XYZ, USA"
    assert doc.value("vendor_phone") == "+1333-333-3333"
    assert doc.extra["vendor_phone"].value == "+1 333-333-3333"
    assert doc.value("customer_name") == "XZY Company"
    # No groups in 2021: the printed "SHIP TO" says whose address it is.
    assert str(doc.value("shipping_address")).startswith("The Receiver\nXZY Company")
    assert doc.extra["receiver_phone"].value == "+1222-222-2222"
    assert [item.value("description") for item in doc.line_items] == [
        "Product 1",
        "Service 3",
        "Product 2",
        "Product 3",
    ]
    assert [item.value("quantity") for item in doc.line_items] == [Decimal(1), None, Decimal(2), Decimal(1)]
    assert [item.value("unit_price") for item in doc.line_items] == [
        Decimal(1000),
        Decimal(2789),
        Decimal("106.04"),
        Decimal("2168.32"),
    ]
    assert _amounts(doc) == [Decimal(1000), Decimal(2789), Decimal("212.08"), Decimal("2168.32")]
    assert _check(doc, "total_arithmetic") == "ok"
    assert _check(doc, "line_sum") == "ok"
    assert doc.fields["total"].box is not None and doc.fields["total"].box.x0 == pytest.approx(0.8659, abs=1e-4)
    # Without LINE blocks the text is what the fields printed.
    assert "Grand Total $6231.09" in doc.text
    assert "Product 2 2 $106.04 $212.08" in doc.text


def test_receipt_without_summary_fields(responses: Path) -> None:
    doc = _map(responses, "test_analyze_expense_no_summary_fields.json")
    assert doc.fields == {}
    assert doc.kind is DocumentKind.RECEIPT
    assert len(doc.line_items) == 29
    first = doc.line_items[0]
    assert first.value("description") == "GIL VNS HR CMEGI CRT"
    assert first.value("amount") == Decimal("659.00")  # printed "659.00 Y"
    assert first.value("product_code") == "04987176039347"
    curls = doc.line_items[3]
    assert (curls.value("quantity"), curls.value("unit_price"), curls.value("amount")) == (
        Decimal(2),
        Decimal("21.50"),
        Decimal("43.00"),
    )
    # Two PRODUCT_CODEs in one row: the one printed under this item wins, the next item's stays in extra.
    cheddar = doc.line_items[12]
    assert cheddar.value("description") == "NOVA CNTRY CHED160G"
    assert cheddar.value("product_code") == "04800016666407"
    assert cheddar.extra["product_code"].value == "04800016561856"
    assert doc.text.startswith("GIL VNS HR CMEGI CRT\n659.00 Y")


def test_trimmed_response_without_geometry_or_text(responses: Path) -> None:
    doc = _map(responses, "expense-missing-geoms-response.json")
    assert doc.fields == {} and doc.extra == {} and doc.line_items == []
    assert [p.number for p in doc.pages] == [1]
    assert doc.text == ""


def test_2021_statement_with_a_balance_and_adjustments(responses: Path) -> None:
    doc = _map(responses, "test_trp2_expense_sample1.json")
    assert doc.value("total") == Decimal("50.00")
    assert doc.fields["total"].label == "TOTAL DUE:"
    assert doc.extra["This is your Balance"].value == "$50.00"
    assert doc.extra["Insurance Adjustments Applied"].value == "$-19172.54"
    assert len(doc.line_items) == 21
    assert doc.line_items[1].value("amount") == Decimal("379.50")
    assert doc.line_items[-1].value("amount") == Decimal("-242.00")
    # The charges do not add up to what is due after insurance: said, not hidden.
    assert _check(doc, "line_sum") == "warning"


def test_2021_costco_receipt(responses: Path) -> None:
    doc = _map(responses, "test_trp2_expense_sample2.json")
    assert doc.value("vendor_name") == "costco"
    assert doc.value("total") == Decimal("38.48")
    assert doc.fields["total"].label == "AMOUNT:"
    assert doc.value("subtotal") == Decimal("38.48")
    assert doc.value("total_tax") == Decimal("0.00")
    assert doc.extra["**** TOTAL"].value == "38.48"
    assert doc.extra["Merchant ID"].value == "991005"
    assert _amounts(doc) == [Decimal("22.10"), Decimal("5.99"), Decimal("10.39")]
    assert [item.value("description") for item in doc.line_items] == ["BNLS/SL BRST", "GRAPE TOMATO", "KS BUTTER"]
    assert _check(doc, "total_arithmetic") == "ok"
    assert _check(doc, "line_sum") == "ok"
    assert doc.fields["total"].box is not None and doc.fields["total"].box.y0 == pytest.approx(0.8791, abs=1e-4)
