"""What users type into a value box is read whole, or refused with a reason; never half-read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.typed import NotUnderstood, read_typed


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12.50", "12.50"), ("12,50", "12.50"), ("$1,810.46", "1810.46"), ("1.234,56 €", "1234.56"),
     ("RM 60.30", "60.30"), ("-5.00", "-5.00"), ("(5.00)", "-5.00"), ("12", "12"), ("EUR 7.10", "7.10")],
)  # fmt: skip
def test_amounts_as_receipts_print_them(typed: str, value: str) -> None:
    assert read_typed("total", typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["1O.50", "12..50", "12.50 15.00", "1e3", "about ten", "12.50 plus tip"])
def test_text_that_is_not_one_amount_is_refused(typed: str) -> None:
    with pytest.raises(NotUnderstood, match="not an amount"):
        read_typed("total", typed)


def test_quantities_keep_their_decimals() -> None:
    assert read_typed("quantity", "1.234", line_item=True) == Decimal("1.234")  # kilograms, not 1234
    assert read_typed("quantity", "0,5", line_item=True) == Decimal("0.5")
    with pytest.raises(NotUnderstood, match="not a quantity"):
        read_typed("quantity", "two", line_item=True)


def test_dates_follow_the_users_order_and_must_be_whole() -> None:
    assert read_typed("date", "03/04/2024", order=DateOrder.MDY) == date(2024, 3, 4)
    assert read_typed("date", "03/04/2024", order=DateOrder.DMY) == date(2024, 4, 3)
    assert read_typed("date", "31 March 2024") == date(2024, 3, 31)
    with pytest.raises(NotUnderstood, match="not a date"):
        read_typed("date", "31/03/2024 or 01/04/2024")


def test_other_kinds_and_clearing() -> None:
    assert read_typed("time", "2:05 pm") == "14:05"
    assert read_typed("currency", "eur") == "EUR"
    assert read_typed("vendor_name", "  Café Luna ") == "Café Luna"
    assert read_typed("total", "   ") is None  # an empty box clears the value
    with pytest.raises(NotUnderstood, match="currency code"):
        read_typed("currency", "euros")
