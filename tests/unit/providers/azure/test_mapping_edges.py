"""What the recordings do not show: refusals, empty values, arrays, several receipts, ambiguous dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.azure import remap
from receiptdesk.providers.azure.mapping import remap_all

Loader = Callable[[str], Any]


def _region(page: int = 1) -> list[dict[str, Any]]:
    return [{"pageNumber": page, "polygon": [10, 20, 110, 20, 110, 40, 10, 40]}]


def _v3(fields: dict[str, Any], *more: dict[str, Any]) -> dict[str, Any]:
    """A 2024-style body: currency amounts, arrays, countryRegion (shapes from the model docs)."""
    docs = [{"docType": "receipt.retailMeal", "fields": f, "confidence": 0.9} for f in (fields, *more)]
    return {
        "status": "succeeded",
        "analyzeResult": {
            "apiVersion": "2023-07-31",
            "modelId": "prebuilt-receipt",
            "content": "CAFÉ",
            "pages": [{"pageNumber": 1, "width": 200, "height": 400, "unit": "pixel"}],
            "documents": docs,
        },
    }


def _euros(amount: float, content: str) -> dict[str, Any]:
    return {
        "type": "currency",
        "valueCurrency": {"amount": amount, "currencySymbol": "€", "currencyCode": "EUR"},
        "content": content,
        "boundingRegions": _region(),
        "confidence": 0.9,
    }


def test_not_an_azure_result_is_refused_in_plain_words() -> None:
    with pytest.raises(ReceiptDeskError) as e:
        remap({"ExpenseDocuments": []})
    assert e.value.kind is ErrorKind.BAD_DOCUMENT
    assert "not an Azure Form Recognizer result" in e.value.message
    with pytest.raises(ReceiptDeskError):
        remap(["not", "an", "object"])


def test_an_unfinished_or_failed_analysis_is_not_mapped() -> None:
    with pytest.raises(ReceiptDeskError) as running:
        remap({"status": "running", "createdDateTime": "2026-01-01T00:00:00Z"})
    assert running.value.kind is ErrorKind.BAD_DOCUMENT and "had not finished" in running.value.message
    with pytest.raises(ReceiptDeskError) as failed:
        remap(
            {"status": "failed", "error": {"code": "InternalServerError", "message": "An unexpected error occurred."}}
        )
    assert failed.value.kind is ErrorKind.SERVICE and "An unexpected error occurred" in failed.value.message


def test_a_field_with_a_type_and_no_value_is_empty_not_an_error() -> None:
    doc = remap(
        _v3({"Total": {"type": "currency", "content": "T0TAL", "boundingRegions": _region(), "confidence": 0.2}})
    )
    total = doc.fields["total"]
    assert total.value is None and total.text == "T0TAL" and total.page == 1
    assert {c.name: c.status for c in doc.checks}["not_money"] == "failed"  # the editor points at it


def test_currency_values_arrays_and_regions_are_kept() -> None:
    doc = remap(
        _v3(
            {
                "MerchantName": {"type": "string", "valueString": "Café\nZur Post", "content": "Café\nZur Post"},
                "Total": _euros(12.5, "12,50 €"),
                "CountryRegion": {"type": "countryRegion", "valueCountryRegion": "DEU", "content": "Deutschland"},
                "TaxDetails": {
                    "type": "array",
                    "valueArray": [
                        {
                            "type": "object",
                            "valueObject": {
                                "Amount": _euros(0.82, "0,82 €"),
                                "Rate": {"type": "number", "valueNumber": 0.07, "content": "7%"},
                            },
                        }
                    ],
                },
                "Items": {
                    "type": "array",
                    "valueArray": [
                        {
                            "type": "object",
                            "content": "2 x Kaffee 3,20 6,40",
                            "boundingRegions": _region(),
                            "valueObject": {
                                "Description": {"type": "string", "valueString": "Kaffee", "content": "Kaffee"},
                                "Quantity": {"type": "number", "valueNumber": 2, "content": "2"},
                                "Price": _euros(3.2, "3,20"),
                                "TotalPrice": _euros(6.4, "6,40"),
                                "QuantityUnit": {"type": "string", "valueString": "Tasse", "content": "Tasse"},
                                "Category": {"type": "string", "valueString": "Drinks", "content": "Drinks"},
                            },
                        }
                    ],
                },
            }
        )
    )
    assert doc.currency == "EUR"
    assert doc.value("vendor_name") == "Café Zur Post"
    assert doc.fields["vendor_name"].text == "Café\nZur Post"
    assert doc.value("total") == Decimal("12.5")
    assert doc.extra["CountryRegion"].value == "DEU"
    assert doc.extra["TaxDetails.1.Amount"].value == "0.82"
    assert doc.extra["TaxDetails.1.Rate"].value == "0.07"
    (item,) = doc.line_items
    assert (item.value("quantity"), item.value("unit_price"), item.value("amount")) == (
        Decimal(2),
        Decimal("3.2"),
        Decimal("6.4"),
    )
    assert item.value("unit") == "Tasse"
    assert item.extra["Category"].value == "Drinks"
    assert item.value("row") == "2 x Kaffee 3,20 6,40"
    assert not [c for c in doc.checks if c.name == "line_arithmetic"]  # 2 × 3.20 = 6.40


def test_a_second_receipt_in_the_file_is_its_own_document() -> None:
    first = {"MerchantName": {"type": "string", "valueString": "A", "content": "A"}, "Total": _euros(1.0, "1,00")}
    second = {"MerchantName": {"type": "string", "valueString": "B", "content": "B"}, "Total": _euros(2.0, "2,00")}
    a, b = remap_all(_v3(first, second))
    assert (a.value("vendor_name"), a.value("total"), a.part) == ("A", Decimal(1), 1)
    assert (b.value("vendor_name"), b.value("total"), b.part) == ("B", Decimal(2), 2)
    assert not a.extra and not b.extra  # nothing of one receipt in the other
    assert a.confidence == b.confidence == 0.9
    assert remap(_v3(first, second)).value("vendor_name") == "A"


def test_dates_that_read_both_ways_are_flagged(recorded: Loader) -> None:
    receipt = remap(recorded("receipt-result.json"))
    assert receipt.fields["date"].flags == ("ambiguous_date",)  # 6/10/2019: June 10 or 6 October
    (check,) = [c for c in receipt.checks if c.name == "ambiguous_date"]
    assert "2019-06-10 or 2019-10-06" in check.message
    invoice = remap(recorded("sdk-recordings/aad_analysis_node_invoices__recording_url.json"))
    assert invoice.fields["date"].flags == ()  # 6/18/2017 reads only one way
    assert invoice.value("date") == date(2017, 6, 18)


def test_the_document_json_carries_the_azure_values(recorded: Loader) -> None:
    data = remap(recorded("receipt-result.json")).to_json()
    assert data["provider"] == "azure"
    assert data["fields"]["total"]["value"] == "14.50"
    assert data["fields"]["date"]["value"] == "2019-06-10"
    assert data["fields"]["date"]["flags"] == ["ambiguous_date"]
    assert [i["amount"]["value"] for i in data["line_items"]] == ["2.20", "9.50"]
