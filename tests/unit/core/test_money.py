from decimal import Decimal

import pytest

from receiptdesk.core.money import currency_in, find_amounts, money_str, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("$1,810.46", "1810.46"),
        ("1.234,56", "1234.56"),
        ("1 234,56 €", "1234.56"),
        ("1'234.50 CHF", "1234.50"),
        ("RM 12.50", "12.50"),
        ("659.00 Y", "659.00"),
        ("$899.99 S", "899.99"),
        ("$-19172.54", "-19172.54"),
        ("-5.00", "-5.00"),
        ("5.00-", "-5.00"),
        ("(12.00)", "-12.00"),
        ("12,50", "12.50"),
        ("1,234", "1234"),
        ("1.234.567,89", "1234567.89"),
        ("TOTAL 2 @ 3.50 7.00", "7.00"),
        ("¥1,200", "1200"),
    ],
)
def test_parse_amount_reads_every_convention(text: str, value: str) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == Decimal(value)


def test_three_digit_group_follows_the_documents_decimal_mark() -> None:
    assert parse_amount("1,234", decimal_comma=True).value == Decimal("1.234")  # type: ignore[union-attr]
    assert parse_amount("1.234", decimal_comma=True).value == Decimal("1234")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("RM 12.50", "MYR"),
        ("€ 3,00", "EUR"),
        ("£4.99", "GBP"),
        ("12.00 CHF", "CHF"),
        ("Total USD 5", "USD"),
        ("S$ 3.20", "SGD"),
        ("kr 45,00", "SEK"),
        ("FARM 12.00", None),
        ("Rs. 319.00", "INR"),
    ],
)
def test_currency_is_named_by_symbol_or_code(text: str, code: str | None) -> None:
    assert currency_in(text) == code


def test_not_money_is_none() -> None:
    assert parse_amount("THANK YOU") is None
    assert parse_amount("") is None


def test_find_amounts_keeps_positions() -> None:
    found = find_amounts("Milk 2L 3.49  Bread 4.25")
    assert [(m.amount.value, m.amount.has_decimals) for m in found] == [
        (Decimal(2), False),
        (Decimal("3.49"), True),
        (Decimal("4.25"), True),
    ]


def test_money_str_has_two_decimals() -> None:
    assert money_str(Decimal("193")) == "193.00"
    assert money_str(Decimal("5.5")) == "5.50"
    assert money_str(Decimal("1.234")) == "1.234"
