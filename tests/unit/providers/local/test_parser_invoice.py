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


def _letter(*top: tuple[object, ...]) -> list[tuple[object, ...]]:
    """An invoice letter: `top` rows above the date, items and total."""
    return [
        *top,
        (0.05, "Rechnungsdatum: 07.05.2014"),
        (0.05, "Webhosting Paket M", 0.85, "29,18 €"),
        (0.55, "MwSt 19%", 0.85, "5,55 €"),
        (0.55, "Gesamtbetrag", 0.85, "34,73 €"),
    ]


def test_the_sender_line_above_the_window_names_the_seller_not_the_address_below_it() -> None:
    doc = parse(
        [
            text_layer(
                *_letter(  # type: ignore[arg-type]
                    (0.1, "Webhost Nord GmbH - Uferweg 40-42 - D-63571 Gelnhausen"),
                    (0.1, "Lantern Labs Ltd."),
                    (0.1, "93B Sai Yu Chung"),
                    (0.1, "Yuen Long, N.T., Hong Kong"),
                )
            )
        ]
    )
    assert doc.value("vendor_name") == "Webhost Nord GmbH"
    assert doc.value("vendor_address") == "Uferweg 40-42, D-63571 Gelnhausen"
    assert doc.value("total") == Decimal("34.73")


def test_the_account_holder_to_pay_is_the_seller_when_the_top_is_the_buyers_address() -> None:
    doc = parse(
        [
            text_layer(
                *_letter(  # type: ignore[arg-type]
                    (0.6, "DUPONT CONSEIL"),
                    (0.6, "27 rue Henri Rolland"),
                    (0.6, "69100 Villeurbanne"),
                ),
                *[()] * 14,  # the bank details at the foot of the page
                (0.05, "Virement BRED – Titulaire du compte : PRESSEVILLE IBAN : FR76 1010 7002 4500"),
            )
        ]
    )
    assert doc.value("vendor_name") == "PRESSEVILLE"
    assert "vendor_address" not in doc.fields  # the address at the top is the buyer's


def test_a_block_that_opens_with_bill_to_gives_no_seller() -> None:
    doc = parse(
        [
            text_layer(
                *_letter(  # type: ignore[arg-type]
                    (0.1, "Factuuradres", 0.6, "Afleveradres"),
                    (0.1, "Strategic Corp", 0.6, "Strategic Corp"),
                    (0.1, "Fakestreet 46", 0.6, "Fakestreet 46"),
                    (0.1, "3500 MJ Utrecht", 0.6, "3500 MJ Utrecht"),
                )
            )
        ]
    )
    assert "vendor_name" not in doc.fields  # better nothing than the buyer's name


def test_a_name_with_an_advert_word_over_its_postcode_line_is_the_seller() -> None:
    doc = parse([text_layer(*_letter((0.05, "Daily Fresh Market"), (0.05, "12 High Street, London SW1A 1AA")))])  # type: ignore[arg-type]
    assert doc.value("vendor_name") == "Daily Fresh Market"


def test_a_document_title_on_the_names_line_is_not_part_of_the_name() -> None:
    doc = parse([text_layer(*_letter((0.05, "Northwind Cloud Services Invoice"), (0.05, "Account number: 2966")))])  # type: ignore[arg-type]
    assert doc.value("vendor_name") == "Northwind Cloud Services"


def test_a_shops_own_line_of_phone_street_and_postcode_is_not_a_sender_line() -> None:
    doc = parse([receipt("CORNER DELI LTD", "Tel 020 7946 0000 - 12 High Street - London SW1A 1AA", "TOTAL | £4.20")])
    assert doc.value("vendor_name") == "CORNER DELI LTD"


def test_an_account_name_without_bank_details_is_the_customers_not_the_seller() -> None:
    doc = parse(
        [
            text_layer(
                *_letter(  # type: ignore[arg-type]
                    (0.05, "Northwind Energy Ltd"),
                    (0.05, "VAT No GB 123 4567 89"),
                    (0.05, "Account Name: John Smith"),
                )
            )
        ]
    )
    assert doc.value("vendor_name") == "Northwind Energy Ltd"


def test_the_account_holders_name_ends_where_the_bank_begins() -> None:
    doc = parse(
        [
            text_layer(
                *_letter((0.6, "J. Smith"), (0.6, "4 Mill Lane"), (0.6, "Leeds LS1 4AP")),  # type: ignore[arg-type]
                *[()] * 14,
                (0.05, "Beneficiary: ACME Trading | Barclays London | IBAN GB33BUKB20201555555555"),
            )
        ]
    )
    assert doc.value("vendor_name") == "ACME Trading"


def test_a_row_of_column_headings_at_the_top_is_not_the_vendor() -> None:
    """A booking's receipt opens with tables: their headings ("Hotel Details  Check In ...") name columns, and
    the hotel is the value under the first one."""
    doc = parse([text_layer(  # type: ignore[arg-type]
        (0.2, "PAYMENT RECEIPT"),
        (0.07, "Guest Name: Sanjay", 0.7, "Date: 31/12/2017"),
        (0.08, "Hotel Details", 0.53, "Check In", 0.68, "Check Out", 0.83, "Rooms"),
        (0.08, "SUNRISE 4189 Resort Nanganallur,", 0.53, "31/12/2017", 0.68, "01/01/2018", 0.83, "1"),
        (0.08, "25,Vembuliamman Koil Street, Pazhavanthangal, Chennai"),
        (0.53, "Booking ID", 0.68, "Payment Mode"),
        (0.53, "IBZY2087", 0.68, "Cash at Hotel"),
        (0.09, "DESCRIPTION", 0.75, "RATE", 0.84, "AMOUNT"),
        (0.09, "Room Charges", 0.6, "Rs 1939 x 1 Night x 1 Room", 0.85, "Rs 1939"),
        (0.09, "Grand Total", 0.85, "Rs 1939"),
    )])  # fmt: skip
    assert doc.value("total") == Decimal("1939")
    assert doc.value("vendor_name") != "Hotel Details Check In Check Out Rooms"
