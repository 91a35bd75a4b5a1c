"""The mapping rules on small responses in Textract's shape: repeated types, groups, dates, money, merging."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.document import DocumentKind
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.textract import map_response
from receiptdesk.providers.textract.mapping import map_documents


def field(
    ftype: str,
    text: str,
    label: str | None = None,
    *,
    page: int = 1,
    top: float = 0.5,
    groups: list[str] | None = None,
    currency: str | None = None,
    confidence: float = 99.0,
) -> dict[str, Any]:
    f: dict[str, Any] = {
        "Type": {"Text": ftype, "Confidence": confidence},
        "ValueDetection": {
            "Text": text,
            "Confidence": confidence,
            "Geometry": {"BoundingBox": {"Left": 0.6, "Top": top, "Width": 0.2, "Height": 0.02}},
        },
        "PageNumber": page,
    }
    if label is not None:
        f["LabelDetection"] = {"Text": label, "Confidence": confidence}
    if groups:
        f["GroupProperties"] = [{"Types": groups, "Id": "group-" + "-".join(groups)}]
    if currency:
        f["Currency"] = {"Code": currency, "Confidence": 90.0}
    return f


def response(*summary: dict[str, Any], items: list[list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    return {"DocumentMetadata": {"Pages": 1}, "ExpenseDocuments": [expense(1, list(summary), items)]}


def expense(
    index: int, summary: list[dict[str, Any]], items: list[list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    return {
        "ExpenseIndex": index,
        "SummaryFields": summary,
        "LineItemGroups": [
            {"LineItemGroupIndex": 1, "LineItems": [{"LineItemExpenseFields": row} for row in items or []]}
        ],
    }


def test_of_several_totals_the_amount_to_pay_wins_over_a_zero_balance_and_parts() -> None:
    doc = map_response(
        response(
            field("TOTAL", "0.00", "Balance"),
            field("TOTAL", "$3.10", "Total Savings"),
            field("TOTAL", "$42.10", "TOTAL"),
            field("TOTAL", "4", "Total Items"),
        )
    )
    assert doc.value("total") == Decimal("42.10")
    kept = {f.label: f.value for name, f in doc.extra.items() if name.startswith("total")}
    assert kept == {"Balance": "0.00", "Total Savings": "3.10", "Total Items": "4.00"}
    printed = {f.label: f.text for name, f in doc.extra.items() if name.startswith("total")}
    assert printed == {"Balance": "0.00", "Total Savings": "$3.10", "Total Items": "4"}


def test_amount_due_label_beats_a_subtotal_labelled_total() -> None:
    doc = map_response(response(field("TOTAL", "$90.00", "Subtotal"), field("TOTAL", "$97.20", "Amount due")))
    assert doc.value("total") == Decimal("97.20")
    assert doc.extra["total"].label == "Subtotal"


def test_total_including_tax_is_still_the_total() -> None:
    doc = map_response(response(field("TOTAL", "10.00", "Net"), field("TOTAL", "11.90", "Total incl. VAT")))
    assert doc.value("total") == Decimal("11.90")


def test_a_total_that_is_not_an_amount_loses_to_one_that_is() -> None:
    doc = map_response(response(field("TOTAL", "see over", "Total"), field("TOTAL", "$12.00", "Total")))
    assert doc.value("total") == Decimal("12.00")


def test_groups_decide_vendor_and_customer_names_and_addresses() -> None:
    doc = map_response(
        response(
            field("NAME", "Acme Supplies Ltd", groups=["VENDOR"]),
            field("ADDRESS", "1 Mill Road\nLeeds", groups=["VENDOR"]),
            field("NAME", "Bloggs & Co", groups=["RECEIVER", "RECEIVER_SOLD_TO"]),
            field("ADDRESS", "9 High St\nYork", groups=["RECEIVER_BILL_TO"]),
            field("ADDRESS", "Dock 4\nHull", groups=["RECEIVER_SHIP_TO"]),
            field("CITY", "Leeds", groups=["VENDOR"]),
        )
    )
    assert doc.value("vendor_name") == "Acme Supplies Ltd"
    assert doc.value("vendor_address") == "1 Mill Road\nLeeds"
    assert doc.value("customer_name") == "Bloggs & Co"
    assert doc.value("billing_address") == "9 High St\nYork"
    assert doc.value("shipping_address") == "Dock 4\nHull"
    assert doc.extra["vendor_city"].value == "Leeds"
    assert doc.kind is DocumentKind.INVOICE  # a customer and a billing address: an invoice


def test_direct_type_beats_a_group_reading_and_identical_readings_are_not_repeated() -> None:
    doc = map_response(
        response(
            field("NAME", "ACME", groups=["VENDOR"]),
            field("VENDOR_NAME", "ACME"),
            field("ADDRESS_BLOCK", "1 Mill Road", groups=["VENDOR"]),
            field("ADDRESS", "ACME\n1 Mill Road\nLeeds", groups=["VENDOR"]),
        )
    )
    assert doc.value("vendor_name") == "ACME"
    assert "vendor_name" not in doc.extra
    assert doc.value("vendor_address") == "ACME\n1 Mill Road\nLeeds"  # the whole address over the block
    assert doc.extra["vendor_address"].value == "1 Mill Road"


def test_an_attn_contact_does_not_become_the_customer() -> None:
    doc = map_response(response(field("RECEIVER_NAME", "Jo Smith", "Attn:"), field("RECEIVER_NAME", "Widgets Inc")))
    assert doc.value("customer_name") == "Widgets Inc"
    assert doc.extra["customer_name"].value == "Jo Smith"


def test_an_ambiguous_date_takes_the_documents_order_and_is_flagged() -> None:
    # A date only day-first can read (31/01) settles the order; 03/04 is still flagged for the user.
    doc = map_response(response(field("INVOICE_RECEIPT_DATE", "03/04/2024"), field("DUE_DATE", "31/05/2024")))
    assert doc.value("date") == date(2024, 4, 3)
    assert "ambiguous_date" in doc.fields["date"].flags
    assert doc.value("due_date") == date(2024, 5, 31)
    assert doc.fields["due_date"].flags == ()
    assert any(c.name == "ambiguous_date" and c.fields == ("date",) for c in doc.checks)


def test_a_dollar_receipt_reads_dates_month_first() -> None:
    doc = map_response(response(field("INVOICE_RECEIPT_DATE", "03/04/2024"), field("TOTAL", "$5.00", "Total")))
    assert doc.value("date") == date(2024, 3, 4)
    assert "ambiguous_date" in doc.fields["date"].flags


def test_the_users_date_order_is_the_fallback_when_the_document_has_no_cue() -> None:
    raw = response(field("INVOICE_RECEIPT_DATE", "03/04/2024"))
    assert map_response(raw, date_order=DateOrder.MDY).value("date") == date(2024, 3, 4)
    assert map_response(raw, date_order=DateOrder.DMY).value("date") == date(2024, 4, 3)


def test_decimal_comma_amounts_and_currency_from_the_value_text() -> None:
    doc = map_response(
        response(field("TOTAL", "1.234,50 €", "Summe"), field("TAX", "197,11 €", "MwSt"), field("SUBTOTAL", "1.037,39"))
    )
    assert doc.currency == "EUR"
    assert doc.value("total") == Decimal("1234.50")
    assert doc.value("total_tax") == Decimal("197.11")
    assert doc.value("subtotal") == Decimal("1037.39")


def test_currency_code_from_textract_wins_over_a_symbol() -> None:
    doc = map_response(response(field("TOTAL", "$12.00", "Total", currency="CAD")))
    assert doc.currency == "CAD"


def test_several_receipts_in_one_file_are_several_documents() -> None:
    raw = {
        "DocumentMetadata": {"Pages": 1},
        "ExpenseDocuments": [
            expense(
                1, [field("VENDOR_NAME", "Cafe One"), field("TOTAL", "$4.50", "Total")], [[field("PRICE", "4.50")]]
            ),
            expense(
                2, [field("VENDOR_NAME", "Bakery Two"), field("TOTAL", "$2.00", "Total")], [[field("PRICE", "2.00")]]
            ),
        ],
    }
    first, second = map_documents(raw)
    assert (first.value("vendor_name"), first.value("total"), first.part) == ("Cafe One", Decimal("4.50"), 1)
    assert (second.value("vendor_name"), second.value("total"), second.part) == ("Bakery Two", Decimal("2.00"), 2)
    assert [i.value("amount") for i in first.line_items] == [Decimal("4.50")]
    assert [i.value("amount") for i in second.line_items] == [Decimal("2.00")]
    assert "vendor_name" not in first.extra and "total" not in first.extra  # nothing of the other receipt
    assert map_response(raw).value("vendor_name") == "Cafe One"  # the first, for one-document callers


def test_an_invoice_continued_on_the_next_page_stays_one_document() -> None:
    raw = {
        "DocumentMetadata": {"Pages": 2},
        "ExpenseDocuments": [
            expense(1, [field("INVOICE_RECEIPT_ID", "INV-7"), field("VENDOR_NAME", "Acme")], [[field("PRICE", "1")]]),
            expense(2, [field("INVOICE_RECEIPT_ID", "INV-7", page=2), field("TOTAL", "$3.00", "Total", page=2)]),
        ],
    }
    (doc,) = map_documents(raw)
    assert doc.value("vendor_name") == "Acme" and doc.value("total") == Decimal("3.00")
    assert [p.number for p in doc.pages] == [1, 2]


def test_a_page_with_only_items_and_totals_continues_the_invoice_before() -> None:
    raw = {
        "DocumentMetadata": {"Pages": 3},
        "ExpenseDocuments": [
            expense(1, [field("VENDOR_NAME", "Acme"), field("INVOICE_RECEIPT_ID", "A-1")], [[field("PRICE", "1")]]),
            expense(2, [field("TOTAL", "$3.00", "Total", page=2)], [[field("PRICE", "2", page=2)]]),
            expense(3, [field("VENDOR_NAME", "Other Ltd", page=3), field("TOTAL", "$9.00", "Total", page=3)]),
        ],
    }
    first, second = map_documents(raw)
    assert first.value("total") == Decimal("3.00") and len(first.line_items) == 2
    assert [p.number for p in first.pages] == [1, 2] and [p.number for p in second.pages] == [3]
    assert second.value("vendor_name") == "Other Ltd"


def test_paged_get_expense_analysis_results_map_as_one() -> None:
    pages = [
        {
            "JobStatus": "SUCCEEDED",
            "DocumentMetadata": {"Pages": 2},
            "NextToken": "x",
            "ExpenseDocuments": [expense(1, [field("VENDOR_NAME", "Acme")])],
        },
        {
            "JobStatus": "SUCCEEDED",
            "DocumentMetadata": {"Pages": 2},
            "ExpenseDocuments": [expense(1, [field("TOTAL", "$9.99", "Total", page=2)])],
        },
    ]
    doc = map_response(pages)
    assert doc.value("vendor_name") == "Acme"
    assert doc.value("total") == Decimal("9.99")
    assert [p.number for p in doc.pages] == [1, 2]


def test_other_fields_are_kept_by_label_and_repeated_labels_numbered() -> None:
    doc = map_response(
        response(field("OTHER", "1234", "Table:"), field("OTHER", "5678", "Table:"), field("OTHER", "note"))
    )
    assert doc.extra["Table"].value == "1234"
    assert doc.extra["Table (2)"].value == "5678"
    assert doc.extra["other"].value == "note"


def test_line_item_types_and_unknown_ones() -> None:
    row = [
        field("ITEM", "Coffee\nlarge"),
        field("QUANTITY", "2"),
        field("UNIT_PRICE", "@ 3.25"),
        field("PRICE", "6.50 A"),
        field("PRODUCT_CODE", "4711"),
        field("EXPENSE_ROW", "Coffee large 2 @ 3.25 6.50 A"),
        field("OTHER", "hot", "Temp"),
    ]
    item = map_response(response(items=[row])).line_items[0]
    assert item.value("description") == "Coffee large"
    assert item.value("quantity") == Decimal(2)
    assert item.value("unit_price") == Decimal("3.25")
    assert item.value("amount") == Decimal("6.50")
    assert item.value("product_code") == "4711"
    assert item.value("row") == "Coffee large 2 @ 3.25 6.50 A"
    assert item.extra["Temp"].value == "hot"


def test_kind_follows_what_the_fields_say() -> None:
    assert map_response(response(field("TOTAL", "$5.00", "Total"))).kind is DocumentKind.RECEIPT
    assert map_response(response(field("DUE_DATE", "2024-05-01"))).kind is DocumentKind.INVOICE
    assert map_response(response(field("PO_NUMBER", "PO-7"))).kind is DocumentKind.INVOICE
    assert map_response(response(field("INVOICE_RECEIPT_ID", "A-1", "Invoice no."))).kind is DocumentKind.INVOICE
    assert map_response(response(field("INVOICE_RECEIPT_ID", "88", "Receipt #"))).kind is DocumentKind.RECEIPT


def test_a_time_inside_the_date_value() -> None:
    doc = map_response(response(field("INVOICE_RECEIPT_DATE", "2024-02-29 18:05")))
    assert doc.value("date") == date(2024, 2, 29)
    assert doc.value("time") == "18:05"


def test_a_dotted_date_is_not_taken_for_a_time() -> None:
    doc = map_response(response(field("INVOICE_RECEIPT_DATE", "12.07.2019")))
    assert "time" not in doc.fields


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"Blocks": []}, "not an Amazon Textract AnalyzeExpense or GetExpenseAnalysis response"),
        ([1, 2], "expected a JSON object"),
        ({"JobStatus": "IN_PROGRESS"}, "still running"),
        ({"JobStatus": "FAILED", "StatusMessage": "UNSUPPORTED_DOCUMENT"}, "failed (UNSUPPORTED_DOCUMENT)"),
        ([], "no Amazon Textract responses"),
    ],
)
def test_what_is_not_a_response_is_refused_plainly(raw: Any, words: str) -> None:
    with pytest.raises(ReceiptDeskError) as err:
        map_response(raw)
    assert err.value.kind is ErrorKind.BAD_DOCUMENT
    assert words in err.value.message


def test_unknown_keys_and_odd_values_do_not_break_the_mapping() -> None:
    raw = response(
        {"Type": {"Text": "TOTAL"}, "ValueDetection": {"Text": "$1.00", "Geometry": {"BoundingBox": None}}},
        {"Type": None, "ValueDetection": None},
        {"Type": {"Text": "NEW_TYPE_2030", "Confidence": 90}, "ValueDetection": {"Text": "x"}, "Shiny": True},
    )
    raw["SomethingNew"] = {"a": 1}
    doc = map_response(raw)
    assert doc.value("total") == Decimal("1.00")
    assert doc.fields["total"].box is None
    assert doc.extra["new_type_2030"].value == "x"
